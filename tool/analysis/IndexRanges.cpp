#include "analysis/IndexRanges.h"

#include <clang/AST/Decl.h>

#include "analysis/CarriedWrites.h"
#include "analysis/LoopSafety.h"

namespace rayify {
namespace {

using namespace clang;

// Whether every mention of `var` in `stmt` only reads its value.
bool OnlyRead(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return true;
  if (const auto *cast = dyn_cast<ImplicitCastExpr>(stmt);
      cast != nullptr && cast->getCastKind() == CK_LValueToRValue) {
    const auto *ref = dyn_cast<DeclRefExpr>(cast->getSubExpr()->IgnoreParens());
    if (ref != nullptr && ref->getDecl() == var) return true;
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != var;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyRead(child, var)) return false;
  }
  return true;
}

// A variable whose value is the same wherever its function reads it: a parameter or
// local of integer type that the function never assigns (after its initialiser),
// steps, binds a reference to or takes the address of.
bool IsSymbol(const VarDecl *var) {
  if (var == nullptr || !var->hasLocalStorage() || !var->getType()->isIntegerType() ||
      var->getType()->isReferenceType() || var->getType().isVolatileQualified()) {
    return false;
  }
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  return function != nullptr && function->hasBody() && OnlyRead(function->getBody(), var);
}

std::optional<long long> Multiply(long long a, long long b) {
  long long product;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

std::optional<AffineBound> Scale(const AffineBound &bound, long long factor) {
  std::optional<long long> scale = Multiply(bound.scale, factor);
  std::optional<long long> offset = Multiply(bound.offset, factor);
  if (!scale || !offset) return std::nullopt;
  return AffineBound{*scale == 0 ? nullptr : bound.symbol, *scale, *offset};
}

std::optional<AffineBound> Add(const AffineBound &a, const AffineBound &b) {
  if (a.symbol != nullptr && b.symbol != nullptr && a.symbol != b.symbol)
    return std::nullopt;
  long long scale, offset;
  if (__builtin_add_overflow(a.scale, b.scale, &scale) ||
      __builtin_add_overflow(a.offset, b.offset, &offset)) {
    return std::nullopt;
  }
  const VarDecl *symbol = a.symbol != nullptr ? a.symbol : b.symbol;
  return AffineBound{scale == 0 ? nullptr : symbol, scale, offset};
}

std::optional<IndexInterval> Sum(const IndexInterval &a, const IndexInterval &b) {
  std::optional<AffineBound> low = Add(a.low, b.low);
  std::optional<AffineBound> high = Add(a.high, b.high);
  if (!low || !high) return std::nullopt;
  return IndexInterval{*low, *high};
}

std::optional<IndexInterval> Times(const IndexInterval &range, long long factor) {
  std::optional<AffineBound> low = Scale(range.low, factor);
  std::optional<AffineBound> high = Scale(range.high, factor);
  if (!low || !high) return std::nullopt;
  if (factor < 0) std::swap(low, high);
  return IndexInterval{*low, *high};
}

std::optional<long long> Constant(const IndexInterval &range) {
  if (range.low.symbol != nullptr || range.high.symbol != nullptr ||
      range.low.offset != range.high.offset) {
    return std::nullopt;
  }
  return range.low.offset;
}

}  // namespace

std::optional<IndexInterval> RangeOf(const Expr *index, const CounterRanges &counters,
                                     ASTContext &context) {
  if (index == nullptr) return std::nullopt;
  index = index->IgnoreParenImpCasts();
  Expr::EvalResult value;
  if (!index->isValueDependent() && index->EvaluateAsInt(value, context)) {
    if (value.Val.getInt().getSignificantBits() > 63) return std::nullopt;
    long long constant = value.Val.getInt().getSExtValue();
    return IndexInterval{{nullptr, 0, constant}, {nullptr, 0, constant}};
  }
  if (const VarDecl *var = ReferencedVar(index)) {
    for (auto it = counters.rbegin(); it != counters.rend(); ++it) {
      if (it->first == var) return it->second;
    }
    if (!IsSymbol(var)) return std::nullopt;
    return IndexInterval{{var, 1, 0}, {var, 1, 0}};
  }
  const auto *binary = dyn_cast<BinaryOperator>(index);
  if (binary == nullptr) return std::nullopt;
  std::optional<IndexInterval> left = RangeOf(binary->getLHS(), counters, context);
  std::optional<IndexInterval> right = RangeOf(binary->getRHS(), counters, context);
  if (!left || !right) return std::nullopt;
  switch (binary->getOpcode()) {
    case BO_Add:
      return Sum(*left, *right);
    case BO_Sub: {
      std::optional<IndexInterval> negated = Times(*right, -1);
      return negated ? Sum(*left, *negated) : std::nullopt;
    }
    case BO_Mul:
      if (std::optional<long long> factor = Constant(*right))
        return Times(*left, *factor);
      if (std::optional<long long> factor = Constant(*left))
        return Times(*right, *factor);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<IndexInterval> CounterRange(const ForStmt *loop, const CounterRanges &outer,
                                          ASTContext &context) {
  const VarDecl *counter = LoopCounter(loop);
  if (counter == nullptr || !counter->getType()->isIntegerType() ||
      SteppedByOne(loop->getInc(), context) != counter ||
      Writes(loop->getBody(), counter)) {
    return std::nullopt;
  }
  const auto *cond = dyn_cast_or_null<BinaryOperator>(
      loop->getCond() ? loop->getCond()->IgnoreParenImpCasts() : nullptr);
  if (cond == nullptr || ReferencedVar(cond->getLHS()) != counter ||
      (cond->getOpcode() != BO_LT && cond->getOpcode() != BO_LE)) {
    return std::nullopt;
  }
  std::optional<IndexInterval> start =
      RangeOf(CounterStart(loop, counter), outer, context);
  std::optional<IndexInterval> end = RangeOf(cond->getRHS(), outer, context);
  if (!start || !end) return std::nullopt;
  // The counter runs from the least start to the greatest end.
  IndexInterval range{start->low, end->high};
  if (cond->getOpcode() == BO_LT) {
    std::optional<AffineBound> last = Add(range.high, AffineBound{nullptr, 0, -1});
    if (!last) return std::nullopt;
    range.high = *last;
  }
  return range;
}

bool Within(const IndexInterval &inner, const IndexInterval &outer) {
  auto comparable = [](const AffineBound &a, const AffineBound &b) {
    return a.symbol == b.symbol && a.scale == b.scale;
  };
  return comparable(inner.low, outer.low) && comparable(inner.high, outer.high) &&
         inner.low.offset >= outer.low.offset && inner.high.offset <= outer.high.offset;
}

std::optional<AffineBound> OneValue(const IndexInterval &range) {
  const AffineBound &low = range.low;
  const AffineBound &high = range.high;
  if (low.symbol != high.symbol || low.scale != high.scale || low.offset != high.offset)
    return std::nullopt;
  return low;
}

std::optional<AffineBound> ScaledAndShifted(const AffineBound &bound, long long factor,
                                            long long shift) {
  std::optional<AffineBound> scaled = Scale(bound, factor);
  return scaled ? Add(*scaled, AffineBound{nullptr, 0, shift}) : std::nullopt;
}

bool AtLeast(const AffineBound &bound, long long value) {
  return bound.symbol == nullptr && bound.offset >= value;
}

}  // namespace rayify
