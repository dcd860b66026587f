// Running a chunked loop's first iterations in the driver, timed, to learn at run time
// whether its chunks are worth tasks.
#pragma once

#include <string>
#include <vector>

#include "passes/TranslationUnit.h"

namespace rayify {

/// A definition the trials need in the converted file: its name, the standard
/// headers it needs, and its text.
struct TrialHelper {
  std::string name;
  std::vector<std::string> includes;
  std::string text;
};

/// The clock both trials time the driver's work with. A trial's few microseconds can
/// straddle another thread's turn on the CPU (a busy machine, the runtime's workers
/// starting), and the wall would count that turn as the loop's work and send cheap
/// iterations to tasks. So when the scheduler took the CPU away meanwhile and the
/// thread never waited of its own accord, its CPU time is the measure; otherwise the
/// wall's, so that work that waits (on a disk, a sleep) counts too. Its name sorts
/// before its users': shared definitions go out in name order.
inline TrialHelper DriverClockHelper() {
  return {
      "rayify_driver_clock",
      {"chrono", "ctime", "sys/resource.h"},
      "// Microseconds of the driver's work since it was made: the wall's time, or the\n"
      "// thread's CPU time when the scheduler gave the CPU to another thread meanwhile\n"
      "// (the wall would count that thread's turn too) and this one never waited.\n"
      "class rayify_driver_clock {\n"
      " public:\n"
      "  rayify_driver_clock()\n"
      "      : switches_(Switches()), cpu_(CpuNanoseconds()),\n"
      "        wall_(std::chrono::steady_clock::now()) {}\n"
      "  double Microseconds() const {\n"
      "    const std::chrono::duration<double, std::micro> wall =\n"
      "        std::chrono::steady_clock::now() - wall_;\n"
      "    const Counts now = Switches();\n"
      "    if (now.waited != switches_.waited || now.preempted == switches_.preempted)\n"
      "      return wall.count();\n"
      "    return (CpuNanoseconds() - cpu_) / 1e3;\n"
      "  }\n"
      "\n"
      " private:\n"
      "  // Times the thread gave up its CPU to wait, and times another took it.\n"
      "  struct Counts {\n"
      "    long waited = 0;\n"
      "    long preempted = 0;\n"
      "  };\n"
      "  static Counts Switches() {\n"
      "    Counts counts;\n"
      "#ifdef RUSAGE_THREAD\n"
      "    rusage usage{};\n"
      "    getrusage(RUSAGE_THREAD, &usage);\n"
      "    counts.waited = usage.ru_nvcsw;\n"
      "    counts.preempted = usage.ru_nivcsw;\n"
      "#endif\n"
      "    return counts;\n"
      "  }\n"
      "  static double CpuNanoseconds() {\n"
      "    timespec now{};\n"
      "    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);\n"
      "    return static_cast<double>(now.tv_sec) * 1e9 + "
      "static_cast<double>(now.tv_nsec);\n"
      "  }\n"
      "\n"
      "  Counts switches_;\n"
      "  double cpu_;\n"
      "  std::chrono::steady_clock::time_point wall_;\n"
      "};\n"};
}

/// The cost model sees a loop's source, not its data: an inner loop over a
/// container's size may run eight times or eight million. So a chunked loop first runs
/// a few of its iterations in the driver (an eighth of a chunk), times them, and
/// submits the rest as tasks only when a whole chunk would take at least the
/// configured minimum (thresholds.min-chunk-microseconds); otherwise the driver runs
/// the rest too. The first iterations run before any task is submitted and before
/// anything is put in the object store, so either way the iterations take effect in
/// their order. RAYIFY_ALWAYS_TASKS=1 in the environment skips the trial and sends
/// every iteration to the tasks: `rayify verify` runs a converted program so as well,
/// to check its tasks whatever its data.
inline TrialHelper RunFirstHereHelper() {
  return {
      "rayify_run_first_here",
      {"algorithm", "cstdlib", "cstring"},
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
      "  const rayify_driver_clock clock;\n"
      "  here(begin, static_cast<Counter>(begin + tried));\n"
      "  if (clock.Microseconds() / static_cast<double>(tried) * "
      "static_cast<double>(chunk) >=\n"
      "      least_microseconds)\n"
      "    return static_cast<Counter>(begin + tried);\n"
      "  here(static_cast<Counter>(begin + tried), end);\n"
      "  return end;\n"
      "}\n"};
}

/// The iterations a loop whose length the driver cannot ask sends to the tasks before
/// its trial times one here (IterationTrial).
constexpr int kIterationsSentBeforeTrial = 8;

/// The same trial for a loop with a task per iteration over a container of more than
/// 64 elements (a range-for whose every element would be a task): its first iteration
/// runs in the driver as written, timed, and the others follow it there when it took
/// less than thresholds.min-chunk-microseconds. Shorter loops skip the trial: a few
/// dozen tasks cost little even when tiny, and a trial would run a heavy first
/// iteration alone. A loop whose length the driver cannot ask first sends
/// `sent_first` iterations to the tasks and tries the next: a short loop then runs
/// in tasks whole, and the iteration timed here overlaps the tasks already sent.
inline TrialHelper IterationTrialHelper() {
  return {
      "rayify_iteration_trial",
      {"cstdlib", "cstring"},
      "// Times one iteration of a long loop here, the first after `sent_first` sent to\n"
      "// the tasks; when it took less than `least_microseconds`, too little work to\n"
      "// pay for a task, the others run here too. RAYIFY_ALWAYS_TASKS=1 sends them all\n"
      "// to the tasks.\n"
      "class rayify_iteration_trial {\n"
      " public:\n"
      "  rayify_iteration_trial(bool long_loop, double least_microseconds, int "
      "sent_first)\n"
      "      : on_(long_loop), least_(least_microseconds), to_send_(sent_first) {\n"
      "    const char *always = std::getenv(\"RAYIFY_ALWAYS_TASKS\");\n"
      "    if (always != nullptr && std::strcmp(always, \"0\") != 0) on_ = false;\n"
      "  }\n"
      "  // Whether this iteration runs here: the one tried does, the others after it "
      "if\n"
      "  // it was quick.\n"
      "  bool Here() {\n"
      "    if (!on_) return false;\n"
      "    if (to_send_ > 0) {\n"
      "      --to_send_;\n"
      "      return false;\n"
      "    }\n"
      "    if (seen_ == 0) {\n"
      "      seen_ = 1;\n"
      "      clock_ = rayify_driver_clock();\n"
      "      return true;\n"
      "    }\n"
      "    if (seen_ == 1) {\n"
      "      seen_ = 2;\n"
      "      here_ = clock_.Microseconds() < least_;\n"
      "    }\n"
      "    return here_;\n"
      "  }\n"
      "\n"
      " private:\n"
      "  bool on_;\n"
      "  double least_;\n"
      "  int to_send_;\n"
      "  int seen_ = 0;\n"
      "  bool here_ = false;\n"
      "  rayify_driver_clock clock_;\n"
      "};\n"};
}

/// Has the unit define `helper` and the headers it needs, and returns its name.
inline std::string Define(TranslationUnit &unit, const TrialHelper &helper) {
  unit.extra_includes.insert(helper.includes.begin(), helper.includes.end());
  unit.shared_definitions.emplace(helper.name, helper.text);
  return helper.name;
}

/// Has the file define the chunk trial (RunFirstHereHelper), and returns its name.
inline std::string FirstChunkHere(TranslationUnit &unit) {
  Define(unit, DriverClockHelper());
  return Define(unit, RunFirstHereHelper());
}

/// Has the file define the iteration trial (IterationTrialHelper), and returns its
/// name.
inline std::string IterationTrial(TranslationUnit &unit) {
  Define(unit, DriverClockHelper());
  return Define(unit, IterationTrialHelper());
}

/// The declaration of the trial `name` (IterationTrial), with the comment saying what
/// it does, lines after the first at `indent`: over a range of `size` elements whose
/// first is tried, or, with `size` empty, after kIterationsSentBeforeTrial tasks.
inline std::string IterationTrialDeclaration(TranslationUnit &unit,
                                             const std::string &name,
                                             const std::string &size,
                                             const std::string &indent) {
  std::string least = std::to_string(unit.settings.min_chunk_microseconds);
  if (size.empty()) {
    std::string sent = std::to_string(kIterationsSentBeforeTrial);
    return "// After " + sent +
           " tasks, one iteration runs here, timed: the others are " + "tasks\n" +
           indent + "// only if it took " + least + " us or more.\n" + indent +
           IterationTrial(unit) + " " + name + "(true, " + least + ", " + sent + ");";
  }
  return "// The first element runs here, timed: the others are tasks only if it took " +
         least + " us or more.\n" + indent + IterationTrial(unit) + " " + name + "(" +
         size + " > 64, " + least + ", 0);";
}

}  // namespace rayify
