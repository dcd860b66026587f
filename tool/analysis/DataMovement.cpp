#include "analysis/DataMovement.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>

#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/CostModel.h"
#include "analysis/LoopSafety.h"
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

// The arguments a construction spells out: its default arguments (an allocator) left
// out.
std::vector<const Expr *> WrittenArguments(const CXXConstructExpr *construct) {
  std::vector<const Expr *> args;
  for (const Expr *arg : construct->arguments()) {
    if (!isa<CXXDefaultArgExpr>(arg)) args.push_back(arg);
  }
  return args;
}

// The bytes of what `made` builds: a value of a fixed size, or a std::vector made
// with a count the source fixes (`std::vector<double>(n)`) of such values, or of
// copies of one (`grid(n, std::vector<int>(n))`). Unlike FixedContainerSize, what
// happens to the container later does not matter: this is an estimate.
std::optional<double> MadeBytes(const Expr *made, ASTContext &context,
                                const CallGraph &calls, int depth = 0) {
  if (made == nullptr || depth > 4) return std::nullopt;
  made = made->IgnoreImplicit()->IgnoreParens();
  if (const auto *cast = dyn_cast<CXXFunctionalCastExpr>(made))
    made = cast->getSubExpr()->IgnoreImplicit();
  if (std::optional<long long> fixed = FixedSize(made->getType(), context))
    return static_cast<double>(*fixed);
  const auto *construct = dyn_cast<CXXConstructExpr>(made);
  std::optional<QualType> element = HeldElementType(made->getType());
  if (construct == nullptr || !element) return std::nullopt;
  std::vector<const Expr *> args = WrittenArguments(construct);
  if (args.empty() || args.size() > 2 ||
      !construct->getConstructor()->getParamDecl(0)->getType()->isIntegerType())
    return std::nullopt;
  std::optional<long long> count = FixedCount(args[0], context, calls);
  std::optional<double> each = args.size() == 2
                                   ? MadeBytes(args[1], context, calls, depth + 1)
                                   : std::optional<double>(FixedSize(*element, context));
  if (!count || !each) return std::nullopt;
  return static_cast<double>(*count) * *each;
}

// A local container's bytes, from how it was made (MadeBytes): an estimate, as what
// the loop is sent is the container as it is then.
std::optional<double> LocalContainerBytes(const VarDecl *var, ASTContext &context,
                                          const CallGraph &calls) {
  if (!var->hasLocalStorage() || isa<ParmVarDecl>(var) ||
      var->getType()->isReferenceType())
    return std::nullopt;
  return MadeBytes(var->getInit(), context, calls);
}

// One row of a local container made with copies of one row (`grid(n,
// std::vector<int>(n))`): the bytes of that row.
std::optional<double> MadeRowBytes(const VarDecl *var, ASTContext &context,
                                   const CallGraph &calls) {
  if (!var->hasLocalStorage() || isa<ParmVarDecl>(var) || var->getInit() == nullptr)
    return std::nullopt;
  const auto *construct = dyn_cast<CXXConstructExpr>(var->getInit()->IgnoreImplicit());
  std::vector<const Expr *> args =
      construct != nullptr ? WrittenArguments(construct) : std::vector<const Expr *>{};
  if (args.size() != 2) return std::nullopt;
  return MadeBytes(args[1], context, calls);
}

void AddSent(const VarDecl *var, const GlobalMutations &mutations, ASTContext &context,
             const CallGraph &calls, std::vector<MovedData> &moved) {
  for (const MovedData &known : moved) {
    if (known.var == var) return;
  }
  std::optional<QualType> array = SentArrayType(var, mutations);
  std::optional<long long> bytes =
      FixedSize(array ? *array : var->getType().getNonReferenceType(), context);
  if (bytes) {
    moved.push_back({var, static_cast<double>(*bytes), false});
  } else if (std::optional<double> made = LocalContainerBytes(var, context, calls)) {
    moved.push_back({var, *made, false});
  }
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
      size += std::string(data.both_ways ? " to and back from " : " back from ") +
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

bool IsVariable(const Stmt *stmt, const VarDecl *var) {
  const auto *expr = dyn_cast_or_null<Expr>(stmt);
  return expr != nullptr && ReferencedVar(expr) == var;
}

// True when `shifted` is `start` with every mention of `counter` read as `counter + 1`:
// `rowstr[j + 1]` against `rowstr[j]`, `w * (i + 1)` against `w * i`.
bool ShiftedByOne(const Stmt *start, const Stmt *shifted, const VarDecl *counter) {
  if (const auto *expr = dyn_cast<Expr>(start)) start = expr->IgnoreParenImpCasts();
  if (const auto *expr = dyn_cast<Expr>(shifted)) shifted = expr->IgnoreParenImpCasts();
  if (IsVariable(start, counter)) {
    const auto *sum = dyn_cast<BinaryOperator>(shifted);
    if (sum == nullptr || sum->getOpcode() != BO_Add) return false;
    auto one = [](const Expr *e) {
      const auto *literal = dyn_cast<IntegerLiteral>(e->IgnoreParenImpCasts());
      return literal != nullptr && literal->getValue() == 1;
    };
    return (IsVariable(sum->getLHS(), counter) && one(sum->getRHS())) ||
           (one(sum->getLHS()) && IsVariable(sum->getRHS(), counter));
  }
  if (start->getStmtClass() != shifted->getStmtClass()) return false;
  if (const auto *ref = dyn_cast<DeclRefExpr>(start))
    return ref->getDecl() == cast<DeclRefExpr>(shifted)->getDecl();
  if (const auto *literal = dyn_cast<IntegerLiteral>(start))
    return literal->getValue() == cast<IntegerLiteral>(shifted)->getValue();
  if (const auto *op = dyn_cast<BinaryOperator>(start)) {
    if (op->getOpcode() != cast<BinaryOperator>(shifted)->getOpcode()) return false;
  } else if (!isa<ArraySubscriptExpr, CXXOperatorCallExpr, MemberExpr>(start)) {
    return false;  // a call could answer differently for i + 1 than the source shows
  }
  auto left = start->child_begin(), right = shifted->child_begin();
  for (; left != start->child_end() && right != shifted->child_end(); ++left, ++right) {
    if (*left == nullptr || *right == nullptr || !ShiftedByOne(*left, *right, counter))
      return false;
  }
  return left == start->child_end() && right == shifted->child_end();
}

// The counter of `walk` when it runs from some E(i) up to E(i + 1) one step at a time
// (`for (k = rowstr[j]; k < rowstr[j + 1]; k++)`): the walks of the iterations of the
// loop over `i` cover ranges that follow each other, each index once.
const VarDecl *PartitionCounter(const ForStmt *walk, const VarDecl *outer) {
  const VarDecl *counter = nullptr;
  const Expr *start = nullptr;
  if (const auto *decl = dyn_cast_or_null<DeclStmt>(walk->getInit())) {
    if (decl->isSingleDecl()) {
      counter = dyn_cast<VarDecl>(decl->getSingleDecl());
      start = counter != nullptr ? counter->getInit() : nullptr;
    }
  } else if (const auto *set = dyn_cast_or_null<BinaryOperator>(walk->getInit())) {
    const auto *ref = set->getOpcode() == BO_Assign
                          ? dyn_cast<DeclRefExpr>(set->getLHS()->IgnoreParenImpCasts())
                          : nullptr;
    counter = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    start = set->getRHS();
  }
  const auto *test = dyn_cast_or_null<BinaryOperator>(walk->getCond());
  if (counter == nullptr || start == nullptr || test == nullptr ||
      test->getOpcode() != BO_LT || !IsVariable(test->getLHS(), counter) ||
      !ShiftedByOne(start, test->getRHS(), outer)) {
    return nullptr;
  }
  const auto *step = dyn_cast_or_null<UnaryOperator>(walk->getInc());
  if (step == nullptr || !step->isIncrementOp() ||
      !IsVariable(step->getSubExpr(), counter))
    return nullptr;
  return counter;
}

// Inner loops that partition a range between the iterations, with their counters.
using Walks = std::vector<std::pair<const ForStmt *, const VarDecl *>>;

// The element type of what `var` holds, when the tasks are sent all of it.
std::optional<QualType> SentElementType(const VarDecl *var,
                                        const GlobalMutations &mutations) {
  if (std::optional<QualType> array = SentArrayType(var, mutations)) {
    const auto *whole =
        dyn_cast<ConstantArrayType>(array->getCanonicalType().getTypePtr());
    if (whole == nullptr || whole->getElementType()->isArrayType()) return std::nullopt;
    return whole->getElementType();
  }
  return OwnElementType(var);
}

// Whether every mention of `var` in `body` is a subscript by the counter of one of
// `walks`, inside that walk: each element is read once in a run of the loop.
bool ReadOnlyAlongWalks(const Stmt *body, const VarDecl *var, const Walks &walks) {
  bool mentioned = false, elsewhere = false;
  std::function<void(const Stmt *, const VarDecl *)> visit = [&](const Stmt *stmt,
                                                                 const VarDecl *counter) {
    if (stmt == nullptr || elsewhere) return;
    for (const auto &[walk, walked] : walks) {
      if (stmt == walk->getBody()) counter = walked;
    }
    const Expr *base = nullptr, *index = nullptr;
    if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt)) {
      base = subscript->getBase();
      index = subscript->getIdx();
    } else if (const auto *call = dyn_cast<CXXOperatorCallExpr>(stmt);
               call != nullptr && call->getOperator() == OO_Subscript &&
               call->getNumArgs() == 2) {
      base = call->getArg(0);
      index = call->getArg(1);
    }
    if (base != nullptr && IsVariable(base, var)) {
      mentioned = true;
      if (counter == nullptr || !IsVariable(index, counter)) elsewhere = true;
      visit(index, counter);
      return;
    }
    if (IsVariable(stmt, var)) elsewhere = true;
    for (const Stmt *child : stmt->children()) visit(child, counter);
  };
  visit(body, nullptr);
  return mentioned && !elsewhere;
}

// Whether the iteration may do work of its own besides its walks: a loop or a call
// of the program's outside them, whose work the entries it walks would not show.
bool HasWorkOutside(const Stmt *stmt, const Walks &walks, const SourceManager &sources) {
  if (stmt == nullptr) return false;
  for (const auto &[walk, counter] : walks) {
    if (stmt == walk) return false;
  }
  if (IsLoop(stmt)) return true;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr ||
        (callee->hasBody() && !sources.isInSystemHeader(callee->getLocation())))
      return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (HasWorkOutside(child, walks, sources)) return true;
  }
  return false;
}

// Arrays sent whole that the iterations read only along walks that partition a range
// between them (a sparse matrix's entries by row, CSR's `a[k]` for k from rowstr[j] to
// rowstr[j + 1]): each element is moved for the one step that reads it, whatever the
// sizes, which the source may leave to run time. What an element costs to move against
// that step's work, when the iteration does little else (no loop or call of the
// program's outside the walks). Empty when the steps do enough, or have no bound the
// source shows.
std::string WalksTooCheap(const Stmt *loop, const IterationPlan &plan,
                          EffectAnalyzer &effects, const GlobalMutations &mutations,
                          ASTContext &context, const CallGraph &calls, double per_byte) {
  if (plan.iteration == nullptr || !isa<ForStmt>(loop)) return "";
  const Stmt *body = LoopBody(loop);
  Walks walks;
  std::function<void(const Stmt *)> find = [&](const Stmt *stmt) {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
    if (const auto *walk = dyn_cast<ForStmt>(stmt)) {
      if (const VarDecl *counter = PartitionCounter(walk, plan.iteration))
        walks.emplace_back(walk, counter);
    }
    for (const Stmt *child : stmt->children()) find(child);
  };
  find(body);
  if (walks.empty() || HasWorkOutside(body, walks, context.getSourceManager())) return "";
  double bytes = 0;
  std::string names;
  for (const VarDecl *capture : plan.captures) {
    std::optional<QualType> element = SentElementType(capture, mutations);
    if (!element || element->isNull() || (*element)->isIncompleteType() ||
        !ReadOnlyAlongWalks(body, capture, walks)) {
      continue;
    }
    bytes += static_cast<double>(context.getTypeSizeInChars(*element).getQuantity());
    names += (names.empty() ? "'" : ", '") + capture->getNameAsString() + "'";
  }
  if (bytes == 0) return "";
  double work = 0;
  for (const auto &[walk, counter] : walks) {
    std::optional<double> step =
        EstimateOperations(walk->getBody(), effects, context, calls);
    if (!step) return "";
    work += *step;
  }
  if (2 * per_byte * bytes < work) return "";
  return "each element of " + names +
         " is sent to the tasks for the one step of an inner loop that reads it (" +
         FormatBytes(static_cast<long long>(bytes)) + " in all), some " +
         Figure(per_byte * bytes) + " operations of encoding and copying against about " +
         Figure(work) +
         " of work per element, so its tasks could not beat the loop by "
         "enough to pay.";
}

}  // namespace

double RunBytes(const MovedData &data, std::optional<unsigned long long> trips) {
  if (!data.per_iteration) return trips ? data.bytes : 0;
  double each = data.both_ways ? 2 * data.bytes : data.bytes;
  return trips ? static_cast<double>(*trips) * each : each;
}

std::vector<MovedData> EstimateMovedData(const Stmt *loop, const IterationPlan &plan,
                                         EffectAnalyzer &effects,
                                         const GlobalMutations &mutations,
                                         ASTContext &context, const CallGraph &calls) {
  std::vector<MovedData> moved;
  for (const VarDecl *capture : plan.captures)
    AddSent(capture, mutations, context, calls, moved);
  for (const VarDecl *global : plan.restored)
    AddSent(global, mutations, context, calls, moved);
  for (const OwnSlice &slice : plan.slices) {
    AddSent(slice.var, mutations, context, calls, moved);
    std::optional<QualType> array = SentArrayType(slice.var, mutations);
    if (std::optional<double> bytes =
            array ? SliceBytes(*array, slice.position, context) : std::nullopt) {
      moved.push_back({slice.var, *bytes, true});
    }
  }
  // An element goes to its task and comes back.
  for (const OwnElement &element : plan.elements) {
    std::optional<long long> fixed = FixedSize(element.type, context);
    std::optional<double> bytes =
        fixed ? std::optional<double>(*fixed) : MadeRowBytes(element.var, context, calls);
    if (bytes) moved.push_back({element.var, *bytes, true, true});
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
  std::string walks =
      WalksTooCheap(loop, plan, effects, mutations, context, calls, per_byte);
  if (!walks.empty()) return walks;
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
