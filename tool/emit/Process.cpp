#include "emit/Process.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Program.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace rayify {
namespace {

// The child RunProcess waits for, so that a signal handler can end it too.
std::atomic<pid_t> running_child{0};

std::string FindProgram(const std::string &name) {
  if (name.find('/') != std::string::npos) return name;
  auto found = llvm::sys::findProgramByName(name);
  if (!found) {
    throw std::runtime_error("cannot run " + name + ": " + found.getError().message());
  }
  return *found;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string> &argv,
                         const std::string &stdout_path, const std::string &stderr_path,
                         const std::string &stdin_path) {
  if (argv.empty()) throw std::invalid_argument("RunProcess: empty command");
  std::string program = FindProgram(argv[0]);
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  auto redirect = [](const std::string &path) -> std::optional<llvm::StringRef> {
    if (path.empty()) return std::nullopt;
    return llvm::StringRef(path);
  };
  std::optional<llvm::StringRef> redirects[] = {
      redirect(stdin_path), redirect(stdout_path), redirect(stderr_path)};
  std::string error;
  bool failed_to_start = false;
  auto start = std::chrono::steady_clock::now();
  llvm::sys::ProcessInfo child = llvm::sys::ExecuteNoWait(
      program, args, std::nullopt, redirects, 0, &error, &failed_to_start);
  if (failed_to_start) throw std::runtime_error("cannot run " + argv[0] + ": " + error);
  running_child.store(child.Pid);
  llvm::sys::ProcessInfo done = llvm::sys::Wait(child, std::nullopt, &error);
  running_child.store(0);
  ProcessResult result;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.exit_code = done.ReturnCode;
  if (done.ReturnCode == -2) result.signal = error;
  return result;
}

void KillRunningProcess() {
  pid_t pid = running_child.load();
  if (pid > 0) kill(pid, SIGKILL);
}

}  // namespace rayify
