// Dependences between iterations of a loop the task-loop conversion would rewrite:
// does the loop header or the call read what the loop writes?
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <string>

namespace rayify {

/// True for `var.size()` and `var.empty()`: reads that storing elements never changes.
bool IsSizeQuery(const clang::Stmt *stmt, const clang::VarDecl *var);

/// Mentions of `var` in `stmt` other than `var.size()` / `var.empty()`, which element
/// stores never change.
bool MentionsBeyondSize(const clang::Stmt *stmt, const clang::VarDecl *var);

/// Where the loop header reads `target`, the variable the loop fills ("the loop
/// header", "the range the loop walks"), or "" when it does not. With
/// `element_stores`, the loop only stores elements, which never changes
/// `target.size()` or `target.empty()`, so those reads do not count.
std::string HeaderRead(const clang::Stmt *loop, const clang::VarDecl *target,
                       bool element_stores);

}  // namespace rayify
