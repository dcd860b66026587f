// Writes through pointers that may reach what a loop reads by another name. The
// outliner replays a write through a pointer on the driver, as an update of the
// pointer's variable, while each task reads the variables it names as the loop found
// them: `*pn += 1` with `pn = &nx`, and a read of `nx` in the body or in a function it
// calls, would let every task read the first value of `nx`. So would a pointer
// parameter, a global reference, or a pointer a struct, a vector or a smart pointer
// holds (`*g_link.at`, `*g_ptrs[0]`, `*g_sp`), and a read through another pointer
// (`in[j + 1]`) of memory a write through a global pointer changed.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/GlobalMutations.h"

namespace rayify {

/// A variable written through a pointer, and one the loop reads that it may reach.
struct PointerAlias {
  const clang::VarDecl *written = nullptr;
  const clang::VarDecl *read = nullptr;
  /// `read` is a pointer the loop reads through that may point into `written`.
  bool read_points_in = false;
};

/// The refusal's words for `alias`: a reference that may be what the loop updates, or
/// a write through a pointer that may reach what the loop reads.
std::string DescribeAlias(const PointerAlias &alias);

/// Whether `target`, which the loop updates, is reached through a reference, a
/// pointer or a global, so that a variable of another name may lead to it.
bool ReachedIndirectly(const clang::VarDecl *target);

/// Whether what a reference of type `read` refers to and what the loop updates of
/// `target` (ReachedIndirectly) may share storage: the reference may be the target's
/// object or a part of it (`const double &f` and `out[0]` of `std::vector<double>
/// &out`), and, when the target is itself a reference or pointer, its object may be
/// a part of the reference's (`const Pair &p` holding `out`).
bool MayOverlap(clang::QualType read, const clang::VarDecl *target);

/// Whether `read`, a reference the loop reads, may share storage with `target`, which
/// it updates: the target is ReachedIndirectly, the types MayOverlap, and, when both
/// are parameters of the loop's function, some call may pass them one object or an
/// object and its part (DistinctAtEveryCall).
bool MayShareStorage(const clang::VarDecl *read, const clang::VarDecl *target,
                     clang::ASTContext &context, const ProjectCalls *project);

/// The first variable a loop of the single-call task shape reads in `body` that may
/// lead to what its one `write` to `target` changes: a reference that MayOverlap the
/// target, or what FindPointerAlias finds. Each task reads its arguments when the
/// driver submits it, before any earlier iteration's result is stored, so
/// `smooth(a, a)` with `out[i] = f(in[i - 1])` would read what the loop found.
std::optional<PointerAlias> FindTaskArgumentAlias(
    const clang::VarDecl *target, const clang::Expr *write, const clang::Stmt *body,
    const clang::Stmt *loop, const clang::FunctionDecl *function, EffectAnalyzer &effects,
    const GlobalMutations &mutations, clang::ASTContext &context);

/// In a member function, why a loop of the single-call task shape that stores into
/// `target` may read what it stores through the object: the loop names `this`, a
/// method, or a member that is not a value held whole (a pointer, reference or view
/// may lead to `target`), or any member when `target` is itself a reference or pointer
/// (`void Run(std::vector<double> &out)` called as `m.Run(m.values_)`). The driver
/// evaluates every task's arguments before it stores any result, so
/// `out[i] = f(values_[i - 1])` would read what the loop found. "" when the loop uses
/// the object in no such way.
std::string ObjectAlias(const clang::VarDecl *target, const clang::Stmt *loop);

/// The first alias of `body`, a loop body of `function`, or nullopt. `targets` are the
/// variables declared before the loop that the body updates, in order, and `writes`
/// the body's writes of each; `outside` tells a variable declared before the loop.
/// A target counts when it is a global or parameter pointer or reference (not a
/// global block from malloc, not a parameter bound to one array), or when one of its
/// writes leaves its own storage through a raw pointer, `operator*` or `->`, or a
/// subscript or accessor of anything but a standard owning container (a local view
/// is followed to what it was set from). What it may reach: a reference's object,
/// or the types a pointer's writes store. A read may be of that: through a pointer
/// the loop reads (`in[j]`), or of a variable that may hold such an object and whose
/// address may be elsewhere (a global, or a local whose address the function hands
/// out); a local view of the target itself is the target.
std::optional<PointerAlias> FindPointerAlias(
    const std::vector<const clang::VarDecl *> &targets,
    const std::map<const clang::VarDecl *, std::vector<const clang::Expr *>> &writes,
    const clang::Stmt *body, const clang::FunctionDecl *function,
    const std::function<bool(const clang::VarDecl *)> &outside, EffectAnalyzer &effects,
    const GlobalMutations &mutations, clang::ASTContext &context);

}  // namespace rayify
