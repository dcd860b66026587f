// `rayify verify FILE [-- ARGS...]`: proves a conversion by running both programs.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "Commands.h"
#include "emit/AtomicFile.h"
#include "emit/Process.h"
#include "report/Conversion.h"
#include "report/Report.h"

namespace rayify {
namespace {

std::string EnvOr(const char *name, const std::string &fallback) {
  const char *value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// Flags shared by both builds; no FMA contraction, so floating point matches.
std::vector<std::string> CompileCommand(const std::string &source,
                                        const std::string &binary) {
  return {EnvOr("CXX", "c++"),
          "-std=c++17",
          "-O2",
          "-ffp-contract=off",
          "-o",
          binary,
          source};
}

bool Build(std::vector<std::string> command, const std::string &log,
           const std::string &what) {
  ProcessResult result = RunProcess(command, log, log);
  if (result.exit_code == 0) return true;
  std::cerr << "rayify verify: error: building the " << what << " program failed:\n"
            << ReadFile(log);
  return false;
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

struct Comparison {
  ProcessResult original, converted;
  bool identical = false;
  std::string original_out, converted_out;
};

void PrintResult(const VerifyOptions &options, const Comparison &c) {
  double speedup = c.converted.seconds > 0 ? c.original.seconds / c.converted.seconds : 0;
  if (options.json) {
    char numbers[256];
    std::snprintf(
        numbers, sizeof(numbers),
        "\"original_seconds\": %.3f, \"converted_seconds\": %.3f, \"speedup\": %.2f",
        c.original.seconds, c.converted.seconds, speedup);
    std::cout << "{\"input\": " << JsonString(options.input)
              << ", \"identical\": " << (c.identical ? "true" : "false") << ", "
              << numbers << ", \"original_exit\": " << c.original.exit_code
              << ", \"converted_exit\": " << c.converted.exit_code << "}\n";
    return;
  }
  std::printf(
      "rayify verify: %s\n  original:  %.3f s (exit %d)\n  converted: %.3f s (exit %d)\n"
      "  speedup:   %.2fx\n  output:    %s\n",
      options.input.c_str(), c.original.seconds, c.original.exit_code,
      c.converted.seconds, c.converted.exit_code, speedup,
      c.identical
          ? ("identical (" + std::to_string(c.original_out.size()) + " bytes)").c_str()
          : ("DIFFERENT at " + FirstDifference(c.original_out, c.converted_out)).c_str());
}

}  // namespace

int RunVerify(const VerifyOptions &options) {
  char dir_template[] = "/tmp/rayify-verify-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    std::perror("rayify verify: cannot create a temporary directory");
    return kExitUsage;
  }
  std::string dir = dir_template;
  ConvertOptions convert;
  convert.inputs = {options.input};
  convert.output_dir = dir;
  std::vector<FileConversion> files;
  int early = ConvertFiles(convert, files);
  int code = kExitUsage;
  try {
    if (early < 0 && files.front().error.empty()) {
      WriteFileAtomically(files.front().output, files.front().converted);
      std::string runtime_include =
          EnvOr("RAYIFY_RUNTIME_INCLUDE", RAYIFY_RUNTIME_INCLUDE_DIR);
      std::string runtime_library =
          EnvOr("RAYIFY_RUNTIME_LIBRARY", RAYIFY_RUNTIME_LIBRARY);
      auto original = CompileCommand(options.input, dir + "/original");
      auto converted = CompileCommand(files.front().output, dir + "/converted");
      converted.insert(converted.begin() + 1, "-I" + runtime_include);
      converted.push_back(runtime_library);
      converted.push_back("-pthread");
      if (Build(original, dir + "/build-original.log", "original") &&
          Build(converted, dir + "/build-converted.log", "converted")) {
        Comparison c;
        std::vector<std::string> run_original{dir + "/original"};
        std::vector<std::string> run_converted{dir + "/converted"};
        run_original.insert(run_original.end(), options.program_args.begin(),
                            options.program_args.end());
        run_converted.insert(run_converted.end(), options.program_args.begin(),
                             options.program_args.end());
        c.original = RunProcess(run_original, dir + "/original.out");
        c.converted = RunProcess(run_converted, dir + "/converted.out");
        c.original_out = ReadFile(dir + "/original.out");
        c.converted_out = ReadFile(dir + "/converted.out");
        c.identical = c.original_out == c.converted_out &&
                      c.original.exit_code == c.converted.exit_code;
        PrintResult(options, c);
        code = c.identical ? kExitClean : kExitFindings;
      }
    } else if (early >= 0) {
      code = early;
    }
  } catch (const std::exception &e) {
    std::cerr << "rayify verify: error: " << e.what() << "\n";
  }
  if (std::getenv("RAYIFY_KEEP_VERIFY_DIR") == nullptr) {
    RunProcess({"rm", "-rf", dir}, "");
  } else {
    std::cerr << "rayify verify: kept " << dir << "\n";
  }
  return code;
}

}  // namespace rayify
