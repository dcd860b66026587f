#include "analysis/CostModel.h"

#include <clang/AST/Expr.h>

#include "analysis/CalleeEffects.h"

namespace rayify {

using namespace clang;

std::optional<unsigned long long> ConstantTripCount(const Stmt *loop,
                                                    ASTContext &context) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr || for_stmt->getCond() == nullptr) return std::nullopt;
  const auto *init = dyn_cast_or_null<DeclStmt>(for_stmt->getInit());
  const auto *var = init != nullptr && init->isSingleDecl()
                        ? dyn_cast<VarDecl>(init->getSingleDecl())
                        : nullptr;
  const auto *cond = dyn_cast<BinaryOperator>(for_stmt->getCond()->IgnoreParenImpCasts());
  if (var == nullptr || var->getInit() == nullptr || cond == nullptr ||
      !cond->isComparisonOp()) {
    return std::nullopt;
  }
  Expr::EvalResult start, bound;
  if (!var->getInit()->EvaluateAsInt(start, context)) return std::nullopt;
  const Expr *other =
      BaseVariable(cond->getLHS()) == var ? cond->getRHS() : cond->getLHS();
  if (!other->EvaluateAsInt(bound, context)) return std::nullopt;
  // An upper bound: the step may be larger than one, never smaller.
  llvm::APSInt span = bound.Val.getInt() - start.Val.getInt();
  return span.abs().getLimitedValue() + 1;
}

bool HasSmallConstantTripCount(const Stmt *loop, ASTContext &context, long long limit) {
  auto count = ConstantTripCount(loop, context);
  return count && limit >= 0 && *count <= static_cast<unsigned long long>(limit) + 1;
}

bool IsWorthATask(const FunctionDecl *callee, EffectAnalyzer &effects) {
  return effects.OfFunction(callee).has_loop;
}

}  // namespace rayify
