// What the tasks of an outlined loop move between the driver and themselves, and
// whether moving it costs more than running the iterations at once can save.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <string>
#include <vector>

#include "analysis/CallGraph.h"
#include "analysis/IterationEffects.h"
#include "model/Settings.h"

namespace rayify {

/// One thing an outlined loop moves, in bytes the source fixes.
struct MovedData {
  const clang::VarDecl *var = nullptr;
  double bytes = 0;
  /// Sent back by each iteration (a slice, or the values its updates return); else
  /// sent to the tasks once per run of the loop (put in the object store).
  bool per_iteration = false;
  /// Sent to each iteration's task as well as back (an OwnElement).
  bool both_ways = false;
};

/// What `data` adds to one run of the loop: a put once, what an iteration moves once
/// per iteration (twice when both ways). Without the trip count a put cannot be
/// weighed, and adds nothing.
double RunBytes(const MovedData &data, std::optional<unsigned long long> trips);

/// What one run of `loop`, outlined as `plan` says, moves: each array or value sent to
/// the tasks, each slice an iteration returns, and the values an iteration's update
/// statements return, as many times as the inner loops around them run
/// (EstimateTrips). What has no size the source fixes (a container's) is left out, so
/// the figure is a floor.
std::vector<MovedData> EstimateMovedData(
    const clang::Stmt *loop, const IterationPlan &plan, EffectAnalyzer &effects,
    const GlobalMutations &mutations, clang::ASTContext &context, const CallGraph &calls);

/// Why the driver's share of moving the data, at the configuration's
/// operations-per-byte-moved (Settings::operations_per_byte_moved), costs at
/// least half the loop's work, or "". Moving is done by the driver, one run after
/// another, so at that point no number of CPUs makes the tasks beat the loop by more
/// than 2x, and two CPUs make them slower. With the loop's trip count (EstimateTrips)
/// the whole run is weighed, puts included; without it, one iteration against what it
/// returns. No verdict when the work has no estimate.
std::string TooMuchDataMoved(const clang::Stmt *loop, const IterationPlan &plan,
                             EffectAnalyzer &effects, const GlobalMutations &mutations,
                             clang::ASTContext &context, const CallGraph &calls,
                             const Settings &settings);

}  // namespace rayify
