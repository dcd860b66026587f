// The parse stage of the pipeline: runs Clang over C++ sources. This header stays free
// of Clang types so that callers compile quickly.
#pragma once

#include <string>
#include <vector>

namespace rayify {

struct ParseOptions {
  /// Directory holding compile_commands.json; empty for the default flags.
  std::string compile_commands_dir;
  /// Flags used when no compilation database is given.
  std::vector<std::string> default_flags = {"-std=c++17"};
};

struct ParseOutcome {
  bool ok = false;
  /// Clang's diagnostics in compiler format (file:line:col: error: ...).
  std::string diagnostics;
};

/// Parses each file with Clang (syntax and semantic checks, no code generation).
ParseOutcome ParseSources(const std::vector<std::string> &files,
                          const ParseOptions &options);

/// The Clang resource directory (builtin headers such as <stddef.h>) the tool uses:
/// RAYIFY_CLANG_RESOURCE_DIR from the environment, else the one of the Clang it was
/// built with.
std::string ClangResourceDir();

/// The version of the Clang libraries the tool is linked with, e.g. "19.1.7".
std::string ClangVersion();

}  // namespace rayify
