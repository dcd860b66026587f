#include "analysis/BoundParameters.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <set>
#include <vector>

#include "analysis/GlobalMutations.h"
#include "analysis/LoopSafety.h"
#include "analysis/Serializability.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// Every direct call of each function, and how often each function is named at all.
class CallSites : public RecursiveASTVisitor<CallSites> {
 public:
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitCallExpr(CallExpr *call) {
    const auto *callee = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
    const auto *function =
        callee != nullptr ? dyn_cast<FunctionDecl>(callee->getDecl()) : nullptr;
    if (function != nullptr) calls[function->getCanonicalDecl()].push_back(call);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (const auto *function = dyn_cast<FunctionDecl>(ref->getDecl()))
      ++named[function->getCanonicalDecl()];
    return true;
  }

  std::map<const FunctionDecl *, std::vector<const CallExpr *>> calls;
  std::map<const FunctionDecl *, size_t> named;
};

// Whether `stmt` points `param` elsewhere, lets it be pointed elsewhere (its address,
// a non-const reference to it, passed or declared, a lambda capturing it by reference)
// or asks its size, which an array standing in for it would answer differently.
bool ChangesOrMeasures(const Stmt *stmt, const ParmVarDecl *param) {
  if (stmt == nullptr) return false;
  auto is_param = [&](const Expr *expr) {
    const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts());
    return ref != nullptr && ref->getDecl() == param;
  };
  bool changed = false;
  ForEachWrite(stmt, [&](const Expr *target) { changed = changed || is_param(target); });
  if (changed) return true;
  if (const auto *unary = dyn_cast<UnaryOperator>(stmt);
      unary != nullptr && unary->getOpcode() == UO_AddrOf &&
      is_param(unary->getSubExpr())) {
    return true;
  }
  if (const auto *trait = dyn_cast<UnaryExprOrTypeTraitExpr>(stmt))
    return Mentions(trait, param);
  // `double *&alias = p;` reseats `p` through `alias`.
  if (const auto *declaration = dyn_cast<DeclStmt>(stmt)) {
    for (const Decl *decl : declaration->decls()) {
      const auto *var = dyn_cast<VarDecl>(decl);
      if (var != nullptr && var->getType()->isReferenceType() &&
          !var->getType().getNonReferenceType().isConstQualified() &&
          var->getInit() != nullptr && is_param(var->getInit())) {
        return true;
      }
    }
  }
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    for (const LambdaCapture &capture : lambda->captures()) {
      if (capture.capturesVariable() && capture.getCaptureKind() == LCK_ByRef &&
          capture.getCapturedVar() == param) {
        return true;
      }
    }
  }
  for (const Stmt *child : stmt->children()) {
    if (ChangesOrMeasures(child, param)) return true;
  }
  return false;
}

// The array `arg` names, as a bound parameter of pointee `pointee` would see it.
std::optional<BoundArray> ArrayPassed(const Expr *arg, QualType pointee,
                                      const GlobalMutations &mutations) {
  const auto *ref = dyn_cast<DeclRefExpr>(arg->IgnoreParenImpCasts());
  const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (var == nullptr || isa<ParmVarDecl>(var) || var->getType()->isReferenceType() ||
      var->getType().isVolatileQualified()) {
    return std::nullopt;
  }
  std::optional<QualType> type;
  if (IsNumberArray(var->getType())) {
    type = var->getType();
  } else if (var->hasGlobalStorage()) {
    type = mutations.FixedBlock(var);
  }
  if (!type || !IsNumberArray(*type)) return std::nullopt;
  const auto *array = dyn_cast<ConstantArrayType>(type->getCanonicalType().getTypePtr());
  if (array->getElementType().getUnqualifiedType() !=
      pointee.getCanonicalType().getUnqualifiedType()) {
    return std::nullopt;
  }
  return BoundArray{var->getCanonicalDecl(), *type};
}

// What parameter `index` of `function` is bound to, given all its calls.
std::optional<BoundArray> BindingOf(const FunctionDecl *function, unsigned index,
                                    const std::vector<const CallExpr *> &calls,
                                    const GlobalMutations &mutations) {
  const ParmVarDecl *param = function->getParamDecl(index);
  QualType type = param->getType();
  if (!type->isPointerType() || type.isVolatileQualified() || calls.empty())
    return std::nullopt;
  std::optional<BoundArray> bound;
  for (const CallExpr *call : calls) {
    if (index >= call->getNumArgs()) return std::nullopt;
    std::optional<BoundArray> passed =
        ArrayPassed(call->getArg(index), type->getPointeeType(), mutations);
    if (!passed || (bound && bound->array != passed->array)) return std::nullopt;
    bound = passed;
  }
  if (ChangesOrMeasures(function->getBody(), param)) return std::nullopt;
  return bound;
}

}  // namespace

std::map<const ParmVarDecl *, BoundArray> BindParameters(
    ASTContext &context, const GlobalMutations &mutations) {
  CallSites sites;
  sites.TraverseDecl(context.getTranslationUnitDecl());
  const SourceManager &sources = context.getSourceManager();
  std::map<const ParmVarDecl *, BoundArray> bound;
  for (const auto &[function, calls] : sites.calls) {
    const FunctionDecl *definition = function->getDefinition();
    // Only this unit can call a function of internal linkage; one named other than
    // by a call may be called from anywhere.
    if (definition == nullptr || definition->isExternallyVisible() ||
        isa<CXXMethodDecl>(definition) || definition->isTemplated() ||
        sources.isInSystemHeader(definition->getLocation()) ||
        sites.named[function] != calls.size()) {
      continue;
    }
    // Two parameters given one variable, by any call, would be two names for the
    // same memory.
    std::map<const VarDecl *, std::set<unsigned>> positions;
    for (const CallExpr *call : calls) {
      for (unsigned i = 0; i < call->getNumArgs(); ++i) {
        if (const VarDecl *var = ReferencedVar(call->getArg(i)))
          positions[var->getCanonicalDecl()].insert(i);
      }
    }
    for (unsigned i = 0; i < definition->getNumParams(); ++i) {
      std::optional<BoundArray> binding = BindingOf(definition, i, calls, mutations);
      if (binding && positions[binding->array].size() == 1)
        bound.emplace(definition->getParamDecl(i), *binding);
    }
  }
  return bound;
}

}  // namespace rayify
