// The subcommands of `rayify`, independent of how the command line is parsed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rayify {

/// Exit codes shared by every subcommand (resources/architecture.md): 0 clean, 1
/// findings or failed verification, 2 usage errors or files that failed.
enum ExitCode { kExitClean = 0, kExitFindings = 1, kExitUsage = 2 };

struct ConvertOptions {
  /// Empty with -p: the project's own files of the compilation database.
  std::vector<std::string> inputs;
  std::string output_dir = "output";
  bool output_given = false;  // -o was on the command line
  std::string compile_commands_dir;
  std::string include;  // with -p and no inputs: regular expressions on the paths
  std::string exclude;
  /// Where a project's tree is mirrored from; empty: the git work tree holding the
  /// build directory, else the deepest directory holding it and the project's files.
  std::string project_root;
  bool in_place = false;    // rewrite each input (and edited header) where it is
  std::string config_file;  // --config (--rules): replaces .rayify.yaml discovery
  std::string templates_dir;
  std::string report_file;
  bool dry_run = false;
  bool check = false;
  /// Check that each converted file compiles before it is written; one that does not
  /// is left unconverted.
  bool compile_check = true;
  int jobs = 0;
  /// Added to every file's compile command (-mavx2, -DN=64, -I...), as clang-tidy's
  /// --extra-arg: for files that need flags and have no compilation database.
  std::vector<std::string> extra_args;
};

struct LintOptions {
  std::vector<std::string> inputs;
  std::string compile_commands_dir;
  std::vector<std::string> extra_args;  // added to every file's compile command
  /// With -p and no inputs: the database's files whose paths match `include` (a
  /// regular expression, empty: all) and not `exclude`.
  std::string include;
  std::string exclude;
  int jobs = 0;
  std::string format = "text";      // text, json or sarif
  std::string output;               // empty: standard output
  std::string color = "auto";       // auto, always or never
  std::string fail_on = "warning";  // note, warning, error or never
  std::string config_file;          // --config: replaces .rayify.yaml discovery
  bool dump_config = false;
  std::string baseline;  // a SARIF log of findings to leave out
  bool report_unused_suppressions = false;
  /// Where SARIF URIs are relative to: empty, the git work tree holding the current
  /// directory, else the current directory.
  std::string project_root;
};

struct VerifyOptions {
  std::string input;
  std::vector<std::string> program_args;
  bool json = false;
  std::string backend = "bundled";  // or "ray": Ray's C++ API from the ray[cpp] wheel
  /// Bundled backend: run tasks as threads of the program instead of in worker
  /// processes. Faster, but blind to what a task does to its process.
  bool in_process = false;
  /// Lines of either output matching one of these (ECMAScript regexes, searched
  /// anywhere in the line) are left out of the comparison, such as timings that differ
  /// on every run. Verify reports how many it left out.
  std::vector<std::string> ignore_lines;
  /// Project mode: the build directory of a CMake project (compile_commands.json and
  /// CMakeCache.txt) instead of `input`, and the shell command, run in the build
  /// directory, whose output is compared.
  std::string compile_commands_dir;
  std::string run;
  std::string include;  // which files of the project are converted
  std::string exclude;
  int jobs = 0;
  /// Added to the command that parses the file for the conversion and, in file mode,
  /// to the builds of the original and the converted program.
  std::vector<std::string> extra_args;
  /// Bounds on each of the two runs (0: none): a program still running after
  /// `timeout_seconds` is stopped, with every process it started, and one writing more
  /// than `max_output_bytes` to a file (its output included) is stopped by the kernel.
  /// Either way verify reports which and fails: a program that waits for input it
  /// never gets, or prints without end, must not fill the disk.
  double timeout_seconds = 600;
  std::uint64_t max_output_bytes = std::uint64_t{1} << 30;
};

struct FileConversion;
struct Settings;
struct Templates;
class PassRegistry;

/// `passes` null: the built-in passes.
int RunConvert(const ConvertOptions &options, const PassRegistry *passes = nullptr);
int RunLint(const LintOptions &options);
int RunVerify(const VerifyOptions &options);

/// Checks that each path names a readable regular file; prints one error per bad path.
bool CheckInputFiles(const std::vector<std::string> &paths);

/// The settings of each input: rules/default.yaml, then `config_file` or each input's
/// .rayify.yaml files. Prints the error and returns false for a bad configuration.
bool ResolveSettings(const std::vector<std::string> &inputs,
                     const std::string &config_file, std::vector<Settings> &settings);

/// Runs work(0) .. work(total - 1) on up to `jobs` threads (0: one per core).
void ParallelFor(size_t total, int jobs, const std::function<void(size_t)> &work);

/// The shared first half of convert and verify: checks inputs and output paths,
/// loads templates and converts. Returns an exit code when it must stop before
/// writing anything, or -1 to go on with `files`.
/// `loaded`, when given, receives the templates used.
int ConvertFiles(const ConvertOptions &options, std::vector<FileConversion> &files,
                 Templates *loaded = nullptr, const PassRegistry *passes = nullptr);

}  // namespace rayify
