#include "conversions/TaskLoopConversion.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <sstream>

#include "analysis/CarriedWrites.h"
#include "analysis/CostModel.h"
#include "analysis/DataMovement.h"
#include "analysis/IterationEffects.h"
#include "analysis/LocalBlocks.h"
#include "analysis/LoopDependences.h"
#include "analysis/LoopSafety.h"
#include "analysis/PointerAliases.h"
#include "analysis/ResourceAnnotation.h"
#include "analysis/WorkEstimate.h"
#include "analysis/Writes.h"
#include "conversions/AlgorithmCallConversion.h"
#include "conversions/OutlinedLoop.h"
#include "conversions/OutsideDriver.h"
#include "conversions/TaskLoopEmitter.h"
#include "conversions/TaskShapes.h"
#include "lint/Suppressions.h"
#include "model/ReasonCodes.h"

namespace rayify {
namespace {

using namespace clang;

Finding Skip(Finding decision, SkipReason reason, std::string message) {
  decision.code = ReasonCode(reason);
  decision.message = std::move(message);
  return decision;
}

// Whether `stmt` assigns, increments or otherwise writes `var` itself, by name.
bool WritesItself(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  bool written = false;
  ForEachWrite(stmt, [&](const Expr *target) {
    const auto *ref = dyn_cast<DeclRefExpr>(target->IgnoreParenImpCasts());
    written = written || (ref != nullptr && ref->getDecl() == var);
  });
  for (const Stmt *child : stmt->children())
    written = written || WritesItself(child, var);
  return written;
}

Finding SkipCarried(Finding decision, const Stmt *loop, const VarDecl *written) {
  std::string name = written->getNameAsString();
  // Elements at indices the analysis cannot tell apart (`dN[i * cols + j]` over j)
  // may or may not be shared: say what is known, not more. A pointer the loop
  // itself advances (`p++`, `t = t->next`) is the dependence, whatever it points to.
  QualType type = written->getType().getNonReferenceType();
  if (type->isArrayType() || (type->isPointerType() && !WritesItself(loop, written))) {
    return Skip(std::move(decision), SkipReason::kLoopCarriedDependency,
                "each iteration updates elements of '" + name +
                    "', declared before the loop, that rayify cannot show are its own, "
                    "so iterations may depend on each other.");
  }
  return Skip(std::move(decision), SkipReason::kLoopCarriedDependency,
              "each iteration updates '" + name +
                  "', declared before the loop, so iterations depend on each other.");
}

// Whether `stmt` calls something or reads a variable other than the counter: work a
// task could do, where an index such as `i - 1` is none.
bool ReadsOrCalls(const Stmt *stmt, const VarDecl *counter) {
  if (stmt == nullptr) return false;
  if (isa<CallExpr>(stmt)) return true;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt);
      ref != nullptr && isa<VarDecl>(ref->getDecl()) && ref->getDecl() != counter) {
    return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (ReadsOrCalls(child, counter)) return true;
  }
  return false;
}

// Whether `part` is a subscript of `stmt` (`a[idx[i]] += a[i]`): it only says where
// the update lands, so the update is no work a task takes over.
bool IndexIn(const Stmt *stmt, const Expr *part) {
  if (stmt == nullptr) return false;
  const Expr *container = nullptr;
  const Expr *index = nullptr;
  if (const auto *expr = dyn_cast<Expr>(stmt);
      expr != nullptr && MatchSubscript(expr, container, index) &&
      index->IgnoreParenImpCasts() == part->IgnoreParenImpCasts()) {
    return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (IndexIn(child, part)) return true;
  }
  return false;
}

// Whether `plan` replays updates of `target` that an inner loop of the body makes.
bool UpdatedInInnerLoop(const IterationPlan &plan, const VarDecl *target) {
  return llvm::any_of(plan.updates, [&](const UpdateStatement &update) {
    return update.in_loop && llvm::is_contained(update.targets, target);
  });
}

// What one run of `loop` moves under `plan`, in bytes (EstimateMovedData, RunBytes).
double BytesOfARun(const Stmt *loop, const IterationPlan &plan, TranslationUnit &unit) {
  std::optional<unsigned long long> trips =
      EstimateTrips(loop, unit.effects, unit.context, unit.calls);
  double bytes = 0;
  for (const MovedData &data : EstimateMovedData(
           loop, plan, unit.effects, unit.Mutations(), unit.context, unit.calls))
    bytes += RunBytes(data, trips);
  return bytes;
}

// The plan's stores that run at every step of an inner loop, each value sent back
// with its indices (not folded, not counted in a tally).
std::vector<const UpdateStatement *> StoresAlongALoop(const IterationPlan &plan) {
  std::vector<const UpdateStatement *> stores;
  for (const UpdateStatement &update : plan.updates) {
    if (update.in_loop && update.combined == Combination::kNone &&
        update.tally_extent == 0)
      stores.push_back(&update);
  }
  return stores;
}

// Whether `sliced` (ArrayUpdates::kOwnSlices) should replace `replayed` for `loop`:
// an array `replayed` stores into at every step of an inner loop (`out[y][x] = v` over
// x) sends back each value with its indices, where `sliced` sends the row or slice as
// one block, and on the estimate moves no more bytes (a tie goes to the block, which
// encodes and decodes faster than as many bytes of (i, j, value)s). Only when every
// element `sliced` takes exists in every iteration: a chunk cannot be sent the others.
bool SlicesMoveLess(const Stmt *loop, const IterationPlan &replayed,
                    const IterationPlan &sliced, TranslationUnit &unit) {
  if (llvm::any_of(sliced.elements, [](const OwnElement &e) { return !e.always; }))
    return false;
  auto returned_whole = [&](const VarDecl *var) {
    return llvm::any_of(sliced.slices, [&](const OwnSlice &s) { return s.var == var; }) ||
           llvm::any_of(sliced.elements,
                        [&](const OwnElement &e) { return e.var == var; }) ||
           llvm::any_of(sliced.rows, [&](const OwnRows &r) { return r.var == var; });
  };
  bool stored_along_a_loop = llvm::any_of(
      StoresAlongALoop(replayed),
      [&](const UpdateStatement *u) { return llvm::any_of(u->targets, returned_whole); });
  return stored_along_a_loop &&
         BytesOfARun(loop, sliced, unit) <= BytesOfARun(loop, replayed, unit);
}

// A cheap loop the outliner has no plan for: a carried update, or too little work
// when it calls nothing of this file; nullopt when it calls functions of this file,
// whose case the pass decides.
std::optional<Finding> ClassifyOtherLoop(const Finding &decision, const LoopFacts &facts,
                                         const SourceManager &sources) {
  if (facts.user_calls.empty() && IsIndependentStore(facts.body)) {
    return Skip(decision, SkipReason::kTooFineGrained,
                "the loop calls no function of this file; its work is too small to pay "
                "for remote tasks.");
  }
  if (const VarDecl *written = FirstCarriedWrite(facts.loop, sources)) {
    return SkipCarried(decision, facts.loop, written);
  }
  if (facts.user_calls.empty()) {
    return Skip(decision, SkipReason::kTooFineGrained,
                "the loop calls no function of this file; its work is too small to pay "
                "for remote tasks.");
  }
  return std::nullopt;
}

// A call given a local pointer to a block of a run-time size (`norm(a, i)`), or a
// parameter bound to one of main's (BoundParameters.h): the pointer means nothing to
// a task, but an outlined task, sent a copy of the block, can make the call itself.
bool PassesLocalBlock(const CallExpr *call, const Stmt *loop, TranslationUnit &unit) {
  return llvm::any_of(call->arguments(), [&](const Expr *arg) {
    return SentBlock(ReferencedVar(arg), loop, unit.Mutations(), unit.context)
        .has_value();
  });
}

// `r[i] = grade(simulate(i))`: the work is in the arguments, which a task of `grade`
// would leave to the driver; an outlined task makes every call of the statement.
bool ArgumentsDoTheWork(const TaskShape &shape, const LoopFacts &facts,
                        TranslationUnit &unit) {
  return llvm::any_of(facts.user_calls, [&](const CallExpr *call) {
    return call != shape.call && IsWorthATask(call->getDirectCallee(), unit.effects);
  });
}

// A parameter a remote function cannot have: Ray hands a task its arguments as
// values or const references, never as something it may change.
bool TakesMutableReference(const FunctionDecl *callee) {
  return llvm::any_of(callee->parameters(), [](const ParmVarDecl *param) {
    return IsNonConstLValueReference(param->getType());
  });
}

// A loop the preprocessor wrote, or whose converted parts come from macros, cannot be
// rewritten in the text the user wrote.
bool WrittenByMacro(const Stmt *loop, const TaskShape &shape) {
  return InMacro(loop->getSourceRange()) || InMacro(shape.statement->getSourceRange()) ||
         InMacro(shape.call->getSourceRange()) ||
         InMacro(shape.call->getCallee()->getSourceRange()) ||
         (shape.index != nullptr && InMacro(shape.index->getSourceRange())) ||
         (shape.target_ref != nullptr && InMacro(shape.target_ref->getSourceRange()));
}

const char kIgnoredMessage[] =
    "a '// rayify: ignore' comment above the loop keeps it sequential.";

// `// rayify: ignore`, bare or naming the task-loop pass or the lint rule that
// reports convertible loops, in the comment lines above the loop.
bool IgnoredByComment(const std::string &comment) {
  return CommentIgnores(comment, kTaskLoopRule, "parallelizable-loop");
}

// A #pragma on the line above (OpenMP's `omp parallel for`, say) applies to the loop;
// the rewrite would put a declaration between them.
bool HasPragmaAbove(const Stmt *loop, FileEditor &editor) {
  unsigned line_start = editor.LineStart(editor.Offset(loop->getBeginLoc()));
  if (line_start == 0) return false;
  unsigned above = editor.PreviousLineStart(line_start);
  if (!editor.LineBeginsWith(above, "#pragma")) return false;
  // Markers of a region rather than of the next statement stay where they are, the
  // converted loop inside their region: PolyBench's `#pragma scop` for polyhedral
  // tools, editors' `#pragma region`.
  const std::string &text = editor.FileText();
  size_t end = text.find('\n', above);
  std::istringstream words(
      text.substr(above, end == std::string::npos ? end : end - above));
  std::string pragma, name;
  words >> pragma >> name;
  return name != "scop" && name != "endscop" && name != "region" && name != "endregion";
}

// `{a, b}` as an argument, however Clang models it.
bool IsBracedList(const Expr *arg) {
  if (const auto *construct = dyn_cast<CXXConstructExpr>(arg)) {
    return construct->isListInitialization() || construct->isStdInitListInitialization();
  }
  return isa<InitListExpr>(arg) || isa<CXXStdInitializerListExpr>(arg);
}

// Why the call cannot be spelled as ray::Task(f).Remote(args...), if it cannot.
std::string UnsendableCall(const CallExpr *call, const FunctionDecl *callee) {
  std::string name = callee->getNameAsString();
  for (const Expr *arg : call->arguments()) {
    if (isa<CXXDefaultArgExpr>(arg)) {
      return name +
             "() is called with default arguments, which Ray's task API does not "
             "fill in.";
    }
    if (IsBracedList(arg->IgnoreImplicit())) {
      return name + "() is passed a braced list, which has no type outside the call.";
    }
  }
  if (callee->getReturnType()->isReferenceType()) {
    return name + "() returns a reference, which cannot point into another process.";
  }
  return "";
}

// Whether every mention of `target` in `stmt` is `target[counter]`.
bool OnlyElementAt(const Stmt *stmt, const VarDecl *target, const VarDecl *counter) {
  if (stmt == nullptr) return true;
  if (const auto *expr = dyn_cast<Expr>(stmt)) {
    const Expr *base = nullptr;
    const Expr *index = nullptr;
    if (MatchSubscript(expr, base, index) && ReferencedVar(base) == target)
      return ReferencedVar(index) == counter;
    // The target itself, or a local reference, pointer or iterator made from it.
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts());
        ref != nullptr && Mentions(ref, target))
      return false;
  }
  for (const Stmt *child : stmt->children()) {
    if (!OnlyElementAt(child, target, counter)) return false;
  }
  return true;
}

// `v[i] = f(v[i])`: the call reads only the element its iteration stores, at the
// loop's counter. The driver evaluates the arguments when it submits iteration i, and
// only iteration i writes v[i], after its result is back: the call sees the value
// the sequential loop would.
bool ReadsOnlyItsOwnElement(const Stmt *loop, const TaskShape &shape) {
  const VarDecl *counter = LoopCounter(loop);
  return shape.kind == ShapeKind::kIndexed && counter != nullptr &&
         ReferencedVar(shape.index) == counter &&
         OnlyElementAt(shape.call, shape.target, counter);
}

bool IsInstanceMethod(const FunctionDecl *function) {
  const auto *method = dyn_cast<CXXMethodDecl>(function);
  return method != nullptr && !method->isStatic();
}

// The refusals that only a loop of a converted shape can meet.
std::optional<std::pair<SkipReason, std::string>> RefuseShape(
    const Stmt *loop, const Stmt *parent, const TaskShape &shape,
    const SourceManager &sources) {
  const FunctionDecl *callee = shape.call->getDirectCallee();
  std::string name = callee->getNameAsString();
  std::string target = shape.target->getNameAsString();
  std::string unsendable = UnsendableCall(shape.call, callee);
  if (!unsendable.empty())
    return std::make_pair(SkipReason::kUnsupportedShape, unsendable);
  if (!isa<ForStmt>(loop) && !isa<CXXForRangeStmt>(loop)) {
    return std::make_pair(SkipReason::kUnsupportedShape,
                          "only for and range-for loops are converted.");
  }
  if (!isa<CompoundStmt>(parent)) {
    return std::make_pair(SkipReason::kUnsupportedShape,
                          "the loop is not directly inside a block, so the task "
                          "references have no place to be declared.");
  }
  if (callee->isVariadic()) {
    return std::make_pair(SkipReason::kUnsupportedShape,
                          name + "() is variadic, which Ray's task API cannot call.");
  }
  std::string header = HeaderRead(loop, shape.target, shape.kind == ShapeKind::kIndexed);
  const Stmt *uses[] = {shape.call, shape.index};
  for (const Stmt *use : uses) {
    if (header.empty() && use != nullptr && Mentions(use, shape.target) &&
        !(use == shape.call && ReadsOnlyItsOwnElement(loop, shape))) {
      header = "the call's arguments";
    }
  }
  if (!header.empty()) {
    return std::make_pair(
        SkipReason::kLoopCarriedDependency,
        header + " read '" + target + "', which the loop itself updates.");
  }
  for (const Stmt *use : uses) {
    if (const VarDecl *written = FirstOutsideWrite(use, loop, sources)) {
      return std::make_pair(SkipReason::kLoopCarriedDependency,
                            "the call may update '" + written->getNameAsString() +
                                "' through its arguments, so iterations depend on "
                                "each other.");
    }
  }
  return std::nullopt;
}

// Actors belong to the driver: a task cannot create them or call them in its place.
std::optional<std::string> RefuseActorUse(const Stmt *loop, const FunctionDecl *callee,
                                          TranslationUnit &unit) {
  if (callee != nullptr && unit.actor_drivers.count(callee->getCanonicalDecl()) != 0) {
    return callee->getNameAsString() +
           "() creates actors, which stay with the driver rather than run as a task.";
  }
  // The first declared of those it names: the set's order is the pointers'.
  const VarDecl *named = nullptr;
  const SourceManager &sources = unit.context.getSourceManager();
  for (const VarDecl *actor : unit.actor_objects) {
    if (Mentions(loop, actor) &&
        (named == nullptr ||
         sources.isBeforeInTranslationUnit(actor->getLocation(), named->getLocation())))
      named = actor;
  }
  if (named == nullptr) return std::nullopt;
  return "the loop calls the actor '" + named->getNameAsString() +
         "', whose calls stay in program order on the driver.";
}

// Elements up to this size are cheaper to send whole to every chunk, about eight per
// CPU, than one per task: a task costs as much as sending tens of kilobytes.
constexpr long long kSmallElementBytes = 1024;
constexpr unsigned long long kManyIterations = 1000;

// `container[counter]` somewhere in `stmt`, of an element larger than `small_bytes`
// or of a size known only at run time (a string, a vector).
bool IndexesLargeElementsWith(const Stmt *stmt, const VarDecl *container,
                              const VarDecl *counter, ASTContext &context,
                              long long small_bytes) {
  if (stmt == nullptr) return false;
  if (const auto *expr = dyn_cast<Expr>(stmt)) {
    const Expr *base = nullptr;
    const Expr *index = nullptr;
    if (MatchSubscript(expr, base, index) && ReferencedVar(base) == container &&
        Mentions(index, counter)) {
      std::optional<long long> bytes =
          FixedSize(expr->getType().getNonReferenceType(), context);
      if (!bytes || *bytes > small_bytes) return true;
    }
  }
  for (const Stmt *child : stmt->children()) {
    if (IndexesLargeElementsWith(child, container, counter, context, small_bytes))
      return true;
  }
  return false;
}

}  // namespace

Finding TaskLoopPass::Decide(const Stmt *loop, const Stmt *parent) {
  TranslationUnit &unit = Unit();
  const SourceManager &sources = unit.context.getSourceManager();
  Finding decision;
  decision.file = unit.edits.Main().Path();
  decision.range = unit.edits.Main().RangeOf(loop->getSourceRange());
  if (IgnoredByComment(unit.edits.Main().CommentAbove(loop->getBeginLoc()))) {
    return Skip(decision, SkipReason::kIgnored, kIgnoredMessage);
  }
  if (unit.settings.overlapping_loop_lines.count(decision.Line()) != 0) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                "rayify's rewrite of the loop overlapped another conversion in this "
                "file, which cannot both be applied; the loop stays as it is.");
  }
  LoopFacts facts = CollectLoopFacts(loop, unit.effects, unit.Mutations());
  if (auto refusal =
          CheckLoopSafety(facts, unit.effects, unit.Mutations(), unit.context)) {
    return Skip(decision, refusal->reason, refusal->message);
  }
  std::optional<TaskShape> shape = MatchShape(facts.body);
  // Only an outlined task can install the globals its callees read before calling them;
  // and a library function cannot be a task (`a[i] = std::make_pair(i, f(i))`: the
  // work is in what it is passed).
  // Nor can any but an outlined task leave calls to the driver to replay.
  // Nor can a function taking a non-const reference (one that only reads through it):
  // a task's parameters are values or const references.
  // Nor can it be given a local block, which only an outlined task is sent a copy of.
  // Nor can a member function run on an object: an outlined task is sent the object.
  // Nor can a call Ray's task API cannot spell (default arguments, a braced list, a
  // reference returned), which an outlined task makes as written.
  if (!shape || unit.effects.IsLibraryFunction(shape->call->getDirectCallee()) ||
      IsInstanceMethod(shape->call->getDirectCallee()) ||
      !UnsendableCall(shape->call, shape->call->getDirectCallee()).empty() ||
      !GlobalsCalleesRead(facts, unit.effects, unit.Mutations()).empty() ||
      !facts.replayed.empty() || TakesMutableReference(shape->call->getDirectCallee()) ||
      PassesLocalBlock(shape->call, loop, unit)) {
    return DecideOutlined(std::move(decision), loop, parent, facts);
  }
  if (WrittenByMacro(loop, *shape)) {
    return Skip(decision, SkipReason::kMacro,
                "the loop, or the call in it, is written by a macro, so it cannot be "
                "rewritten where it stands.");
  }
  if (HasPragmaAbove(loop, unit.edits.Main())) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                "a #pragma applies to this loop (OpenMP's, say); rewriting the loop "
                "would separate the two.");
  }
  if (auto refusal = RefuseShape(loop, parent, *shape, sources)) {
    return Skip(decision, refusal->first, refusal->second);
  }
  if (auto alias = FindTaskArgumentAlias(shape->target, shape->statement, facts.body,
                                         loop, function_, unit.effects, unit.Mutations(),
                                         unit.context)) {
    return Skip(decision, SkipReason::kLoopCarriedDependency, DescribeAlias(*alias));
  }
  if (std::string alias = ObjectAlias(shape->target, loop); !alias.empty()) {
    return Skip(decision, SkipReason::kLoopCarriedDependency, alias);
  }

  const FunctionDecl *callee = shape->call->getDirectCallee();
  std::string name = callee->getNameAsString();
  if (auto refusal = RefuseActorUse(loop, callee, unit)) {
    return Skip(decision, SkipReason::kUnsupportedShape, *refusal);
  }
  std::set<const TagDecl *> needs_define;
  std::string unsendable = unit.serializability.CheckSignature(callee, needs_define);
  if (!unsendable.empty()) {
    return Skip(decision, SkipReason::kNonSerializable, name + "(): " + unsendable + ".");
  }
  if (!IsWorthATask(callee, unit.effects)) {
    if (ArgumentsDoTheWork(*shape, facts, unit))
      return DecideOutlined(std::move(decision), loop, parent, facts);
    return Skip(decision, SkipReason::kTooFineGrained,
                name +
                    "() has no loop or recursion: one call costs less than a remote "
                    "task.");
  }
  std::string data_bound = DataBoundCall(shape->call, loop, unit.effects, sources);
  if (!data_bound.empty()) return Skip(decision, SkipReason::kTooMuchData, data_bound);
  Granularity granularity =
      DecideGranularity(loop, unit.effects, unit.context, unit.calls, unit.settings);
  if (!granularity.too_fine.empty()) {
    return Skip(decision, SkipReason::kTooFineGrained, granularity.too_fine);
  }
  // A callee defined in another unit of the project is registered by its own file.
  const FunctionSummary *elsewhere = unit.effects.SummaryOf(callee);
  if (elsewhere != nullptr && elsewhere->registration.empty()) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                name + "() is defined in " + elsewhere->file +
                    " as a member function, which RAY_REMOTE cannot register there.");
  }
  LoopConversion conversion;
  std::string malformed =
      ReadTaskResources(callee, elsewhere, unit, conversion.resources);
  if (!malformed.empty()) return Skip(decision, SkipReason::kUnsupportedShape, malformed);

  if (std::optional<LoopConversion> chunked =
          granularity.chunked
              ? RunInChunks(loop, parent, conversion.resources, granularity)
              : std::nullopt) {
    conversion = std::move(*chunked);
    unit.called_by_tasks.insert(callee->getCanonicalDecl());
  } else if (!granularity.too_fine_unchunked.empty()) {
    return Skip(decision, SkipReason::kTooFineGrained, granularity.too_fine_unchunked);
  } else {
    // Calls whose work the source does not bound, in a loop of unknown length that
    // cannot try one of them here (a sum or an append whose order the driver's own
    // iterations would change): outlined, the loop tries an iteration after a few
    // tasks and keeps the order (OutlinedLoop's trial). Only where it outlines, and
    // not where the outlined loop would run in chunks: their trial comes before any
    // task, which a few heavy iterations would pay for (option_pricing's 8 options).
    if (!granularity.work_bounded && unit.settings.min_chunk_microseconds > 0 &&
        !ConstantTripCount(loop, unit.context) && !ChunkableRange(loop, unit.context) &&
        !CanTryAnIteration(loop, *shape, unit)) {
      Finding outlined = DecideOutlined(decision, loop, parent, facts);
      if (outlined.IsConversion()) return outlined;
    }
    EmitSingleCall(*shape, loop, parent, facts, elsewhere, conversion,
                   !granularity.work_bounded);
  }
  unit.needs_define.insert(needs_define.begin(), needs_define.end());
  conversion.kind = shape->kind == ShapeKind::kReduction ? "reduction" : "task";
  conversion.function = name;
  conversion.outlined = false;  // chunks included: the iterations call `name` itself
  conversion.variable = shape->target->getNameAsString();
  decision.code = kConvertedCode;
  decision.message = name + "() runs as Ray tasks";
  decision.conversion = std::move(conversion);
  decision.fix = unit.edits.Take();
  return decision;
}

void TaskLoopPass::EmitSingleCall(const TaskShape &shape, const Stmt *loop,
                                  const Stmt *parent, const LoopFacts &facts,
                                  const FunctionSummary *elsewhere,
                                  LoopConversion &conversion, bool trial) {
  TranslationUnit &unit = Unit();
  const FunctionDecl *callee = shape.call->getDirectCallee();
  std::string task_name = TaskName(shape.call, unit);
  std::string task_call =
      "ray::Task(" + task_name + ")" + TaskResourceCalls(conversion.resources);
  EmitTaskLoop(shape, loop, facts.body, parent, task_call,
               PrintType(callee->getReturnType(), callee, unit.context), unit, conversion,
               trial);
  if (unit.task_functions.insert(callee->getCanonicalDecl()).second) {
    if (elsewhere != nullptr) {
      unit.remote_elsewhere.push_back(elsewhere->usr);
    } else {
      unit.remote_functions.push_back(task_name);
    }
  }
}

// A loop the cost model chunks (many iterations, or cheap ones) runs in chunks of
// consecutive iterations, one task each, unless a container would be sent whole where
// each task needs one element (unless the elements are small and a constant trip
// count of thousands meets work the estimate cannot bound: 400,000 tasks of one point
// each, the fallback, took a k-means assignment step from 0.1 s to 246 s), or the
// data the chunks move outweighs the work (TooMuchDataMoved).
std::optional<LoopConversion> TaskLoopPass::RunInChunks(
    const Stmt *loop, const Stmt *parent, const std::map<std::string, double> &resources,
    const Granularity &granularity) {
  TranslationUnit &unit = Unit();
  if (function_ == nullptr) return std::nullopt;
  auto planned = PlanIterations(loop, function_, unit.effects, unit.Mutations(),
                                unit.context, unit.calls);
  // `v[i] = f(v[i])`: the chunk is sent its share of `v` and sends it back.
  if (std::holds_alternative<Refusal>(planned)) {
    planned = PlanIterations(loop, function_, unit.effects, unit.Mutations(),
                             unit.context, unit.calls, ArrayUpdates::kOwnSlices);
  }
  const auto *plan = std::get_if<IterationPlan>(&planned);
  if (plan == nullptr) return std::nullopt;
  const VarDecl *counter = ChunkableRange(loop, unit.context)->counter;
  // Where the work of an iteration is known, a task each is the better fallback for
  // heavy ones, and sequential for cheap ones; where the trip count is not, it may be
  // a handful (a sweep over a few configurations). Thousands of iterations of unknown
  // work may each cost far less than a task: chunks are sent a container of small
  // elements whole.
  std::optional<unsigned long long> trips = ConstantTripCount(loop, unit.context);
  long long small_bytes = !granularity.work_bounded && trips && *trips > kManyIterations
                              ? kSmallElementBytes
                              : 0;
  for (const VarDecl *capture : plan->captures) {
    if (capture->getType().getNonReferenceType()->isRecordType() &&
        IndexesLargeElementsWith(LoopBody(loop), capture, counter, unit.context,
                                 small_bytes)) {
      return std::nullopt;
    }
  }
  // Chunks evaluate the call's arguments themselves, so they are sent what the
  // arguments read (a whole array where each call needs one element).
  if (!TooMuchDataMoved(loop, *plan, unit.effects, unit.Mutations(), unit.context,
                        unit.calls, unit.settings)
           .empty()) {
    return std::nullopt;
  }
  LoopConversion conversion;
  OutlineOptions options;
  options.chunked = true;
  options.trial = granularity.run_decides;
  options.resources = resources;
  if (OutlineLoop(loop, parent, function_, *plan, options, unit, conversion)) {
    return std::nullopt;
  }
  return conversion;
}

// The outliner's two plans for `loop`: updates replayed, then arrays in own slices.
std::vector<std::variant<IterationPlan, Refusal>> TaskLoopPass::PlanBothWays(
    const Stmt *loop) {
  TranslationUnit &unit = Unit();
  std::vector<std::variant<IterationPlan, Refusal>> plans;
  for (ArrayUpdates arrays : {ArrayUpdates::kReplayed, ArrayUpdates::kOwnSlices}) {
    plans.push_back(PlanIterations(loop, function_, unit.effects, unit.Mutations(),
                                   unit.context, unit.calls, arrays));
  }
  return plans;
}

// Whether the outliner could run part of each iteration as a task and replay its
// updates in order (`sum += a[i]`, `best = std::max(best, a[i])`): such a loop's updates
// are no dependence that stops it, only its work is. A loop whose updates leave the task
// nothing to compute (`x = x * 3 + 1`, `a[i] += a[i - 1]`) is a recurrence.
static bool Plannable(const std::vector<std::variant<IterationPlan, Refusal>> &plans,
                      const Stmt *loop) {
  for (const auto &planned : plans) {
    const auto *plan = std::get_if<IterationPlan>(&planned);
    if (plan == nullptr) continue;
    if (plan->ReturnsArrays()) return true;
    // A range-for's variable is the element, data a task would read, not an index.
    const VarDecl *index = isa<CXXForRangeStmt>(loop) ? nullptr : plan->iteration;
    for (const UpdateStatement &update : plan->updates) {
      for (const Expr *part : update.parts) {
        if (ReadsOrCalls(part, index) && !IndexIn(update.stmt, part)) return true;
      }
    }
  }
  return false;
}

// Why neither plan exists: the second's reason, which lies deeper when both fail;
// nullopt when one does.
static std::optional<Refusal> PlanRefusal(
    const std::vector<std::variant<IterationPlan, Refusal>> &plans) {
  std::optional<Refusal> refusal;
  for (const auto &planned : plans) {
    const auto *failed = std::get_if<Refusal>(&planned);
    if (failed == nullptr) return std::nullopt;
    refusal = *failed;
  }
  return refusal;
}

// A loop the outliner could convert whose iterations do too little: what its calls
// cost against what they are sent.
Finding TaskLoopPass::SkipCheap(Finding decision, const Stmt *loop,
                                const LoopFacts &facts) {
  TranslationUnit &unit = Unit();
  for (const CallExpr *call : facts.user_calls) {
    if (!IsWorthATask(call->getDirectCallee(), unit.effects)) continue;
    std::string data_bound =
        DataBoundCall(call, loop, unit.effects, unit.context.getSourceManager());
    if (!data_bound.empty()) return Skip(decision, SkipReason::kTooMuchData, data_bound);
  }
  return Skip(decision, SkipReason::kTooFineGrained,
              facts.user_calls.empty()
                  ? "the loop calls no function of this file; its work is too small to "
                    "pay for remote tasks."
                  : "the functions the loop calls have no loop or recursion: an "
                    "iteration costs less than a remote task.");
}

Finding TaskLoopPass::DecideOutlined(Finding decision, const Stmt *loop,
                                     const Stmt *parent, const LoopFacts &facts) {
  TranslationUnit &unit = Unit();
  const SourceManager &sources = unit.context.getSourceManager();
  // A body with no call that loops and no loop nest is cheaper than a task: the old
  // reasons (a carried update, too little work) stay the honest ones.
  if (function_ == nullptr ||
      !OutlinedWorkPays(facts, IterationPlan{}, unit.effects, sources)) {
    if (function_ == nullptr) {
      auto other = ClassifyOtherLoop(decision, facts, sources);
      return other ? *other : SkipCheap(decision, loop, facts);
    }
    auto plans = PlanBothWays(loop);
    if (Plannable(plans, loop)) return SkipCheap(decision, loop, facts);
    if (auto other = ClassifyOtherLoop(decision, facts, sources)) return *other;
    // It calls functions of this file, none of them enough work for a task. What
    // would stop it anyway comes first: the reason no plan exists.
    if (auto refusal = PlanRefusal(plans)) {
      return Skip(decision, refusal->reason, refusal->message);
    }
    return SkipCheap(decision, loop, facts);
  }
  auto planned = PlanIterations(loop, function_, unit.effects, unit.Mutations(),
                                unit.context, unit.calls);
  const auto *replayed = std::get_if<IterationPlan>(&planned);
  if (replayed != nullptr && OutlinedWorkPays(facts, *replayed, unit.effects, sources)) {
    // Only stores along an inner loop make the second plan worth building.
    if (!StoresAlongALoop(*replayed).empty()) {
      auto sliced = PlanIterations(loop, function_, unit.effects, unit.Mutations(),
                                   unit.context, unit.calls, ArrayUpdates::kOwnSlices);
      const auto *with_slices = std::get_if<IterationPlan>(&sliced);
      if (with_slices != nullptr &&
          OutlinedWorkPays(facts, *with_slices, unit.effects, sources) &&
          SlicesMoveLess(loop, *replayed, *with_slices, unit)) {
        planned = std::move(sliced);
      }
    }
  } else {
    // Arrays each iteration updates only in its own slice may let the task read what it
    // writes, and return whole slices rather than every element. When that plan
    // fails too, its reason lies deeper than the first.
    auto sliced = PlanIterations(loop, function_, unit.effects, unit.Mutations(),
                                 unit.context, unit.calls, ArrayUpdates::kOwnSlices);
    const auto *with_slices = std::get_if<IterationPlan>(&sliced);
    if (with_slices == nullptr ? replayed == nullptr : with_slices->ReturnsArrays()) {
      planned = std::move(sliced);
    }
  }
  if (const auto *refusal = std::get_if<Refusal>(&planned)) {
    return Skip(decision, refusal->reason, refusal->message);
  }
  const IterationPlan &plan = std::get<IterationPlan>(planned);
  if (!OutlinedWorkPays(facts, plan, unit.effects, sources)) {
    // A body of one inner loop whose steps each update a variable (a merge into one
    // map) keeps the reason it had before such bodies were outlined at all.
    const VarDecl *written = FirstCarriedWrite(loop, sources);
    if (written != nullptr &&
        !HasQuietLoopNest(facts.body, 2, IterationPlan{}, sources)) {
      // The plan replays a number's updates in order, so no dependence stops the
      // loop (`sum += J[i * cols + j]` over j): what does is that the task would send
      // back every value it adds. (A merge into a container keeps its reason.)
      if (written->getType()->isArithmeticType() && UpdatedInInnerLoop(plan, written)) {
        return Skip(decision, SkipReason::kTooFineGrained,
                    "'" + written->getNameAsString() +
                        "' is updated at every step of an inner loop; to apply the "
                        "updates in the original order a task would send back every "
                        "value, as much as it computes.");
      }
      return SkipCarried(decision, loop, written);
    }
    return Skip(decision, SkipReason::kTooFineGrained,
                "the loop's inner loops send back a result for every step they take: "
                "a task would return as much as it computes.");
  }
  std::string walk = DataBoundWalk(facts, plan, unit.effects, sources);
  if (!walk.empty()) return Skip(decision, SkipReason::kTooMuchData, walk);
  Granularity granularity =
      DecideGranularity(loop, unit.effects, unit.context, unit.calls, unit.settings);
  if (!granularity.too_fine.empty()) {
    return Skip(decision, SkipReason::kTooFineGrained, granularity.too_fine);
  }
  std::string data_bound = TooMuchDataMoved(loop, plan, unit.effects, unit.Mutations(),
                                            unit.context, unit.calls, unit.settings);
  if (!data_bound.empty()) return Skip(decision, SkipReason::kTooMuchData, data_bound);
  if (InMacro(loop->getSourceRange())) {
    return Skip(decision, SkipReason::kMacro,
                "the loop is written by a macro, so it cannot be rewritten where it "
                "stands.");
  }
  if (HasPragmaAbove(loop, unit.edits.Main())) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                "a #pragma applies to this loop (OpenMP's, say); rewriting the loop "
                "would separate the two.");
  }
  // The actor pass has rewritten every call of an actor already: the loop stays, with
  // the reason the analyses found first, if any.
  for (const CallExpr *call : facts.user_calls) {
    if (auto refusal = RefuseActorUse(loop, call->getDirectCallee(), unit))
      return Skip(decision, SkipReason::kUnsupportedShape, *refusal);
  }
  if (auto refusal = RefuseActorUse(loop, nullptr, unit))
    return Skip(decision, SkipReason::kUnsupportedShape, *refusal);
  LoopConversion conversion;
  OutlineOptions options;
  options.chunked = granularity.chunked;
  options.trial = granularity.run_decides;
  if (auto refusal =
          OutlineLoop(loop, parent, function_, plan, options, unit, conversion)) {
    return Skip(decision, refusal->reason, refusal->message);
  }
  // What the tasks call runs inside them: its own loops are not the driver's.
  // What the driver replays runs on the driver.
  for (const CallExpr *call : facts.user_calls) {
    const FunctionDecl *callee = call->getDirectCallee();
    std::string name = callee->getQualifiedNameAsString();
    std::vector<std::string> &list =
        facts.replayed.count(call) != 0 ? conversion.replayed : conversion.calls;
    if (facts.replayed.count(call) == 0)
      unit.called_by_tasks.insert(callee->getCanonicalDecl());
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
  }
  decision.code = kConvertedCode;
  decision.message = "the loop body runs as Ray tasks of " + conversion.function + "()";
  decision.conversion = std::move(conversion);
  decision.fix = unit.edits.Take();
  return decision;
}

void TaskLoopPass::WalkLoops(const Stmt *stmt, const Stmt *parent) {
  if (stmt == nullptr) return;
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    ReportOutsideDriver(lambda->getBody(), WhyNotDriverCodeInLambda());
    return;
  }
  if (Unit().actor_pool_loops.count(stmt) != 0) return;  // the actor pass decided it
  if (IsAlgorithmLoop(stmt)) {
    const auto *call = cast<CallExpr>(cast<Expr>(stmt)->IgnoreImplicit());
    Report(DecideAlgorithmLoop(call, parent, function_, Unit()));
    return;
  }
  if (IsLoop(stmt)) {
    Finding decision = Decide(stmt, parent);
    bool converted = decision.IsConversion();
    Report(std::move(decision));
    if (!converted) WalkLoops(LoopBody(stmt), stmt);
    return;
  }
  for (const Stmt *child : stmt->children()) WalkLoops(child, stmt);
}

void TaskLoopPass::ReportOutsideDriver(const Stmt *stmt, const std::string &why) {
  if (stmt == nullptr) return;
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    ReportOutsideDriver(lambda->getBody(), why);
    return;
  }
  if (!IsLoop(stmt)) {
    for (const Stmt *child : stmt->children()) ReportOutsideDriver(child, why);
    return;
  }
  TranslationUnit &unit = Unit();
  Finding decision;
  decision.file = unit.edits.Main().Path();
  decision.range = unit.edits.Main().RangeOf(stmt->getSourceRange());
  // The user's comment is the reason they asked to be given, wherever the loop is.
  if (IgnoredByComment(unit.edits.Main().CommentAbove(stmt->getBeginLoc()))) {
    Report(Skip(std::move(decision), SkipReason::kIgnored, kIgnoredMessage));
    return;
  }
  Report(Skip(std::move(decision), SkipReason::kNotDriverCode, why));
}

void TaskLoopPass::Finish() {
  // Driver functions come after all their callers, so by the time one is reached
  // every loop that could make it (or a caller of it) run inside tasks has been
  // decided; what runs inside tasks, however deep, is not driver code.
  const TranslationUnit &unit = Unit();
  std::set<const FunctionDecl *> walked;
  for (const FunctionDecl *function : DriverFunctionsOf(unit)) {
    if (!RunsInsideTasks(function, unit)) {
      function_ = function;
      WalkLoops(function->getBody(), nullptr);
      function_ = nullptr;
      walked.insert(function->getCanonicalDecl());
    }
  }
  // Every other loop of the file is told why it is left alone.
  for (const FunctionDecl *function : unit.calls.Bodies()) {
    if (walked.count(function->getCanonicalDecl()) != 0) continue;
    size_t first = unit.findings.size();
    ReportOutsideDriver(function->getBody(), WhyNotDriverCode(function, walked, unit));
    if (!AwaitsProjectReason(function, unit)) continue;
    std::string lead = "the loop is in " + DisplayName(function) + ", ";
    for (size_t i = first; i < unit.findings.size(); ++i) {
      const Finding &finding = unit.findings[i];
      if (finding.code != ReasonCode(SkipReason::kNotDriverCode)) continue;
      Unit().provisional_reasons.push_back({finding.range.begin.line,
                                            finding.range.begin.column,
                                            UsrOf(function->getCanonicalDecl()), lead});
    }
  }
}

}  // namespace rayify
