// `rayify verify FILE [-- ARGS...]`: proves a conversion by running both programs.
#include <unistd.h>

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_os_ostream.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "Commands.h"
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

// Flags shared by every build; no FMA contraction, so floating point matches.
Command CompileCommand(const std::string &source, const std::string &binary) {
  return {EnvOr("CXX", "c++"),
          "-std=c++17",
          "-O2",
          "-ffp-contract=off",
          "-o",
          binary,
          source};
}

bool Build(const Command &command, const std::string &log, const std::string &what) {
  ProcessResult result = RunProcess(command, log, log);
  if (result.exit_code == 0) return true;
  std::cerr << "rayify verify: error: building the " << what << " program failed:\n"
            << ReadFile(log);
  return false;
}

bool BuildForBundledRuntime(const std::string &source, const std::string &dir) {
  Command command = CompileCommand(source, dir + "/converted");
  command.insert(command.begin() + 1,
                 "-I" + EnvOr("RAYIFY_RUNTIME_INCLUDE", RAYIFY_RUNTIME_INCLUDE_DIR));
  command.push_back(EnvOr("RAYIFY_RUNTIME_LIBRARY", RAYIFY_RUNTIME_LIBRARY));
  command.push_back("-pthread");
  return Build(command, dir + "/build-converted.log", "converted");
}

// Ray's ray/cpp directory (include/, lib/libray_api.so): RAYIFY_RAY_CPP_DIR, else the
// one rayify was configured with, else the one `ray cpp --show-library-path` names.
std::string FindRayCppDir(const std::string &scratch) {
  std::string dir = EnvOr("RAYIFY_RAY_CPP_DIR", RAYIFY_DEFAULT_RAY_CPP_DIR);
  if (dir.empty()) {
    try {
      RunProcess({"ray", "cpp", "--show-library-path"}, scratch, scratch);
      std::string text = ReadFile(scratch);
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
bool BuildForRay(const std::string &source, const std::string &dir) {
  std::string ray = FindRayCppDir(dir + "/ray-path.log");
  Command flags = {"-D_GLIBCXX_USE_CXX11_ABI=0", "-isystem", ray + "/include"};
  Command link = {"-L" + ray + "/lib", "-lray_api", "-Wl,-rpath," + ray + "/lib",
                  "-pthread"};
  Command driver = CompileCommand(source, dir + "/converted");
  Command library = CompileCommand(source, dir + "/converted.so");
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

struct Comparison {
  ProcessResult original, converted;
  bool identical = false;
  std::string original_out, converted_out;
};

Comparison RunBoth(const VerifyOptions &options, const std::string &dir) {
  Comparison c;
  Command run_original{dir + "/original"};
  Command run_converted{dir + "/converted"};
  for (Command *command : {&run_original, &run_converted}) {
    command->insert(command->end(), options.program_args.begin(),
                    options.program_args.end());
  }
  c.original = RunProcess(run_original, dir + "/original.out");
  c.converted = RunProcess(run_converted, dir + "/converted.out");
  c.original_out = ReadFile(dir + "/original.out");
  c.converted_out = ReadFile(dir + "/converted.out");
  c.identical =
      c.original_out == c.converted_out && c.original.exit_code == c.converted.exit_code;
  return c;
}

void PrintResult(const VerifyOptions &options, const Comparison &c) {
  double speedup = c.converted.seconds > 0 ? c.original.seconds / c.converted.seconds : 0;
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
      json.attribute("input", options.input);
      json.attribute("backend", options.backend);
      json.attribute("identical", c.identical);
      fixed("original_seconds", c.original.seconds, 3);
      fixed("converted_seconds", c.converted.seconds, 3);
      fixed("speedup", speedup, 2);
      json.attribute("original_exit", c.original.exit_code);
      json.attribute("converted_exit", c.converted.exit_code);
    });
    out << "\n";
    return;
  }
  std::string verdict =
      c.identical ? "identical (" + std::to_string(c.original_out.size()) + " bytes)"
                  : "DIFFERENT at " + FirstDifference(c.original_out, c.converted_out);
  std::printf(
      "rayify verify: %s (%s backend)\n  original:  %.3f s (exit %d)\n"
      "  converted: %.3f s (exit %d)\n  speedup:   %.2fx\n  output:    %s\n",
      options.input.c_str(), options.backend.c_str(), c.original.seconds,
      c.original.exit_code, c.converted.seconds, c.converted.exit_code, speedup,
      verdict.c_str());
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
  int code = ConvertFiles(convert, files);
  try {
    if (code < 0 && !files.front().error.empty()) code = kExitUsage;
    if (code < 0) {
      code = kExitUsage;
      const FileConversion &file = files.front();
      WriteFileAtomically(file.output, file.converted);
      bool built = Build(CompileCommand(options.input, dir + "/original"),
                         dir + "/build-original.log", "original") &&
                   (options.backend == "ray" ? BuildForRay(file.output, dir)
                                             : BuildForBundledRuntime(file.output, dir));
      if (built) {
        Comparison c = RunBoth(options, dir);
        PrintResult(options, c);
        code = c.identical ? kExitClean : kExitFindings;
      }
    }
  } catch (const std::exception &e) {
    std::cerr << "rayify verify: error: " << e.what() << "\n";
    code = kExitUsage;
  }
  if (std::getenv("RAYIFY_KEEP_VERIFY_DIR") == nullptr) {
    RunProcess({"rm", "-rf", dir}, "");
  } else {
    std::cerr << "rayify verify: kept " << dir << "\n";
  }
  return code;
}

}  // namespace rayify
