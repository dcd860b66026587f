#include "analysis/CallGraph.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <algorithm>
#include <string>

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

  // A lambda's body runs wherever the lambda is called, which may be outside driver
  // code (a thread, std::atexit, a callback kept for later): its calls are the call
  // operator's, a member function and never driver code, not the enclosing
  // function's. RecursiveASTVisitor walks the body as part of the lambda expression.
  bool TraverseLambdaExpr(LambdaExpr *lambda) {
    const FunctionDecl *saved_function = current_;
    current_ = lambda->getCallOperator()->getCanonicalDecl();
    bool result = RecursiveASTVisitor::TraverseLambdaExpr(lambda);
    current_ = saved_function;
    return result;
  }

  bool VisitCallExpr(CallExpr *call) {
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      Note(callee);
      graph_.calls_[callee->getCanonicalDecl()].push_back(call);
      callee_refs_.insert(call->getCallee()->IgnoreParenImpCasts());
    }
    return true;
  }

  // Any other mention of a function hands it to code that may call it anywhere.
  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    const auto *function = dyn_cast<FunctionDecl>(ref->getDecl());
    if (function != nullptr && callee_refs_.count(ref) == 0) {
      graph_.address_taken_.insert(function->getCanonicalDecl());
    }
    return true;
  }

  // A call in a template that names its callee before instantiation: which
  // overload it calls, and from where, is known only per instantiation.
  bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *lookup) {
    for (const NamedDecl *candidate : lookup->decls()) {
      const NamedDecl *target = candidate->getUnderlyingDecl();
      if (const auto *pattern = dyn_cast<FunctionTemplateDecl>(target)) {
        target = pattern->getTemplatedDecl();
      }
      if (const auto *function = dyn_cast<FunctionDecl>(target)) {
        graph_.address_taken_.insert(function->getCanonicalDecl());
      }
    }
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *construct) {
    Note(construct->getConstructor());
    return true;
  }

 private:
  void NoteDefinition(const FunctionDecl *function) {
    if (!sources_.isInMainFile(function->getLocation())) return;
    const auto *method = dyn_cast<CXXMethodDecl>(function);
    if (!function->isImplicit() &&
        (method == nullptr || !method->getParent()->isLambda())) {
      graph_.bodies_.push_back(function);
    }
    if (method != nullptr) {
      if (!method->getParent()->isLambda()) graph_.methods_.push_back(method);
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
  std::set<const Expr *> callee_refs_;
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

bool CallGraph::AddressTaken(const FunctionDecl *function) const {
  return address_taken_.count(function->getCanonicalDecl()) != 0;
}

// A free function of the main file that nothing outside its direct callers can run.
bool CallGraph::OnlyCalled(const FunctionDecl *function) const {
  return function != main_ && !isa<CXXMethodDecl>(function) &&
         !CalledDuringStaticInit(function) && !AddressTaken(function);
}

// Names the standard library's templates call on the objects they are handed
// (`std::back_inserter` calls `push_back`, a range-for `begin`), in code this graph
// does not see: such a method may run from the library, inside a task too.
bool NamedForTheLibrary(const CXXMethodDecl *method) {
  static const std::set<std::string> names = {
      "begin", "end",   "cbegin",    "cend",       "rbegin",       "rend",    "size",
      "empty", "data",  "push_back", "push_front", "emplace_back", "emplace", "insert",
      "erase", "clear", "reserve",   "resize",     "swap",         "get",     "max_size"};
  return method->getIdentifier() != nullptr && names.count(method->getName().str()) != 0;
}

bool InTemplateOrLocalClass(const CXXMethodDecl *method) {
  const CXXRecordDecl *record = method->getParent();
  return method->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
         record->isDependentContext() || record->isLocalClass() ||
         isa<ClassTemplateSpecializationDecl>(record);
}

// A member function that runs only where a call of ours names it, on the thread of
// that call: not virtual (an override runs wherever its base's calls are), not a
// constructor, destructor, operator or conversion (they run without a call we see,
// from the library too), nor one the library calls by name, nor a member of a
// template (instantiated per use), a local class, or a class that became an actor
// (its methods run in the actor's process).
bool CallGraph::OnlyCalledMethod(
    const CXXMethodDecl *method,
    const std::set<const CXXRecordDecl *> &actor_classes) const {
  const CXXRecordDecl *record = method->getParent();
  return !method->isVirtual() && !isa<CXXConstructorDecl>(method) &&
         !isa<CXXDestructorDecl>(method) && !isa<CXXConversionDecl>(method) &&
         !method->isOverloadedOperator() && !NamedForTheLibrary(method) &&
         !InTemplateOrLocalClass(method) &&
         actor_classes.count(record->getCanonicalDecl()) == 0 &&
         !CalledDuringStaticInit(method) && !AddressTaken(method);
}

std::vector<const FunctionDecl *> CallGraph::OnlyCalledFunctions() const {
  std::vector<const FunctionDecl *> candidates;
  for (const FunctionDecl *function : definitions_) {
    if (OnlyCalled(function)) candidates.push_back(function);
  }
  return candidates;
}

std::vector<const FunctionDecl *> CallGraph::DriverFunctions() const {
  return UnderMain(OnlyCalledFunctions());
}

std::vector<const FunctionDecl *> CallGraph::DriverFunctionsWithMethods(
    const std::set<const CXXRecordDecl *> &actor_classes) const {
  std::vector<const FunctionDecl *> candidates = OnlyCalledFunctions();
  for (const CXXMethodDecl *method : methods_) {
    if (OnlyCalledMethod(method, actor_classes)) candidates.push_back(method);
  }
  return UnderMain(candidates);
}

std::vector<const FunctionDecl *> CallGraph::UnderMain(
    const std::vector<const FunctionDecl *> &candidates) const {
  std::vector<const FunctionDecl *> driver;
  if (main_ == nullptr) return driver;
  driver.push_back(main_);
  std::set<const FunctionDecl *> known = {main_->getCanonicalDecl()};
  // Grows until no function has all its callers among the driver functions, so each
  // is listed after all of its callers.
  for (bool grew = true; grew;) {
    grew = false;
    for (const FunctionDecl *function : candidates) {
      const FunctionDecl *canonical = function->getCanonicalDecl();
      if (known.count(canonical) != 0) continue;
      std::set<const FunctionDecl *> callers = CallersOf(function);
      bool under_driver =
          !callers.empty() &&
          std::all_of(callers.begin(), callers.end(), [&](const FunctionDecl *caller) {
            return known.count(caller) != 0;
          });
      if (under_driver) {
        driver.push_back(function);
        known.insert(canonical);
        grew = true;
      }
    }
  }
  return driver;
}

std::vector<const FunctionDecl *> CallGraph::MainAndItsHelpers() const {
  std::vector<const FunctionDecl *> driver;
  if (main_ == nullptr) return driver;
  driver.push_back(main_);
  for (const FunctionDecl *function : definitions_) {
    auto callers = CallersOf(function);
    if (OnlyCalled(function) && callers.size() == 1 &&
        *callers.begin() == main_->getCanonicalDecl()) {
      driver.push_back(function);
    }
  }
  return driver;
}

std::optional<std::vector<const CallExpr *>> CallGraph::EveryCallOf(
    const FunctionDecl *function) const {
  const auto *method = dyn_cast<CXXMethodDecl>(function);
  // Operators (a functor's call operator included) and conversions are also called
  // from inside the library (std::sort's comparisons), where no call of ours shows.
  if (AddressTaken(function) || function->isMain() || function->isOverloadedOperator() ||
      isa<CXXConversionDecl>(function) || (method != nullptr && method->isVirtual()) ||
      function->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
      (function->isExternallyVisible() && main_ == nullptr)) {
    return std::nullopt;
  }
  auto it = calls_.find(function->getCanonicalDecl());
  if (it == calls_.end()) return std::vector<const CallExpr *>{};
  return it->second;
}

bool CallGraph::ReachableFrom(const FunctionDecl *function,
                              const std::set<const FunctionDecl *> &roots) const {
  std::set<const FunctionDecl *> seen;
  std::vector<const FunctionDecl *> pending = {function->getCanonicalDecl()};
  while (!pending.empty()) {
    const FunctionDecl *next = pending.back();
    pending.pop_back();
    if (!seen.insert(next).second) continue;
    if (roots.count(next) != 0) return true;
    for (const FunctionDecl *caller : CallersOf(next)) pending.push_back(caller);
  }
  return false;
}

}  // namespace rayify
