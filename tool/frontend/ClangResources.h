// Which Clang the tool runs: its version and the directory of its builtin headers.
// Free of Clang types so that the driver compiles quickly.
#pragma once

#include <string>

namespace rayify {

/// The Clang resource directory (builtin headers such as <stddef.h>) the tool uses:
/// RAYIFY_CLANG_RESOURCE_DIR from the environment, else the one of the Clang it was
/// built with.
std::string ClangResourceDir();

/// The version of the Clang libraries the tool is linked with, e.g. "19.1.7".
std::string ClangVersion();

}  // namespace rayify
