// The checks every driver loop goes through before any conversion is considered:
// early exits, I/O, global writes, non-const reference arguments and invisible
// callees. Each failing check names the reason code and says why in one sentence.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Stmt.h>
#include <llvm/ADT/STLFunctionalExtras.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/GlobalMutations.h"
#include "model/ReasonCodes.h"

namespace rayify {

struct Refusal {
  SkipReason reason;
  std::string message;
};

/// The statements and variables a loop touches, computed once per loop.
struct LoopFacts {
  const clang::Stmt *loop = nullptr;
  const clang::Stmt *body = nullptr;
  /// Calls in the body to functions this file defines (not library functions).
  std::vector<const clang::CallExpr *> user_calls;
  /// Those of them the driver replays rather than a task running them
  /// (ReplayedCalls.h): the checks below judge the loop without their effects, and
  /// only an outlined task, which leaves them to the driver, may convert it.
  std::set<const clang::CallExpr *> replayed;
};

LoopFacts CollectLoopFacts(const clang::Stmt *loop, EffectAnalyzer &effects,
                           const GlobalMutations &mutations);

/// The first safety check `loop` fails, in the precedence of
/// resources/reason-codes.md, or nothing when it passes them all.
std::optional<Refusal> CheckLoopSafety(const LoopFacts &facts, EffectAnalyzer &effects,
                                       const GlobalMutations &mutations,
                                       clang::ASTContext &context);

/// A global a task can be given the driver's value of, installed in its own process
/// before the iteration runs: a file-scope variable (not a member, static local or
/// thread-local) holding a number, an enumerator or a C array of numbers, or a
/// pointer to a fixed block (GlobalMutations::FixedBlock).
bool IsRestorableGlobal(const clang::VarDecl *var, const GlobalMutations &mutations);

/// The globals the program changes that functions the loop calls read (this unit's
/// own, by declaration), in a stable order. CheckLoopSafety lets the restorable ones
/// through; only an outlined task can install them.
std::vector<const clang::VarDecl *> GlobalsCalleesRead(const LoopFacts &facts,
                                                       EffectAnalyzer &effects,
                                                       const GlobalMutations &mutations);

/// True when `decl` is declared inside `stmt` (an induction variable or a local of the
/// body), as opposed to before the loop.
bool DeclaredWithin(const clang::Decl *decl, const clang::Stmt *stmt,
                    const clang::SourceManager &sources);
/// True when `loc` lies within `stmt`'s source range.
bool LocatedWithin(clang::SourceLocation loc, const clang::Stmt *stmt,
                   const clang::SourceManager &sources);

/// The first variable `stmt` writes (its base, `v` of `v[i].x = e`) for which
/// `counts` holds, looking into everything but lambdas, or null.
const clang::VarDecl *FirstWrittenVariable(
    const clang::Stmt *stmt, llvm::function_ref<bool(const clang::VarDecl *)> counts);

/// The first variable declared outside `loop` that `stmt` writes, or null. Writes
/// through references or pointers declared inside count as outside writes.
const clang::VarDecl *FirstOutsideWrite(const clang::Stmt *stmt, const clang::Stmt *loop,
                                        const clang::SourceManager &sources);

/// `container[index]`, spelled with the built-in or an overloaded operator.
bool MatchSubscript(const clang::Expr *expr, const clang::Expr *&container,
                    const clang::Expr *&index);

/// The variable a plain name refers to, looking through parentheses and casts.
const clang::VarDecl *ReferencedVar(const clang::Expr *expr);

/// True when `stmt` (a loop: its header too) may change `var`, directly or through
/// a local reference, pointer or iterator.
bool Writes(const clang::Stmt *stmt, const clang::VarDecl *var);

/// True when `stmt` mentions `var` anywhere.
bool Mentions(const clang::Stmt *stmt, const clang::VarDecl *var);

/// How many times `stmt` names `var` itself (not through references or pointers).
size_t MentionCount(const clang::Stmt *stmt, const clang::VarDecl *var);

/// The body's only statement as an expression (`v.push_back(f(x))` in
/// `{ v.push_back(f(x)); }`), or null when the body is anything else.
const clang::Expr *OnlyExpression(const clang::Stmt *body);

/// The body of a for, range-for, while or do loop.
const clang::Stmt *LoopBody(const clang::Stmt *loop);

/// The statements of `body`: a block's, or `body` itself (a loop whose body is one
/// statement, the next loop of a nest).
std::vector<const clang::Stmt *> BodyStatements(const clang::Stmt *body);

/// True when `stmt` holds a statement that may leave a loop early or jump: break,
/// continue, return, goto, throw (lambdas are bodies of their own).
bool HasJump(const clang::Stmt *stmt);

}  // namespace rayify
