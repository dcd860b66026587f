// The values an array index can take, as affine bounds, so that the privatisation of
// an array filled only in part (`vranlc(2 * NK, &t, a, x)` filling 2 * NK of NK + 1
// elements, `for (i1 = 0; i1 < mm1; i1++) z1[i1] = ...` filling mm1 of M) can check
// that the iteration reads nothing the fill left out. A bound is a constant, or a
// constant plus a multiple of one variable that nothing changes (a parameter such as
// `mm1`); two bounds compare only when they are in the same variable.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <utility>
#include <vector>

namespace rayify {

/// `scale * symbol + offset`, or `offset` alone when `symbol` is null.
struct AffineBound {
  const clang::VarDecl *symbol = nullptr;
  long long scale = 0;
  long long offset = 0;
};

/// Every value from `low` to `high`, both included.
struct IndexInterval {
  AffineBound low;
  AffineBound high;
};

/// The counters of the loops around an index, innermost last, with their ranges.
using CounterRanges = std::vector<std::pair<const clang::VarDecl *, IndexInterval>>;

/// The values `index` can take, given the ranges of the counters around it; other
/// variables count only as symbols (locals or parameters of integer type that their
/// function only ever reads). nullopt when unknown.
std::optional<IndexInterval> RangeOf(const clang::Expr *index,
                                     const CounterRanges &counters,
                                     clang::ASTContext &context);

/// The range of `loop`'s counter when its header is `for (c = a; c < b; ++c)` (or
/// `<=`, `int c = a`, `c++`, `c += 1`) with bounds RangeOf knows and a body that does
/// not write the counter; nullopt otherwise. An empty range (b <= a) is harmless: the
/// body then never runs.
std::optional<IndexInterval> CounterRange(const clang::ForStmt *loop,
                                          const CounterRanges &outer,
                                          clang::ASTContext &context);

/// True when every value of `inner` is provably in `outer`.
bool Within(const IndexInterval &inner, const IndexInterval &outer);

/// The one value `range` holds (its bounds are the same), or nullopt.
std::optional<AffineBound> OneValue(const IndexInterval &range);

/// `factor * bound + shift`, or nullopt when that overflows.
std::optional<AffineBound> ScaledAndShifted(const AffineBound &bound, long long factor,
                                            long long shift);

/// True when `bound` is a constant of at least `value`.
bool AtLeast(const AffineBound &bound, long long value);

}  // namespace rayify
