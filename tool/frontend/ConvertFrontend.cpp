#include "frontend/ConvertFrontend.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <map>
#include <set>

#include "analysis/LoopSafety.h"
#include "conversions/MainConversion.h"
#include "conversions/TaskLoopConversion.h"
#include "frontend/ClangResources.h"

namespace rayify {
namespace {

using namespace clang;

// Who calls whom among the functions this file defines.
class CallGraph : public RecursiveASTVisitor<CallGraph> {
 public:
  explicit CallGraph(const SourceManager &sources) : sources_(sources) {}

  bool TraverseFunctionDecl(FunctionDecl *function) {
    const FunctionDecl *saved = current_;
    if (function->doesThisDeclarationHaveABody() &&
        sources_.isInMainFile(function->getLocation())) {
      current_ = function->getCanonicalDecl();
      definitions_.push_back(function);
    }
    bool result = RecursiveASTVisitor::TraverseFunctionDecl(function);
    current_ = saved;
    return result;
  }

  bool VisitCallExpr(CallExpr *call) {
    if (current_ == nullptr) return true;
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      callers_[callee->getCanonicalDecl()].insert(current_);
    }
    return true;
  }

  const std::vector<const FunctionDecl *> &Definitions() const { return definitions_; }
  std::set<const FunctionDecl *> CallersOf(const FunctionDecl *function) const {
    auto it = callers_.find(function->getCanonicalDecl());
    return it == callers_.end() ? std::set<const FunctionDecl *>{} : it->second;
  }

 private:
  const SourceManager &sources_;
  const FunctionDecl *current_ = nullptr;
  std::vector<const FunctionDecl *> definitions_;
  std::map<const FunctionDecl *, std::set<const FunctionDecl *>> callers_;
};

// Decides every loop under `stmt`; the loops inside a loop that stays sequential
// get decisions of their own.
void WalkLoops(const Stmt *stmt, const Stmt *parent, ConversionContext &ctx,
               std::vector<LoopDecision> &decisions) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
  if (IsLoop(stmt)) {
    LoopDecision decision = ConvertTaskLoop(stmt, parent, ctx);
    decisions.push_back(decision);
    if (!decision.converted) WalkLoops(LoopBody(stmt), stmt, ctx, decisions);
    return;
  }
  for (const Stmt *child : stmt->children()) WalkLoops(child, stmt, ctx, decisions);
}

class ConvertConsumer : public ASTConsumer {
 public:
  ConvertConsumer(const Templates &templates, FileConversion &result)
      : templates_(templates), result_(result) {}

  void HandleTranslationUnit(ASTContext &context) override {
    if (context.getDiagnostics().hasErrorOccurred()) return;
    EditBuilder edits(context);
    result_.original = edits.FileText();
    result_.converted = result_.original;
    result_.error.clear();
    CallGraph graph(context.getSourceManager());
    graph.TraverseDecl(context.getTranslationUnitDecl());
    const FunctionDecl *main = nullptr;
    for (const FunctionDecl *function : graph.Definitions()) {
      if (function->isMain()) main = function;
    }
    if (main == nullptr) return;

    EffectAnalyzer effects(context);
    SerializabilityChecker serializability(context);
    ConversionContext ctx{context, effects, serializability, edits};
    WalkLoops(main->getBody(), nullptr, ctx, result_.decisions);
    // Driver code also includes helpers that only main calls and that do not run
    // as tasks themselves.
    for (const FunctionDecl *function : graph.Definitions()) {
      auto callers = graph.CallersOf(function);
      if (function == main || callers.size() != 1 ||
          *callers.begin() != main->getCanonicalDecl() ||
          ctx.task_functions.count(function->getCanonicalDecl()) != 0 ||
          isa<CXXMethodDecl>(function)) {
        continue;
      }
      WalkLoops(function->getBody(), nullptr, ctx, result_.decisions);
    }
    std::stable_sort(
        result_.decisions.begin(), result_.decisions.end(),
        [](const LoopDecision &a, const LoopDecision &b) { return a.line < b.line; });
    if (ctx.remote_functions.empty()) return;
    AddRayBoilerplate(main, templates_, llvm::sys::path::filename(result_.input).str(),
                      ctx);
    result_.edits = edits.Edits();
    result_.converted = ApplyEdits(result_.original, result_.edits);
  }

 private:
  const Templates &templates_;
  FileConversion &result_;
};

class ConvertAction : public ASTFrontendAction {
 public:
  ConvertAction(const Templates &templates,
                std::map<std::string, FileConversion> &results)
      : templates_(templates), results_(results) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 StringRef file) override {
    FileConversion &result = results_[file.str()];
    result.input = file.str();
    result.error = "does not compile (see the diagnostics above)";  // until it does
    return std::make_unique<ConvertConsumer>(templates_, result);
  }

 private:
  const Templates &templates_;
  std::map<std::string, FileConversion> &results_;
};

class ConvertActionFactory : public tooling::FrontendActionFactory {
 public:
  ConvertActionFactory(const Templates &templates,
                       std::map<std::string, FileConversion> &results)
      : templates_(templates), results_(results) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<ConvertAction>(templates_, results_);
  }

 private:
  const Templates &templates_;
  std::map<std::string, FileConversion> &results_;
};

}  // namespace

std::vector<FileConversion> ParseAndConvert(const ConvertRequest &request,
                                            std::string &diagnostics);

std::vector<FileConversion> ConvertSources(const ConvertRequest &request,
                                           std::string &diagnostics) {
  // A converted file is recognized by its marker before parsing: it includes Ray's
  // headers, which the input's compile flags need not know about.
  std::vector<std::string> to_parse;
  std::map<std::string, FileConversion> already;
  for (const auto &input : request.inputs) {
    auto buffer = llvm::MemoryBuffer::getFile(input);
    if (buffer && (*buffer)->getBuffer().contains(kConvertedMarker)) {
      FileConversion done;
      done.input = input;
      done.original = done.converted = (*buffer)->getBuffer().str();
      done.already_converted = true;
      already[input] = done;
    } else {
      to_parse.push_back(input);
    }
  }
  std::vector<FileConversion> results;
  if (!to_parse.empty()) {
    ConvertRequest parse_request = request;
    parse_request.inputs = to_parse;
    std::vector<FileConversion> parsed = ParseAndConvert(parse_request, diagnostics);
    for (auto &file : parsed) already[file.input] = file;
  }
  for (const auto &input : request.inputs) results.push_back(already[input]);
  return results;
}

std::vector<FileConversion> ParseAndConvert(const ConvertRequest &request,
                                            std::string &diagnostics) {
  std::string error;
  std::unique_ptr<tooling::CompilationDatabase> database;
  if (!request.compile_commands_dir.empty()) {
    database = tooling::CompilationDatabase::loadFromDirectory(
        request.compile_commands_dir, error);
  } else {
    database = std::make_unique<tooling::FixedCompilationDatabase>(
        ".", std::vector<std::string>{"-std=c++17"});
  }
  std::vector<FileConversion> results;
  if (!database) {
    for (const auto &input : request.inputs) {
      FileConversion failed;
      failed.input = input;
      failed.error = "cannot load compile_commands.json from '" +
                     request.compile_commands_dir + "': " + error;
      results.push_back(failed);
    }
    return results;
  }
  tooling::ClangTool tool(*database, request.inputs);
  tool.appendArgumentsAdjuster(
      tooling::getInsertArgumentAdjuster(("-resource-dir=" + ClangResourceDir()).c_str(),
                                         tooling::ArgumentInsertPosition::END));
  llvm::raw_string_ostream stream(diagnostics);
  auto *options = new DiagnosticOptions();  // owned by the printer
  options->ShowColors = false;
  TextDiagnosticPrinter printer(stream, options);
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);

  std::map<std::string, FileConversion> by_path;
  ConvertActionFactory factory(request.templates, by_path);
  tool.run(&factory);
  stream.flush();
  for (const auto &input : request.inputs) {
    std::string absolute = tooling::getAbsolutePath(input);
    FileConversion result;
    auto it = by_path.find(absolute);
    if (it == by_path.end()) it = by_path.find(input);
    if (it != by_path.end()) {
      result = it->second;
    } else {
      result.error = "does not compile (see the diagnostics above)";
    }
    result.input = input;
    results.push_back(result);
  }
  return results;
}

}  // namespace rayify
