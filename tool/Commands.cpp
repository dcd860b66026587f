#include "Commands.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include "driver/Realize.h"
#include "emit/AtomicFile.h"
#include "emit/Templates.h"
#include "emit/UnifiedDiff.h"
#include "frontend/CompileCheck.h"
#include "frontend/ConvertFrontend.h"
#include "lint/Config.h"
#include "model/FileConversion.h"
#include "model/ReasonCodes.h"
#include "report/Report.h"

namespace rayify {
namespace {

std::string BaseName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
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
    if (!real_dir.empty() && RealPath(Directory(input)) == real_dir) {
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

// The path a file would have once written: its directory resolved when it exists,
// else made absolute and without . and .. (neither needs to exist yet).
std::string WouldBeRealPath(const std::string &path) {
  std::string dir = RealPath(Directory(path));
  if (!dir.empty()) return dir + "/" + BaseName(path);
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
  return absolute.str().str();
}

bool EndsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Usage errors found before anything is parsed: an empty output directory, C
// sources, and a report that would overwrite an input or an output.
bool CheckPaths(const ConvertOptions &options, const std::vector<std::string> &outputs) {
  bool ok = true;
  auto error = [&](const std::string &message) {
    std::cerr << "rayify: error: " << message << "\n";
    ok = false;
  };
  for (const auto &input : options.inputs) {
    if (EndsWith(input, ".c")) {
      error(input + ": is a C source; rayify converts C++ (.cpp, .cc, .cxx)");
    }
  }
  if (options.report_file.empty()) return ok;
  std::string report = WouldBeRealPath(options.report_file);
  std::vector<std::string> taken = outputs;
  taken.insert(taken.end(), options.inputs.begin(), options.inputs.end());
  taken.push_back(options.output_dir + "/CMakeLists.txt");
  for (const auto &path : taken) {
    if (!report.empty() && WouldBeRealPath(path) == report) {
      error("--report-file " + options.report_file + " is " + path +
            ", an input or output of this run; choose another path");
      break;
    }
  }
  return ok;
}

// Each file is planned inside its own error handling: one that fails (even by an
// exception a pass let through) is reported as failed and the others go on. Each
// file gets the settings of its own configuration.
std::vector<Plan> PlanInParallel(const ConvertRequest &request,
                                 const std::vector<Settings> &settings, int jobs,
                                 std::string &diagnostics) {
  const size_t total = request.inputs.size();
  std::vector<Plan> plans(total);
  std::vector<std::string> file_diagnostics(total);
  std::mutex progress_mutex;
  ParallelFor(total, jobs, [&](size_t i) {
    ConvertRequest one = request;
    one.inputs = {request.inputs[i]};
    one.settings = settings[i];
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
  });
  for (const auto &text : file_diagnostics) diagnostics += text;
  return plans;
}

// The header's path relative to the input's directory, as the compile check lays
// the converted files out.
std::string RelativeToOutput(const HeaderOutput &header, const FileConversion &file) {
  std::string dir = file.output.substr(0, file.output.rfind('/') + 1);
  return header.output.compare(0, dir.size(), dir) == 0 ? header.output.substr(dir.size())
                                                        : header.output;
}

// A converted file that does not compile is left as it was, and every loop decision
// in it says why: the conversion must never hand the user a broken program.
void LeaveUnconverted(FileConversion &file, const std::string &error) {
  file.converted = file.original;
  file.headers.clear();
  for (Finding &finding : file.findings) {
    if (!finding.IsConversion()) continue;
    finding.conversion.reset();
    finding.fix.clear();
    finding.code = ReasonCode(SkipReason::kDoesNotCompile);
    finding.message = "the converted file would not compile (" + error +
                      "), so the file is left as it was.";
  }
}

// Checks every converted file compiles; prints what the check cost.
void CheckConvertedFilesCompile(std::vector<FileConversion> &files,
                                const ConvertOptions &options, int jobs) {
  std::vector<size_t> converted;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].error.empty() && files[i].converted != files[i].original) {
      converted.push_back(i);
    }
  }
  if (converted.empty()) return;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> errors(converted.size());
  ParallelFor(converted.size(), jobs, [&](size_t k) {
    FileConversion &file = files[converted[k]];
    CompileCheck check{file.input, file.converted, {}};
    for (const HeaderOutput &header : file.headers) {
      check.headers.emplace_back(RelativeToOutput(header, file), header.converted);
    }
    try {
      errors[k] =
          FirstCompileError(check, RuntimeIncludeDir(), options.compile_commands_dir);
    } catch (const std::exception &e) {
      errors[k] = e.what();
    }
  });
  for (size_t k = 0; k < converted.size(); ++k) {
    if (errors[k].empty()) continue;
    FileConversion &file = files[converted[k]];
    std::cerr << "rayify: warning: " << file.input
              << ": the converted file would not compile, so it is left unconverted: "
              << errors[k] << "\n";
    LeaveUnconverted(file, errors[k]);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char cost[160];
  std::snprintf(cost, sizeof(cost),
                "rayify: compile check of %zu converted file(s): %.2f s "
                "(--no-compile-check skips it)\n",
                converted.size(), seconds);
  std::cerr << cost;
}

bool HasFailure(const std::vector<FileConversion> &files) {
  for (const auto &file : files) {
    if (!file.error.empty()) return true;
  }
  return false;
}

void StageReport(const std::string &path, const std::vector<FileConversion> &files,
                 StagedFiles &staged) {
  if (path.empty()) return;
  MakeDirectories(Directory(path));
  staged.Stage(path, JsonReport(files));
}

// output/CMakeLists.txt builds every program there against either backend. A
// CMakeLists.txt that rayify did not write is left alone.
void StageBuildFile(const std::string &output_dir, const Templates &templates,
                    StagedFiles &staged) {
  std::string path = output_dir + "/CMakeLists.txt";
  if (access(path.c_str(), F_OK) == 0 &&
      ReadFile(path).find(kGeneratedBuildMarker) == std::string::npos) {
    std::cerr << "rayify: note: " << path
              << " was not written by rayify; left as it is\n";
    return;
  }
  staged.Stage(path, FillTemplate(templates.cmake,
                                  {{"RUNTIME_PACKAGE_DIR", RuntimePackageDir()}},
                                  "CMakeLists.txt.in"));
}

// Every output, the build file and the report, written all or nothing.
void WriteOutputs(const ConvertOptions &options, const std::vector<FileConversion> &files,
                  const Templates &templates) {
  StagedFiles staged;
  bool any_converted = false;
  for (const auto &file : files) {
    if (!file.error.empty()) continue;
    MakeDirectories(Directory(file.output));
    staged.Stage(file.output, file.converted);
    for (const HeaderOutput &header : file.headers) {
      MakeDirectories(Directory(header.output));
      staged.Stage(header.output, header.converted);
    }
    any_converted = any_converted || file.converted != file.original;
  }
  if (any_converted) StageBuildFile(options.output_dir, templates, staged);
  StageReport(options.report_file, files, staged);
  staged.Commit();
}

}  // namespace

int ConvertFiles(const ConvertOptions &options, std::vector<FileConversion> &files,
                 Templates *loaded, const PassRegistry *passes) {
  if (options.output_dir.empty()) {
    std::cerr << "rayify: error: the output directory (-o) is empty\n";
    return kExitUsage;
  }
  if (!CheckInputFiles(options.inputs)) return kExitUsage;
  std::vector<std::string> outputs;
  if (!PlanOutputs(options.inputs, options.output_dir, outputs) ||
      !CheckPaths(options, outputs)) {
    return kExitUsage;
  }
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
  std::vector<Settings> settings;
  if (!ResolveSettings(options.inputs, options.config_file, settings)) return kExitUsage;
  int jobs = options.jobs > 0 ? options.jobs
                              : static_cast<int>(std::thread::hardware_concurrency());
  if (options.inputs.size() > 1) {
    std::cerr << "rayify: converting " << options.inputs.size() << " files with "
              << std::min<size_t>(std::max(jobs, 1), options.inputs.size())
              << " job(s)\n";
  }
  std::string diagnostics;
  std::vector<Plan> plans = PlanInParallel(request, settings, jobs, diagnostics);
  std::cerr << diagnostics;
  files = RealizePlans(plans, outputs, templates);
  if (options.compile_check) CheckConvertedFilesCompile(files, options, jobs);
  return -1;
}

void ParallelFor(size_t total, int jobs, const std::function<void(size_t)> &work) {
  if (jobs <= 0) jobs = static_cast<int>(std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < total; i = next++) work(i);
  };
  std::vector<std::thread> threads;
  size_t workers = std::max<size_t>(1, std::min<size_t>(std::max(jobs, 1), total));
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(worker);
  worker();
  for (auto &thread : threads) thread.join();
}

bool ResolveSettings(const std::vector<std::string> &inputs,
                     const std::string &config_file, std::vector<Settings> &settings) {
  try {
    ConfigResolver resolver(DefaultConfigFile(), config_file);
    for (const std::string &input : inputs) settings.push_back(resolver.For(input));
  } catch (const ConfigError &error) {
    std::cerr << "rayify: error: " << error.what() << "\n";
    return false;
  }
  return true;
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
      StagedFiles staged;
      StageReport(options.report_file, files, staged);
      staged.Commit();
      if (failed) return kExitUsage;
      return options.check && would_change ? kExitFindings : kExitClean;
    }
    WriteOutputs(options, files, templates);
  } catch (const std::exception &e) {
    std::cerr << "rayify: error: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cerr << TextSummary(files);
  return failed ? kExitUsage : kExitClean;
}

}  // namespace rayify
