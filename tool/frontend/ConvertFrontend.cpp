#include "frontend/ConvertFrontend.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <map>
#include <stdexcept>

#include "analysis/CallGraph.h"
#include "analysis/ParameterWrites.h"
#include "emit/Templates.h"
#include "frontend/ClangResources.h"
#include "frontend/Database.h"
#include "frontend/UnitSummary.h"
#include "passes/Pass.h"
#include "passes/PassRegistry.h"

namespace rayify {
namespace {

using namespace clang;

// Runs every pass over one translation unit and fills its plan. A pass that throws
// fails this file only.
class ConvertConsumer : public ASTConsumer {
 public:
  ConvertConsumer(const ConvertRequest &request, const PassRegistry &passes, Plan &plan)
      : request_(request), passes_(passes), plan_(plan) {}

  void HandleTranslationUnit(ASTContext &context) override {
    if (context.getDiagnostics().hasErrorOccurred()) return;
    plan_.error.clear();
    if (request_.user_code_only) LimitToUserCode(context);
    try {
      RunPasses(context);
    } catch (const std::exception &e) {
      plan_.findings.clear();
      plan_.edits.clear();
      plan_.error = e.what();
    }
  }

 private:
  void RunPasses(ASTContext &context) {
    EditBuilder edits(context, plan_.input);
    CallGraph calls(context);
    EffectAnalyzer effects(context, &request_.settings, request_.project);
    SerializabilityChecker serializability(context, &effects);
    TranslationUnit unit(context, calls, effects, serializability, edits, plan_.findings,
                         llvm::sys::path::filename(plan_.input).str(), request_.settings);
    UseProjectSummaries(context, request_.project);
    if (request_.project != nullptr) unit.project_calls = request_.project->Calls();
    unit.whole_program = request_.whole_program;
    auto passes = passes_.Create();
    ast_matchers::MatchFinder finder;
    for (auto &[name, pass] : passes) {
      pass->Attach(name, unit);
      pass->RegisterMatchers(finder);
    }
    finder.matchAST(context);
    for (auto &[name, pass] : passes) {
      try {
        pass->Finish();
      } catch (const std::exception &e) {
        throw std::runtime_error("pass '" + name + "' failed: " + e.what());
      }
    }
    plan_.edits = edits.Take();
    plan_.sources = edits.Sources();
    plan_.remote_elsewhere = unit.remote_elsewhere;
    if (request_.project != nullptr) {
      if (const GlobalMutations *mutations = unit.MutationsIfComputed()) {
        plan_.assumed_unchanged_globals = mutations->AssumedUnchanged();
      }
      SummarizeUnit(unit, plan_);
      SummarizeCalls(unit, plan_);
      const std::set<std::string> &asked = effects.AskedWithoutBody();
      plan_.unseen_callees.assign(asked.begin(), asked.end());
    }
  }

  // Every traversal of the unit (matchers, parent maps, visitors) then starts from
  // the top-level declarations of the user's files only.
  static void LimitToUserCode(ASTContext &context) {
    const SourceManager &sources = context.getSourceManager();
    std::vector<Decl *> user;
    for (Decl *decl : context.getTranslationUnitDecl()->decls()) {
      if (!sources.isInSystemHeader(sources.getExpansionLoc(decl->getLocation()))) {
        user.push_back(decl);
      }
    }
    context.setTraversalScope(user);
  }

  const ConvertRequest &request_;
  const PassRegistry &passes_;
  Plan &plan_;
};

class ConvertAction : public ASTFrontendAction {
 public:
  ConvertAction(const ConvertRequest &request, const PassRegistry &passes,
                std::map<std::string, Plan> &results)
      : request_(request), passes_(passes), results_(results) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &compiler,
                                                 StringRef file) override {
    // The command names the file as its build did, maybe relative to the command's
    // directory (bear records `-c ep.cpp`): made absolute against that directory.
    llvm::SmallString<256> absolute(file);
    compiler.getFileManager().makeAbsolutePath(absolute);
    Plan &plan = results_[absolute.str().str()];
    plan.input = absolute.str().str();
    plan.error = "does not compile (see the compiler's diagnostics)";  // until it does
    return std::make_unique<ConvertConsumer>(request_, passes_, plan);
  }

 private:
  const ConvertRequest &request_;
  const PassRegistry &passes_;
  std::map<std::string, Plan> &results_;
};

class ConvertActionFactory : public tooling::FrontendActionFactory {
 public:
  ConvertActionFactory(const ConvertRequest &request, const PassRegistry &passes,
                       std::map<std::string, Plan> &results)
      : request_(request), passes_(passes), results_(results) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<ConvertAction>(request_, passes_, results_);
  }

 private:
  const ConvertRequest &request_;
  const PassRegistry &passes_;
  std::map<std::string, Plan> &results_;
};

// Clang names the main file by its absolute path; findings and edits name it as the
// user gave it.
void RenameMainFile(Plan &plan, const std::string &name) {
  const std::string parsed = plan.input;
  if (parsed == name) return;
  auto rename = [&](std::string &file) {
    if (file == parsed) file = name;
  };
  for (Finding &finding : plan.findings) {
    rename(finding.file);
    for (Edit &edit : finding.fix) rename(edit.file);
  }
  for (Edit &edit : plan.edits) rename(edit.file);
  for (FunctionSummary &summary : plan.summaries) rename(summary.file);
  auto text = plan.sources.find(parsed);
  if (text != plan.sources.end()) {
    plan.sources[name] = std::move(text->second);
    plan.sources.erase(parsed);
  }
}

// The plan Clang made for `input`: by its absolute path, else by the file it names,
// since the command may spell the path another way (relative to its directory, with
// `..` or a link).
std::map<std::string, Plan>::iterator FindPlan(std::map<std::string, Plan> &by_path,
                                               const std::string &input) {
  auto it = by_path.find(tooling::getAbsolutePath(input));
  if (it != by_path.end()) return it;
  for (it = by_path.begin(); it != by_path.end(); ++it) {
    if (llvm::sys::fs::equivalent(it->first, input)) return it;
  }
  return by_path.end();
}

}  // namespace

std::vector<Plan> ParseAndPlan(const ConvertRequest &request, std::string &diagnostics);

std::vector<Plan> PlanConversions(const ConvertRequest &request,
                                  std::string &diagnostics) {
  // A converted file is recognized by its marker before parsing: it includes Ray's
  // headers, which the input's compile flags need not know about.
  std::vector<std::string> to_parse;
  std::map<std::string, Plan> already;
  for (const auto &input : request.inputs) {
    auto buffer = llvm::MemoryBuffer::getFile(input);
    if (request.skip_converted && buffer &&
        (*buffer)->getBuffer().contains(kConvertedMarker)) {
      Plan done;
      done.input = input;
      done.sources[input] = (*buffer)->getBuffer().str();
      done.already_converted = true;
      already[input] = done;
    } else {
      to_parse.push_back(input);
    }
  }
  std::vector<Plan> results;
  if (!to_parse.empty()) {
    ConvertRequest parse_request = request;
    parse_request.inputs = to_parse;
    std::vector<Plan> parsed = ParseAndPlan(parse_request, diagnostics);
    for (auto &file : parsed) already[file.input] = file;
  }
  for (const auto &input : request.inputs) results.push_back(already[input]);
  return results;
}

std::vector<std::string> DatabaseFiles(const std::string &dir) {
  std::string error;
  const tooling::CompilationDatabase *database = LoadDatabase(dir, error);
  if (!database) {
    throw std::runtime_error("cannot load compile_commands.json from '" + dir +
                             "': " + error);
  }
  return database->getAllFiles();
}

std::vector<Plan> ParseAndPlan(const ConvertRequest &request, std::string &diagnostics) {
  std::string error;
  const tooling::CompilationDatabase *database =
      DatabaseOrDefault(request.compile_commands_dir, error);
  std::vector<Plan> results;
  if (!database) {
    for (const auto &input : request.inputs) {
      Plan failed;
      failed.input = input;
      failed.error = "cannot load compile_commands.json from '" +
                     request.compile_commands_dir + "': " + error;
      results.push_back(failed);
    }
    return results;
  }
  tooling::ClangTool tool(*database, request.inputs,
                          std::make_shared<PCHContainerOperations>(),
                          PrivateFileSystem());
  tool.appendArgumentsAdjuster(
      tooling::getInsertArgumentAdjuster(("-resource-dir=" + ClangResourceDir()).c_str(),
                                         tooling::ArgumentInsertPosition::END));
  if (!request.extra_args.empty()) {
    tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        tooling::CommandLineArguments(request.extra_args.begin(),
                                      request.extra_args.end()),
        tooling::ArgumentInsertPosition::END));
  }
  llvm::raw_string_ostream stream(diagnostics);
  auto *options = new DiagnosticOptions();  // owned by the printer
  options->ShowColors = false;
  TextDiagnosticPrinter printer(stream, options);
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);

  std::map<std::string, Plan> by_path;
  const PassRegistry &passes =
      request.passes != nullptr ? *request.passes : PassRegistry::Builtin();
  ConvertActionFactory factory(request, passes, by_path);
  tool.run(&factory);
  stream.flush();
  for (const auto &input : request.inputs) {
    Plan result;
    auto it = FindPlan(by_path, input);
    if (it != by_path.end()) {
      result = it->second;
      RenameMainFile(result, input);
    } else {
      result.error = "does not compile (see the compiler's diagnostics)";
    }
    result.input = input;
    results.push_back(result);
  }
  return results;
}

}  // namespace rayify
