#include "Commands.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "driver/Realize.h"
#include "emit/AtomicFile.h"
#include "emit/Templates.h"
#include "emit/UnifiedDiff.h"
#include "frontend/ConvertFrontend.h"
#include "model/FileConversion.h"
#include "report/Report.h"

namespace rayify {
namespace {

int NotBuiltYet(const std::string &command, const std::string &issue) {
  std::cerr << "rayify " << command << ": not implemented yet (" << issue
            << "); nothing was done.\n";
  return kExitUsage;
}

std::string BaseName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string RealPath(const std::string &path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) != nullptr ? resolved : "";
}

// output/<name of the input>, refusing anything that would overwrite an input or
// let two inputs write the same output.
bool PlanOutputs(const std::vector<std::string> &inputs, const std::string &output_dir,
                 std::vector<std::string> &outputs) {
  std::map<std::string, std::string> claimed;
  std::string real_dir = RealPath(output_dir);
  bool ok = true;
  for (const auto &input : inputs) {
    std::string output = output_dir + "/" + BaseName(input);
    std::string input_dir =
        input.rfind('/') == std::string::npos ? "." : input.substr(0, input.rfind('/'));
    if (!real_dir.empty() && RealPath(input_dir) == real_dir) {
      std::cerr << "rayify: error: " << input << ": the output path " << output
                << " is the input itself; choose another output directory with -o\n";
      ok = false;
    } else if (!claimed.emplace(output, input).second) {
      std::cerr << "rayify: error: " << input << " and " << claimed[output]
                << " would both be written to " << output << "\n";
      ok = false;
    }
    outputs.push_back(output);
  }
  return ok;
}

// Each file is planned inside its own error handling: one that fails (even by an
// exception a pass let through) is reported as failed and the others go on.
std::vector<Plan> PlanInParallel(const ConvertRequest &request, int jobs,
                                 std::string &diagnostics) {
  const size_t total = request.inputs.size();
  std::vector<Plan> plans(total);
  std::vector<std::string> file_diagnostics(total);
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (size_t i = next++; i < total; i = next++) {
      ConvertRequest one = request;
      one.inputs = {request.inputs[i]};
      try {
        plans[i] = PlanConversions(one, file_diagnostics[i]).front();
      } catch (const std::exception &e) {
        plans[i].input = request.inputs[i];
        plans[i].error = std::string("rayify failed on this file: ") + e.what();
      }
      if (total > 1) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        std::cerr << "[" << i + 1 << "/" << total << "] " << request.inputs[i] << "\n";
      }
    }
  };
  std::vector<std::thread> threads;
  size_t workers = std::max<size_t>(1, std::min<size_t>(jobs, total));
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto &thread : threads) thread.join();
  for (const auto &text : file_diagnostics) diagnostics += text;
  return plans;
}

bool HasFailure(const std::vector<FileConversion> &files) {
  for (const auto &file : files) {
    if (!file.error.empty()) return true;
  }
  return false;
}

void WriteReport(const std::string &path, const std::vector<FileConversion> &files) {
  if (path.empty()) return;
  WriteFileAtomically(path, JsonReport(files));
}

// output/CMakeLists.txt builds every program there against either backend. A
// CMakeLists.txt that rayify did not write is left alone.
void WriteBuildFile(const std::string &output_dir, const Templates &templates) {
  std::string path = output_dir + "/CMakeLists.txt";
  if (access(path.c_str(), F_OK) == 0 &&
      ReadFile(path).find(kGeneratedBuildMarker) == std::string::npos) {
    std::cerr << "rayify: note: " << path
              << " was not written by rayify; left as it is\n";
    return;
  }
  WriteFileAtomically(path,
                      FillTemplate(templates.cmake, {{"RUNTIME_DIR", RuntimeSourceDir()}},
                                   "CMakeLists.txt.in"));
}

}  // namespace

int ConvertFiles(const ConvertOptions &options, std::vector<FileConversion> &files,
                 Templates *loaded, const PassRegistry *passes) {
  if (!options.rules_file.empty()) {
    // Thresholds and function lists are built in for now (resources/reason-codes.md).
    std::cerr << "rayify: error: --rules is not supported yet; nothing was done\n";
    return kExitUsage;
  }
  if (!CheckInputFiles(options.inputs)) return kExitUsage;
  std::vector<std::string> outputs;
  if (!PlanOutputs(options.inputs, options.output_dir, outputs)) return kExitUsage;
  ConvertRequest request;
  request.inputs = options.inputs;
  request.compile_commands_dir = options.compile_commands_dir;
  request.passes = passes;
  Templates templates;
  try {
    templates = LoadTemplates(options.templates_dir.empty() ? DefaultTemplatesDir()
                                                            : options.templates_dir);
  } catch (const std::exception &e) {
    std::cerr << "rayify: error: " << e.what() << "\n";
    return kExitUsage;
  }
  if (loaded != nullptr) *loaded = templates;
  int jobs = options.jobs > 0 ? options.jobs
                              : static_cast<int>(std::thread::hardware_concurrency());
  if (options.inputs.size() > 1) {
    std::cerr << "rayify: converting " << options.inputs.size() << " files with "
              << std::min<size_t>(std::max(jobs, 1), options.inputs.size())
              << " job(s)\n";
  }
  std::string diagnostics;
  std::vector<Plan> plans = PlanInParallel(request, jobs, diagnostics);
  std::cerr << diagnostics;
  files = RealizePlans(plans, outputs, templates);
  return -1;
}

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

int RunConvert(const ConvertOptions &options, const PassRegistry *passes) {
  std::vector<FileConversion> files;
  Templates templates;
  int early = ConvertFiles(options, files, &templates, passes);
  if (early >= 0) return early;
  bool failed = HasFailure(files);
  try {
    if (options.dry_run || options.check) {
      bool would_change = false;
      for (const auto &file : files) {
        if (!file.error.empty()) continue;
        std::string diff =
            UnifiedDiff(file.original, file.converted, file.input, file.output);
        for (const HeaderOutput &header : file.headers) {
          diff += UnifiedDiff(header.original, header.converted, header.source,
                              header.output);
        }
        would_change = would_change || !diff.empty();
        if (options.dry_run) std::cout << diff;
      }
      std::cerr << TextSummary(files);
      WriteReport(options.report_file, files);
      if (failed) return kExitUsage;
      return options.check && would_change ? kExitFindings : kExitClean;
    }
    bool any_converted = false;
    for (const auto &file : files) {
      if (!file.error.empty()) continue;
      MakeDirectories(options.output_dir);
      WriteFileAtomically(file.output, file.converted);
      for (const HeaderOutput &header : file.headers) {
        MakeDirectories(header.output.substr(0, header.output.rfind('/')));
        WriteFileAtomically(header.output, header.converted);
      }
      any_converted = any_converted || file.converted != file.original;
    }
    if (any_converted) WriteBuildFile(options.output_dir, templates);
    WriteReport(options.report_file, files);
  } catch (const std::exception &e) {
    std::cerr << "rayify: error: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cerr << TextSummary(files);
  return failed ? kExitUsage : kExitClean;
}

int RunLint(const LintOptions &) { return NotBuiltYet("lint", "no issue yet"); }

}  // namespace rayify
