#include "analysis/GlobalMutations.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include "analysis/CalleeEffects.h"
#include "analysis/Writes.h"

namespace rayify {

using namespace clang;

class GlobalMutationScanner : public RecursiveASTVisitor<GlobalMutationScanner> {
 public:
  GlobalMutationScanner(ASTContext &context, EffectAnalyzer &effects,
                        GlobalMutations &result)
      : context_(context), effects_(effects), result_(result) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(Decl *decl) {
    if (decl != nullptr && !isa<TranslationUnitDecl>(decl) &&
        context_.getSourceManager().isInSystemHeader(decl->getLocation())) {
      return true;
    }
    return RecursiveASTVisitor::TraverseDecl(decl);
  }

  using Base = RecursiveASTVisitor<GlobalMutationScanner>;
  bool TraverseFunctionDecl(FunctionDecl *f) {
    return Within(f, [&] { return Base::TraverseFunctionDecl(f); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *f) {
    return Within(f, [&] { return Base::TraverseCXXMethodDecl(f); });
  }
  bool TraverseCXXConstructorDecl(CXXConstructorDecl *f) {
    return Within(f, [&] { return Base::TraverseCXXConstructorDecl(f); });
  }
  bool TraverseCXXDestructorDecl(CXXDestructorDecl *f) {
    return Within(f, [&] { return Base::TraverseCXXDestructorDecl(f); });
  }

  bool VisitVarDecl(VarDecl *var) {
    const Expr *init = var->getInit();
    if (init == nullptr) return true;
    if (var->hasGlobalStorage()) Add(effects_.OfStmt(init).globals_written);
    QualType type = var->getType();
    if (type->isLValueReferenceType() && !type.getNonReferenceType().isConstQualified()) {
      Escape(init);
    }
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *unary) {
    if (unary->getOpcode() == UO_AddrOf) Escape(unary->getSubExpr());
    return true;
  }

  bool VisitImplicitCastExpr(ImplicitCastExpr *cast) {
    if (cast->getCastKind() == CK_ArrayToPointerDecay &&
        !cast->getType()->getPointeeType().isConstQualified()) {
      Escape(cast->getSubExpr());
    }
    return true;
  }

  bool VisitReturnStmt(ReturnStmt *ret) {
    if (function_ == nullptr || ret->getRetValue() == nullptr) return true;
    QualType type = function_->getReturnType();
    if (type->isLValueReferenceType() && !type.getNonReferenceType().isConstQualified()) {
      Escape(ret->getRetValue());
    }
    return true;
  }

 private:
  // Notes what `function` writes, and traverses it as the current function.
  template <typename Traverse>
  bool Within(FunctionDecl *function, Traverse traverse) {
    if (function->doesThisDeclarationHaveABody() && !function->isDependentContext()) {
      Add(effects_.OfFunction(function).globals_written);
    }
    const FunctionDecl *saved = function_;
    function_ = function;
    bool result = traverse();
    function_ = saved;
    return result;
  }

  void Add(const std::set<const VarDecl *> &vars) {
    result_.changed_.insert(vars.begin(), vars.end());
  }

  void Escape(const Expr *expr) {
    WriteTarget target = ResolveWriteTarget(expr);
    if (target.kind == WriteTarget::kVariable && IsMutableGlobal(target.var, context_)) {
      result_.changed_.insert(target.var->getCanonicalDecl());
    }
  }

  ASTContext &context_;
  EffectAnalyzer &effects_;
  GlobalMutations &result_;
  const FunctionDecl *function_ = nullptr;
};

GlobalMutations::GlobalMutations(ASTContext &context, EffectAnalyzer &effects)
    : project_(effects.Project()) {
  GlobalMutationScanner scanner(context, effects, *this);
  scanner.TraverseDecl(context.getTranslationUnitDecl());
}

bool GlobalMutations::MayChange(const VarDecl *var) const {
  // What a global pointer or reference leads to is the driver's memory, which the
  // program may change even when the pointer never does.
  bool changed = changed_.count(var->getCanonicalDecl()) != 0;
  QualType type = var->getType();
  if (type->isPointerType() || type->isReferenceType()) {
    const Expr *init = var->getInit();
    bool literal = init != nullptr && isa<StringLiteral>(init->IgnoreParenImpCasts());
    changed = changed || !literal;  // a string literal never changes
  }
  // Only a project has other units whose writes count (and a "no" to remember).
  if (changed || project_ == nullptr) return changed;
  return MayChange(UsrOf(var->getCanonicalDecl()));
}

bool GlobalMutations::MayChange(const std::string &usr) const {
  bool changed = project_ != nullptr && project_->Changes(usr);
  if (!changed) assumed_unchanged_.insert(usr);
  return changed;
}

std::vector<std::string> GlobalMutations::AssumedUnchanged() const {
  return {assumed_unchanged_.begin(), assumed_unchanged_.end()};
}

std::vector<std::string> GlobalMutations::ChangedUsrs() const {
  std::set<std::string> usrs;
  for (const VarDecl *var : changed_) usrs.insert(UsrOf(var));
  return {usrs.begin(), usrs.end()};
}

}  // namespace rayify
