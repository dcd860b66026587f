#include "analysis/WorkEstimate.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>

#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "analysis/CallGraph.h"
#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/DeclNames.h"
#include "analysis/GlobalMutations.h"
#include "analysis/LoopSafety.h"
#include "analysis/Writes.h"

namespace rayify {

using namespace clang;

namespace {

// Deeper call chains than this are not followed: their cost is unknown.
constexpr int kMaxCallDepth = 8;

// Containers of containers are sized this many levels down (a vector of vectors of
// strings: 2).
constexpr int kDeepestLevel = 3;

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
  // A library type's conversion (vector<bool>'s bit reference to bool) reads a value.
  if (isa<CXXConversionDecl>(callee)) return 1.0;
  if (!callee->getDeclName().isIdentifier() && !callee->isOverloadedOperator()) {
    return std::nullopt;
  }
  std::string name = callee->getNameAsString();
  if (kCheap.count(name) != 0) return 1.0;
  if (kMath.count(name) != 0) return 20.0;
  return std::nullopt;
}

// The braced list a variable is initialised from (`std::vector<std::string> v{"ab",
// "c"}`, `= {1, 2, 3}`), through the initializer_list constructor, if any.
const InitListExpr *LiteralList(const Expr *init) {
  for (int steps = 0; init != nullptr && steps < 16; ++steps) {
    init = init->IgnoreImplicit();
    if (const auto *list = dyn_cast<InitListExpr>(init)) return list;
    if (const auto *std_list = dyn_cast<CXXStdInitializerListExpr>(init)) {
      init = std_list->getSubExpr();
    } else if (const auto *construct = dyn_cast<CXXConstructExpr>(init);
               construct != nullptr && construct->getNumArgs() >= 1) {
      init = construct->getArg(0);
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

// std::array and std::bitset: their size is their type's, whatever fills them.
bool SizedByType(QualType type) { return IsStdClass(type, {"array", "bitset"}); }

}  // namespace

std::optional<long long> SizeFixedByType(QualType type) {
  if (!SizedByType(type)) return std::nullopt;
  const auto *specialization = dyn_cast<ClassTemplateSpecializationDecl>(
      type.getNonReferenceType()->getAsCXXRecordDecl());
  if (specialization == nullptr) return std::nullopt;
  const TemplateArgumentList &args = specialization->getTemplateArgs();
  const TemplateArgument &size = args[args.size() - 1];
  if (size.getKind() != TemplateArgument::Integral) return std::nullopt;
  return size.getAsIntegral().getExtValue();
}

namespace {

// The size a string literal or a braced list gives a value made from it.
std::optional<long long> LiteralSize(const Expr *expr) {
  for (int steps = 0; expr != nullptr && steps < 16; ++steps) {
    expr = expr->IgnoreImplicit()->IgnoreParenCasts();
    if (SizedByType(expr->getType())) return std::nullopt;
    if (const auto *text = dyn_cast<StringLiteral>(expr)) return text->getLength();
    if (const InitListExpr *list = LiteralList(expr)) return list->getNumInits();
    // std::string from a literal (its allocator a default argument).
    const auto *construct = dyn_cast<CXXConstructExpr>(expr);
    if (construct == nullptr) return std::nullopt;
    // A standard container or string made empty (`= {}`).
    if (construct->getNumArgs() == 0) {
      const CXXRecordDecl *made = construct->getConstructor()->getParent();
      return made->isInStdNamespace() ? std::optional<long long>(0) : std::nullopt;
    }
    for (unsigned i = 1; i < construct->getNumArgs(); ++i) {
      if (!isa<CXXDefaultArgExpr>(construct->getArg(i))) return std::nullopt;
    }
    expr = construct->getArg(0);
  }
  return std::nullopt;
}

// LiteralSize at `level` 0; deeper, the largest LiteralShape of the braced list's
// elements one level up (`{{"ab", "c"}, {"def"}}` holds 2, then 2, then 3).
std::optional<long long> LiteralShape(const Expr *expr, int level) {
  if (level == 0) return LiteralSize(expr);
  const InitListExpr *list = LiteralList(expr);
  if (list == nullptr) return std::nullopt;
  long long largest = 0;
  for (const Expr *init : list->inits()) {
    std::optional<long long> size = LiteralShape(init, level - 1);
    if (!size) return std::nullopt;
    largest = std::max(largest, *size);
  }
  return largest;
}

// True when nothing in the function declaring `var` changes it after its
// initialisation: its size then stays what the initialiser gave it.
// Whether `stmt` writes `var` itself or lets something else: its address taken, a
// non-const reference bound to it, a lambda capturing it by reference. A write
// through a pointer cannot reach a local none of these lets out, so PolyBench's
// `(*A)[i][j] = ...` in main leaves its `int n = N;` as it was.
bool ChangesLocal(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  bool changed = false;
  ForEachWrite(stmt, [&](const Expr *target) {
    WriteTarget resolved = ResolveWriteTarget(target);
    changed = changed || (resolved.kind == WriteTarget::kVariable && resolved.var == var);
  });
  if (changed || LetsOut(stmt, var)) return true;
  for (const Stmt *child : stmt->children()) {
    if (ChangesLocal(child, var)) return true;
  }
  return false;
}

bool NeverChanged(const VarDecl *var) {
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  if (function == nullptr || !function->hasBody()) return false;
  // A number of the function's own changes only by name or through its address;
  // anything else (a reference, a container whose elements a range-for binds) is
  // judged by every write the function may make.
  if (var->hasLocalStorage() && var->getType()->isIntegralOrEnumerationType())
    return !ChangesLocal(function->getBody(), var);
  return !Writes(function->getBody(), var);
}

// Whether `mention` of a container only reads its elements or its size, or reaches
// its elements without a way to add or remove any: a subscript, an accessor or
// iterator call, an argument taken by value or const reference, the hidden range of
// a range-for.
bool KeepsSize(const DeclRefExpr *mention, ASTContext &context) {
  const Expr *use = mention;
  DynTypedNodeList parents = context.getParents(*use);
  while (parents.size() == 1 && (parents[0].get<ImplicitCastExpr>() != nullptr ||
                                 parents[0].get<ParenExpr>() != nullptr)) {
    use = parents[0].get<Expr>();
    parents = context.getParents(*use);
  }
  if (parents.size() != 1) return false;
  if (const auto *op = parents[0].get<CXXOperatorCallExpr>())
    return op->getOperator() == OO_Subscript && op->getArg(0) == use;
  if (const auto *member = parents[0].get<MemberExpr>()) {
    const auto *method = dyn_cast<CXXMethodDecl>(member->getMemberDecl());
    static const std::set<std::string> kAccessors = {
        "size", "empty",  "at",   "front",  "back", "data",     "begin",
        "end",  "cbegin", "cend", "rbegin", "rend", "capacity", "length"};
    return method != nullptr && method->getDeclName().isIdentifier() &&
           kAccessors.count(method->getName().str()) != 0;
  }
  if (const auto *call = parents[0].get<CallExpr>()) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr || isa<CXXOperatorCallExpr>(call)) return false;
    for (unsigned i = 0; i < call->getNumArgs() && i < callee->getNumParams(); ++i) {
      if (call->getArg(i) != use) continue;
      QualType type = callee->getParamDecl(i)->getType();
      return !type->isReferenceType() || type.getNonReferenceType().isConstQualified();
    }
    return false;
  }
  if (const auto *construct = parents[0].get<CXXConstructExpr>())  // a copy
    return construct->getConstructor()->isCopyConstructor();
  if (const auto *range = parents[0].get<VarDecl>())  // `auto &&__range = v`
    return range->isImplicit();
  return false;
}

// Whether the local container `var` keeps the size it was made with: every mention
// of it in its function KeepsSize.
bool SizeNeverChanged(const VarDecl *var, ASTContext &context) {
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  if (function == nullptr || !function->hasBody() || !var->hasLocalStorage() ||
      var->getType()->isReferenceType())
    return false;
  bool keeps = true;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr || !keeps) return;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt);
        ref != nullptr && ref->getDecl() == var)
      keeps = KeepsSize(ref, context);
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(function->getBody());
  return keeps;
}

bool IsSizeCall(const CXXMemberCallExpr *call) {
  const CXXMethodDecl *method = call->getMethodDecl();
  if (method == nullptr || !method->getDeclName().isIdentifier()) return false;
  llvm::StringRef name = method->getName();
  return call->getNumArgs() == 0 && (name == "size" || name == "length");
}

// a op b for +, -, * and /, or nullopt when it overflows or divides by zero: the
// figures come from the program's source and may be large.
std::optional<long long> Apply(BinaryOperatorKind op, long long a, long long b) {
  long long out = 0;
  switch (op) {
    case BO_Add:
      return __builtin_add_overflow(a, b, &out) ? std::nullopt : std::optional(out);
    case BO_Sub:
      return __builtin_sub_overflow(a, b, &out) ? std::nullopt : std::optional(out);
    case BO_Mul:
      return __builtin_mul_overflow(a, b, &out) ? std::nullopt : std::optional(out);
    case BO_Div:
      if (b == 0 || (b == -1 && a == std::numeric_limits<long long>::min()))
        return std::nullopt;
      return a / b;
    case BO_Shl:
      if (a < 0 || b < 0 || b > 62 || a > (std::numeric_limits<long long>::max() >> b))
        return std::nullopt;
      return a << b;
    default:
      return std::nullopt;
  }
}

class Estimator {
 public:
  Estimator(EffectAnalyzer &effects, ASTContext &context, const CallGraph &calls)
      : effects_(effects), context_(context), calls_(calls) {}

  // Gives the counters of the counted loops around `stmt` their ranges, as if the
  // estimate had walked in from the top of its function: the inner loop of
  // `for (i < 2) for (j = i + 1; j < 3; ++j)` runs at most twice.
  void EnterLoopsAround(const Stmt *stmt) {
    for (const ForStmt *loop : LoopsAround(stmt)) EnterLoop(loop);
  }

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
    std::optional<CountedLoop> counted = Counted(loop);
    if (!counted) return std::nullopt;
    // From the bounds the source fixes (constants, a container of literals passed
    // in), else at most the extents of the arrays the counter indexes.
    if (std::optional<std::pair<long long, long long>> range =
            CounterRange(loop, *counted)) {
      std::optional<long long> span = Apply(BO_Sub, range->second, range->first);
      if (span && *span < std::numeric_limits<long long>::max() - counted->step) {
        long long steps = *span + 1;
        return steps <= 0 ? 0 : (steps + counted->step - 1) / counted->step;
      }
    }
    std::optional<unsigned long long> bound = ExtentTripBound(loop, context_);
    if (!bound) return std::nullopt;
    return static_cast<long long>((*bound + counted->step - 1) / counted->step);
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
    // Bounds read from an array (a row of compressed rows, `k < rowstr[j + 1]`) say
    // nothing of this iteration's share of the extents: counted once, so that the
    // estimate of what holds the loop stays a floor rather than the whole array.
    std::optional<long long> trips =
        BoundsReadAnArray(for_stmt) ? 1 : TripCount(for_stmt);
    if (!trips) return std::nullopt;
    // Inner bounds may count from this counter (`j < n - i`): give them its range.
    auto saved = scope_.ranges;
    EnterLoop(for_stmt);
    std::optional<double> body = Of(for_stmt->getBody());
    scope_.ranges = saved;
    std::optional<double> header = Of(for_stmt->getCond());
    if (!body || !header) return std::nullopt;
    return static_cast<double>(*trips) * (*body + *header + 1);
  }

  static bool ReadsAnElement(const Stmt *stmt) {
    if (stmt == nullptr) return false;
    if (isa<ArraySubscriptExpr>(stmt)) return true;
    if (const auto *call = dyn_cast<CXXOperatorCallExpr>(stmt);
        call != nullptr && call->getOperator() == OO_Subscript) {
      return true;
    }
    for (const Stmt *child : stmt->children()) {
      if (ReadsAnElement(child)) return true;
    }
    return false;
  }

  bool BoundsReadAnArray(const ForStmt *loop) {
    std::optional<CountedLoop> counted = Counted(loop);
    return counted && (ReadsAnElement(CounterStart(loop, counted->counter)) ||
                       ReadsAnElement(counted->cond->getRHS()));
  }

  // Gives the loop's counter its range, where the source bounds it.
  void EnterLoop(const ForStmt *loop) {
    std::optional<CountedLoop> counted = Counted(loop);
    if (auto range = counted ? CounterRange(loop, *counted) : std::nullopt)
      scope_.ranges[counted->counter] = *range;
  }

  // `for (i = a; i < b; i += c)` (or `<=`, `++i`), or counting down: `for (i = a;
  // i > b; --i)` (or `>=`, `i -= c`), with a constant step.
  struct CountedLoop {
    const VarDecl *counter;
    const BinaryOperator *cond;
    long long step;  // how far each iteration moves the counter, up or down
    bool down;
  };
  std::optional<CountedLoop> Counted(const ForStmt *loop) {
    const VarDecl *counter = LoopCounter(loop);
    const auto *cond = dyn_cast_or_null<BinaryOperator>(
        loop->getCond() ? loop->getCond()->IgnoreParenImpCasts() : nullptr);
    if (counter == nullptr || cond == nullptr) return std::nullopt;
    BinaryOperatorKind op = cond->getOpcode();
    bool down = op == BO_GT || op == BO_GE;
    if (!down && op != BO_LT && op != BO_LE) return std::nullopt;
    const auto *lhs = dyn_cast<DeclRefExpr>(cond->getLHS()->IgnoreParenImpCasts());
    if (lhs == nullptr || lhs->getDecl() != counter) return std::nullopt;
    std::optional<long long> step = StepOf(loop->getInc(), counter);
    if (!step || (down ? *step >= 0 : *step <= 0) ||
        *step == std::numeric_limits<long long>::min()) {
      return std::nullopt;
    }
    return CountedLoop{counter, cond, down ? -*step : *step, down};
  }

  // The first and last values the counter can take, lowest first, where the source
  // bounds them.
  std::optional<std::pair<long long, long long>> CounterRange(
      const ForStmt *loop, const CountedLoop &counted) {
    const Expr *start = CounterStart(loop, counted.counter);
    const Expr *limit = counted.cond->getRHS();
    std::optional<long long> low = counted.down ? Lower(limit) : Lower(start);
    std::optional<long long> high = counted.down ? Upper(start) : Upper(limit);
    BinaryOperatorKind op = counted.cond->getOpcode();
    if (high && op == BO_LT) high = Apply(BO_Sub, *high, 1);
    if (low && op == BO_GT) low = Apply(BO_Add, *low, 1);
    if (!low || !high) return std::nullopt;
    return std::make_pair(*low, *high);
  }

  // How far the increment moves the counter: 1 for `++i`, -c for `i -= c`.
  std::optional<long long> StepOf(const Expr *inc, const VarDecl *counter) {
    if (inc == nullptr) return std::nullopt;
    inc = inc->IgnoreParenImpCasts();
    if (const auto *unary = dyn_cast<UnaryOperator>(inc)) {
      if (ReferencedVar(unary->getSubExpr()) != counter) return std::nullopt;
      if (unary->isIncrementOp()) return 1;
      return unary->isDecrementOp() ? std::optional<long long>(-1) : std::nullopt;
    }
    const auto *compound = dyn_cast<CompoundAssignOperator>(inc);
    if (compound == nullptr || ReferencedVar(compound->getLHS()) != counter)
      return std::nullopt;
    std::optional<long long> amount = Value(compound->getRHS());
    if (!amount) return std::nullopt;
    if (compound->getOpcode() == BO_AddAssign) return amount;
    if (compound->getOpcode() == BO_SubAssign) return Apply(BO_Sub, 0, *amount);
    return std::nullopt;
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
      auto bound = scope_.bindings.find(ref->getDecl());
      if (bound != scope_.bindings.end()) return bound->second;
      return std::nullopt;
    }
    const auto *binary = dyn_cast<BinaryOperator>(expr);
    if (binary == nullptr) return std::nullopt;
    std::optional<long long> a = Value(binary->getLHS());
    std::optional<long long> b = Value(binary->getRHS());
    if (!a || !b) return std::nullopt;
    return Apply(binary->getOpcode(), *a, *b);
  }

  // At least and at most what an integer expression can be where it stands: Value
  // when the source fixes it; else from the ranges of enclosing counters, the
  // initialisers of locals nothing changes, and the sizes of containers bound to
  // literals. For the cost model only: a bound too small keeps a loop sequential.
  std::optional<long long> Upper(const Expr *expr) { return Bound(expr, true, 0); }
  std::optional<long long> Lower(const Expr *expr) { return Bound(expr, false, 0); }

  std::optional<long long> Bound(const Expr *expr, bool upper, int depth) {
    if (expr == nullptr || depth > 12) return std::nullopt;
    if (std::optional<long long> exact = Value(expr)) return exact;
    expr = expr->IgnoreParenCasts();
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      if (var == nullptr) return std::nullopt;
      auto range = scope_.ranges.find(var);
      if (range != scope_.ranges.end())
        return upper ? range->second.second : range->second.first;
      if (const auto *param = dyn_cast<ParmVarDecl>(var)) {
        return OverCalls(param, upper ? kUpper : kLower, 0, depth,
                         [&](const Expr *arg) { return Bound(arg, upper, depth + 1); });
      }
      if (!var->hasLocalStorage() || var->getInit() == nullptr || !NeverChanged(var))
        return std::nullopt;
      return Bound(var->getInit(), upper, depth + 1);
    }
    if (const auto *call = dyn_cast<CXXMemberCallExpr>(expr);
        call != nullptr && IsSizeCall(call)) {
      if (!upper) return 0;
      return SizeAt(call->getImplicitObjectArgument(), 0, depth + 1);
    }
    const auto *binary = dyn_cast<BinaryOperator>(expr);
    if (binary == nullptr) return std::nullopt;
    const Expr *a = binary->getLHS(), *b = binary->getRHS();
    switch (binary->getOpcode()) {
      case BO_Add:
        return Both(Bound(a, upper, depth + 1), Bound(b, upper, depth + 1), BO_Add);
      case BO_Sub:
        return Both(Bound(a, upper, depth + 1), Bound(b, !upper, depth + 1), BO_Sub);
      case BO_Mul:
      case BO_Shl: {
        // Only for operands that cannot be negative, where bounds combine.
        std::optional<long long> low_a = Bound(a, false, depth + 1);
        std::optional<long long> low_b = Bound(b, false, depth + 1);
        if (!low_a || !low_b || *low_a < 0 || *low_b < 0) return std::nullopt;
        if (!upper) return Apply(binary->getOpcode(), *low_a, *low_b);
        return Both(Bound(a, true, depth + 1), Bound(b, true, depth + 1),
                    binary->getOpcode());
      }
      default:
        return std::nullopt;
    }
  }

  static std::optional<long long> Both(std::optional<long long> a,
                                       std::optional<long long> b,
                                       BinaryOperatorKind op) {
    if (!a || !b) return std::nullopt;
    return Apply(op, *a, *b);
  }

  // At most how many elements (or characters) the container or string `expr` holds,
  // or at `level` 1 how many each of its elements holds, and so on down: a container
  // of literals, what a call binds a parameter to, an element of one (`inputs[i]`),
  // or the variable of a range-for over one.
  std::optional<long long> SizeAt(const Expr *expr, int level, int depth) {
    if (expr == nullptr || depth > 12 || level > kDeepestLevel) return std::nullopt;
    expr = expr->IgnoreImplicit()->IgnoreParenCasts();
    if (level == 0) {
      if (std::optional<long long> fixed = SizeFixedByType(expr->getType())) return fixed;
    }
    if (std::optional<long long> literal = LiteralShape(expr, level)) return literal;
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      if (var == nullptr) return std::nullopt;
      auto bound = scope_.sizes.find({var, level});
      if (bound != scope_.sizes.end()) return bound->second;
      if (const auto *param = dyn_cast<ParmVarDecl>(var)) {
        return OverCalls(param, kSize, level, depth,
                         [&](const Expr *arg) { return SizeAt(arg, level, depth + 1); });
      }
      if (!var->hasLocalStorage()) return std::nullopt;
      // `std::vector<Point> centers(k);` whose elements change but not their count.
      if (level == 0 && !NeverChanged(var) && SizeNeverChanged(var, context_))
        return MadeSize(var->getInit());
      if (!NeverChanged(var)) return std::nullopt;
      if (const Expr *range = RangeOf(var)) return SizeAt(range, level + 1, depth + 1);
      return LiteralShape(var->getInit(), level);
    }
    if (const auto *element = dyn_cast<CXXOperatorCallExpr>(expr);
        element != nullptr && element->getOperator() == OO_Subscript) {
      return SizeAt(element->getArg(0), level + 1, depth + 1);
    }
    return std::nullopt;
  }

  // The size a sequence starts with: from literals, or from a count the source
  // fixes (`std::vector<double> w(k)`, `std::string s(n, ' ')`). Only sequences: a
  // map's subscript adds elements, and an unordered one's count is of buckets.
  std::optional<long long> MadeSize(const Expr *init) {
    if (init == nullptr) return std::nullopt;
    const CXXRecordDecl *made = init->getType()->getAsCXXRecordDecl();
    if (made == nullptr || !made->isInStdNamespace() ||
        made->getIdentifier() == nullptr ||
        !(made->getName() == "vector" || made->getName() == "deque" ||
          made->getName() == "basic_string"))
      return std::nullopt;
    if (std::optional<long long> literal = LiteralSize(init)) return literal;
    const auto *construct = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit());
    if (construct == nullptr || construct->getNumArgs() == 0 ||
        !construct->getArg(0)->getType()->isIntegerType())
      return std::nullopt;
    return Value(construct->getArg(0));
  }

  // The range a range-for's variable walks, when `var` is one.
  const Expr *RangeOf(const VarDecl *var) {
    for (const DynTypedNode &parent : context_.getParents(*var)) {
      const auto *declaration = parent.get<DeclStmt>();
      if (declaration == nullptr) continue;
      for (const DynTypedNode &grandparent : context_.getParents(*declaration)) {
        const auto *loop = grandparent.get<CXXForRangeStmt>();
        if (loop != nullptr && loop->getLoopVariable() == var)
          return loop->getRangeInit();
      }
    }
    return nullptr;
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
    // The callee sees its constant arguments, the ranges of the others where the
    // caller bounds them, and the sizes of the containers of literals it is passed;
    // everything else stays unknown (and OverCalls may bound it).
    Scope callee_scope;
    unsigned first = FirstParameterArgument(call, callee);
    for (unsigned i = 0; i < definition->getNumParams() && i + first < call->getNumArgs();
         ++i) {
      const Expr *arg = call->getArg(i + first);
      const ParmVarDecl *param = definition->getParamDecl(i);
      if (!NeverChanged(param)) continue;  // what it is passed bounds nothing after
      if (std::optional<long long> value = Value(arg)) {
        callee_scope.bindings[param] = *value;
      } else if (param->getType()->isArithmeticType()) {
        // `nCr(n, i)` inside `for (i = 45; i <= 100; ...)`: i's range.
        std::optional<long long> low = Lower(arg), high = Upper(arg);
        if (low && high) callee_scope.ranges[param] = {*low, *high};
      }
      if (!param->getType().getNonReferenceType()->isRecordType()) continue;
      for (int level = 0; level <= kDeepestLevel; ++level) {
        if (std::optional<long long> size = SizeAt(arg, level, 0))
          callee_scope.sizes[{param, level}] = *size;
      }
    }
    std::swap(callee_scope, scope_);
    active_.insert(definition);
    std::optional<double> cost = Of(definition->getBody());
    active_.erase(definition);
    std::swap(callee_scope, scope_);
    return Plus(1, cost);
  }

  // What the calls of a function pass a parameter, where no call being estimated
  // bound it: over every call of the function in this unit, the largest (or
  // smallest) of what `measure` makes of the argument where the call stands. A bound
  // too small only keeps a loop sequential; nullopt when a call's is unknown.
  enum Measure { kUpper, kLower, kSize };
  template <typename MeasureArg>
  std::optional<long long> OverCalls(const ParmVarDecl *param, Measure kind, int level,
                                     int depth, MeasureArg measure) {
    const auto *function = dyn_cast<FunctionDecl>(param->getDeclContext());
    if (function == nullptr || depth > 12 || !NeverChanged(param)) return std::nullopt;
    auto key = std::make_tuple(param, kind, level);
    if (auto known = over_calls_.find(key); known != over_calls_.end())
      return known->second;
    std::optional<std::vector<const CallExpr *>> calls = calls_.EveryCallOf(function);
    if (!calls || calls->empty()) return std::nullopt;
    over_calls_[key] = std::nullopt;  // a call chain back to here knows nothing more
    std::optional<long long> result;
    unsigned index = param->getFunctionScopeIndex();
    for (const CallExpr *call : *calls) {
      unsigned first = FirstParameterArgument(call, function);
      std::optional<long long> value;
      if (index + first < call->getNumArgs())
        value = InCaller(call, [&] { return measure(call->getArg(index + first)); });
      if (!value) return std::nullopt;
      bool smallest = kind == kLower;
      if (!result || (smallest ? *value < *result : *value > *result)) result = value;
    }
    over_calls_[key] = result;
    return result;
  }

  // Runs `measure` as if estimating the function that makes `call`: none of the
  // current call's bindings, and the ranges of the counted loops around the call.
  template <typename MeasureCall>
  std::optional<long long> InCaller(const CallExpr *call, MeasureCall measure) {
    Scope caller_scope;
    std::swap(caller_scope, scope_);
    EnterLoopsAround(call);
    std::optional<long long> value = measure();
    std::swap(caller_scope, scope_);
    return value;
  }

  // The for loops whose bodies hold `stmt`, outermost first, up to its function (or
  // a lambda, which may run after the loop).
  std::vector<const ForStmt *> LoopsAround(const Stmt *stmt) {
    std::vector<const ForStmt *> loops;
    DynTypedNode node = DynTypedNode::create(*stmt);
    for (int steps = 0; steps < 256; ++steps) {
      DynTypedNodeList parents = context_.getParents(node);
      if (parents.empty()) break;
      DynTypedNode parent = parents[0];
      if (const auto *loop = parent.get<ForStmt>();
          loop != nullptr && loop->getBody() == node.get<Stmt>())
        loops.insert(loops.begin(), loop);
      // A local's initializer leads on to its declaration statement.
      if (parent.get<LambdaExpr>() != nullptr ||
          (parent.get<Stmt>() == nullptr && parent.get<VarDecl>() == nullptr))
        break;
      node = parent;
    }
    return loops;
  }

  EffectAnalyzer &effects_;
  ASTContext &context_;
  const CallGraph &calls_;
  std::map<std::tuple<const ParmVarDecl *, Measure, int>, std::optional<long long>>
      over_calls_;
  // What is known in the function being estimated; a call's callee gets its own.
  struct Scope {
    // Parameters bound to constants.
    std::map<const ValueDecl *, long long> bindings;
    // Parameters' container sizes at each level (SizeAt), as the call binds them.
    std::map<std::pair<const ValueDecl *, int>, long long> sizes;
    // Counters of the loops being estimated and parameters given a range: at least
    // and at most.
    std::map<const VarDecl *, std::pair<long long, long long>> ranges;
  };
  Scope scope_;
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
                                         ASTContext &context, const CallGraph &calls) {
  Estimator estimator(effects, context, calls);
  estimator.EnterLoopsAround(stmt);
  return estimator.Of(stmt);
}

std::optional<unsigned long long> EstimateTrips(const Stmt *loop, EffectAnalyzer &effects,
                                                ASTContext &context,
                                                const CallGraph &calls) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr) return std::nullopt;
  Estimator estimator(effects, context, calls);
  estimator.EnterLoopsAround(for_stmt);
  std::optional<long long> trips = estimator.TripCount(for_stmt);
  if (!trips || *trips < 0) return std::nullopt;
  return static_cast<unsigned long long>(*trips);
}

std::optional<long long> FixedValueOf(const Expr *expr, ASTContext &context,
                                      const CallGraph &calls, int depth) {
  Expr::EvalResult result;
  if (!expr->isValueDependent() && expr->EvaluateAsInt(result, context))
    return result.Val.getInt().getExtValue();
  expr = expr->IgnoreParens();
  while (const auto *cast = dyn_cast<ImplicitCastExpr>(expr)) {
    if (cast->getCastKind() != CK_LValueToRValue && cast->getCastKind() != CK_NoOp)
      return std::nullopt;
    expr = cast->getSubExpr()->IgnoreParens();
  }
  // `n / 4`, `n * m + 1` on fixed operands, where the result is what C++ computes:
  // the operands are of the expression's own type (no conversion), which is signed,
  // and the result fits it (a signed overflow is no value at all).
  if (const auto *binary = dyn_cast<BinaryOperator>(expr)) {
    QualType type = binary->getType();
    if (!type->isSignedIntegerType() || binary->getOpcode() == BO_Shl)
      return std::nullopt;
    std::optional<long long> a = FixedValueOf(binary->getLHS(), context, calls, depth);
    std::optional<long long> b = FixedValueOf(binary->getRHS(), context, calls, depth);
    std::optional<long long> value =
        a && b ? Apply(binary->getOpcode(), *a, *b) : std::nullopt;
    unsigned bits = context.getIntWidth(type);
    if (!value || bits > 64 ||
        (bits < 64 && (*value >= (1LL << (bits - 1)) || *value < -(1LL << (bits - 1)))))
      return std::nullopt;
    return value;
  }
  const auto *ref = dyn_cast<DeclRefExpr>(expr);
  const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (var == nullptr) return std::nullopt;
  return FixedValue(var, context, calls, depth + 1);
}

std::optional<long long> FixedValue(const VarDecl *var, ASTContext &context,
                                    const CallGraph &calls, int depth) {
  if (depth > 8 || !var->hasLocalStorage() || var->getType()->isReferenceType() ||
      !var->getType()->isIntegralOrEnumerationType() ||
      var->getType().isVolatileQualified() || !NeverChanged(var))
    return std::nullopt;
  const auto *param = dyn_cast<ParmVarDecl>(var);
  if (param == nullptr) {
    if (var->getInit() == nullptr) return std::nullopt;
    return FixedValueOf(var->getInit(), context, calls, depth);
  }
  // Every call is in this file (internal linkage), and every one passes the value.
  const auto *function = dyn_cast<FunctionDecl>(param->getDeclContext());
  if (function == nullptr || function->isExternallyVisible()) return std::nullopt;
  std::optional<std::vector<const CallExpr *>> every = calls.EveryCallOf(function);
  if (!every || every->empty()) return std::nullopt;
  std::optional<long long> value;
  unsigned index = param->getFunctionScopeIndex();
  for (const CallExpr *call : *every) {
    unsigned first = FirstParameterArgument(call, function);
    if (index + first >= call->getNumArgs()) return std::nullopt;
    std::optional<long long> passed =
        FixedValueOf(call->getArg(index + first), context, calls, depth);
    if (!passed || (value && *value != *passed)) return std::nullopt;
    value = passed;
  }
  return value;
}

std::optional<long long> FixedContainerSize(const VarDecl *var, ASTContext &context,
                                            const CallGraph &calls) {
  if (isa<ParmVarDecl>(var) || !var->hasLocalStorage() ||
      var->getType()->isReferenceType() || !SizeNeverChanged(var, context))
    return std::nullopt;
  if (std::optional<long long> fixed = SizeFixedByType(var->getType())) return fixed;
  const Expr *init = var->getInit();
  const CXXRecordDecl *made =
      init != nullptr ? init->getType()->getAsCXXRecordDecl() : nullptr;
  if (made == nullptr || !made->isInStdNamespace() || made->getIdentifier() == nullptr ||
      !(made->getName() == "vector" || made->getName() == "deque"))
    return std::nullopt;
  if (std::optional<long long> literal = LiteralSize(init)) return literal;
  // `std::vector<T> v(n)` or `v(n, value)`: the constructor taking a count.
  const auto *construct = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit());
  if (construct == nullptr || construct->getNumArgs() == 0 ||
      construct->getConstructor()->getNumParams() == 0 ||
      !construct->getConstructor()->getParamDecl(0)->getType()->isIntegerType())
    return std::nullopt;
  return FixedCount(construct->getArg(0), context, calls);
}

std::optional<long long> FixedCount(const Expr *expr, ASTContext &context,
                                    const CallGraph &calls) {
  // Conversions between integer types keep a value of zero or more that fits the
  // type it came from; FixedValueOf checks the rest.
  expr = expr->IgnoreParens();
  while (const auto *cast = dyn_cast<ImplicitCastExpr>(expr)) {
    if (cast->getCastKind() != CK_IntegralCast) break;
    if (context.getIntWidth(cast->getType()) <
        context.getIntWidth(cast->getSubExpr()->getType()))
      return std::nullopt;  // a narrowing conversion may change the value
    expr = cast->getSubExpr()->IgnoreParens();
  }
  std::optional<long long> value = FixedValueOf(expr, context, calls);
  if (!value || *value < 0) return std::nullopt;
  return value;
}

}  // namespace rayify
