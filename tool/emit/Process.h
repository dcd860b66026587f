// Running the compiler and the programs `rayify verify` compares.
#pragma once

#include <string>
#include <vector>

namespace rayify {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  double seconds = 0;  // wall time
};

/// Runs `argv` (argv[0] looked up in PATH), with stdout sent to `stdout_path` (or
/// inherited when empty) and stderr to `stderr_path` (or inherited when empty).
/// Throws std::runtime_error when the program cannot be started.
ProcessResult RunProcess(const std::vector<std::string> &argv,
                         const std::string &stdout_path,
                         const std::string &stderr_path = "");

}  // namespace rayify
