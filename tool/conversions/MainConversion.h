// What every converted program needs besides its loops: the Ray include, RAY_REMOTE
// for each task function, MSGPACK_DEFINE for each user type crossing a task boundary,
// and a main() from templates/ that connects to Ray around the original main.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <string>

#include "conversions/TaskLoopConversion.h"
#include "emit/Templates.h"

namespace rayify {

/// Adds the boilerplate edits to `ctx.edits`. `main` is the program's main function;
/// `input_name` fills the templates' {{INPUT}}. Throws std::runtime_error when a
/// template cannot be filled.
void AddRayBoilerplate(const clang::FunctionDecl *main, const Templates &templates,
                       const std::string &input_name, ConversionContext &ctx);

}  // namespace rayify
