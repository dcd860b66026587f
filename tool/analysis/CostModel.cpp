#include "analysis/CostModel.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Lex/Lexer.h>

#include "analysis/CallGraph.h"
#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/DeclNames.h"
#include "analysis/LoopSafety.h"
#include "analysis/WorkEstimate.h"

#include <cstdio>
#include <functional>

namespace rayify {

using namespace clang;

std::optional<unsigned long long> FixedExtent(QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  if (const auto *array = dyn_cast<ConstantArrayType>(type.getTypePtr()))
    return array->getSize().getZExtValue();
  std::optional<long long> size = SizeFixedByType(type);
  if (!size || *size < 0) return std::nullopt;
  return static_cast<unsigned long long>(*size);
}

std::optional<unsigned long long> ConstantTripCount(const Stmt *loop,
                                                    ASTContext &context) {
  if (const auto *range = dyn_cast<CXXForRangeStmt>(loop))
    return FixedExtent(range->getRangeInit()->getType());
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr || for_stmt->getCond() == nullptr) return std::nullopt;
  // C's `for (k = 0; k < 4; k++)` on a counter declared before counts as much as
  // `for (int k = 0; ...)`: NPB declares every counter at the top of the function.
  const VarDecl *var = nullptr;
  if (const auto *init = dyn_cast_or_null<DeclStmt>(for_stmt->getInit())) {
    var = init->isSingleDecl() ? dyn_cast<VarDecl>(init->getSingleDecl()) : nullptr;
  } else if (const auto *init = dyn_cast_or_null<Expr>(for_stmt->getInit())) {
    const auto *assign = dyn_cast<BinaryOperator>(init->IgnoreImplicit());
    if (assign != nullptr && assign->getOpcode() == BO_Assign)
      var = ReferencedVar(assign->getLHS());
  }
  const Expr *first = var != nullptr ? CounterStart(for_stmt, var) : nullptr;
  const auto *cond = dyn_cast<BinaryOperator>(for_stmt->getCond()->IgnoreParenImpCasts());
  if (first == nullptr || cond == nullptr || !cond->isComparisonOp()) {
    return std::nullopt;
  }
  Expr::EvalResult start, bound;
  if (!first->EvaluateAsInt(start, context)) return std::nullopt;
  const Expr *other =
      BaseVariable(cond->getLHS()) == var ? cond->getRHS() : cond->getLHS();
  if (!other->EvaluateAsInt(bound, context)) return std::nullopt;
  // An upper bound: the step may be larger than one, never smaller. The two sides may
  // differ in width and signedness (`uint8_t i = 0` against the int `16`): compared as
  // signed 128-bit values, which hold every value of both.
  auto widened = [](llvm::APSInt value) {
    value = value.extend(128);  // sign- or zero-extends, as the value's type says
    value.setIsSigned(true);
    return value;
  };
  llvm::APSInt span = widened(bound.Val.getInt()) - widened(start.Val.getInt());
  return span.abs().getLimitedValue() + 1;
}

bool HasSmallConstantTripCount(const Stmt *loop, ASTContext &context, long long limit) {
  auto count = ConstantTripCount(loop, context);
  return count && limit >= 0 && *count <= static_cast<unsigned long long>(limit) + 1;
}

namespace {

// Whether the text from the expression's first token to its last is the expression
// whole, macros included (`N`, `N - 2`), so the driver may write it again.
bool SpelledWhole(const Expr *expr, ASTContext &context) {
  const SourceManager &sources = context.getSourceManager();
  SourceRange range = expr->getSourceRange();
  CharSourceRange whole = Lexer::makeFileCharRange(CharSourceRange::getTokenRange(range),
                                                   sources, context.getLangOpts());
  if (whole.isInvalid()) return false;
  SourceLocation end = Lexer::getLocForEndOfToken(sources.getExpansionLoc(range.getEnd()),
                                                  0, sources, context.getLangOpts());
  return whole.getBegin() == sources.getExpansionLoc(range.getBegin()) &&
         whole.getEnd() == end;
}

}  // namespace

// `c` of `i + c` or `c + i`, with `c` an integer constant from 1 to 2^20.
static std::optional<unsigned> CounterPlusConstant(const Expr *expr,
                                                   const VarDecl *counter,
                                                   ASTContext &context) {
  const auto *sum = dyn_cast<BinaryOperator>(expr->IgnoreParenImpCasts());
  if (sum == nullptr || sum->getOpcode() != BO_Add) return std::nullopt;
  const Expr *constant = ReferencedVar(sum->getLHS()) == counter   ? sum->getRHS()
                         : ReferencedVar(sum->getRHS()) == counter ? sum->getLHS()
                                                                   : nullptr;
  Expr::EvalResult value;
  if (constant == nullptr || constant->isValueDependent() ||
      !constant->EvaluateAsInt(value, context))
    return std::nullopt;
  const llvm::APSInt &c = value.Val.getInt();
  if (c.isNegative() || c.isZero() || c.getActiveBits() > 20) return std::nullopt;
  return static_cast<unsigned>(c.getZExtValue());
}

std::optional<CountedRange> ChunkableRange(const Stmt *loop, ASTContext &context) {
  const VarDecl *counter = LoopCounter(loop);
  if (counter == nullptr) return std::nullopt;
  const auto *for_stmt = cast<ForStmt>(loop);
  CountedRange range;
  range.counter = counter;
  range.begin = CounterStart(for_stmt, counter);
  range.declared_before = !isa_and_nonnull<DeclStmt>(for_stmt->getInit());
  const auto *cond = dyn_cast_or_null<BinaryOperator>(
      for_stmt->getCond() ? for_stmt->getCond()->IgnoreParenImpCasts() : nullptr);
  if (range.begin == nullptr || cond == nullptr ||
      (cond->getOpcode() != BO_LT && cond->getOpcode() != BO_LE) ||
      SteppedByOne(for_stmt->getInc(), context) != counter) {
    return std::nullopt;
  }
  if (ReferencedVar(cond->getLHS()) != counter) {
    // From a constant of 0 or more, `begin + c < end` and `end - c` mean what the
    // loop's own test means, whatever the types the comparison converts between.
    std::optional<unsigned> offset =
        CounterPlusConstant(cond->getLHS(), counter, context);
    Expr::EvalResult start;
    if (!offset || cond->getOpcode() != BO_LT || range.begin->isValueDependent() ||
        !range.begin->EvaluateAsInt(start, context) || start.Val.getInt().isNegative())
      return std::nullopt;
    range.end_offset = *offset;
  }
  range.end = cond->getRHS();
  range.inclusive = cond->getOpcode() == BO_LE;
  for (const Expr *bound : {range.begin, range.end}) {
    if (bound->HasSideEffects(context, false) || !SpelledWhole(bound, context)) {
      return std::nullopt;
    }
  }
  return range;
}

namespace {

// Why a loop whose trip count is known only at run time is too little work for two
// tasks even in chunks, or "": its trip count has a bound all the same (EstimateTrips:
// from the arguments every call of its function passes, or the arrays its counter
// indexes, as NPB's `k <= grid_points[2] - 2` over `u[k]`), and that many iterations
// of the estimated work do not pay for two tasks.
std::string TooFineWhole(const Stmt *loop, std::optional<double> work,
                         EffectAnalyzer &effects, ASTContext &context,
                         const CallGraph &calls, const Settings &settings) {
  std::optional<unsigned long long> trips = EstimateTrips(loop, effects, context, calls);
  const auto minimum = static_cast<double>(settings.min_task_operations);
  if (!work || !trips || static_cast<double>(*trips) * *work >= 2 * minimum) return "";
  std::optional<unsigned long long> extent = ExtentTripBound(loop, context);
  const char *source = extent && *extent == *trips
                           ? " (the extent of an array its counter indexes)"
                           : " (its bounds, as this file calls its function)";
  char figure[32];
  std::snprintf(figure, sizeof figure, "%.2g", static_cast<double>(*trips) * *work);
  return "the loop runs at most " + std::to_string(*trips) + " times" + source +
         ", about " + figure +
         " operations in all: less than two tasks must do to pay for themselves "
         "(min-task-operations: " +
         std::to_string(settings.min_task_operations) + " each).";
}

}  // namespace

// An iteration estimated at less than this many times min-task-operations (a few
// milliseconds) is not a task's worth on a cluster by itself, when the loop has more
// iterations than this many: with fewer, a task each is few tasks already.
constexpr double kIterationsShareTasksBelow = 16;
constexpr unsigned long long kIterationsShareTasksAbove = 64;

namespace {

// How many times what two tasks need a loop's estimated work may be and still leave
// the decision to a trial: the estimate is right to within a factor of two.
constexpr double kUncertainty = 4;

// Whether the bounds of a loop nested in `loop` read its counter (`j < i`), so that
// its first iterations are not like the others; true when the counter is unknown.
bool InnerBoundsMoveWithCounter(const Stmt *loop) {
  const VarDecl *counter = LoopCounter(loop);
  if (counter == nullptr) return true;
  std::function<bool(const Stmt *)> moves = [&](const Stmt *stmt) {
    if (stmt == nullptr) return false;
    const Expr *bound = nullptr;
    const Stmt *start = nullptr;
    if (const auto *inner = dyn_cast<ForStmt>(stmt)) {
      bound = inner->getCond();
      start = inner->getInit();
    } else if (const auto *inner = dyn_cast<WhileStmt>(stmt)) {
      bound = inner->getCond();
    } else if (const auto *inner = dyn_cast<CXXForRangeStmt>(stmt)) {
      bound = inner->getRangeInit();
    }
    if ((bound != nullptr && Mentions(bound, counter)) ||
        (start != nullptr && Mentions(start, counter)))
      return true;
    for (const Stmt *child : stmt->children())
      if (moves(child)) return true;
    return false;
  };
  return moves(LoopBody(loop));
}

// Whether a chunked loop's estimated work, all of it, is too close to what two tasks
// need for the estimate to decide (kUncertainty).
bool Marginal(const Stmt *loop, double work, EffectAnalyzer &effects, ASTContext &context,
              const CallGraph &calls, const Settings &settings) {
  std::optional<unsigned long long> trips = ConstantTripCount(loop, context);
  if (!trips) trips = EstimateTrips(loop, effects, context, calls);
  const auto minimum = static_cast<double>(settings.min_task_operations);
  return trips && static_cast<double>(*trips) * work < kUncertainty * 2 * minimum &&
         !InnerBoundsMoveWithCounter(loop);
}

// The granularity the estimate of one iteration's work (`work`) decides by itself.
Granularity DecideByEstimate(const Stmt *loop, std::optional<double> work,
                             EffectAnalyzer &effects, ASTContext &context,
                             const CallGraph &calls, const Settings &settings) {
  Granularity granularity;
  bool chunkable = ChunkableRange(loop, context).has_value();
  granularity.work_bounded = work.has_value();
  const auto minimum = static_cast<double>(settings.min_task_operations);
  auto cheap = [&] {
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.2g", *work);
    return std::string("one iteration is about ") + figure +
           " operations, less than a task must do to pay for itself "
           "(min-task-operations: " +
           std::to_string(settings.min_task_operations) + "), and ";
  };
  const std::string unchunked =
      "the loop cannot run in chunks of iterations (a chunk would be sent "
      "whole a container each iteration indexes, or the body cannot be "
      "outlined).";
  if (chunkable && !HasSmallConstantTripCount(loop, context, settings.submit_all_limit)) {
    granularity.too_fine = TooFineWhole(loop, work, effects, context, calls, settings);
    granularity.chunked = granularity.too_fine.empty();
    // A task per iteration is the fallback only for iterations worth one.
    if (granularity.chunked && work && *work < minimum)
      granularity.too_fine_unchunked = cheap() + unchunked;
    return granularity;
  }
  std::optional<unsigned long long> trips = ConstantTripCount(loop, context);
  if (!work) {
    // Work the source does not bound: many iterations share chunks, whose trial in
    // the driver (FirstChunkHere) learns at run time whether they are worth tasks.
    granularity.chunked = chunkable && trips && *trips > kIterationsShareTasksAbove &&
                          settings.min_chunk_microseconds > 0;
    return granularity;
  }
  if (*work >= minimum) {
    // Iterations worth a task each but not much more share tasks when there are
    // many: a few chunks per CPU balance as well, at a fraction of the tasks (a task
    // costs Ray about a millisecond).
    granularity.chunked = chunkable && trips && *trips > kIterationsShareTasksAbove &&
                          *work < kIterationsShareTasksBelow * minimum;
    return granularity;
  }
  if (chunkable && trips && static_cast<double>(*trips) * *work >= 2 * minimum) {
    granularity.chunked = true;
    granularity.too_fine_unchunked = cheap() + unchunked;
    return granularity;
  }
  granularity.too_fine =
      cheap() + (chunkable
                     ? "the whole loop is not enough work for two tasks."
                     : "the loop's header does not let it run in chunks of iterations.");
  return granularity;
}

}  // namespace

Granularity DecideGranularity(const Stmt *loop, EffectAnalyzer &effects,
                              ASTContext &context, const CallGraph &calls,
                              const Settings &settings) {
  std::optional<double> work =
      EstimateOperations(LoopBody(loop), effects, context, calls);
  Granularity granularity =
      DecideByEstimate(loop, work, effects, context, calls, settings);
  granularity.run_decides =
      !work ||
      (granularity.chunked && Marginal(loop, *work, effects, context, calls, settings));
  return granularity;
}

bool IsWorthATask(const FunctionDecl *callee, EffectAnalyzer &effects) {
  return effects.OfFunction(callee).has_loop;
}

namespace {

// Per element, a couple of dozen arithmetic operations cost about what sending the
// element to or from a task does (encoding, the socket, decoding: measured on
// sensor_cleanup, where 16 per element made the converted program 0.6x).
constexpr int kCheapOperationsPerElement = 24;

// What a library call costs in operations, or 0 when it is not cheap at all.
int LibraryCallCost(const FunctionDecl *callee) {
  static const char *const kAccess[] = {"size", "empty", "operator[]", "at",   "begin",
                                        "end",  "fabs",  "abs",        "sqrt", "min",
                                        "max",  "floor", "ceil",       "round"};
  static const char *const kMath[] = {"sin",   "cos", "tan",  "exp",   "log",  "log2",
                                      "log10", "pow", "atan", "atan2", "tanh", "hypot"};
  std::string name = callee->getNameAsString();
  for (const char *cheap : kAccess) {
    if (name == cheap) return 1;
  }
  for (const char *math : kMath) {
    if (name == math) return 4;
  }
  return 0;
}

// Counts the operations of a loop body; false when it holds something that is not
// cheap: a nested loop, a call of the program's, a costly library call.
bool CountCheapOperations(const Stmt *stmt, EffectAnalyzer &effects, int &count) {
  if (stmt == nullptr) return true;
  if (IsLoop(stmt) || isa<LambdaExpr>(stmt)) return false;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    int cost = callee == nullptr || !effects.IsLibraryFunction(callee)
                   ? 0
                   : LibraryCallCost(callee);
    if (cost == 0) return false;
    count += cost - 1;
  }
  if (isa<BinaryOperator, UnaryOperator, CallExpr>(stmt)) ++count;
  for (const Stmt *child : stmt->children()) {
    if (!CountCheapOperations(child, effects, count)) return false;
  }
  return true;
}

// What a loop walks: `c` of `for (x : c)`, or of a for loop whose condition reads
// `c.size()`; null for any other loop.
const Expr *WalkedContainer(const Stmt *loop) {
  const Expr *walked = nullptr;
  if (const auto *range = dyn_cast<CXXForRangeStmt>(loop)) {
    walked = range->getRangeInit();
  } else if (const auto *for_stmt = dyn_cast<ForStmt>(loop)) {
    const auto *cond = dyn_cast_or_null<BinaryOperator>(
        for_stmt->getCond() ? for_stmt->getCond()->IgnoreParenImpCasts() : nullptr);
    if (cond == nullptr) return nullptr;
    for (const Expr *side : {cond->getLHS(), cond->getRHS()}) {
      const auto *size = dyn_cast<CXXMemberCallExpr>(side->IgnoreParenImpCasts());
      if (size != nullptr && size->getMethodDecl() != nullptr &&
          HasName(size->getMethodDecl(), "size")) {
        walked = size->getImplicitObjectArgument();
      }
    }
  }
  return walked;
}

// The container parameter a loop walks (WalkedContainer).
const ParmVarDecl *WalkedParameter(const Stmt *loop) {
  const Expr *walked = WalkedContainer(loop);
  if (walked == nullptr) return nullptr;
  const auto *ref = dyn_cast<DeclRefExpr>(walked->IgnoreParenImpCasts());
  return ref == nullptr ? nullptr : dyn_cast<ParmVarDecl>(ref->getDecl());
}

bool CallsTheProgram(const Stmt *stmt, EffectAnalyzer &effects) {
  if (stmt == nullptr) return false;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr || !effects.IsLibraryFunction(callee)) return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (CallsTheProgram(child, effects)) return true;
  }
  return false;
}

void CollectLoops(const Stmt *stmt, std::vector<const Stmt *> &loops) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
  if (IsLoop(stmt)) {
    loops.push_back(stmt);
    return;  // a nested loop is found by CountCheapOperations
  }
  for (const Stmt *child : stmt->children()) CollectLoops(child, loops);
}

// The one container parameter every loop of `callee` walks cheaply, or null.
const ParmVarDecl *CheaplyWalkedParameter(const FunctionDecl *callee,
                                          EffectAnalyzer &effects) {
  if (callee->getBody() == nullptr) return nullptr;
  std::vector<const Stmt *> loops;
  CollectLoops(callee->getBody(), loops);
  const ParmVarDecl *walked = nullptr;
  for (const Stmt *loop : loops) {
    const ParmVarDecl *param = WalkedParameter(loop);
    int operations = 0;
    if (param == nullptr || (walked != nullptr && param != walked) ||
        !CountCheapOperations(LoopBody(loop), effects, operations) ||
        operations > kCheapOperationsPerElement) {
      return nullptr;
    }
    walked = param;
  }
  // Other calls of the program's could hold the real work.
  return CallsTheProgram(callee->getBody(), effects) ? nullptr : walked;
}

// A type whose values grow with the work that fills them: it has a size().
bool IsContainer(QualType type) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  if (record == nullptr || !record->hasDefinition()) return false;
  for (const auto *decl : record->decls()) {
    const auto *method = dyn_cast<CXXMethodDecl>(decl);
    if (method == nullptr) {
      if (const auto *templated = dyn_cast<FunctionTemplateDecl>(decl)) {
        method = dyn_cast<CXXMethodDecl>(templated->getTemplatedDecl());
      }
    }
    if (method != nullptr && HasName(method, "size")) {
      return true;
    }
  }
  return false;
}

void CollectReturns(const Stmt *stmt, std::vector<const ReturnStmt *> &returns) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
  if (const auto *ret = dyn_cast<ReturnStmt>(stmt)) returns.push_back(ret);
  for (const Stmt *child : stmt->children()) CollectReturns(child, returns);
}

// The local container `callee` returns, when all its loops do is fill it with a few
// operations per element: the result is as large as the work.
const VarDecl *CheaplyFilledResult(const FunctionDecl *callee, EffectAnalyzer &effects) {
  if (callee->getBody() == nullptr || CallsTheProgram(callee->getBody(), effects)) {
    return nullptr;
  }
  std::vector<const ReturnStmt *> returns;
  CollectReturns(callee->getBody(), returns);
  const VarDecl *result = nullptr;
  for (const ReturnStmt *ret : returns) {
    const Expr *value =
        ret->getRetValue() ? ret->getRetValue()->IgnoreImplicit() : nullptr;
    if (const auto *construct = dyn_cast_or_null<CXXConstructExpr>(value);
        construct != nullptr && construct->getNumArgs() == 1) {
      value = construct->getArg(0);  // the copy or move a return may spell
    }
    const VarDecl *var = value != nullptr ? ReferencedVar(value) : nullptr;
    if (var == nullptr || !var->hasLocalStorage() || !IsContainer(var->getType()) ||
        (result != nullptr && var != result)) {
      return nullptr;
    }
    result = var;
  }
  std::vector<const Stmt *> loops;
  CollectLoops(callee->getBody(), loops);
  if (result == nullptr || loops.empty()) return nullptr;
  for (const Stmt *loop : loops) {
    int operations = 0;
    if (!CountCheapOperations(LoopBody(loop), effects, operations) ||
        operations > kCheapOperationsPerElement || !Writes(LoopBody(loop), result)) {
      return nullptr;
    }
  }
  return result;
}

}  // namespace

const Expr *CheaplyWalked(const Stmt *loop, EffectAnalyzer &effects) {
  const Expr *walked = WalkedContainer(loop);
  int operations = 0;
  if (walked == nullptr || !CountCheapOperations(LoopBody(loop), effects, operations) ||
      operations > kCheapOperationsPerElement)
    return nullptr;
  return walked;
}

std::string DataBoundCall(const CallExpr *call, const Stmt *loop, EffectAnalyzer &effects,
                          const SourceManager &sources) {
  const FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) return "";
  if (const VarDecl *result = CheaplyFilledResult(callee, effects)) {
    return callee->getNameAsString() + "() fills the '" + result->getNameAsString() +
           "' it returns with a few operations per element: sending the result back "
           "costs about as much as computing it.";
  }
  const ParmVarDecl *param = CheaplyWalkedParameter(callee, effects);
  if (param == nullptr || param->getFunctionScopeIndex() >= call->getNumArgs()) return "";
  const Expr *arg = call->getArg(param->getFunctionScopeIndex());
  const VarDecl *var = ReferencedVar(arg);
  // A variable the loop neither declares nor changes is sent once.
  if (var != nullptr && !DeclaredWithin(var, loop, sources) && !Writes(loop, var)) {
    return "";
  }
  std::string text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(arg->getSourceRange()), sources,
                           callee->getASTContext().getLangOpts())
          .str();
  return callee->getNameAsString() + "() walks '" + text +
         "' once, doing little with each element, and each task would be sent all of "
         "it: the copy costs about as much as the work.";
}

std::optional<long long> FixedSize(QualType type, ASTContext &context) {
  type = type.getCanonicalType();
  if (type->isIncompleteType() || type->isDependentType() || type->isPointerType() ||
      !type.isTriviallyCopyableType(context)) {
    return std::nullopt;
  }
  for (QualType element = type; element->isArrayType();) {
    element = context.getAsArrayType(element)->getElementType();
    if (element->isPointerType()) return std::nullopt;
  }
  return context.getTypeSizeInChars(type).getQuantity();
}

}  // namespace rayify
