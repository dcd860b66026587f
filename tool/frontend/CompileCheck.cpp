#include "frontend/CompileCheck.h"

#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <deque>
#include <sstream>

#include "emit/AtomicFile.h"
#include "frontend/ClangResources.h"
#include "frontend/Database.h"

namespace rayify {
namespace {

std::string FirstError(const std::string &diagnostics, const std::string &file) {
  std::istringstream lines(diagnostics);
  std::string line;
  while (std::getline(lines, line)) {
    size_t at = line.find(": error: ");
    if (at == std::string::npos) continue;
    // "…/main.cpp:12:3: error: …" becomes "12:3: error: …" for the converted file.
    if (line.compare(0, file.size(), file) == 0 && line.size() > file.size() + 1) {
      return line.substr(file.size() + 1);
    }
    return line;
  }
  return diagnostics.empty() ? "the compiler failed without a message" : diagnostics;
}

}  // namespace

std::string FirstCompileError(const CompileCheck &check,
                              const std::string &runtime_include_dir,
                              const std::string &compile_commands_dir) {
  std::string error;
  clang::tooling::FixedCompilationDatabase standalone(
      ".", std::vector<std::string>{"-std=c++17"});
  const clang::tooling::CompilationDatabase *database = &standalone;
  if (!compile_commands_dir.empty()) {
    database = LoadDatabase(compile_commands_dir, error);
    if (database == nullptr) return "cannot load compile_commands.json: " + error;
  }
  // The converted texts stand in for the files on disk, where they are: the input is
  // compiled with its own command, and its includes resolve as in the project's build.
  std::string main = clang::tooling::getAbsolutePath(check.input);
  clang::tooling::ClangTool tool(*database, {main},
                                 std::make_shared<clang::PCHContainerOperations>(),
                                 PrivateFileSystem());
  tool.mapVirtualFile(main, check.text);
  // The tool keeps the paths and texts by reference until it runs.
  std::deque<std::string> header_paths;
  for (const auto &[path, text] : check.headers) {
    std::string real = RealPath(path);
    header_paths.push_back(real.empty() ? path : real);
    tool.mapVirtualFile(header_paths.back(), text);
  }
  // No carets: the check wants the first error only, and no "N errors generated".
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      {"-fno-caret-diagnostics", "-I", runtime_include_dir,
       "-resource-dir=" + ClangResourceDir()},
      clang::tooling::ArgumentInsertPosition::END));
  std::string diagnostics;
  llvm::raw_string_ostream stream(diagnostics);
  auto *options = new clang::DiagnosticOptions();  // owned by the printer
  options->ShowColors = false;
  clang::TextDiagnosticPrinter printer(stream, options);
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);
  int status =
      tool.run(clang::tooling::newFrontendActionFactory<clang::SyntaxOnlyAction>().get());
  stream.flush();
  return status == 0 ? "" : FirstError(diagnostics, main);
}

}  // namespace rayify
