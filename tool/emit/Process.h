// Running the compiler and the programs `rayify verify` compares, through LLVM's
// process support (lookup in PATH, redirection, waiting).
#pragma once

#include <string>
#include <vector>

namespace rayify {

struct ProcessResult {
  int exit_code = -1;  // -2 when killed by a signal (named in `signal`)
  std::string signal;
  double seconds = 0;  // wall time
};

/// Runs `argv` (argv[0] looked up in PATH unless it holds a '/'). Standard input comes
/// from `stdin_path` (inherited when empty), stdout goes to `stdout_path` and stderr to
/// `stderr_path` (each inherited when empty). Throws std::runtime_error when the
/// program cannot be started.
ProcessResult RunProcess(const std::vector<std::string> &argv,
                         const std::string &stdout_path,
                         const std::string &stderr_path = "",
                         const std::string &stdin_path = "");

/// Kills the process RunProcess is waiting for, if any. Async-signal-safe: for signal
/// handlers that must not leave a child running.
void KillRunningProcess();

}  // namespace rayify
