#include "analysis/ReplayedCalls.h"

#include <clang/AST/ExprCXX.h>

#include <algorithm>
#include <vector>

#include "analysis/LoopSafety.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// Calls standing as statements where the outliner's planner looks for update
// statements: in blocks, the branches of if statements and the bodies of loops.
void CollectStatementCalls(const Stmt *stmt, std::vector<const CallExpr *> &calls) {
  if (stmt == nullptr) return;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    calls.push_back(call);
  } else if (const auto *block = dyn_cast<CompoundStmt>(stmt)) {
    for (const Stmt *child : block->body()) CollectStatementCalls(child, calls);
  } else if (const auto *branch = dyn_cast<IfStmt>(stmt)) {
    if (branch->getInit() != nullptr || branch->getConditionVariable() != nullptr) return;
    CollectStatementCalls(branch->getThen(), calls);
    CollectStatementCalls(branch->getElse(), calls);
  } else if (IsLoop(stmt)) {
    CollectStatementCalls(LoopBody(stmt), calls);
  }
}

// Whether `stmt` does nothing but make the calls of `replayed` (and test
// conditions for them): a task would have nothing left to do.
bool OnlyReplayedCalls(const Stmt *stmt, const std::set<const CallExpr *> &replayed) {
  if (stmt == nullptr || isa<NullStmt>(stmt)) return true;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) return replayed.count(call) != 0;
  if (const auto *branch = dyn_cast<IfStmt>(stmt)) {
    return OnlyReplayedCalls(branch->getThen(), replayed) &&
           OnlyReplayedCalls(branch->getElse(), replayed);
  }
  if (IsLoop(stmt)) return OnlyReplayedCalls(LoopBody(stmt), replayed);
  const auto *block = dyn_cast<CompoundStmt>(stmt);
  return block != nullptr &&
         std::all_of(block->body_begin(), block->body_end(), [&](const Stmt *child) {
           return OnlyReplayedCalls(child, replayed);
         });
}

bool IsNumber(QualType type) {
  return type->isArithmeticType() || type->isEnumeralType();
}

// A free function given numbers by value, each argument written out (a default
// argument has no text to replay), whose effects the driver can redo alone.
bool CalleeCanBeReplayed(const CallExpr *call, EffectAnalyzer &effects,
                         const GlobalMutations &mutations) {
  const FunctionDecl *callee = call->getDirectCallee();
  if (callee == nullptr || isa<CXXMemberCallExpr, CXXOperatorCallExpr>(call) ||
      isa<CXXMethodDecl>(callee) || callee->isVariadic() ||
      effects.IsLibraryFunction(callee) ||
      (!callee->getReturnType()->isVoidType() && !IsNumber(callee->getReturnType()))) {
    return false;
  }
  for (const ParmVarDecl *param : callee->parameters()) {
    if (!IsNumber(param->getType())) return false;
  }
  for (const Expr *argument : call->arguments()) {
    if (isa<CXXDefaultArgExpr>(argument)) return false;
  }
  Effects done = effects.OfFunction(callee);
  return !done.global_write.empty() && done.io.empty() && done.exits.empty() &&
         done.may_throw.empty() && done.unknown_call.empty() &&
         done.not_visible.empty() && !WritesUntracked(done, mutations);
}

// The statement calls of `body` the driver could replay, taken one by one.
std::set<const CallExpr *> ReplayableAlone(const Stmt *body, EffectAnalyzer &effects,
                                           const GlobalMutations &mutations) {
  std::vector<const CallExpr *> statements;
  CollectStatementCalls(body, statements);
  std::set<const CallExpr *> replayable;
  for (const CallExpr *call : statements) {
    if (CalleeCanBeReplayed(call, effects, mutations)) replayable.insert(call);
  }
  return replayable;
}

std::set<std::string> Usrs(const std::set<const VarDecl *> &vars,
                           const std::map<std::string, std::string> &summarized) {
  std::set<std::string> usrs;
  for (const VarDecl *var : vars) usrs.insert(UsrOf(var));
  for (const auto &[usr, name] : summarized) usrs.insert(usr);
  return usrs;
}

bool Meet(const std::set<std::string> &a, const std::set<std::string> &b) {
  return std::any_of(a.begin(), a.end(),
                     [&](const std::string &usr) { return b.count(usr) != 0; });
}

// Whether the call must run where it stands, given what the rest of the iteration
// (the body without the replayed calls) reads and writes.
bool SharesState(const CallExpr *call, const Effects &rest, EffectAnalyzer &effects,
                 const GlobalMutations &mutations) {
  Effects callee = effects.OfFunction(call->getDirectCallee());
  std::set<std::string> rest_writes =
      Usrs(rest.globals_written, rest.summary_globals_written);
  std::set<std::string> rest_touches = Usrs(rest.globals_read, rest.summary_globals_read);
  rest_touches.insert(rest_writes.begin(), rest_writes.end());
  return Meet(Usrs(callee.globals_written, callee.summary_globals_written),
              rest_touches) ||
         Meet(Usrs(callee.globals_read, callee.summary_globals_read), rest_writes) ||
         (ReadsThroughGlobal(callee, mutations) && !rest_writes.empty());
}

// A global pointer or reference other than a fixed block's: what it leads to has
// names of its own.
bool LeadsElsewhere(const VarDecl *var, const GlobalMutations &mutations) {
  return IsIndirection(var->getType()) && !mutations.FixedBlock(var);
}

}  // namespace

bool WritesUntracked(const Effects &effects, const GlobalMutations &mutations) {
  if (effects.untracked_write) return true;
  return std::any_of(effects.globals_written.begin(), effects.globals_written.end(),
                     [&](const VarDecl *var) { return LeadsElsewhere(var, mutations); });
}

bool ReadsThroughGlobal(const Effects &effects, const GlobalMutations &mutations) {
  if (effects.summary_reads_through_global) return true;
  return std::any_of(effects.globals_read.begin(), effects.globals_read.end(),
                     [&](const VarDecl *var) { return LeadsElsewhere(var, mutations); });
}

std::string WhyNotReplayed(const CallExpr *call, const Stmt *loop,
                           EffectAnalyzer &effects, const GlobalMutations &mutations) {
  const Stmt *body = LoopBody(loop);
  std::set<const CallExpr *> replayable = ReplayableAlone(body, effects, mutations);
  if (replayable.count(call) == 0) return "";
  if (OnlyReplayedCalls(body, replayable))
    return ", and the loop does nothing else, so there is no work for a task";
  return " and the rest of the loop uses what it changes (or changes what it "
         "reads), so the driver cannot call it in the task's stead";
}

std::set<const CallExpr *> ReplayedCalls(const Stmt *loop, EffectAnalyzer &effects,
                                         const GlobalMutations &mutations) {
  const Stmt *body = LoopBody(loop);
  std::set<const CallExpr *> replayed = ReplayableAlone(body, effects, mutations);
  // A loop of nothing but such calls is the driver's: it keeps them, and its
  // reason.
  if (OnlyReplayedCalls(body, replayed)) return {};
  // A call put back among the rest brings its effects with it, which may tie
  // another call to the iteration: repeat until none is put back.
  for (bool dropped = !replayed.empty(); dropped && !replayed.empty();) {
    dropped = false;
    // The header too: the driver runs it for every iteration before it replays a
    // call (`for (...; ++g_phase)` with a call reading g_phase).
    Effects rest = effects.OfStmtWithout(loop, replayed);
    // What the rest writes or reads without naming it could be anything.
    if (WritesUntracked(rest, mutations) || ReadsThroughGlobal(rest, mutations))
      return {};
    for (auto it = replayed.begin(); it != replayed.end();) {
      if (SharesState(*it, rest, effects, mutations)) {
        it = replayed.erase(it);
        dropped = true;
      } else {
        ++it;
      }
    }
  }
  return replayed;
}

}  // namespace rayify
