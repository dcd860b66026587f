#include "frontend/CompileCheck.h"

#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <sstream>

#include "emit/AtomicFile.h"
#include "frontend/ClangResources.h"

namespace rayify {
namespace {

struct ProjectCommand {
  std::string directory = ".";
  std::vector<std::string> flags = {"-std=c++17"};
};

// The flags the input was compiled with (and where), without its file name, output
// and mode.
ProjectCommand ProjectFlags(const std::string &input,
                            const std::string &compile_commands_dir) {
  ProjectCommand command;
  if (compile_commands_dir.empty()) return command;
  std::string error;
  auto database =
      clang::tooling::CompilationDatabase::loadFromDirectory(compile_commands_dir, error);
  if (!database) return command;
  auto commands = database->getCompileCommands(clang::tooling::getAbsolutePath(input));
  if (commands.empty()) return command;
  command.directory = commands.front().Directory;
  std::vector<std::string> &flags = command.flags;
  flags.clear();
  const auto &line = commands.front().CommandLine;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == "-o" || line[i] == "-c") {
      i += line[i] == "-o";
      continue;
    }
    if (llvm::sys::path::filename(line[i]) == llvm::sys::path::filename(input)) continue;
    flags.push_back(line[i]);
  }
  return command;
}

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

// A scratch directory holding the converted file and headers, removed on scope exit.
class Scratch {
 public:
  Scratch() {
    llvm::SmallString<128> dir;
    if (llvm::sys::fs::createUniqueDirectory("rayify-check", dir)) {
      throw std::runtime_error("cannot create a directory for the compile check");
    }
    dir_ = dir.str().str();
  }
  ~Scratch() { llvm::sys::fs::remove_directories(dir_); }
  std::string Write(const std::string &relative, const std::string &text) const {
    std::string path = dir_ + "/" + relative;
    MakeDirectories(llvm::sys::path::parent_path(path).str());
    WriteFileAtomically(path, text);
    return path;
  }

 private:
  std::string dir_;
};

}  // namespace

std::string FirstCompileError(const CompileCheck &check,
                              const std::string &runtime_include_dir,
                              const std::string &compile_commands_dir) {
  Scratch scratch;
  // The converted file sits among its converted headers, so `#include "x.h"` finds
  // them first, and the input's own directory after them.
  std::string main =
      scratch.Write(llvm::sys::path::filename(check.input).str(), check.text);
  for (const auto &[relative, text] : check.headers) scratch.Write(relative, text);
  llvm::SmallString<256> input_dir(check.input);
  llvm::sys::fs::make_absolute(input_dir);
  llvm::sys::path::remove_filename(input_dir);

  ProjectCommand command = ProjectFlags(check.input, compile_commands_dir);
  std::vector<std::string> args = command.flags;
  // No carets: the check wants the first error only, and no "N errors generated".
  args.insert(args.end(), {"-fsyntax-only", "-fno-caret-diagnostics", "-iquote",
                           input_dir.str().str(), "-I", runtime_include_dir,
                           "-resource-dir=" + ClangResourceDir()});
  clang::tooling::FixedCompilationDatabase database(command.directory, args);
  clang::tooling::ClangTool tool(database, {main});
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
