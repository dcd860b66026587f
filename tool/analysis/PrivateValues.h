// Privatisation: which variables declared before a loop each iteration may keep a
// copy of its own. A value is private to the iterations when every iteration sets it
// before reading it (scratch, a reset accumulator, an inner loop's counter), and a
// task may keep it to itself when, besides, nothing can observe what the last
// iteration left in it: nothing after the loop reads that value, no pointer or
// reference reaches the variable, and it dies with the function (a global or static
// would carry it to the next call or to another function).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

namespace rayify {

/// A value each iteration sets afresh before anything reads it: the first statement
/// of the body that mentions it assigns a scalar afresh (or is a for loop whose header
/// does), or empties or replaces a standard container (`v.clear()`, `v = {}`,
/// `v.assign(n, 0)`).
bool IsPrivateValue(const clang::VarDecl *var, const clang::Stmt *body);

/// True when `var`, private to the iterations of `loop` (IsPrivateValue), may live in
/// each task alone: a local of `function` itself whose address no code outside the
/// loop takes or binds to a reference (or a lambda), and whose value at the loop's
/// end no path reads before setting it again.
bool IterationsMayKeepPrivate(const clang::VarDecl *var, const clang::Stmt *loop,
                              const clang::FunctionDecl *function,
                              clang::ASTContext &context);

}  // namespace rayify
