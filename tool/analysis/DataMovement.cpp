#include "analysis/DataMovement.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/CostModel.h"
#include "analysis/WorkEstimate.h"
#include "report/Report.h"

namespace rayify {

using namespace clang;

namespace {

// The loops of `stmt` that enclose `target`, outermost first; false when `target` is
// not in `stmt`.
bool LoopsAround(const Stmt *stmt, const Stmt *target, std::vector<const Stmt *> &loops) {
  if (stmt == target) return true;
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
  bool loop = IsLoop(stmt);
  if (loop) loops.push_back(stmt);
  for (const Stmt *child : stmt->children()) {
    if (LoopsAround(child, target, loops)) return true;
  }
  if (loop) loops.pop_back();
  return false;
}

// How many times `target` runs in one run of `body`: the trip counts of the loops
// around it multiplied (once when it stands under none); nullopt when one is unknown.
std::optional<double> RunsPerIteration(const Stmt *body, const Stmt *target,
                                       EffectAnalyzer &effects, ASTContext &context,
                                       const CallGraph &calls) {
  std::vector<const Stmt *> loops;
  if (!LoopsAround(body, target, loops)) return std::nullopt;
  double runs = 1;
  for (const Stmt *loop : loops) {
    std::optional<unsigned long long> trips =
        EstimateTrips(loop, effects, context, calls);
    if (!trips) return std::nullopt;
    runs *= static_cast<double>(*trips);
  }
  return runs;
}

// The bytes one of `var`'s slices at `position` takes: the whole array over that
// dimension's extent.
std::optional<double> SliceBytes(QualType array, int position, ASTContext &context) {
  std::optional<long long> whole = FixedSize(array, context);
  QualType dimension = array.getCanonicalType();
  for (int d = 0; d < position; ++d) {
    const auto *outer = dyn_cast<ConstantArrayType>(dimension.getTypePtr());
    if (outer == nullptr) return std::nullopt;
    dimension = outer->getElementType();
  }
  const auto *sliced = dyn_cast<ConstantArrayType>(dimension.getTypePtr());
  if (!whole || sliced == nullptr || sliced->getSize().getZExtValue() == 0) {
    return std::nullopt;
  }
  return static_cast<double>(*whole) /
         static_cast<double>(sliced->getSize().getZExtValue());
}

void AddSent(const VarDecl *var, const GlobalMutations &mutations, ASTContext &context,
             std::vector<MovedData> &moved) {
  for (const MovedData &known : moved) {
    if (known.var == var) return;
  }
  std::optional<QualType> array = SentArrayType(var, mutations);
  std::optional<long long> bytes =
      FixedSize(array ? *array : var->getType().getNonReferenceType(), context);
  if (bytes) moved.push_back({var, static_cast<double>(*bytes), false});
}

// What the update statements send back from one iteration, by target: each run
// returns the parts the task evaluates.
void AddReturned(const Stmt *body, const IterationPlan &plan, EffectAnalyzer &effects,
                 ASTContext &context, const CallGraph &calls,
                 std::vector<MovedData> &moved) {
  for (const UpdateStatement &update : plan.updates) {
    std::optional<double> runs =
        RunsPerIteration(body, update.stmt, effects, context, calls);
    // A count per element, or one folded value, once.
    if (update.tally_extent != 0 || update.combined != Combination::kNone) runs = 1;
    if (!runs || update.targets.empty()) continue;
    double bytes = 0;
    if (update.tally_extent != 0) {
      bytes = static_cast<double>(update.tally_extent * sizeof(unsigned long long));
    } else if (update.combined == Combination::kSum && !update.once) {
      bytes = sizeof(unsigned long long);
    } else {
      for (const Expr *part : update.parts) {
        if (std::optional<long long> size = FixedSize(part->getType(), context))
          bytes += static_cast<double>(*size);
      }
    }
    const VarDecl *target = update.targets.front();
    auto known = std::find_if(moved.begin(), moved.end(), [&](const MovedData &data) {
      return data.var == target && data.per_iteration;
    });
    if (known != moved.end()) {
      known->bytes += *runs * bytes;
    } else if (bytes > 0) {
      moved.push_back({target, *runs * bytes, true});
    }
  }
}

// What `data` adds to one run of the loop: a put once, what an iteration returns once
// per iteration. Without the trip count a put cannot be weighed, and adds nothing.
double RunBytes(const MovedData &data, std::optional<unsigned long long> trips) {
  if (!data.per_iteration) return trips ? data.bytes : 0;
  return trips ? static_cast<double>(*trips) * data.bytes : data.bytes;
}

std::string Figure(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", value);
  return text;
}

// "'u' (2.9 MiB, and 2.5 KiB back from each of 1200 iterations)": what moves of `var`.
std::string Describe(const VarDecl *var, const std::vector<MovedData> &moved,
                     std::optional<unsigned long long> trips) {
  std::string parts;
  for (const MovedData &data : moved) {
    if (data.var != var || RunBytes(data, trips) == 0) continue;
    std::string size = FormatBytes(static_cast<long long>(data.bytes));
    if (data.per_iteration) {
      size += std::string(" back from ") +
              (trips ? "each of " + std::to_string(*trips) + " iterations"
                     : "each iteration");
    }
    parts += (parts.empty() ? "" : ", and ") + size;
  }
  return "'" + var->getNameAsString() + "' (" + parts + ")";
}

// Rows of blocks (OwnRows) go to their tasks and come back, each element once, while
// the inner loops that walk along them take a step per element: what a row costs to
// move against its work, whatever its width. A figure for the rows alone; work of
// the iteration outside those loops does not count. Empty when the steps do enough,
// or their work has no bound the source shows.
std::string RowsTooCheap(const IterationPlan &plan, EffectAnalyzer &effects,
                         ASTContext &context, const CallGraph &calls, double per_byte) {
  double bytes = 0;
  std::string names;
  std::vector<const ForStmt *> walks;
  for (const OwnRows &rows : plan.rows) {
    bytes +=
        2.0 * static_cast<double>(context.getTypeSizeInChars(rows.element).getQuantity());
    names += (names.empty() ? "'" : ", '") + rows.var->getNameAsString() + "'";
    for (const ForStmt *walk : rows.walks) {
      if (std::find(walks.begin(), walks.end(), walk) == walks.end())
        walks.push_back(walk);
    }
  }
  double work = 0;
  for (const ForStmt *walk : walks) {
    std::optional<double> step =
        EstimateOperations(walk->getBody(), effects, context, calls);
    if (!step) return "";
    work += *step;
  }
  if (bytes == 0 || 2 * per_byte * bytes < work) return "";
  return "each element of the rows of " + names + " goes to its task and back (" +
         FormatBytes(static_cast<long long>(bytes)) + " in all), some " +
         Figure(per_byte * bytes) + " operations of encoding and copying against about " +
         Figure(work) +
         " of work per element, so its tasks could not beat the loop by enough to pay.";
}

}  // namespace

std::vector<MovedData> EstimateMovedData(const Stmt *loop, const IterationPlan &plan,
                                         EffectAnalyzer &effects,
                                         const GlobalMutations &mutations,
                                         ASTContext &context, const CallGraph &calls) {
  std::vector<MovedData> moved;
  for (const VarDecl *capture : plan.captures)
    AddSent(capture, mutations, context, moved);
  for (const VarDecl *global : plan.restored) AddSent(global, mutations, context, moved);
  for (const OwnSlice &slice : plan.slices) {
    AddSent(slice.var, mutations, context, moved);
    std::optional<QualType> array = SentArrayType(slice.var, mutations);
    if (std::optional<double> bytes =
            array ? SliceBytes(*array, slice.position, context) : std::nullopt) {
      moved.push_back({slice.var, *bytes, true});
    }
  }
  // An element goes to its task and comes back.
  for (const OwnElement &element : plan.elements) {
    if (std::optional<long long> bytes = FixedSize(element.type, context)) {
      moved.push_back({element.var, static_cast<double>(*bytes), true});
      moved.push_back({element.var, static_cast<double>(*bytes), true});
    }
  }
  AddReturned(LoopBody(loop), plan, effects, context, calls, moved);
  return moved;
}

std::string TooMuchDataMoved(const Stmt *loop, const IterationPlan &plan,
                             EffectAnalyzer &effects, const GlobalMutations &mutations,
                             ASTContext &context, const CallGraph &calls,
                             const Settings &settings) {
  const auto per_byte = static_cast<double>(settings.operations_per_byte_moved);
  if (per_byte == 0) return "";
  std::string rows = RowsTooCheap(plan, effects, context, calls, per_byte);
  if (!rows.empty()) return rows;
  std::optional<double> work =
      EstimateOperations(LoopBody(loop), effects, context, calls);
  if (!work) return "";
  std::optional<unsigned long long> trips = EstimateTrips(loop, effects, context, calls);
  std::vector<MovedData> moved =
      EstimateMovedData(loop, plan, effects, mutations, context, calls);
  // By variable, and the variables from the heaviest down.
  std::map<const VarDecl *, double> weight;
  std::vector<const VarDecl *> heaviest;
  double bytes = 0;
  for (const MovedData &data : moved) {
    double run = RunBytes(data, trips);
    if (run == 0) continue;
    bytes += run;
    if (weight[data.var] == 0) heaviest.push_back(data.var);
    weight[data.var] += run;
  }
  double total = trips ? static_cast<double>(*trips) * *work : *work;
  if (bytes == 0 || 2 * per_byte * bytes < total) return "";
  std::stable_sort(
      heaviest.begin(), heaviest.end(),
      [&](const VarDecl *a, const VarDecl *b) { return weight[a] > weight[b]; });
  std::string named;  // a loop's counts and sizes (`nx`, 4 B) are not worth naming
  for (size_t i = 0; i < heaviest.size() && i < 3 && weight[heaviest[i]] >= bytes / 100;
       ++i)
    named += (named.empty() ? "" : ", ") + Describe(heaviest[i], moved, trips);
  return std::string(trips ? "one run of the loop" : "each iteration") + " moves " +
         named + ": about " + FormatBytes(static_cast<long long>(bytes)) +
         " in all, some " + Figure(per_byte * bytes) +
         " operations of encoding and copying on the driver against " + Figure(total) +
         " of work, so its tasks could not beat the loop by enough to pay.";
}

}  // namespace rayify
