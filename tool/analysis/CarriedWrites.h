// Which writes of a loop body carry a value from one iteration to the next. A write to
// a variable declared before the loop is not one when the variable is private to each
// iteration (a scalar assigned before anything reads it: scratch, a reset
// accumulator, an inner loop's counter; a standard container cleared first), when
// each iteration writes only its own element (`a[i]`, `a[i].x`, `a[i][j]` with i the
// loop's counter, and nothing else of `a` is touched), or when it goes through a
// range-for's own reference to the element (PrivateValues.h says which values are
// private). FirstCarriedWrite names the real reason a loop stays sequential.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/ADT/STLFunctionalExtras.h>

#include <vector>

namespace rayify {

/// The first variable declared before `loop` whose writes in the body carry a value
/// between iterations, or null when there is none.
const clang::VarDecl *FirstCarriedWrite(const clang::Stmt *loop,
                                        const clang::SourceManager &sources);

/// Where `loop`'s counter stands in every mention of `var` in its body: each mention
/// is a chain of subscripts with the counter alone at that same position, the
/// indices before it plain values (`a[i]`, `a[i][j]`, `g[m][i]` over i),
/// so each iteration touches its own slice of `var` and no other's. -1 when some
/// mention is not such a chain, or there is none.
int OwnSlicePosition(const clang::Stmt *loop, const clang::VarDecl *var);

/// Every `var[counter]` of `loop`'s body (subscripted further or not: `rows[i][j]`,
/// `f(v[i])`), when those and its size queries (`var.size()`, `var.empty()`, put in
/// `sizes`) are the only mentions of `var` there and none has its address taken:
/// each iteration touches only its own element. Empty when `var` is mentioned
/// otherwise, or not at all.
std::vector<const clang::Expr *> OwnElementMentions(
    const clang::Stmt *loop, const clang::VarDecl *var, const clang::VarDecl *counter,
    std::vector<const clang::Expr *> &sizes);

/// True when every run of `loop`'s body evaluates one of `mentions`: in a statement
/// it always reaches (none before it may `continue`, `break` or leave), outside the
/// parts of an expression that run only under a condition (`?:`, `&&`, `||`) and
/// outside unevaluated operands (`sizeof`); also in the body of an inner `for` that
/// `enters` says runs at least once, before anything there may leave its first step.
bool EveryIterationEvaluates(
    const clang::Stmt *loop, const std::vector<const clang::Expr *> &mentions,
    llvm::function_ref<bool(const clang::ForStmt *)> enters = nullptr);

/// What `stmt` makes a pointer to: the operand of `&e` or `std::addressof(e)`, or an
/// array that decays to a pointer to its first element. Null for anything else.
const clang::Expr *AddressTaken(const clang::Stmt *stmt);

/// The variable `step` adds one to (`++v`, `v++`, `v += 1`), or null.
const clang::VarDecl *SteppedByOne(const clang::Expr *step, clang::ASTContext &context);

/// The counter of a for loop (`i` of `for (int i = a; i < n; ++i)`, or of
/// `for (i = a; ...; i += 2)`), or null when the header is not of that form or the
/// body writes the counter.
const clang::VarDecl *LoopCounter(const clang::Stmt *loop);

/// Where `loop`'s header starts `counter`: the initializer of `for (int i = a; ...)` or
/// the value of `for (i = a; ...)`; null for any other init statement.
const clang::Expr *CounterStart(const clang::ForStmt *loop,
                                const clang::VarDecl *counter);

}  // namespace rayify
