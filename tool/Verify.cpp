// `rayify verify FILE [-- ARGS...]`: proves a conversion by running both programs.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_os_ostream.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "Commands.h"
#include "driver/Installation.h"
#include "driver/Project.h"
#include "emit/AtomicFile.h"
#include "emit/Process.h"
#include "model/FileConversion.h"

namespace rayify {
namespace {

std::string EnvOr(const char *name, const std::string &fallback) {
  const char *value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

using Command = std::vector<std::string>;

// Flags shared by every build; no FMA contraction, so floating point matches. The
// user's --extra-arg flags come after ours, so that they can override them.
Command CompileCommand(const std::string &source, const std::string &binary,
                       const Command &extra) {
  Command command = {EnvOr("CXX", "c++"), "-std=c++17", "-O2", "-ffp-contract=off"};
  command.insert(command.end(), extra.begin(), extra.end());
  command.insert(command.end(), {"-o", binary, source});
  if (std::strlen(RAYIFY_PROGRAM_SANITIZE) > 0) {
    command.push_back(std::string("-fsanitize=") + RAYIFY_PROGRAM_SANITIZE);
  }
  return command;
}

bool Build(const Command &command, const std::string &log, const std::string &what) {
  ProcessResult result = RunProcess(command, log, log);
  if (result.exit_code == 0) return true;
  std::cerr << "rayify verify: error: building the " << what << " program failed:\n"
            << ReadFile(log);
  return false;
}

// The converted file is built in the scratch directory, where only the headers the
// conversion rewrote sit beside it; `#include "util.h"` of a header it left alone must
// still find the one beside the original (after the rewritten ones, as -iquote comes
// after the including file's own directory).
Command BesideOriginal(const std::string &original) {
  return {"-iquote", Directory(Absolute(original))};
}

bool BuildForBundledRuntime(const std::string &source, const std::string &dir,
                            const std::string &original, const Command &extra) {
  Command command = CompileCommand(source, dir + "/converted", extra);
  command.insert(command.begin() + 1, "-I" + RuntimeIncludeDir());
  // Ray's ObjectRef move constructor mishandles a ref's last reference: the bundled
  // runtime's refuses to compile a move, so a conversion that would abort on Ray fails
  // here.
  command.insert(command.begin() + 1, "-DRAYIFY_NO_OBJECT_REF_MOVES");
  Command beside = BesideOriginal(original);
  command.insert(command.begin() + 1, beside.begin(), beside.end());
  command.push_back(RuntimeLibrary());
  command.push_back("-pthread");
  return Build(command, dir + "/build-converted.log", "converted");
}

// `text` without the terminal escape sequences (ESC [ ... letter) that Ray's command
// line uses for bold paths when its pretty-printing packages (ray[default]) are
// installed, even into a file.
std::string WithoutTerminalEscapes(const std::string &text) {
  std::string plain;
  plain.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
      continue;
    }
    plain += text[i];
  }
  return plain;
}

// Ray's ray/cpp directory (include/, lib/libray_api.so): RAYIFY_RAY_CPP_DIR, else the
// one `ray cpp --show-library-path` names.
std::string FindRayCppDir(const std::string &scratch) {
  std::string dir = EnvOr("RAYIFY_RAY_CPP_DIR", "");
  if (dir.empty()) {
    try {
      RunProcess({"ray", "cpp", "--show-library-path"}, scratch, scratch);
      std::string text = WithoutTerminalEscapes(ReadFile(scratch));
      const std::string marker = "Ray C++ include path ";
      size_t at = text.find(marker);
      if (at != std::string::npos) {
        size_t begin = at + marker.size();
        std::string include =
            text.substr(begin, text.find_first_of(" \n", begin) - begin);
        dir = include.substr(0, include.rfind('/'));
      }
    } catch (const std::exception &) {
      // no `ray` on PATH: reported below
    }
  }
  if (dir.empty() || access((dir + "/include/ray/api.h").c_str(), R_OK) != 0 ||
      access((dir + "/lib/libray_api.so").c_str(), R_OK) != 0) {
    throw std::runtime_error(
        "Ray's C++ API was not found" + (dir.empty() ? std::string() : " in " + dir) +
        ": install it with `pip install \"ray[cpp]\"` (scripts/setup-ray.sh does) and "
        "put "
        "`ray` on PATH, or set RAYIFY_RAY_CPP_DIR to its ray/cpp directory");
  }
  return dir;
}

// Ray's workers load the program's code from a shared library in the driver's
// directory (the default code_search_path), so the program is built twice: as the
// driver and as converted.so. Ray's wheel uses the pre-C++11 std::string ABI.
bool BuildForRay(const std::string &source, const std::string &dir,
                 const std::string &original, const Command &extra) {
  std::string ray = FindRayCppDir(dir + "/ray-path.log");
  Command flags = BesideOriginal(original);
  flags.insert(flags.end(), {"-D_GLIBCXX_USE_CXX11_ABI=0", "-isystem", ray + "/include"});
  Command link = {"-L" + ray + "/lib", "-lray_api", "-Wl,-rpath," + ray + "/lib",
                  "-pthread"};
  Command driver = CompileCommand(source, dir + "/converted", extra);
  Command library = CompileCommand(source, dir + "/converted.so", extra);
  for (Command *command : {&driver, &library}) {
    command->insert(command->begin() + 1, flags.begin(), flags.end());
    command->insert(command->end(), link.begin(), link.end());
  }
  library.insert(library.begin() + 1, {"-fPIC", "-shared"});
  return Build(library, dir + "/build-library.log", "converted (worker library)") &&
         Build(driver, dir + "/build-converted.log", "converted");
}

// The first line where two outputs differ, for the error message.
std::string FirstDifference(const std::string &a, const std::string &b) {
  size_t line = 1, start = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) break;
    if (a[i] == '\n') ++line, start = i + 1;
  }
  auto line_of = [start](const std::string &text) {
    size_t end = text.find('\n', start);
    return start >= text.size() ? std::string("<end of output>")
                                : text.substr(start, end - start);
  };
  return "line " + std::to_string(line) + ":\n  original:  " + line_of(a) +
         "\n  converted: " + line_of(b);
}

// What the bundled runtime timed of the converted program's calls (RAYIFY_TASK_PROFILE).
struct CallProfile {
  int64_t calls = 0;
  double call_seconds = 0;
  double median_call_ms = 0;
};

struct Comparison {
  ProcessResult original, converted;
  // Verify does not run the converted program once the original was stopped at a
  // bound: there would be nothing to compare it against, and a program that hangs
  // would cost the whole --timeout twice.
  bool converted_ran = false;
  bool identical = false;
  // The outputs as compared: without the lines --ignore-lines leaves out.
  std::string original_out, converted_out;
  size_t original_ignored = 0, converted_ignored = 0;
  std::optional<CallProfile> profile;
  // The converted program run again with every loop's iterations sent to its tasks
  // (RAYIFY_ALWAYS_TASKS=1), when its loops may choose at run time to stay in the
  // driver: the tasks are then checked whatever the data chose.
  std::optional<ProcessResult> forced;
  std::string forced_out;
  bool forced_identical = false;
};

// The names of the helpers with which a converted loop may run in the driver after
// timing its first iterations (conversions/FirstChunkHere.h).
constexpr const char *kTrialHelpers[] = {"rayify_run_first_here",
                                         "rayify_iteration_trial"};

bool HasTrial(const std::vector<FileConversion> &files) {
  return std::any_of(files.begin(), files.end(), [](const FileConversion &file) {
    return file.error.empty() &&
           std::any_of(std::begin(kTrialHelpers), std::end(kTrialHelpers),
                       [&](const char *helper) {
                         return file.converted.find(helper) != std::string::npos;
                       });
  });
}

std::optional<CallProfile> ReadCallProfile(const std::string &path) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(ReadFile(path));
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *object = parsed->getAsObject();
  if (object == nullptr) return std::nullopt;
  auto calls = object->getInteger("calls");
  auto seconds = object->getNumber("call_seconds");
  auto median = object->getNumber("median_call_ms");
  if (!calls || !seconds || !median) return std::nullopt;
  return CallProfile{*calls, *seconds, *median};
}

// An estimate of the speedup the converted program could reach on `cpus` CPUs if all the
// time its calls took ran in parallel and the rest stayed sequential (Amdahl). The calls'
// time stands in for the work the original did in those loops; it is capped at the
// original's run time, as round trips and contention inflate it.
double SpeedupCeiling(double original_seconds, const CallProfile &profile,
                      unsigned cpus) {
  if (original_seconds <= 0 || cpus == 0) return 1.0;
  double parallel = std::min(profile.call_seconds, original_seconds);
  return original_seconds / (original_seconds - parallel + parallel / cpus);
}

std::vector<std::regex> IgnoredLinePatterns(const VerifyOptions &options) {
  std::vector<std::regex> patterns;
  for (const std::string &pattern : options.ignore_lines) {
    try {
      patterns.emplace_back(pattern);
    } catch (const std::regex_error &e) {
      throw std::runtime_error("--ignore-lines '" + pattern +
                               "' is not a valid regular expression: " + e.what());
    }
  }
  return patterns;
}

// `text` without the lines that match one of `patterns`; counts them in `removed`.
std::string WithoutLines(const std::string &text, const std::vector<std::regex> &patterns,
                         size_t &removed) {
  if (patterns.empty()) return text;
  std::string kept;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    size_t next = std::min(end + 1, text.size());
    std::string line = text.substr(start, end - start);
    bool ignore = std::any_of(patterns.begin(), patterns.end(), [&](const std::regex &p) {
      return std::regex_search(line, p);
    });
    if (ignore) {
      ++removed;
    } else {
      kept.append(text, start, next - start);
    }
    start = next;
  }
  return kept;
}

// Whether verify stopped the run at one of its bounds.
bool Stopped(const ProcessResult &run) { return run.timed_out || run.wrote_too_much; }

// Why verify stopped a run, for the report; empty when it ran to its end.
std::string StopReason(const ProcessResult &run, const VerifyOptions &options) {
  char text[160];
  if (run.timed_out) {
    std::snprintf(text, sizeof text, "after %.0f s (--timeout)", options.timeout_seconds);
  } else if (run.wrote_too_much) {
    std::snprintf(text, sizeof text, "on writing more than %llu bytes (--max-output)",
                  static_cast<unsigned long long>(options.max_output_bytes));
  } else {
    return "";
  }
  return text;
}

// Runs the two commands with the same standard input; their standard output (and
// exit codes) are what is compared.
Comparison RunBoth(const VerifyOptions &options, const std::string &dir,
                   const std::string &stdin_path, const Command &run_original,
                   const Command &run_converted, bool trial) {
  Comparison c;
  ProcessLimits limits{options.timeout_seconds, options.max_output_bytes};
  c.original = RunProcess(run_original, dir + "/original.out", "", stdin_path, limits);
  if (Stopped(c.original)) return c;
  c.converted_ran = true;
  // On the bundled runtime, tasks and actors run in processes of their own as they do
  // on Ray: a conversion that relied on sharing the program's memory or output shows
  // up here.
  bool bundled = options.backend == "bundled";
  bool isolated = bundled && !options.in_process;
  std::string profile = dir + "/call-profile.json";
  if (isolated) setenv("RAYIFY_ISOLATED_WORKERS", "1", 1);
  if (bundled) setenv("RAYIFY_TASK_PROFILE", profile.c_str(), 1);
  c.converted = RunProcess(run_converted, dir + "/converted.out", "", stdin_path, limits);
  unsetenv("RAYIFY_TASK_PROFILE");
  if (trial && !Stopped(c.converted)) {
    setenv("RAYIFY_ALWAYS_TASKS", "1", 1);
    c.forced =
        RunProcess(run_converted, dir + "/converted-tasks.out", "", stdin_path, limits);
    unsetenv("RAYIFY_ALWAYS_TASKS");
  }
  if (isolated) unsetenv("RAYIFY_ISOLATED_WORKERS");
  if (bundled && llvm::sys::fs::exists(profile)) c.profile = ReadCallProfile(profile);
  std::vector<std::regex> ignored = IgnoredLinePatterns(options);
  c.original_out =
      WithoutLines(ReadFile(dir + "/original.out"), ignored, c.original_ignored);
  c.converted_out =
      WithoutLines(ReadFile(dir + "/converted.out"), ignored, c.converted_ignored);
  c.identical = !Stopped(c.original) && !Stopped(c.converted) &&
                c.original_out == c.converted_out &&
                c.original.exit_code == c.converted.exit_code;
  if (c.forced) {
    size_t forced_ignored = 0;
    c.forced_out =
        WithoutLines(ReadFile(dir + "/converted-tasks.out"), ignored, forced_ignored);
    c.forced_identical = !Stopped(*c.forced) && c.original_out == c.forced_out &&
                         c.original.exit_code == c.forced->exit_code;
    c.identical = c.identical && c.forced_identical;
  }
  return c;
}

// What was verified: the file, or the project's build directory and command.
std::string Subject(const VerifyOptions &options) {
  if (options.compile_commands_dir.empty()) return options.input;
  return options.compile_commands_dir + ": " + options.run;
}

// Identical is clean. A converted program that differs, or that verify had to stop,
// is a finding; an original verify had to stop leaves nothing to compare against.
int ExitCode(const Comparison &c) {
  if (c.identical) return kExitClean;
  return Stopped(c.original) ? kExitUsage : kExitFindings;
}

std::string Verdict(const Comparison &c) {
  if (c.identical)
    return "identical (" + std::to_string(c.original_out.size()) + " bytes)";
  if (Stopped(c.original) || Stopped(c.converted) || (c.forced && Stopped(*c.forced)))
    return "not compared: a program was stopped";
  if (c.original_out == c.converted_out && c.original.exit_code == c.converted.exit_code)
    return "DIFFERENT with every iteration sent to the tasks (RAYIFY_ALWAYS_TASKS=1) "
           "at " +
           FirstDifference(c.original_out, c.forced_out);
  return "DIFFERENT at " + FirstDifference(c.original_out, c.converted_out);
}

void PrintResult(const VerifyOptions &options, const Comparison &c) {
  double speedup = c.converted.seconds > 0 ? c.original.seconds / c.converted.seconds : 0;
  unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  double ceiling = c.profile ? SpeedupCeiling(c.original.seconds, *c.profile, cpus) : 0;
  if (options.json) {
    llvm::raw_os_ostream out(std::cout);
    llvm::json::OStream json(out);
    // Times to the millisecond, the speedup to two decimals, as the text form prints.
    auto fixed = [&](const char *key, double value, int decimals) {
      json.attributeBegin(key);
      char text[32];
      std::snprintf(text, sizeof(text), "%.*f", decimals, value);
      json.rawValue(text);
      json.attributeEnd();
    };
    json.object([&] {
      json.attribute("input", Subject(options));
      json.attribute("backend", options.backend);
      json.attribute("isolated", options.backend == "bundled" && !options.in_process);
      json.attribute("identical", c.identical);
      fixed("original_seconds", c.original.seconds, 3);
      json.attribute("original_exit", c.original.exit_code);
      json.attribute("converted_ran", c.converted_ran);
      if (c.converted_ran) {
        fixed("converted_seconds", c.converted.seconds, 3);
        fixed("speedup", speedup, 2);
        json.attribute("converted_exit", c.converted.exit_code);
      }
      for (auto [key, run] : {std::pair{"original_stopped", &c.original},
                              std::pair{"converted_stopped", &c.converted}}) {
        if (Stopped(*run)) json.attribute(key, run->timed_out ? "timeout" : "max-output");
      }
      if (c.forced) {
        json.attributeObject("all_tasks", [&] {
          json.attribute("identical", c.forced_identical);
          fixed("seconds", c.forced->seconds, 3);
          json.attribute("exit", c.forced->exit_code);
          if (Stopped(*c.forced))
            json.attribute("stopped", c.forced->timed_out ? "timeout" : "max-output");
        });
      }
      if (!options.ignore_lines.empty()) {
        json.attributeObject("ignored_lines", [&] {
          json.attribute("original", static_cast<int64_t>(c.original_ignored));
          json.attribute("converted", static_cast<int64_t>(c.converted_ignored));
        });
      }
      if (c.profile) {
        json.attribute("calls", c.profile->calls);
        fixed("median_call_ms", c.profile->median_call_ms, 3);
        fixed("speedup_ceiling", ceiling, 2);
      }
    });
    out << "\n";
    return;
  }
  std::string verdict = Verdict(c);
  std::printf("rayify verify: %s (%s backend%s)\n  original:  %.3f s (exit %d)\n",
              Subject(options).c_str(), options.backend.c_str(),
              options.backend != "bundled" ? ""
              : options.in_process         ? ", tasks in-process"
                                   : ", tasks and actors in processes of their own",
              c.original.seconds, c.original.exit_code);
  if (c.converted_ran) {
    std::printf("  converted: %.3f s (exit %d)\n  speedup:   %.2fx\n",
                c.converted.seconds, c.converted.exit_code, speedup);
  } else {
    std::printf("  converted: not run (nothing to compare it against)\n");
  }
  std::printf("  output:    %s\n", verdict.c_str());
  if (c.forced) {
    std::printf(
        "  all tasks: %.3f s (exit %d) with every iteration sent to the tasks "
        "(RAYIFY_ALWAYS_TASKS=1), %s\n",
        c.forced->seconds, c.forced->exit_code,
        c.forced_identical ? "identical" : "not identical");
  }
  for (auto [name, run] :
       {std::pair{"original", &c.original}, std::pair{"converted", &c.converted}}) {
    if (Stopped(*run))
      std::printf("  stopped:   the %s program, %s\n", name,
                  StopReason(*run, options).c_str());
  }
  if (c.forced && Stopped(*c.forced))
    std::printf(
        "  stopped:   the converted program with every iteration sent to the "
        "tasks, %s\n",
        StopReason(*c.forced, options).c_str());
  if (!options.ignore_lines.empty()) {
    std::printf(
        "  ignored:   %zu line(s) of the original's output, %zu of the converted's "
        "(--ignore-lines)\n",
        c.original_ignored, c.converted_ignored);
  }
  if (c.profile) {
    std::printf(
        "  calls:     %lld, median %.3f ms; the sequential rest allows about "
        "%.2fx on %u CPUs\n",
        static_cast<long long>(c.profile->calls), c.profile->median_call_ms, ceiling,
        cpus);
  }
}

}  // namespace

namespace {

// The scratch directory of this run, for the signal handler (no allocation there).
char scratch_path[4096];

// Removes a directory tree with system calls only, so a signal handler may use it.
void RemoveTree(const char *path) {
  if (DIR *dir = opendir(path)) {
    while (const dirent *entry = readdir(dir)) {
      if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) {
        continue;
      }
      char child[sizeof(scratch_path)];
      std::snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
      struct stat info;
      if (lstat(child, &info) == 0 && S_ISDIR(info.st_mode)) {
        RemoveTree(child);
      } else {
        unlink(child);
      }
    }
    closedir(dir);
  }
  rmdir(path);
}

extern "C" void CleanUpAndDie(int signal_number) {
  KillRunningProcess();
  if (scratch_path[0] != '\0') RemoveTree(scratch_path);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// The directory verify builds and runs in: under $TMPDIR (or /tmp), removed on every
// way out, a signal included, unless RAYIFY_KEEP_VERIFY_DIR is set.
class ScratchDirectory {
 public:
  ScratchDirectory() : path_(MakeTemporaryDirectory("rayify-verify")) {
    std::snprintf(scratch_path, sizeof(scratch_path), "%s", path_.c_str());
    for (int signal_number : kSignals) std::signal(signal_number, CleanUpAndDie);
  }
  ~ScratchDirectory() {
    for (int signal_number : kSignals) std::signal(signal_number, SIG_DFL);
    scratch_path[0] = '\0';
    if (std::getenv("RAYIFY_KEEP_VERIFY_DIR") == nullptr) {
      RemoveTree(path_.c_str());
    } else {
      std::cerr << "rayify verify: kept " << path_ << "\n";
    }
  }
  const std::string &Path() const { return path_; }

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  std::string path_;
};

// What both programs read: verify's own standard input, read once (nothing when it is
// a terminal, which would wait for a person).
std::string SaveStandardInput(const std::string &dir) {
  std::string bytes;
  if (!isatty(0)) {
    char buffer[65536];
    ssize_t n;
    while ((n = read(0, buffer, sizeof buffer)) > 0) bytes.append(buffer, n);
  }
  std::string path = dir + "/stdin";
  WriteFileAtomically(path, bytes);
  return path;
}

int ConvertBuildAndCompare(const VerifyOptions &options, const std::string &dir) {
  ConvertOptions convert;
  convert.inputs = {options.input};
  convert.output_dir = dir;
  convert.extra_args = options.extra_args;
  // verify builds the conversion itself and shows the compiler's full output.
  convert.compile_check = false;
  std::vector<FileConversion> files;
  int code = ConvertFiles(convert, files);
  if (code >= 0) return code;
  const FileConversion &file = files.front();
  if (!file.error.empty()) return kExitUsage;
  WriteFileAtomically(file.output, file.converted);
  for (const HeaderOutput &header : file.headers) {
    MakeDirectories(Directory(header.output));
    WriteFileAtomically(header.output, header.converted);
  }
  std::string stdin_path = SaveStandardInput(dir);
  const Command &extra = options.extra_args;
  bool built = Build(CompileCommand(options.input, dir + "/original", extra),
                     dir + "/build-original.log", "original") &&
               (options.backend == "ray"
                    ? BuildForRay(file.output, dir, options.input, extra)
                    : BuildForBundledRuntime(file.output, dir, options.input, extra));
  if (!built) return kExitUsage;
  Command run_original{dir + "/original"};
  Command run_converted{dir + "/converted"};
  for (Command *command : {&run_original, &run_converted}) {
    command->insert(command->end(), options.program_args.begin(),
                    options.program_args.end());
  }
  Comparison c =
      RunBoth(options, dir, stdin_path, run_original, run_converted, HasTrial(files));
  PrintResult(options, c);
  return ExitCode(c);
}

// Project mode: the project is copied twice, one copy converted (as `convert -p`
// would, into a mirror of the tree), both configured with the options of the user's
// build directory and built with CMake, and the command run in each build directory.

// The entries of CMakeCache.txt, by name: value and type.
std::map<std::string, std::pair<std::string, std::string>> ReadCMakeCache(
    const std::string &build) {
  std::string path = build + "/CMakeCache.txt";
  if (access(path.c_str(), R_OK) != 0) {
    throw std::runtime_error(path +
                             " is missing: project mode verifies CMake projects, "
                             "from the build directory that CMake configured");
  }
  std::map<std::string, std::pair<std::string, std::string>> entries;
  std::istringstream lines(ReadFile(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || line[0] == '/') continue;
    size_t colon = line.find(':'), equals = line.find('=');
    if (colon == std::string::npos || equals == std::string::npos || colon > equals) {
      continue;
    }
    entries[line.substr(0, colon)] = {line.substr(equals + 1),
                                      line.substr(colon + 1, equals - colon - 1)};
  }
  return entries;
}

// What configures a copy as the user's build directory was configured: the generator,
// the compilers and flags, and every option the user can set.
Command ConfigureCommand(
    const std::map<std::string, std::pair<std::string, std::string>> &cache,
    const std::string &source, const std::string &build) {
  Command command = {"cmake", "-S", source, "-B", build};
  static const std::set<std::string> kKept = {"CMAKE_BUILD_TYPE",   "CMAKE_CXX_COMPILER",
                                              "CMAKE_C_COMPILER",   "CMAKE_CXX_FLAGS",
                                              "CMAKE_CXX_STANDARD", "CMAKE_PREFIX_PATH"};
  for (const auto &[name, entry] : cache) {
    const auto &[value, type] = entry;
    if (name == "CMAKE_GENERATOR") command.push_back("-G" + value);
    bool user_option =
        type == "BOOL" || type == "STRING" || type == "PATH" || type == "FILEPATH";
    if (!user_option || (name.rfind("CMAKE_", 0) == 0 && kKept.count(name) == 0)) {
      continue;
    }
    command.push_back("-D" + name + ":" + type + "=" + value);
  }
  return command;
}

// Links the bundled runtime into every target of the converted copy, which the
// project's own CMakeLists need not do yet: run after project(), it defers to the end
// of the top-level directory, when every target exists.
const char kLinkRuntime[] = R"(include_guard(GLOBAL)
find_package(rayify_runtime REQUIRED)
function(rayify_link_runtime dir)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
      target_link_libraries(${target} PRIVATE rayify::runtime)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    rayify_link_runtime("${subdir}")
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL rayify_link_runtime "${CMAKE_SOURCE_DIR}")
)";

// Copies the project's tree, without its build directory and version control.
void CopyProject(const std::string &from, const std::string &to,
                 const std::string &build) {
  std::error_code error;
  for (llvm::sys::fs::recursive_directory_iterator entry(from, error), end;
       entry != end && !error; entry.increment(error)) {
    std::string path = entry->path();
    std::string name = llvm::sys::path::filename(path).str();
    if (path == build || name == ".git") {
      entry.no_push();
      continue;
    }
    std::string target = to + path.substr(from.size());
    if (entry->type() == llvm::sys::fs::file_type::directory_file) {
      MakeDirectories(target);
    } else if (entry->type() == llvm::sys::fs::file_type::regular_file) {
      MakeDirectories(Directory(target));
      if (std::error_code copy = llvm::sys::fs::copy_file(path, target)) {
        throw std::runtime_error("cannot copy " + path + ": " + copy.message());
      }
      if (auto permissions = llvm::sys::fs::getPermissions(path)) {
        llvm::sys::fs::setPermissions(target, *permissions);
      }
    }
  }
  if (error) throw std::runtime_error("cannot read " + from + ": " + error.message());
}

// Converts the project into the converted copy: -1 to go on, or convert's exit code
// (having said why) when it stopped before converting anything. `trial` says whether
// a converted loop may choose at run time to stay in the driver (HasTrial).
int ConvertProjectCopy(const VerifyOptions &options, const std::string &source,
                       const std::string &copy, bool &trial) {
  ConvertOptions convert;
  convert.compile_commands_dir = options.compile_commands_dir;
  convert.extra_args = options.extra_args;
  convert.project_root = source;
  convert.output_dir = copy;
  convert.output_given = true;
  convert.include = options.include;
  convert.exclude = options.exclude;
  convert.jobs = options.jobs;
  std::vector<FileConversion> files;
  int code = ConvertFiles(convert, files);
  if (code >= 0) return code;
  size_t converted = 0;
  for (const FileConversion &file : files) {
    // A file that failed stays as the copy has it: the original.
    if (!file.error.empty()) continue;
    WriteFileAtomically(file.output, file.converted);
    for (const HeaderOutput &header : file.headers) {
      WriteFileAtomically(header.output, header.converted);
    }
    converted += file.converted != file.original;
  }
  std::cerr << "rayify verify: " << converted << " of " << files.size()
            << " file(s) of the project converted\n";
  trial = HasTrial(files);
  return -1;
}

bool BuildProject(const Command &configure, const std::string &build, int jobs,
                  const std::string &what, const std::string &log) {
  Command compile = {"cmake", "--build", build, "--parallel",
                     std::to_string(jobs > 0 ? jobs : 2)};
  return Build(configure, log, what + " (configuring)") && Build(compile, log, what);
}

int VerifyProject(const VerifyOptions &options, const std::string &dir) {
  std::string build = RealPath(options.compile_commands_dir);
  auto cache = ReadCMakeCache(build);
  std::string source = RealPath(cache["CMAKE_HOME_DIRECTORY"].first);
  if (source.empty()) {
    throw std::runtime_error(build +
                             "/CMakeCache.txt names no source directory that "
                             "exists (CMAKE_HOME_DIRECTORY)");
  }
  CopyProject(source, dir + "/original", build);
  CopyProject(source, dir + "/converted", build);
  bool trial = false;
  int code = ConvertProjectCopy(options, source, dir + "/converted", trial);
  if (code >= 0) return code;
  WriteFileAtomically(dir + "/link-runtime.cmake", kLinkRuntime);
  Command original = ConfigureCommand(cache, dir + "/original", dir + "/original-build");
  Command converted =
      ConfigureCommand(cache, dir + "/converted", dir + "/converted-build");
  converted.push_back("-DCMAKE_PROJECT_INCLUDE=" + dir + "/link-runtime.cmake");
  converted.push_back("-Drayify_runtime_DIR=" + RuntimePackageDir());
  if (!BuildProject(original, dir + "/original-build", options.jobs, "original",
                    dir + "/build-original.log") ||
      !BuildProject(converted, dir + "/converted-build", options.jobs, "converted",
                    dir + "/build-converted.log")) {
    return kExitUsage;
  }
  std::string stdin_path = SaveStandardInput(dir);
  auto in = [&](const std::string &build_dir) {
    return Command{"/bin/sh", "-c", "cd '" + build_dir + "' && " + options.run};
  };
  Comparison c = RunBoth(options, dir, stdin_path, in(dir + "/original-build"),
                         in(dir + "/converted-build"), trial);
  PrintResult(options, c);
  return ExitCode(c);
}

}  // namespace

int RunVerify(const VerifyOptions &options) {
  if (!options.compile_commands_dir.empty()) {
    if (!options.input.empty() || options.run.empty() || options.backend != "bundled") {
      std::cerr << "rayify verify: error: with -p, give no file but --run COMMAND (the "
                   "program or its tests, run in the build directory); a project is "
                   "verified on the bundled backend\n";
      return kExitUsage;
    }
  } else if (options.input.empty()) {
    std::cerr << "rayify verify: error: name the file to verify, or give -p BUILD_DIR "
                 "and --run COMMAND to verify a project\n";
    return kExitUsage;
  }
  try {
    IgnoredLinePatterns(options);  // a bad pattern stops verify before any work
    ScratchDirectory scratch;
    if (!options.compile_commands_dir.empty()) {
      return VerifyProject(options, scratch.Path());
    }
    return ConvertBuildAndCompare(options, scratch.Path());
  } catch (const std::exception &e) {
    std::cerr << "rayify verify: error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace rayify
