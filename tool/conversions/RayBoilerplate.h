// The ray-boilerplate pass: what every converted program needs besides its loops. The
// Ray include (templates/prologue.inc), RAY_REMOTE for each task function,
// MSGPACK_DEFINE for each user type crossing a task boundary (in the file that defines
// it, headers of the project included), and a main() from templates/main.inc that
// connects to Ray around the original main. Runs only when a conversion before it
// made tasks, or, in main's file of a program converted whole, when another file
// did; a file without main gets all but the main().
#pragma once

#include <clang/AST/ASTContext.h>

#include "conversions/EditBuilder.h"
#include "passes/Pass.h"

namespace rayify {

/// Where an #include goes in `edits`' file: after its own #include lines that come
/// before its first declaration (0 when it has none).
unsigned IncludePoint(clang::ASTContext &context, FileEditor &edits);

class RayBoilerplatePass : public Pass {
 public:
  void Finish() override;
};

}  // namespace rayify
