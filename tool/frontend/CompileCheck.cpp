#include "frontend/CompileCheck.h"

#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <sstream>

#include "emit/AtomicFile.h"
#include "frontend/ClangResources.h"
#include "frontend/Database.h"

namespace rayify {
namespace {

using clang::tooling::ArgumentInsertPosition;
using clang::tooling::CommandLineArguments;
using clang::tooling::getInsertArgumentAdjuster;

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

// A file's compile command without the file, its output and -c: files with the same
// key can share a precompiled Ray header.
struct CommandKey {
  std::string directory;
  std::vector<std::string> flags;
  bool operator<(const CommandKey &other) const {
    return std::tie(directory, flags) < std::tie(other.directory, other.flags);
  }
};

CommandKey KeyOf(const clang::tooling::CompileCommand &command) {
  CommandKey key{command.Directory, {}};
  const std::vector<std::string> &args = command.CommandLine;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-o") {
      ++i;
    } else if (args[i] != "-c" && args[i] != command.Filename) {
      key.flags.push_back(args[i]);
    }
  }
  return key;
}

// Watches, in a check that uses the precompiled Ray header, for what could make the
// real compilation differ: a macro the user defines (or undefines) before including
// <ray/api.h> whose name the Ray header uses. The precompiled header was parsed
// before any of the user's code, the real compilation parses it after.
class IncludeOrderWatch : public clang::PPCallbacks {
 public:
  IncludeOrderWatch(const clang::SourceManager &sources, bool &order_matters)
      : sources_(sources), order_matters_(order_matters) {}

  void InclusionDirective(clang::SourceLocation, const clang::Token &,
                          llvm::StringRef file_name, bool, clang::CharSourceRange,
                          clang::OptionalFileEntryRef, llvm::StringRef, llvm::StringRef,
                          const clang::Module *, bool,
                          clang::SrcMgr::CharacteristicKind) override {
    if (file_name == "ray/api.h") ray_included_ = true;
  }
  void MacroDefined(const clang::Token &name, const clang::MacroDirective *) override {
    Note(name);
  }
  void MacroUndefined(const clang::Token &name, const clang::MacroDefinition &,
                      const clang::MacroDirective *) override {
    Note(name);
  }

 private:
  void Note(const clang::Token &name) {
    clang::SourceLocation loc = name.getLocation();
    if (ray_included_ || loc.isInvalid() || sources_.isLoadedSourceLocation(loc) ||
        sources_.isWrittenInBuiltinFile(loc) ||
        sources_.isWrittenInCommandLineFile(loc) || sources_.isInSystemHeader(loc)) {
      return;  // system headers define the same in either order
    }
    if (name.getIdentifierInfo()->isFromAST()) order_matters_ = true;
  }

  const clang::SourceManager &sources_;
  bool &order_matters_;
  bool ray_included_ = false;
};

class WatchedSyntaxOnlyAction : public clang::SyntaxOnlyAction {
 public:
  explicit WatchedSyntaxOnlyAction(bool &order_matters) : order_matters_(order_matters) {}
  bool BeginSourceFileAction(clang::CompilerInstance &compiler) override {
    compiler.getPreprocessor().addPPCallbacks(
        std::make_unique<IncludeOrderWatch>(compiler.getSourceManager(), order_matters_));
    return SyntaxOnlyAction::BeginSourceFileAction(compiler);
  }

 private:
  bool &order_matters_;
};

class WatchedActionFactory : public clang::tooling::FrontendActionFactory {
 public:
  explicit WatchedActionFactory(bool &order_matters) : order_matters_(order_matters) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<WatchedSyntaxOnlyAction>(order_matters_);
  }

 private:
  bool &order_matters_;
};

// GeneratePCHAction with its output named here: the driver drops -o from a
// -fsyntax-only job, which is how ClangTool runs every action.
class RayHeaderAction : public clang::GeneratePCHAction {
 public:
  explicit RayHeaderAction(std::string output) : output_(std::move(output)) {}

 protected:
  bool BeginInvocation(clang::CompilerInstance &compiler) override {
    compiler.getFrontendOpts().OutputFile = output_;
    return GeneratePCHAction::BeginInvocation(compiler);
  }

 private:
  std::string output_;
};

class RayHeaderActionFactory : public clang::tooling::FrontendActionFactory {
 public:
  explicit RayHeaderActionFactory(std::string output) : output_(std::move(output)) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<RayHeaderAction>(output_);
  }

 private:
  std::string output_;
};

}  // namespace

struct CheckSession::Impl {
  std::string runtime_include_dir;
  std::string compile_commands_dir;
  std::vector<std::string> extra_args;
  std::string scratch;  // the precompiled headers; removed with the session
  std::mutex mutex;
  std::map<CommandKey, std::shared_future<std::string>> headers;

  // The user's --extra-arg flags come last, as in the parse that planned the edits.
  // Ray's ObjectRef move constructor loses the owner of a ref's last reference, so the
  // runtime's headers are read with RAYIFY_NO_OBJECT_REF_MOVES: converted code that
  // moves a ref, and would abort on Ray, fails the check.
  CommandLineArguments CommonArguments() const {
    CommandLineArguments arguments = {"-fno-caret-diagnostics", "-I", runtime_include_dir,
                                      "-resource-dir=" + ClangResourceDir(),
                                      "-DRAYIFY_NO_OBJECT_REF_MOVES"};
    arguments.insert(arguments.end(), extra_args.begin(), extra_args.end());
    return arguments;
  }

  std::string PrecompiledRayHeader(const CommandKey &key);
  std::string BuildRayHeader(const CommandKey &key, size_t number);
  std::string Check(const CompileCheck &check, const std::string &precompiled,
                    const clang::tooling::CompilationDatabase &database,
                    bool &order_matters);
};

// The precompiled <ray/api.h> for files compiled with `key`, built by the first file
// that needs it; "" when it cannot be built (the check then parses the header).
std::string CheckSession::Impl::PrecompiledRayHeader(const CommandKey &key) {
  std::promise<std::string> promise;
  std::shared_future<std::string> ready;
  bool build = false;
  size_t number = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = headers.find(key);
    if (found != headers.end()) {
      ready = found->second;
    } else {
      ready = promise.get_future().share();
      number = headers.size();
      headers.emplace(key, ready);
      build = true;
    }
  }
  if (build) {
    // Without a precompiled header the checks parse Ray's headers themselves.
    std::string built;
    try {
      built = BuildRayHeader(key, number);
    } catch (const std::exception &) {
    }
    promise.set_value(built);
  }
  return ready.get();
}

std::string CheckSession::Impl::BuildRayHeader(const CommandKey &key, size_t number) {
  if (scratch.empty()) return "";
  std::string prefix = scratch + "/ray-api-" + std::to_string(number) + ".h";
  std::string output = prefix + ".pch";
  WriteFileAtomically(prefix, "#include <ray/api.h>\n");
  clang::tooling::FixedCompilationDatabase database(key.directory, key.flags);
  clang::tooling::ClangTool tool(database, {prefix},
                                 std::make_shared<clang::PCHContainerOperations>(),
                                 PrivateFileSystem());
  tool.appendArgumentsAdjuster(
      getInsertArgumentAdjuster({"-xc++-header"}, ArgumentInsertPosition::BEGIN));
  // Instantiating the header's templates once, here, halves each check that uses it.
  tool.appendArgumentsAdjuster(getInsertArgumentAdjuster({"-fpch-instantiate-templates"},
                                                         ArgumentInsertPosition::END));
  tool.appendArgumentsAdjuster(
      getInsertArgumentAdjuster(CommonArguments(), ArgumentInsertPosition::END));
  clang::IgnoringDiagConsumer quiet;
  tool.setDiagnosticConsumer(&quiet);
  tool.setPrintErrorMessage(false);
  RayHeaderActionFactory factory(output);
  int status = tool.run(&factory);
  return status == 0 && llvm::sys::fs::exists(output) ? output : "";
}

// One compilation of the converted text in place of the input, with the precompiled
// Ray header when `precompiled` names one.
std::string CheckSession::Impl::Check(const CompileCheck &check,
                                      const std::string &precompiled,
                                      const clang::tooling::CompilationDatabase &database,
                                      bool &order_matters) {
  // The converted texts stand in for the files on disk, where they are: the input is
  // compiled with its own command, and its includes resolve as in the project's build.
  std::string main = clang::tooling::getAbsolutePath(check.input);
  clang::tooling::ClangTool tool(database, {main},
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
  CommandLineArguments end = CommonArguments();
  if (!precompiled.empty()) end.insert(end.end(), {"-include-pch", precompiled});
  tool.appendArgumentsAdjuster(
      getInsertArgumentAdjuster(end, ArgumentInsertPosition::END));
  std::string diagnostics;
  llvm::raw_string_ostream stream(diagnostics);
  auto *options = new clang::DiagnosticOptions();  // owned by the printer
  options->ShowColors = false;
  clang::TextDiagnosticPrinter printer(stream, options);
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);
  WatchedActionFactory factory(order_matters);
  int status = tool.run(&factory);
  stream.flush();
  return status == 0 ? "" : FirstError(diagnostics, main);
}

CheckSession::CheckSession(std::string runtime_include_dir,
                           std::string compile_commands_dir,
                           std::vector<std::string> extra_args)
    : impl_(std::make_unique<Impl>()) {
  impl_->runtime_include_dir = std::move(runtime_include_dir);
  impl_->compile_commands_dir = std::move(compile_commands_dir);
  impl_->extra_args = std::move(extra_args);
  try {
    impl_->scratch = MakeTemporaryDirectory("rayify-check");
  } catch (const std::exception &) {
    // Without a place for the precompiled header, every check parses Ray's headers.
  }
}

CheckSession::~CheckSession() {
  if (!impl_->scratch.empty()) llvm::sys::fs::remove_directories(impl_->scratch);
}

std::string CheckSession::FirstCompileError(const CompileCheck &check) {
  std::string error;
  const clang::tooling::CompilationDatabase *database =
      DatabaseOrDefault(impl_->compile_commands_dir, error);
  if (database == nullptr) return "cannot load compile_commands.json: " + error;
  std::string main = clang::tooling::getAbsolutePath(check.input);
  std::vector<clang::tooling::CompileCommand> commands =
      database->getCompileCommands(main);
  std::string precompiled;
  if (!commands.empty())
    precompiled = impl_->PrecompiledRayHeader(KeyOf(commands.front()));
  bool order_matters = false;
  if (!precompiled.empty()) {
    // Only a pass is taken from the shortcut; a failure, or a macro that could have
    // changed how the Ray header reads, is decided by the full compilation.
    std::string quick = impl_->Check(check, precompiled, *database, order_matters);
    if (quick.empty() && !order_matters) return "";
  }
  return impl_->Check(check, "", *database, order_matters);
}

}  // namespace rayify
