#include "analysis/CallGraph.h"

#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

namespace rayify {

using namespace clang;

class CallGraphBuilder : public RecursiveASTVisitor<CallGraphBuilder> {
 public:
  CallGraphBuilder(const SourceManager &sources, CallGraph &graph)
      : sources_(sources), graph_(graph) {}

  bool TraverseFunctionDecl(FunctionDecl *function) {
    const FunctionDecl *saved = current_;
    if (function->doesThisDeclarationHaveABody() &&
        sources_.isInMainFile(function->getLocation())) {
      current_ = function->getCanonicalDecl();
      graph_.definitions_.push_back(function);
      if (function->isMain()) graph_.main_ = function;
    }
    bool result = RecursiveASTVisitor::TraverseFunctionDecl(function);
    current_ = saved;
    return result;
  }

  bool VisitCallExpr(CallExpr *call) {
    if (current_ == nullptr) return true;
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      graph_.callers_[callee->getCanonicalDecl()].insert(current_);
    }
    return true;
  }

 private:
  const SourceManager &sources_;
  CallGraph &graph_;
  const FunctionDecl *current_ = nullptr;
};

CallGraph::CallGraph(ASTContext &context) {
  CallGraphBuilder builder(context.getSourceManager(), *this);
  builder.TraverseDecl(context.getTranslationUnitDecl());
}

std::set<const FunctionDecl *> CallGraph::CallersOf(const FunctionDecl *function) const {
  auto it = callers_.find(function->getCanonicalDecl());
  return it == callers_.end() ? std::set<const FunctionDecl *>{} : it->second;
}

}  // namespace rayify
