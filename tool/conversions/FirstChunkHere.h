// Running a chunked loop's first iterations in the driver, timed, to learn at run time
// whether its chunks are worth tasks.
#pragma once

#include <string>

#include "passes/TranslationUnit.h"

namespace rayify {

/// The cost model sees a loop's source, not its data: an inner loop over a
/// container's size may run eight times or eight million. So a chunked loop first runs
/// a few of its iterations in the driver (an eighth of a chunk), times them, and
/// submits the rest as tasks only when a whole chunk would take at least the
/// configured minimum (thresholds.min-chunk-microseconds); otherwise the driver runs
/// the rest too. The first iterations run before any task is submitted and before
/// anything is put in the object store, so either way the iterations take effect in
/// their order. RAYIFY_ALWAYS_TASKS=1 in the environment skips the trial and sends
/// every iteration to the tasks: `rayify verify` runs a converted program so as well,
/// to check its tasks whatever its data. Has the file define the helper, and returns
/// its name.
inline std::string FirstChunkHere(TranslationUnit &unit) {
  static constexpr const char *kName = "rayify_run_first_here";
  unit.extra_includes.insert("algorithm");
  unit.extra_includes.insert("chrono");
  unit.extra_includes.insert("cstdlib");
  unit.extra_includes.insert("cstring");
  unit.shared_definitions.emplace(
      kName,
      "// Runs the loop's first iterations here, timed, and the others too when a chunk\n"
      "// of them would take less than `least_microseconds`: too little work to pay for\n"
      "// a task. Returns the first iteration left to the tasks (`end` when none is).\n"
      "// RAYIFY_ALWAYS_TASKS=1 leaves them all to the tasks.\n"
      "template <typename Counter, typename Here>\n"
      "static Counter rayify_run_first_here(Counter begin, Counter end, Counter chunk,\n"
      "                                     double least_microseconds, const Here &here) "
      "{\n"
      "  static const char *const always = std::getenv(\"RAYIFY_ALWAYS_TASKS\");\n"
      "  if (!(begin < end) || (always != nullptr && std::strcmp(always, \"0\") != 0))\n"
      "    return begin;\n"
      "  const Counter tried = std::min<Counter>(std::max<Counter>(1, chunk / 8), end - "
      "begin);\n"
      "  const auto start = std::chrono::steady_clock::now();\n"
      "  here(begin, static_cast<Counter>(begin + tried));\n"
      "  const std::chrono::duration<double, std::micro> took =\n"
      "      std::chrono::steady_clock::now() - start;\n"
      "  if (took.count() / static_cast<double>(tried) * static_cast<double>(chunk) >=\n"
      "      least_microseconds)\n"
      "    return static_cast<Counter>(begin + tried);\n"
      "  here(static_cast<Counter>(begin + tried), end);\n"
      "  return end;\n"
      "}\n");
  return kName;
}

}  // namespace rayify
