#include "analysis/WorkEstimate.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <map>
#include <set>

#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/GlobalMutations.h"

namespace rayify {

using namespace clang;

namespace {

// Deeper call chains than this are not followed: their cost is unknown.
constexpr int kMaxCallDepth = 8;

// What a library call costs in operations, or nullopt when unknown. Element access and
// the like are an operation; a math function is a few dozen.
std::optional<double> LibraryCallCost(const FunctionDecl *callee) {
  static const std::set<std::string> kCheap = {
      "size",       "empty",    "operator[]", "at",         "begin",      "end",
      "front",      "back",     "fabs",       "abs",        "min",        "max",
      "floor",      "ceil",     "round",      "swap",       "push_back",  "emplace_back",
      "pop_back",   "clear",    "operator*",  "operator->", "operator++", "operator!=",
      "operator==", "operator="};
  static const std::set<std::string> kMath = {"sqrt",  "sin",  "cos",   "tan", "exp",
                                              "log",   "log2", "log10", "pow", "atan",
                                              "atan2", "tanh", "hypot", "cbrt"};
  if (!callee->getDeclName().isIdentifier() && !callee->isOverloadedOperator()) {
    return std::nullopt;
  }
  std::string name = callee->getNameAsString();
  if (kCheap.count(name) != 0) return 1.0;
  if (kMath.count(name) != 0) return 20.0;
  return std::nullopt;
}

class Estimator {
 public:
  Estimator(EffectAnalyzer &effects, ASTContext &context)
      : effects_(effects), context_(context) {}

  std::optional<double> Of(const Stmt *stmt) {
    if (stmt == nullptr) return 0.0;
    if (isa<LambdaExpr>(stmt)) return 0.0;  // made here, run elsewhere
    if (IsLoop(stmt)) return OfLoop(stmt);
    if (const auto *branch = dyn_cast<IfStmt>(stmt)) return OfBranch(branch);
    double own = 0;
    if (const auto *call = dyn_cast<CallExpr>(stmt)) {
      std::optional<double> cost = OfCall(call);
      if (!cost) return std::nullopt;
      own = *cost;
    } else if (isa<BinaryOperator, UnaryOperator, ArraySubscriptExpr,
                   ConditionalOperator>(stmt)) {
      own = 1;
    }
    return Plus(own, Children(stmt));
  }

  // How many times a counted for loop runs: from its bounds where they are known here,
  // else at most ExtentTripBound.
  std::optional<long long> TripCount(const ForStmt *loop) {
    const VarDecl *counter = LoopCounter(loop);
    const auto *cond = dyn_cast_or_null<BinaryOperator>(
        loop->getCond() ? loop->getCond()->IgnoreParenImpCasts() : nullptr);
    if (counter == nullptr || cond == nullptr ||
        (cond->getOpcode() != BO_LT && cond->getOpcode() != BO_LE)) {
      return std::nullopt;
    }
    const auto *lhs = dyn_cast<DeclRefExpr>(cond->getLHS()->IgnoreParenImpCasts());
    if (lhs == nullptr || lhs->getDecl() != counter) return std::nullopt;
    std::optional<long long> begin = StartOf(loop, counter);
    std::optional<long long> end = Value(cond->getRHS());
    std::optional<long long> step = StepOf(loop->getInc(), counter);
    if (!step || *step <= 0) return std::nullopt;
    if (!begin || !end) {
      std::optional<unsigned long long> bound = ExtentTripBound(loop, context_);
      if (!bound) return std::nullopt;
      return static_cast<long long>((*bound + *step - 1) / *step);
    }
    long long span = *end - *begin + (cond->getOpcode() == BO_LE ? 1 : 0);
    return span <= 0 ? 0 : (span + *step - 1) / *step;
  }

 private:
  static std::optional<double> Plus(double a, std::optional<double> b) {
    return b ? std::optional<double>(a + *b) : std::nullopt;
  }

  std::optional<double> Children(const Stmt *stmt) {
    double total = 0;
    for (const Stmt *child : stmt->children()) {
      std::optional<double> cost = Of(child);
      if (!cost) return std::nullopt;
      total += *cost;
    }
    return total;
  }

  std::optional<double> OfBranch(const IfStmt *branch) {
    std::optional<double> cond = Of(branch->getCond());
    std::optional<double> then = Of(branch->getThen());
    std::optional<double> other = Of(branch->getElse());
    if (!cond || !then || !other) return std::nullopt;
    return *cond + std::max(*then, *other);
  }

  // A counted for loop: `for (i = a; i < b; ++i)` (or <=, or `i += c`) whose bounds
  // are known here.
  std::optional<double> OfLoop(const Stmt *loop) {
    const auto *for_stmt = dyn_cast<ForStmt>(loop);
    if (for_stmt == nullptr) return std::nullopt;
    std::optional<long long> trips = TripCount(for_stmt);
    if (!trips) return std::nullopt;
    std::optional<double> body = Of(for_stmt->getBody());
    std::optional<double> header = Of(for_stmt->getCond());
    if (!body || !header) return std::nullopt;
    return static_cast<double>(*trips) * (*body + *header + 1);
  }

  std::optional<long long> StartOf(const ForStmt *loop, const VarDecl *counter) {
    const Expr *start = CounterStart(loop, counter);
    return start != nullptr ? Value(start) : std::nullopt;
  }

  std::optional<long long> StepOf(const Expr *inc, const VarDecl *counter) {
    if (inc == nullptr) return std::nullopt;
    if (SteppedByOne(inc, context_) == counter) return 1;
    const auto *add = dyn_cast<CompoundAssignOperator>(inc->IgnoreParenImpCasts());
    if (add == nullptr || add->getOpcode() != BO_AddAssign) return std::nullopt;
    const auto *target = dyn_cast<DeclRefExpr>(add->getLHS()->IgnoreParenImpCasts());
    if (target == nullptr || target->getDecl() != counter) return std::nullopt;
    return Value(add->getRHS());
  }

  // An integer the source fixes: a constant expression, or arithmetic on parameters
  // bound to constant arguments.
  std::optional<long long> Value(const Expr *expr) {
    expr = expr->IgnoreParenImpCasts();
    Expr::EvalResult result;
    if (!expr->isValueDependent() && expr->EvaluateAsInt(result, context_)) {
      return result.Val.getInt().getExtValue();
    }
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
      auto bound = bindings_.find(ref->getDecl());
      if (bound != bindings_.end()) return bound->second;
      return std::nullopt;
    }
    const auto *binary = dyn_cast<BinaryOperator>(expr);
    if (binary == nullptr) return std::nullopt;
    std::optional<long long> a = Value(binary->getLHS());
    std::optional<long long> b = Value(binary->getRHS());
    if (!a || !b) return std::nullopt;
    switch (binary->getOpcode()) {
      case BO_Add:
        return *a + *b;
      case BO_Sub:
        return *a - *b;
      case BO_Mul:
        return *a * *b;
      case BO_Div:
        return *b == 0 ? std::nullopt : std::optional<long long>(*a / *b);
      default:
        return std::nullopt;
    }
  }

  std::optional<double> OfCall(const CallExpr *call) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr) return std::nullopt;
    if (effects_.IsLibraryFunction(callee)) return LibraryCallCost(callee);
    const FunctionDecl *definition = nullptr;
    if (!callee->hasBody(definition) || active_.count(definition) != 0 ||
        active_.size() >= kMaxCallDepth) {
      return std::nullopt;
    }
    // The callee sees the constant arguments; everything else stays unknown.
    std::map<const ValueDecl *, long long> bindings;
    unsigned first = isa<CXXOperatorCallExpr>(call) && isa<CXXMethodDecl>(callee) ? 1 : 0;
    for (unsigned i = 0; i < definition->getNumParams() && i + first < call->getNumArgs();
         ++i) {
      if (std::optional<long long> value = Value(call->getArg(i + first))) {
        bindings[definition->getParamDecl(i)] = *value;
      }
    }
    std::swap(bindings, bindings_);
    active_.insert(definition);
    std::optional<double> cost = Of(definition->getBody());
    active_.erase(definition);
    std::swap(bindings, bindings_);
    return Plus(1, cost);
  }

  EffectAnalyzer &effects_;
  ASTContext &context_;
  std::map<const ValueDecl *, long long> bindings_;
  std::set<const FunctionDecl *> active_;
};

// The extent of the dimension `subscript` indexes: its base's constant array type, or
// for a pointer variable initialised with a fresh block of a constant size, the
// elements the block holds.
std::optional<unsigned long long> ExtentOf(const ArraySubscriptExpr *subscript,
                                           ASTContext &context) {
  const Expr *base = subscript->getBase()->IgnoreParenImpCasts();
  if (const auto *array = context.getAsConstantArrayType(base->getType())) {
    return array->getSize().getZExtValue();
  }
  const auto *ref = dyn_cast<DeclRefExpr>(base);
  const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return var != nullptr ? FreshBlockRows(var, context) : std::nullopt;
}

// `i`, `i + c`, `i - c` or `c + i` for a constant c.
bool IsCounterOffset(const Expr *index, const VarDecl *counter, ASTContext &context) {
  index = index->IgnoreParenImpCasts();
  if (const auto *ref = dyn_cast<DeclRefExpr>(index)) return ref->getDecl() == counter;
  const auto *binary = dyn_cast<BinaryOperator>(index);
  if (binary == nullptr || !binary->isAdditiveOp()) return false;
  auto constant = [&](const Expr *expr) {
    return !expr->isValueDependent() && expr->isIntegerConstantExpr(context);
  };
  return (IsCounterOffset(binary->getLHS(), counter, context) &&
          constant(binary->getRHS())) ||
         (binary->getOpcode() == BO_Add && constant(binary->getLHS()) &&
          IsCounterOffset(binary->getRHS(), counter, context));
}

void SmallestExtent(const Stmt *stmt, const VarDecl *counter, ASTContext &context,
                    std::optional<unsigned long long> &bound) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
  if (const auto *branch = dyn_cast<IfStmt>(stmt)) {
    SmallestExtent(branch->getCond(), counter, context, bound);
    return;
  }
  if (isa<ConditionalOperator, SwitchStmt>(stmt)) return;
  if (const auto *logical = dyn_cast<BinaryOperator>(stmt);
      logical != nullptr && logical->isLogicalOp()) {
    SmallestExtent(logical->getLHS(), counter, context, bound);
    return;
  }
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt);
      subscript != nullptr && IsCounterOffset(subscript->getIdx(), counter, context)) {
    std::optional<unsigned long long> extent = ExtentOf(subscript, context);
    if (extent && *extent > 0 && (!bound || *extent < *bound)) bound = extent;
  }
  for (const Stmt *child : stmt->children())
    SmallestExtent(child, counter, context, bound);
}

}  // namespace

std::optional<unsigned long long> ExtentTripBound(const Stmt *loop, ASTContext &context) {
  const VarDecl *counter = LoopCounter(loop);
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (counter == nullptr || for_stmt == nullptr) return std::nullopt;
  std::optional<unsigned long long> bound;
  SmallestExtent(for_stmt->getBody(), counter, context, bound);
  return bound;
}

std::optional<double> EstimateOperations(const Stmt *stmt, EffectAnalyzer &effects,
                                         ASTContext &context) {
  return Estimator(effects, context).Of(stmt);
}

std::optional<unsigned long long> EstimateTrips(const Stmt *loop, EffectAnalyzer &effects,
                                                ASTContext &context) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr) return std::nullopt;
  std::optional<long long> trips = Estimator(effects, context).TripCount(for_stmt);
  if (!trips || *trips < 0) return std::nullopt;
  return static_cast<unsigned long long>(*trips);
}

}  // namespace rayify
