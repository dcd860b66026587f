#include "emit/Process.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Program.h>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace rayify {

ProcessResult RunProcess(const std::vector<std::string> &argv,
                         const std::string &stdout_path, const std::string &stderr_path,
                         const std::string &stdin_path) {
  if (argv.empty()) throw std::invalid_argument("RunProcess: empty command");
  std::string program = argv[0];
  if (program.find('/') == std::string::npos) {
    auto found = llvm::sys::findProgramByName(program);
    if (!found) {
      throw std::runtime_error("cannot run " + program + ": " +
                               found.getError().message());
    }
    program = *found;
  }
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
  int code = llvm::sys::ExecuteAndWait(program, args, std::nullopt, redirects, 0, 0,
                                       &error, &failed_to_start);
  if (failed_to_start) throw std::runtime_error("cannot run " + argv[0] + ": " + error);
  ProcessResult result;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.exit_code = code;
  if (code == -2) result.signal = error;
  return result;
}

}  // namespace rayify
