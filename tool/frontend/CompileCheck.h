// The net under every conversion: before a converted file is written, Clang checks that
// it compiles against the runtime's headers. Clang-free interface.
#pragma once

#include <memory>
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

/// Compile checks of the converted files of one run. Files with the same compile
/// command share one precompiled <ray/api.h> (Ray's API and msgpack are most of what a
/// converted file parses); a check passes through it only when the full compilation
/// could not read differently, and anything else is compiled in full.
class CheckSession {
 public:
  CheckSession(std::string runtime_include_dir, std::string compile_commands_dir,
               std::vector<std::string> extra_args = {});
  ~CheckSession();  // removes the precompiled headers
  CheckSession(const CheckSession &) = delete;
  CheckSession &operator=(const CheckSession &) = delete;

  /// "" when `check.text` compiles with `-std=c++17`, the runtime's headers and the
  /// input's flags from the compilation database (if any); otherwise the compiler's
  /// first error, as "line:column: error: message". Safe to call from several threads.
  std::string FirstCompileError(const CompileCheck &check);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rayify
