// How much work one run of a statement does, estimated from its source: the figure the
// cost model weighs against what a remote task costs.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Stmt.h>

#include <optional>

namespace rayify {

class CallGraph;
class EffectAnalyzer;

/// The size of a std::array or std::bitset, which its type fixes; nullopt for any other
/// type.
std::optional<long long> SizeFixedByType(clang::QualType type);

/// The operations one run of `stmt` performs, roughly: each operator and cheap library
/// call counts (a math function as several), a branch as its dearer arm, a loop as its
/// body times its trip count, and a call of the program's as its callee's body with
/// the call's constant arguments bound to the parameters (`walk(i, 60000)` runs its
/// `steps` loop 60000 times, and a container of literals it is passed bounds the loops
/// over its size); a parameter no call being estimated binds is bounded by what
/// every call of its function in the unit passes (`calls`), so
/// `range(0, 8)` called from main bounds range's loop; a loop whose bounds are
/// known only at run time counts ExtentTripBound times. nullopt when the work has no
/// bound the source shows: a loop whose trip count is not known here, recursion, a call
/// of unknown cost. A caller treats that as enough work, so the estimate only ever holds
/// back loops it can show are cheap.
std::optional<double> EstimateOperations(const clang::Stmt *stmt, EffectAnalyzer &effects,
                                         clang::ASTContext &context,
                                         const CallGraph &calls);

/// At most how many times `loop` runs, judged from the arrays it indexes with its
/// counter: a counter that stands alone, or plus or minus a constant, as an index of a
/// dimension of constant extent E (`a[i]` of `double a[64]`, `u[k][j][i]` of a block
/// holding `double[M][N][N]`) takes at most E values if the program stays in bounds.
/// Subscripts under a condition do not count: they may run for a few iterations only.
/// nullopt when no such subscript bounds it. A figure for the cost model only.
std::optional<unsigned long long> ExtentTripBound(const clang::Stmt *loop,
                                                  clang::ASTContext &context);

/// How many times the counted for loop `loop` runs, as EstimateOperations counts it
/// where it stands: from its bounds (constants, the loops around it, what every call
/// of its function passes), or at most ExtentTripBound. nullopt for any other loop.
std::optional<unsigned long long> EstimateTrips(const clang::Stmt *loop,
                                                EffectAnalyzer &effects,
                                                clang::ASTContext &context,
                                                const CallGraph &calls);

/// The value an integer variable of a function always has, when the source fixes it:
/// a local initialised with a constant (or with such a variable) that nothing changes
/// by name or through its address, or a parameter, never changed, of a function of
/// internal linkage every call of which passes the same such value (PolyBench's
/// kernels, given main's `int ni = NI;`). Exact, unlike the figures above: a task may
/// take the variable as that constant. nullopt otherwise.
std::optional<long long> FixedValue(const clang::VarDecl *var, clang::ASTContext &context,
                                    const CallGraph &calls, int depth = 0);

/// FixedValue of an expression: a constant expression, a variable FixedValue gives,
/// read as it is (no conversion but the read itself), or `+ - * /` of such values on a
/// signed type where nothing overflows.
std::optional<long long> FixedValueOf(const clang::Expr *expr, clang::ASTContext &context,
                                      const CallGraph &calls, int depth = 0);

/// FixedValueOf a count that converts to another integer type on the way
/// (`i < n` with `std::size_t i` and `const int n`): the value when it is zero or
/// more and no conversion narrows it. nullopt otherwise.
std::optional<long long> FixedCount(const clang::Expr *expr, clang::ASTContext &context,
                                    const CallGraph &calls);

/// How many elements the local std::vector, std::deque or std::array `var` holds
/// wherever its function mentions it: the count it is made with, a FixedValue or a
/// list of literals, when no mention may change its size (`v[i]`, `v.size()`, a copy,
/// a const reference: KeepsSize). Exact, unlike the figures above: the driver may read
/// `v[i]` for every `i` below it. nullopt otherwise (a parameter, a reference, a
/// container resized, moved or handed out by non-const reference).
std::optional<long long> FixedContainerSize(const clang::VarDecl *var,
                                            clang::ASTContext &context,
                                            const CallGraph &calls);

}  // namespace rayify
