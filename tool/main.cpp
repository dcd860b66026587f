// rayify: turns sequential C++ programs into Ray programs (see README.md).
#include <limits.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "Commands.h"
#include "frontend/ClangResources.h"

namespace {

void AddExtraArg(CLI::App *command, std::vector<std::string> &extra_args) {
  command
      ->add_option("--extra-arg", extra_args,
                   "Add this argument to every compile command (-mavx2, -DN=64); "
                   "repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void AddConvert(CLI::App &app, rayify::ConvertOptions &options) {
  CLI::App *convert = app.add_subcommand(
      "convert",
      "Rewrite independent loops and stateful classes into Ray tasks and actors");
  convert->add_option("paths", options.inputs,
                      "C++ source files to convert (with -p and none: every file of the "
                      "project in compile_commands.json)");
  convert
      ->add_option("-o,--output", options.output_dir,
                   "Output directory; a project's tree is mirrored under it")
      ->capture_default_str();
  convert->add_option("-p", options.compile_commands_dir,
                      "Directory containing compile_commands.json");
  convert->add_option("--include", options.include,
                      "With -p and no files: convert database files matching this regex");
  convert->add_option("--exclude", options.exclude,
                      "With -p and no files: skip database files matching this regex");
  convert->add_option("--project-root", options.project_root,
                      "Root of the project's tree (default: the git work tree holding "
                      "the build directory); outputs mirror it under -o");
  convert->add_flag("--in-place", options.in_place,
                    "Rewrite each file where it is (atomically; never over a file that "
                    "changed since it was read)");
  convert->add_option("--config,--rules", options.config_file,
                      "Configuration file to use instead of the .rayify.yaml files found "
                      "from each input's directory upward");
  convert->add_option("--templates", options.templates_dir, "Template directory");
  convert->add_option("--report-file", options.report_file, "Write a JSON report here");
  convert->add_flag("--dry-run", options.dry_run, "Print a unified diff, write nothing");
  convert->add_flag("--check", options.check, "Exit 1 if any file would change");
  convert->add_flag("--no-compile-check{false}", options.compile_check,
                    "Do not check that converted files compile before writing them");
  convert->add_option("-j", options.jobs, "Parallel jobs (default: all cores)");
  AddExtraArg(convert, options.extra_args);
}

void AddLint(CLI::App &app, rayify::LintOptions &options) {
  CLI::App *lint = app.add_subcommand(
      "lint", "Report Ray anti-patterns, and loops convert would parallelize");
  lint->add_option("paths", options.inputs,
                   "C++ source files to check (with -p and none: every file of the "
                   "compilation database)");
  lint->add_option("-p", options.compile_commands_dir,
                   "Directory containing compile_commands.json");
  lint->add_option("--include", options.include,
                   "With -p and no files: check database files matching this regex");
  lint->add_option("--exclude", options.exclude,
                   "With -p and no files: skip database files matching this regex");
  lint->add_option("-j", options.jobs, "Parallel jobs (default: all cores)");
  lint->add_option("--format", options.format, "text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  lint->add_option("--output", options.output,
                   "Write the findings to this file (atomically) instead of stdout");
  lint->add_option("--color", options.color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  lint->add_option("--fail-on", options.fail_on,
                   "Exit 1 when a finding is at least this severe: note, warning, error "
                   "or never")
      ->check(CLI::IsMember({"note", "warning", "error", "never"}))
      ->capture_default_str();
  lint->add_option("--config", options.config_file,
                   "Configuration file to use instead of the .rayify.yaml files found "
                   "from each file's directory upward");
  lint->add_flag("--dump-config", options.dump_config,
                 "Print the configuration in effect for the first file (or here) and "
                 "exit");
  lint->add_option("--baseline", options.baseline,
                   "A SARIF log from an earlier run: report only findings not in it");
  lint->add_flag("--report-unused-suppressions", options.report_unused_suppressions,
                 "Report rayify: ignore comments that suppress nothing");
  lint->add_option("--project-root", options.project_root,
                   "Directory SARIF paths are relative to (default: the git work tree)");
  AddExtraArg(lint, options.extra_args);
}

void AddVerify(CLI::App &app, rayify::VerifyOptions &options) {
  CLI::App *verify = app.add_subcommand(
      "verify",
      "Convert FILE (or a CMake project with -p), run original and converted, compare "
      "their output");
  verify->add_option("file", options.input, "C++ source file (none with -p)");
  verify->add_option("-p", options.compile_commands_dir,
                     "Verify the whole CMake project built in this directory "
                     "(compile_commands.json, CMakeCache.txt)");
  verify->add_option("--run", options.run,
                     "With -p: the shell command that runs the program or its tests, "
                     "in the build directory");
  verify->add_option("--include", options.include,
                     "With -p: convert only files whose path matches this regex");
  verify->add_option("--exclude", options.exclude,
                     "With -p: leave files whose path matches this regex unconverted");
  verify->add_option("-j,--jobs", options.jobs, "Parallel jobs (default: all cores)");
  verify->add_option("args", options.program_args,
                     "Arguments for both programs (after --)");
  verify->add_flag("--json", options.json, "Print the result as JSON");
  verify
      ->add_option("--ignore-lines", options.ignore_lines,
                   "Leave lines matching this regex (in either output) out of the "
                   "comparison, such as timings; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  verify->add_flag("--in-process", options.in_process,
                   "Bundled backend: run tasks and actors as threads of the converted "
                   "program, not in processes of their own as Ray does");
  verify
      ->add_option("--backend", options.backend,
                   "Build the converted program against the bundled runtime or Ray")
      ->check(CLI::IsMember({"bundled", "ray"}))
      ->capture_default_str();
  verify
      ->add_option("--timeout", options.timeout_seconds,
                   "Stop each program, and every process it started, after this many "
                   "seconds (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  verify
      ->add_option("--max-output", options.max_output_bytes,
                   "Stop a program that writes a file larger than this (its output "
                   "included), in bytes or with a unit: 64MB, 2GB (0: no limit)")
      ->transform(CLI::AsSizeValue(false))
      ->default_str("1GB");
  AddExtraArg(verify, options.extra_args);
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app{"rayify: turn sequential C++ programs into Ray programs"};
  app.add_flag_callback(
      "--version",
      [] {
        std::cout << "rayify " << RAYIFY_VERSION << "\n"
                  << "Clang " << rayify::ClangVersion() << ", builtin headers in "
                  << rayify::ClangResourceDir() << "\n";
        throw CLI::Success();
      },
      "Print the version and exit");
  app.require_subcommand(1);
  rayify::ConvertOptions convert;
  rayify::LintOptions lint;
  rayify::VerifyOptions verify;
  AddConvert(app, convert);
  AddLint(app, lint);
  AddVerify(app, verify);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::Success &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return rayify::kExitUsage;
  }
  // Paths on the command line and in compilation databases are relative to it, and
  // Clang's file system needs it: without one, say so rather than abort in Clang.
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) {
    std::cerr << "rayify: error: cannot read the current directory ("
              << std::strerror(errno) << "); run rayify from a directory that exists\n";
    return rayify::kExitUsage;
  }
  if (app.got_subcommand("convert")) {
    convert.output_given = app.get_subcommand("convert")->count("-o") > 0;
    return rayify::RunConvert(convert);
  }
  if (app.got_subcommand("lint")) return rayify::RunLint(lint);
  return rayify::RunVerify(verify);
}
