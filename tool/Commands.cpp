#include "Commands.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "frontend/SourceParser.h"

namespace rayify {
namespace {

int NotBuiltYet(const std::string &command, const std::string &issue) {
  std::cerr << "rayify " << command << ": not implemented yet (" << issue
            << "); nothing was done.\n";
  return kExitUsage;
}

}  // namespace

bool CheckInputFiles(const std::vector<std::string> &paths) {
  bool all_good = true;
  for (const auto &path : paths) {
    struct stat info;
    std::string problem;
    if (stat(path.c_str(), &info) != 0) {
      problem = std::strerror(errno);
    } else if (S_ISDIR(info.st_mode)) {
      problem = "is a directory, expected a C++ source file";
    } else if (!S_ISREG(info.st_mode)) {
      problem = "is not a regular file";
    } else if (access(path.c_str(), R_OK) != 0) {
      problem = std::strerror(errno);
    }
    if (!problem.empty()) {
      std::cerr << "rayify: error: " << path << ": " << problem << "\n";
      all_good = false;
    }
  }
  return all_good;
}

int RunConvert(const ConvertOptions &options) {
  if (!CheckInputFiles(options.inputs)) return kExitUsage;
  ParseOptions parse_options;
  parse_options.compile_commands_dir = options.compile_commands_dir;
  ParseOutcome parsed = ParseSources(options.inputs, parse_options);
  std::cerr << parsed.diagnostics;
  if (!parsed.ok) {
    std::cerr << "rayify convert: error: the input does not compile; nothing was "
                 "written.\n";
    return kExitUsage;
  }
  std::cerr << "rayify convert: parsed " << options.inputs.size()
            << " file(s); the rewriting stage is not implemented yet (issue [2]), so "
               "nothing was written.\n";
  return kExitUsage;
}

int RunLint(const LintOptions &) { return NotBuiltYet("lint", "no issue yet"); }

int RunVerify(const VerifyOptions &) { return NotBuiltYet("verify", "issue [2]"); }

}  // namespace rayify
