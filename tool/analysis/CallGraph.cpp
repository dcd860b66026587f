#include "analysis/CallGraph.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

namespace rayify {

using namespace clang;

class CallGraphBuilder : public RecursiveASTVisitor<CallGraphBuilder> {
 public:
  CallGraphBuilder(const SourceManager &sources, CallGraph &graph)
      : sources_(sources), graph_(graph) {}

  // Calls are attributed to the function whose body holds them (member functions,
  // constructors and destructors included), or to static initialization when they
  // initialise a global.
  bool TraverseDecl(Decl *decl) {
    if (decl == nullptr) return true;
    const FunctionDecl *saved_function = current_;
    bool saved_static = in_static_init_;
    if (const auto *function = dyn_cast<FunctionDecl>(decl);
        function != nullptr && function->doesThisDeclarationHaveABody()) {
      current_ = function->getCanonicalDecl();
      in_static_init_ = false;
      NoteDefinition(function);
    } else if (const auto *var = dyn_cast<VarDecl>(decl);
               var != nullptr && var->hasGlobalStorage() && !var->isStaticLocal() &&
               var->hasInit()) {
      current_ = nullptr;
      in_static_init_ = true;
    }
    bool result = RecursiveASTVisitor::TraverseDecl(decl);
    current_ = saved_function;
    in_static_init_ = saved_static;
    return result;
  }

  bool VisitCallExpr(CallExpr *call) {
    if (const FunctionDecl *callee = call->getDirectCallee()) Note(callee);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *construct) {
    Note(construct->getConstructor());
    return true;
  }

 private:
  void NoteDefinition(const FunctionDecl *function) {
    if (isa<CXXMethodDecl>(function) || !sources_.isInMainFile(function->getLocation())) {
      return;
    }
    graph_.definitions_.push_back(function);
    if (function->isMain()) graph_.main_ = function;
  }

  void Note(const FunctionDecl *callee) {
    if (current_ != nullptr) {
      graph_.callers_[callee->getCanonicalDecl()].insert(current_);
    } else if (in_static_init_) {
      graph_.static_init_callees_.insert(callee->getCanonicalDecl());
    }
  }

  const SourceManager &sources_;
  CallGraph &graph_;
  const FunctionDecl *current_ = nullptr;
  bool in_static_init_ = false;
};

CallGraph::CallGraph(ASTContext &context) {
  CallGraphBuilder builder(context.getSourceManager(), *this);
  builder.TraverseDecl(context.getTranslationUnitDecl());
}

std::set<const FunctionDecl *> CallGraph::CallersOf(const FunctionDecl *function) const {
  auto it = callers_.find(function->getCanonicalDecl());
  return it == callers_.end() ? std::set<const FunctionDecl *>{} : it->second;
}

bool CallGraph::CalledDuringStaticInit(const FunctionDecl *function) const {
  return static_init_callees_.count(function->getCanonicalDecl()) != 0;
}

std::vector<const FunctionDecl *> CallGraph::DriverFunctions() const {
  std::vector<const FunctionDecl *> driver;
  if (main_ == nullptr) return driver;
  driver.push_back(main_);
  for (const FunctionDecl *function : definitions_) {
    auto callers = CallersOf(function);
    if (function != main_ && callers.size() == 1 &&
        *callers.begin() == main_->getCanonicalDecl() &&
        !CalledDuringStaticInit(function) && !isa<CXXMethodDecl>(function)) {
      driver.push_back(function);
    }
  }
  return driver;
}

}  // namespace rayify
