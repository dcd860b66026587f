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

#include <optional>

#include "model/Summaries.h"

namespace rayify {

/// A value each iteration sets afresh before anything reads it: the first statement
/// of the body that mentions it assigns a scalar afresh (or is a for loop whose header
/// does), or empties or replaces a standard container (`v.clear()`, `v = {}`,
/// `v.assign(n, 0)`).
/// A local C array of numbers is such a value when a loop or a call fills it from its
/// first element before anything reads it (FillOfParameter) and what follows in the
/// iteration uses only elements it filled (IndexRanges.h). `project` knows the fills
/// of functions other units define.
bool IsPrivateValue(const clang::VarDecl *var, const clang::Stmt *body,
                    const ProjectSummaries *project = nullptr);

/// True when `var`, private to the iterations of `loop` (IsPrivateValue), may live in
/// each task alone: a local of `function` itself (or a global or static only `main`
/// names, when `function` is `main`) whose address no code outside the loop takes or
/// binds to a reference (or a lambda), and whose value at the loop's end no path reads
/// before setting it again.
bool IterationsMayKeepPrivate(const clang::VarDecl *var, const clang::Stmt *loop,
                              const clang::FunctionDecl *function,
                              clang::ASTContext &context,
                              const ProjectSummaries *project = nullptr);

/// True when code in `body` could reach `var` other than by name: it takes its
/// address (unless lending it to a call that keeps no copy), binds a reference to it,
/// or a lambda uses it.
bool ReachedOtherThanByName(const clang::Stmt *body, const clang::VarDecl *var,
                            clang::ASTContext &context,
                            const ProjectSummaries *project = nullptr);

/// The array a scratch variable holds (a C array of numbers, or a global pointer to a
/// fresh block of them, which a task holds as an array), or nullopt.
std::optional<clang::QualType> ScratchArrayType(const clang::VarDecl *var);

/// True when `definition`'s parameter `index` is a pointer to a number that the body
/// only dereferences or indexes (`*p`, `p[m]`): no copy of it outlives the call, so
/// passing `&t1` leaves `t1` reachable by name alone.
bool KeepsNoCopy(const clang::FunctionDecl *definition, unsigned index);

/// How `definition` fills, through its pointer parameter `index`, the array that
/// parameter receives: a for loop storing every element from the first, up to a
/// constant or a parameter it never changes, before anything else names the
/// parameter, which is only ever subscripted. nullopt for anything else.
std::optional<ParameterFill> FillOfParameter(const clang::FunctionDecl *definition,
                                             unsigned index, clang::ASTContext &context);

}  // namespace rayify
