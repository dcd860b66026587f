#include "analysis/CostModel.h"

#include <clang/AST/Expr.h>
#include <clang/Lex/Lexer.h>

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include "analysis/CalleeEffects.h"
#include "analysis/LoopSafety.h"

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

std::optional<CountedRange> ChunkableRange(const Stmt *loop, ASTContext &context) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr || for_stmt->getCond() == nullptr ||
      for_stmt->getInc() == nullptr)
    return std::nullopt;
  const auto *init = dyn_cast_or_null<DeclStmt>(for_stmt->getInit());
  const auto *counter = init != nullptr && init->isSingleDecl()
                            ? dyn_cast<VarDecl>(init->getSingleDecl())
                            : nullptr;
  if (counter == nullptr || counter->getInit() == nullptr ||
      !counter->getType()->isIntegerType() || counter->getType()->isReferenceType()) {
    return std::nullopt;
  }
  const auto *cond = dyn_cast<BinaryOperator>(for_stmt->getCond()->IgnoreParenImpCasts());
  if (cond == nullptr || cond->getOpcode() != BO_LT ||
      BaseVariable(cond->getLHS()) != counter ||
      !isa<DeclRefExpr>(cond->getLHS()->IgnoreParenImpCasts())) {
    return std::nullopt;
  }
  const Expr *inc = for_stmt->getInc()->IgnoreParenImpCasts();
  bool unit_step = false;
  if (const auto *unary = dyn_cast<UnaryOperator>(inc)) {
    unit_step = unary->isIncrementOp() && BaseVariable(unary->getSubExpr()) == counter;
  } else if (const auto *compound = dyn_cast<CompoundAssignOperator>(inc)) {
    Expr::EvalResult step;
    unit_step = compound->getOpcode() == BO_AddAssign &&
                BaseVariable(compound->getLHS()) == counter &&
                compound->getRHS()->EvaluateAsInt(step, context) &&
                step.Val.getInt() == 1;
  }
  const Expr *begin = counter->getInit();
  const Expr *end = cond->getRHS();
  if (!unit_step || begin->HasSideEffects(context, false) ||
      end->HasSideEffects(context, false) || begin->getBeginLoc().isMacroID() ||
      end->getBeginLoc().isMacroID()) {
    return std::nullopt;
  }
  return CountedRange{counter, begin, end};
}

bool IsWorthATask(const FunctionDecl *callee, EffectAnalyzer &effects) {
  return effects.OfFunction(callee).has_loop;
}

namespace {

// Per element, a handful of arithmetic costs about what copying the element to a task
// does; calls other than element access and the cheapest math cost more.
constexpr int kCheapOperationsPerElement = 12;

bool IsCheapLibraryCall(const FunctionDecl *callee) {
  static const char *const kCheap[] = {"size",  "empty", "operator[]", "at",
                                       "begin", "end",   "fabs",       "abs",
                                       "sqrt",  "min",   "max"};
  std::string name = callee->getNameAsString();
  for (const char *cheap : kCheap) {
    if (name == cheap) return true;
  }
  return false;
}

// Counts the operations of a loop body; false when it holds something that is not
// cheap: a nested loop, a call of the program's, a costly library call.
bool CountCheapOperations(const Stmt *stmt, EffectAnalyzer &effects, int &count) {
  if (stmt == nullptr) return true;
  if (IsLoop(stmt) || isa<LambdaExpr>(stmt)) return false;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr || !effects.IsLibraryFunction(callee) ||
        !IsCheapLibraryCall(callee)) {
      return false;
    }
  }
  if (isa<BinaryOperator, UnaryOperator, CallExpr>(stmt)) ++count;
  for (const Stmt *child : stmt->children()) {
    if (!CountCheapOperations(child, effects, count)) return false;
  }
  return true;
}

// The container parameter a loop walks: `for (x : p)`, or a for loop whose condition
// reads `p.size()`.
const ParmVarDecl *WalkedParameter(const Stmt *loop) {
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
          size->getMethodDecl()->getName() == "size") {
        walked = size->getImplicitObjectArgument();
      }
    }
  }
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

}  // namespace

std::string DataBoundCall(const CallExpr *call, const Stmt *loop, EffectAnalyzer &effects,
                          const SourceManager &sources) {
  const FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr) return "";
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

}  // namespace rayify
