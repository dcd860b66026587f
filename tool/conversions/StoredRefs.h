// Storing the ObjectRef of a submission in a container without moving it.
#pragma once

#include <string>

#include "passes/TranslationUnit.h"

namespace rayify {

/// Ray's ObjectRef move constructor (Ray's C++ API, 2.60 included) lets go of the
/// reference it moves from before it takes its own. Moving the only ref to a task's
/// result takes the driver's count to zero in between: Ray forgets that the driver owns
/// the result and aborts the driver when a result too large to inline comes back
/// (reference_counter.cc, `owned_by_us_`). So every ref the generated code stores goes
/// in as a copy, through this helper: the container copies a const reference, and the
/// temporary lets go only once the copy holds. Has the file define the helper, and
/// returns its name.
inline std::string CopyOfRef(TranslationUnit &unit) {
  static constexpr const char *kName = "rayify_copy_of";
  unit.shared_definitions.emplace(
      kName,
      "// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move\n"
      "// constructor lets go of the only reference before taking it again, and Ray "
      "then\n"
      "// forgets that this program owns the task's result.\n"
      "template <typename T>\n"
      "static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {\n"
      "  return ref;\n"
      "}\n");
  return kName;
}

}  // namespace rayify
