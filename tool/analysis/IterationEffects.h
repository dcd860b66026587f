// What one iteration of a loop does to state outside it, for outlining the body into a
// task. Every variable declared before the loop that the body writes is private to the
// iteration (assigned before anything reads it, dead after the loop: PrivateValues.h),
// an array of which each iteration touches only its own slice (OwnSlice, below), or
// a target that only "update statements" touch: `total += e`, `out[k] = e`,
// `v.push_back(e)`, `++hist[b]`, `best = std::max(best, e)`, or an `if` whose condition
// compares with a target and whose branches only assign targets
// (`if (e < best) { best = e; arg = i; }`).
//
// A call the driver replays (ReplayedCalls.h) is an update statement too, of the
// globals it writes: `timer_start(2);`, `trace(i, x);`.
//
// The task evaluates each update statement's parts that do not involve a target (the
// maximal subexpressions without one: `e`, `k`, `b`) and returns them; the driver
// replays the statement on those values, iteration by iteration in the original order.
// Each target is updated in the same order, by the same operations, on the same
// values, so results are bit-identical: floating-point sums included. The task never
// reads a target, so running iterations at once cannot change what they compute.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <variant>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/GlobalMutations.h"
#include "analysis/LoopSafety.h"

namespace rayify {

class CallGraph;

/// How a task folds an update statement's runs into one value of its own, so that
/// it sends that value rather than every run's (UpdateStatement::combined).
enum class Combination { kNone, kSum, kMin, kMax, kBest };

/// A statement that updates targets, and what the task computes for it.
struct UpdateStatement {
  /// An expression (without its ';') or an if statement.
  const clang::Stmt *stmt = nullptr;
  /// The targets it updates, in order of first mention.
  std::vector<const clang::VarDecl *> targets;
  /// The distinct parts the task evaluates, in order of first evaluation.
  std::vector<const clang::Expr *> parts;
  /// Every place in `stmt` a part stands, with the part's index.
  std::vector<std::pair<const clang::Expr *, unsigned>> uses;
  /// True when it runs exactly once per iteration: its value can be returned as it is
  /// rather than in a list.
  bool once = false;
  /// True when it stands in a loop inside the body: it may run many times, so its
  /// runs cannot be ordered against another statement's.
  bool in_loop = false;
  /// How many of its parts change something when evaluated (at most one).
  unsigned writing_parts = 0;
  /// For a call the driver replays (ReplayedCalls.h), the function it calls; it
  /// updates no target of its own, its arguments are its parts.
  const clang::FunctionDecl *replayed = nullptr;
  /// For `h[k] += c` (or `++h[k]`) in an inner loop, with `c` a constant and `h` an
  /// array of at most kMaxTallyExtent elements no other statement updates: h's
  /// extent. Its runs differ only in `k` and each run on one element is the same
  /// operation, so a task returns how many times it ran per element rather than every
  /// `k`, and the driver replays that many runs on each element, in any order of
  /// elements. 0 otherwise.
  unsigned long long tally_extent = 0;
  /// For a statement that may run more or less than once per iteration (not `once`)
  /// and is the only one to mention its one target, an integer variable, with one
  /// part: how the task folds its runs. kSum for `t += e`, `t -= e`, `t = t + e`,
  /// `t = e + t` and `t = t - e` with `e` an integer: integer addition wraps, so the
  /// runs one by one leave `t` where one run on their sum modulo 2^64 leaves it
  /// (`unsigned long long`), whenever the original had no overflow. kMax for
  /// `t = std::max(t, e)` and `if (e > t) t = e;` (`>=`, or `t < e`), kMin likewise,
  /// with `e` of t's type: the runs leave `t` at the larger (smaller) of its value
  /// and the largest (smallest) `e`. For a float or double `t`, only the forms that
  /// keep the first of equal values and never take a NaN (strict comparisons,
  /// `std::max(t, e)`) fold; never a sum, which depends on its order. The task keeps
  /// that one value, and the driver replays the statement once on it. A statement
  /// that runs once per iteration folds across the iterations of a chunk.
  Combination combined = Combination::kNone;
  /// True when no other update statement of the loop mentions any of its targets.
  bool sole = false;
  /// kBest: `if (e > t) { t = e; at = i; }`, an argmax or argmin whose targets only
  /// this statement mentions, `t` a number as for kMax and kMin (strict comparisons
  /// only for floating point), the others assigned parts or constants. The task
  /// keeps the one run the statement would have kept last, by the same comparison
  /// (`>=` keeps the last of equal values, `>` the first), as a list of at most one
  /// entry, and the driver replays the statement on it.
  struct Best {
    /// Which part is `e`, the compared value.
    unsigned compared = 0;
    /// Whether the comparison keeps the larger value, and whether it keeps an equal
    /// one (`>=`, `<=`).
    bool largest = true;
    bool ties = false;
  } best;
};

/// The largest histogram a task counts into (UpdateStatement::tally_extent): a
/// count per element goes back from every iteration.
constexpr unsigned long long kMaxTallyExtent = 256;

/// An array of numbers declared before the loop of which each iteration touches only
/// its own slice, the elements whose index at `position` is the loop's counter
/// (OwnSlicePosition): it may read it as well as write it. The task works on a copy of
/// its slice as the loop found it and returns the slice, which the driver writes back
/// in place.
struct OwnSlice {
  const clang::VarDecl *var = nullptr;
  int position = 0;
};

/// A std::vector or std::array declared in the function that each iteration touches
/// only at its own element, `var[i]` with i the counter (OwnElementMentions). The task
/// receives that element as the loop found it, works on it in place of `var[i]`, and
/// returns it; the driver stores it back.
struct OwnElement {
  const clang::VarDecl *var = nullptr;
  clang::QualType type;
  /// Every `var[i]` of the body.
  std::vector<const clang::Expr *> mentions;
  /// Every `var.size()` and `var.empty()` of the body: the task is sent the size.
  std::vector<const clang::Expr *> sizes;
  /// True when every iteration evaluates `var[i]` (EveryIterationEvaluates), so the
  /// element exists whenever the loop reaches it; otherwise the driver checks the
  /// index against the size before it reads or stores the element.
  bool always = false;
};

/// A block of a run-time size (LocalBlocks.h) of which each iteration touches only its
/// own row, `var[i * w + j]` over `j < w` (BlockRows.h): the task of a chunk of
/// iterations is sent their rows as the loop found them, works on them under the
/// block's own indices, and returns them; the driver copies them back in place.
struct OwnRows {
  const clang::VarDecl *var = nullptr;
  clang::QualType element;
  /// The width `w`, as the loop spells it: a variable the driver can read too, or a
  /// constant.
  const clang::Expr *width = nullptr;
  /// The inner loops that walk along the row (RowMentions::walks).
  std::vector<const clang::ForStmt *> walks;
};

struct IterationPlan {
  /// The counter of a for loop or the element of a range-for: the task's first
  /// parameter.
  const clang::VarDecl *iteration = nullptr;
  std::vector<UpdateStatement> updates;
  /// Variables declared before the loop that the task reads, in order of first
  /// mention.
  std::vector<const clang::VarDecl *> captures;
  /// Variables declared before the loop that each iteration assigns before reading.
  std::vector<const clang::VarDecl *> privates;
  /// Arrays the iterations update slice by slice (with ArrayUpdates::kOwnSlices).
  std::vector<OwnSlice> slices;
  /// Containers the iterations update element by element (with
  /// ArrayUpdates::kOwnSlices).
  std::vector<OwnElement> elements;
  /// Blocks the iterations update row by row (with ArrayUpdates::kOwnSlices).
  std::vector<OwnRows> rows;
  /// Scratch arrays each task works on a copy of, as the loop found them; the last
  /// iteration's copy is the array after the loop (CopiedScratch.h; with
  /// ArrayUpdates::kOwnSlices). They are among the captures too.
  std::vector<const clang::VarDecl *> copied;
  /// A range-for over a std::vector or std::array declared in the function whose
  /// reference `iteration` writes the element (`for (double &x : v) x = f(x);`): the
  /// task is sent the element, and returns it as it leaves it; the driver walks the
  /// range again to store each back. `iteration` is then the range's only way to it.
  const clang::VarDecl *walked = nullptr;
  /// Globals the program changes that functions the loop calls read
  /// (GlobalsCalleesRead): sent with each task, which installs them in its own
  /// process before the iteration runs.
  std::vector<const clang::VarDecl *> restored;
  /// True when arrays or containers travel back whole or in slices, not as update
  /// statements' parts.
  bool ReturnsArrays() const {
    return !slices.empty() || !elements.empty() || !rows.empty() || !copied.empty() ||
           walked != nullptr;
  }
  /// `continue` statements of this loop: the task returns there.
  std::vector<const clang::ContinueStmt *> continues;
  /// A while loop's last statement, `++i` (or `i++`, `i += 1`) of its counter
  /// `iteration`: the driver keeps it, the task leaves it out.
  const clang::Expr *step = nullptr;
};

/// How the plan treats an array of numbers (or a std::vector or std::array) each
/// iteration updates only in its own slice: as a target like any other (the task
/// never reads it and returns each element it stores), or as an OwnSlice (the task
/// works on a copy of its slice, read and written at will, and returns it whole; the
/// array itself is sent) or an OwnElement (only the element travels, both ways).
enum class ArrayUpdates { kReplayed, kOwnSlices };

/// The plan for outlining `loop`'s body out of `function`, or why it cannot be
/// outlined. The loop has passed CheckLoopSafety.
std::variant<IterationPlan, Refusal> PlanIterations(
    const clang::Stmt *loop, const clang::FunctionDecl *function, EffectAnalyzer &effects,
    const GlobalMutations &mutations, clang::ASTContext &context, const CallGraph &calls,
    ArrayUpdates arrays = ArrayUpdates::kReplayed);

/// The element type of a std::vector (not of bool, whose elements are bits) or a
/// std::array that `var`, declared in the function, holds by value, or of the block a
/// local pointer holds (LocalBlocks.h); nullopt for anything else.
std::optional<clang::QualType> OwnElementType(const clang::VarDecl *var);

/// The mapped type of a std::map, std::unordered_map or their multi- forms holding
/// values (not references, pointers or arrays).
std::optional<clang::QualType> HeldMappedType(clang::QualType type);

/// The element type of a std::vector (not of bool) or std::array of `type`; nullopt
/// for any other type.
std::optional<clang::QualType> HeldElementType(clang::QualType type);

/// The C array of numbers `var` is sent to a task as: its own type (`double u[N][5]`),
/// or for a global pointer to a fixed block (GlobalMutations::FixedBlock) the array the
/// block holds. nullopt for anything else.
std::optional<clang::QualType> SentArrayType(const clang::VarDecl *var,
                                             const GlobalMutations &mutations);

/// True when the task side of the plan has work enough for a task of its own: a call
/// of a function that loops or recurses (and is not DataBoundCall), or an inner loop
/// that updates no target (so the results stay smaller than the work).
/// With an empty plan: whether the loop has such work at all.
/// True when `body` holds loops nested `levels` deep whose innermost updates no
/// target of `plan`.
bool HasQuietLoopNest(const clang::Stmt *body, int levels, const IterationPlan &plan,
                      const clang::SourceManager &sources);

/// Why the task side of the plan is bound by the data it is sent, or "": the only
/// work it has is walking, with a few operations per element (CheaplyWalked), what
/// each iteration is sent of its own (the range-for's element, `rows[i]`), with no
/// call of a function that loops. The sum of a matrix row by row.
std::string DataBoundWalk(const LoopFacts &facts, const IterationPlan &plan,
                          EffectAnalyzer &effects, const clang::SourceManager &sources);

bool OutlinedWorkPays(const LoopFacts &facts, const IterationPlan &plan,
                      EffectAnalyzer &effects, const clang::SourceManager &sources);

}  // namespace rayify
