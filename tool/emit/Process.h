// Running the compiler and the programs `rayify verify` compares: lookup in PATH,
// redirection, waiting, and bounds on a program's run time and output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rayify {

/// Bounds on one run; zero means none.
struct ProcessLimits {
  double seconds = 0;
  /// The largest file the process and its children may write: past it the kernel
  /// stops the writer with SIGXFSZ (RLIMIT_FSIZE).
  std::uint64_t file_bytes = 0;
};

struct ProcessResult {
  int exit_code = -1;  // -2 when killed by a signal (named in `signal`)
  std::string signal;
  double seconds = 0;           // wall time
  bool timed_out = false;       // stopped at ProcessLimits::seconds
  bool wrote_too_much = false;  // stopped at ProcessLimits::file_bytes
};

/// Runs `argv` (argv[0] looked up in PATH unless it holds a '/'). Standard input comes
/// from `stdin_path` (inherited when empty), stdout goes to `stdout_path` and stderr to
/// `stderr_path` (each inherited when empty). With limits, the program runs in a
/// process group of its own, and the whole group is killed when it runs too long, so
/// that no worker it started is left behind. Throws std::runtime_error when the
/// program cannot be started.
ProcessResult RunProcess(const std::vector<std::string> &argv,
                         const std::string &stdout_path,
                         const std::string &stderr_path = "",
                         const std::string &stdin_path = "",
                         const ProcessLimits &limits = {});

/// Kills the process RunProcess is waiting for (its group, when it has one), if any,
/// and waits until it is gone. Async-signal-safe: for signal handlers that must not
/// leave a child running. RunProcess holds SIGINT, SIGTERM and SIGHUP back while it
/// starts a child, so such a handler always finds the child it started.
void KillRunningProcess();

}  // namespace rayify
