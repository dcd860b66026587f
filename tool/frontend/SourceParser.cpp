#include "frontend/SourceParser.h"

#include <clang/Basic/Version.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <memory>

namespace rayify {
namespace {

std::unique_ptr<clang::tooling::CompilationDatabase> LoadDatabase(
    const ParseOptions &options, std::string &error) {
  if (!options.compile_commands_dir.empty()) {
    return clang::tooling::CompilationDatabase::loadFromDirectory(
        options.compile_commands_dir, error);
  }
  return std::make_unique<clang::tooling::FixedCompilationDatabase>(
      ".", options.default_flags);
}

}  // namespace

std::string ClangResourceDir() {
  const char *override_dir = std::getenv("RAYIFY_CLANG_RESOURCE_DIR");
  if (override_dir != nullptr && *override_dir != '\0') return override_dir;
  return RAYIFY_CLANG_RESOURCE_DIR;
}

std::string ClangVersion() { return CLANG_VERSION_STRING; }

ParseOutcome ParseSources(const std::vector<std::string> &files,
                          const ParseOptions &options) {
  ParseOutcome outcome;
  std::string error;
  auto database = LoadDatabase(options, error);
  if (!database) {
    outcome.diagnostics = "error: cannot load compile_commands.json from '" +
                          options.compile_commands_dir + "': " + error + "\n";
    return outcome;
  }
  clang::tooling::ClangTool tool(*database, files);
  // Without the resource directory of the Clang we link, <stddef.h> and friends
  // are not found on a machine that has no clang driver of the same version.
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      ("-resource-dir=" + ClangResourceDir()).c_str(),
      clang::tooling::ArgumentInsertPosition::END));
  std::string diagnostics;
  llvm::raw_string_ostream stream(diagnostics);
  // The printer takes ownership of its options (an intrusive reference count).
  auto *diagnostic_options = new clang::DiagnosticOptions();
  diagnostic_options->ShowColors = false;
  clang::TextDiagnosticPrinter printer(stream, diagnostic_options);
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);
  int status =
      tool.run(clang::tooling::newFrontendActionFactory<clang::SyntaxOnlyAction>().get());
  stream.flush();
  outcome.ok = status == 0;
  outcome.diagnostics = diagnostics;
  return outcome;
}

}  // namespace rayify
