// The net under every conversion: before a converted file is written, Clang checks that
// it compiles against the runtime's headers. Clang-free interface.
#pragma once

#include <string>
#include <vector>

namespace rayify {

struct CompileCheck {
  std::string input;  // the original file, compiled with its own command
  std::string text;   // the converted text, standing in for it
  /// Converted project headers: the path the compiler found the original at, and the
  /// converted text standing in for it.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// "" when `check.text` compiles with `-std=c++17`, the runtime's headers and the
/// input's flags from the compilation database in `compile_commands_dir` (if any);
/// otherwise the compiler's first error, as "line:column: error: message".
std::string FirstCompileError(const CompileCheck &check,
                              const std::string &runtime_include_dir,
                              const std::string &compile_commands_dir);

}  // namespace rayify
