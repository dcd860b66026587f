#include "conversions/TaskLoopEmitter.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/AST/StmtCXX.h>
#include <llvm/Support/raw_ostream.h>

#include "analysis/CarriedWrites.h"
#include "analysis/CostModel.h"
#include "analysis/LoopSafety.h"
#include "analysis/ResourceAnnotation.h"
#include "analysis/TaskCost.h"
#include "analysis/Writes.h"
#include "conversions/FirstChunkHere.h"
#include "conversions/OverlappedLoops.h"
#include "conversions/StoredRefs.h"
#include "model/Summaries.h"

namespace rayify {

using namespace clang;

namespace {

// `type`, or what it stands for when it is a member typedef: `out[idx[i]]`'s index is
// a `std::vector<int>::value_type`, which prints as a bare `value_type`.
QualType SpellableHere(QualType type) {
  const auto *alias = type->getAs<TypedefType>();
  if (alias != nullptr && alias->getDecl()->getDeclContext()->isRecord())
    return type.getCanonicalType();
  return type;
}

}  // namespace

std::string PrintType(QualType type, const FunctionDecl *scope, ASTContext &context) {
  PrintingPolicy policy(context.getLangOpts());
  policy.SuppressTagKeyword = true;
  // Types written inside a namespace need their qualification at the call site.
  if (!scope->getDeclContext()->getRedeclContext()->isTranslationUnit()) {
    return TypeName::getFullyQualifiedName(type, context, policy);
  }
  return type.getUnqualifiedType().getAsString(policy);
}

std::string TaskName(const CallExpr *call, TranslationUnit &unit) {
  const FunctionDecl *callee = call->getDirectCallee();
  const auto *ref = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
  std::string name = ref != nullptr ? unit.edits.Main().Text(ref->getSourceRange())
                                    : callee->getQualifiedNameAsString();
  if (const TemplateArgumentList *args = callee->getTemplateSpecializationArgs()) {
    if (ref == nullptr || !ref->hasExplicitTemplateArgs()) {
      std::string printed;
      llvm::raw_string_ostream out(printed);
      printTemplateArgumentList(out, args->asArray(), unit.context.getPrintingPolicy());
      name += out.str();
    }
  }
  auto lookup =
      callee->getDeclContext()->getRedeclContext()->lookup(callee->getDeclName());
  if (!callee->getTemplateSpecializationArgs() &&
      std::distance(lookup.begin(), lookup.end()) > 1) {
    std::string overload = "RAY_FUNC(" + name;
    for (const ParmVarDecl *param : callee->parameters()) {
      overload += ", " + PrintType(param->getType(), callee, unit.context);
    }
    name = overload + ")";
  }
  return name;
}

// The indentation the user writes with: the body's own when it sits on a line of its
// own, else the step from the enclosing block to the loop.
LoopLayout LayoutOf(const Stmt *loop, const Stmt *body, const Stmt *parent,
                    FileEditor &edits) {
  LoopLayout layout;
  layout.indent = edits.LineIndent(loop->getBeginLoc());
  layout.loop_begin = edits.Offset(loop->getBeginLoc());
  layout.loop_end = edits.EndOfStatement(loop);
  std::string body_indent =
      edits.LineIndent(isa<CompoundStmt>(body) && !cast<CompoundStmt>(body)->body_empty()
                           ? cast<CompoundStmt>(body)->body_front()->getBeginLoc()
                           : body->getBeginLoc());
  std::string block_indent = edits.LineIndent(parent->getBeginLoc());
  if (body_indent.size() > layout.indent.size()) {
    layout.step = body_indent.substr(layout.indent.size());
  } else if (layout.indent.size() > block_indent.size()) {
    layout.step = layout.indent.substr(block_indent.size());
  } else {
    layout.step = "    ";
  }
  return layout;
}

unsigned HeaderEnd(const Stmt *loop, FileEditor &edits) {
  SourceLocation rparen = isa<ForStmt>(loop)
                              ? cast<ForStmt>(loop)->getRParenLoc()
                              : cast<CXXForRangeStmt>(loop)->getRParenLoc();
  return edits.EndOffset(rparen);
}

unsigned DefinitionStart(const FunctionDecl *function, FileEditor &edits) {
  // A member function defined in its class: before the outermost class, at namespace
  // scope.
  const Decl *outermost = function;
  for (const DeclContext *context = function->getLexicalDeclContext();
       context != nullptr && isa<CXXRecordDecl>(context);
       context = context->getLexicalParent()) {
    outermost = cast<CXXRecordDecl>(context);
  }
  unsigned start = edits.LineStart(edits.Offset(outermost->getBeginLoc()));
  while (start > 0 && edits.LineBeginsWith(edits.PreviousLineStart(start), "//")) {
    start = edits.PreviousLineStart(start);
  }
  return start;
}

std::string GeneratedNameBase(const FunctionDecl *function) {
  const auto *method = dyn_cast<CXXMethodDecl>(function);
  if (method == nullptr) return function->getNameAsString();
  return method->getParent()->getNameAsString() + "_" + method->getNameAsString();
}

std::string QualifiedBeside(const FunctionDecl *function, const std::string &name) {
  std::string prefix;
  for (const DeclContext *context = function->getDeclContext(); context != nullptr;
       context = context->getParent()) {
    const auto *space = dyn_cast<NamespaceDecl>(context);
    if (space != nullptr && !space->isAnonymousNamespace()) {
      prefix = space->getNameAsString() + "::" + prefix;
    }
  }
  return prefix + name;
}

std::string BesideDefinition(const FunctionDecl *function, const std::string &code) {
  const DeclContext *written = function->getLexicalDeclContext();
  while (written != nullptr && isa<RecordDecl>(written))
    written = written->getLexicalParent();
  std::string open, close;
  for (const DeclContext *context = function->getDeclContext(); context != nullptr;
       context = context->getParent()) {
    const auto *space = dyn_cast<NamespaceDecl>(context);
    if (space == nullptr || written == nullptr || context->Encloses(written)) continue;
    std::string name = space->isAnonymousNamespace() ? "" : space->getNameAsString();
    open = std::string(space->isInline() ? "inline " : "") + "namespace " +
           (name.empty() ? "" : name + " ") + "{\n" + open;
    close += "}  // namespace" + (name.empty() ? "" : " " + name) + "\n";
  }
  if (open.empty()) return code;
  return "// In the namespace of the function below, whose names its loop uses.\n" +
         open + code + close + "\n";
}

std::string ThrottleLines(const std::string &refs, const std::string &oldest,
                          const LoopLayout &layout, long long max_in_flight) {
  const std::string inner = layout.indent + layout.step;
  std::string window = std::to_string(max_in_flight);
  return inner + "// At most " + window +
         " tasks in flight: wait for the oldest one first.\n" + inner + "if (" + refs +
         ".size() >= " + window + ")\n" + inner + layout.step + "ray::Wait(std::vector{" +
         oldest + "}, 1, -1);\n";
}

std::string ReadTaskResources(const FunctionDecl *callee,
                              const FunctionSummary *elsewhere, TranslationUnit &unit,
                              std::map<std::string, double> &resources) {
  FileEditor *editor = unit.edits.For(callee->getBeginLoc());
  std::string comment =
      editor == nullptr ? "" : editor->CommentAbove(callee->getBeginLoc());
  try {
    auto annotated = ParseResourceAnnotation(comment);
    if (!annotated && elsewhere != nullptr) {
      annotated = ParseResourceAnnotation(elsewhere->comment_above);
    }
    resources = annotated.value_or(std::map<std::string, double>{});
  } catch (const std::invalid_argument &e) {
    return "the resources annotation of " + callee->getNameAsString() +
           "() is malformed: " + e.what() + ".";
  }
  return "";
}

namespace {

// An argument worth putting in the object store once, by the name the driver puts
// it under.
struct HoistedArgument {
  const Expr *mention;
  std::string name;
  QualType type;
};

// How often `stmt` names `field` of the object its member function runs on.
int MentionsOfField(const Stmt *stmt, const FieldDecl *field) {
  if (stmt == nullptr) return 0;
  int count = 0;
  if (const MemberExpr *member = MemberOfThis(stmt);
      member != nullptr && member->getMemberDecl() == field)
    ++count;
  for (const Stmt *child : stmt->children()) count += MentionsOfField(child, field);
  return count;
}

// What `arg` names that the driver could put once: a variable the loop does not
// change (its header included) and did not declare, or a field of the object that
// the loop names nowhere else, so that nothing in it changes the field; not a name a
// macro wrote, which cannot be replaced.
std::optional<HoistedArgument> Unchanging(const Expr *arg, const Stmt *loop,
                                          const VarDecl *target,
                                          const SourceManager &sources) {
  arg = arg->IgnoreParenImpCasts();
  if (arg->getBeginLoc().isMacroID()) return std::nullopt;
  if (const auto *ref = dyn_cast<DeclRefExpr>(arg)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || var == target || DeclaredWithin(var, loop, sources) ||
        Writes(loop, var))
      return std::nullopt;
    return HoistedArgument{ref, var->getNameAsString(), var->getType()};
  }
  const MemberExpr *member = MemberOfThis(arg);
  const auto *field =
      member == nullptr ? nullptr : dyn_cast<FieldDecl>(member->getMemberDecl());
  if (field == nullptr || !member->isImplicitAccess() ||
      MentionsOfField(loop, field) != 1)
    return std::nullopt;
  return HoistedArgument{member, field->getNameAsString(), field->getType()};
}

// Arguments worth putting in the object store once: variables or fields of class type
// (a container, a string, a struct) that the loop does not change, passed as exactly
// the parameter's type. Passing their ObjectRef avoids one copy per task.
std::vector<HoistedArgument> HoistableArguments(const CallExpr *call, const Stmt *loop,
                                                const VarDecl *target,
                                                const SourceManager &sources) {
  std::vector<HoistedArgument> hoisted;
  const FunctionDecl *callee = call->getDirectCallee();
  for (unsigned i = 0; i < call->getNumArgs() && i < callee->getNumParams(); ++i) {
    const Expr *arg = call->getArg(i)->IgnoreImplicit();
    if (const auto *construct = dyn_cast<CXXConstructExpr>(arg)) {
      if (construct->getNumArgs() == 1 &&
          construct->getConstructor()->isCopyConstructor()) {
        arg = construct->getArg(0)->IgnoreImplicit();
      }
    }
    std::optional<HoistedArgument> unchanging = Unchanging(arg, loop, target, sources);
    if (!unchanging || !unchanging->type->isRecordType()) continue;
    QualType param = callee->getParamDecl(i)->getType().getNonReferenceType();
    if (param.getCanonicalType().getUnqualifiedType() !=
        unchanging->type.getNonReferenceType().getCanonicalType().getUnqualifiedType()) {
      continue;
    }
    hoisted.push_back(*unchanging);
  }
  return hoisted;
}

void EmitThrottle(const Stmt *loop, const Stmt *body, const LoopLayout &layout,
                  const std::string &refs, const std::string &oldest,
                  TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  const std::string inner = layout.indent + layout.step;
  std::string wait = ThrottleLines(refs, oldest, layout, unit.settings.max_in_flight);
  if (const auto *block = dyn_cast<CompoundStmt>(body)) {
    unsigned brace = edits.Offset(block->getRBracLoc());
    edits.Insert(edits.LineStart(brace), wait);
    return;
  }
  unsigned header_end = HeaderEnd(loop, edits);
  unsigned body_begin = edits.Offset(body->getBeginLoc());
  if (edits.LineStart(body_begin) == edits.LineStart(header_end)) {
    edits.Replace(header_end, body_begin, " {\n" + inner);  // body onto its own line
  } else {
    edits.Insert(header_end, " {");
  }
  edits.Insert(layout.loop_end, "\n" + wait + layout.indent + "}");
}

// Walks the object refs the loop above filled `feeding.target` with instead of the
// container: each task gets its element as a ref, resolved on its worker, so the
// driver neither waits for the element nor sends it on.
void TakeObjectRefs(const CXXForRangeStmt *loop, const PendingGather &feeding,
                    const LoopLayout &layout, TranslationUnit &unit,
                    LoopConversion &conversion) {
  FileEditor &edits = unit.edits.Main();
  const VarDecl *element = loop->getLoopVariable();
  std::string container = feeding.target->getNameAsString();
  unsigned line = edits.Line(feeding.loop->getBeginLoc());
  edits.ReplaceRange(loop->getRangeInit()->getSourceRange(), feeding.refs);
  edits.Replace(edits.Offset(element->getBeginLoc()),
                edits.Offset(element->getLocation()), "const auto &");
  edits.Insert(
      layout.loop_begin,
      "// Each task gets its '" + element->getNameAsString() +
          "' as the object ref the loop at line " + std::to_string(line) +
          " made for it:\n" + layout.indent + "// it waits for it on its worker, " +
          "and the driver does not pass '" + container + "' on.\n" + layout.indent);
  conversion.refs_from = container;
  conversion.refs_from_line = line;
}

// The key to submit an indexed loop's tasks by, costliest first: only for a `for`
// whose counter its header declares and indexes the target, so that its header,
// run once ahead to list the iterations, is the loop's own.
std::optional<TaskCostKey> CostliestFirstKey(const TaskShape &shape, const Stmt *loop,
                                             TranslationUnit &unit) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  const VarDecl *counter = LoopCounter(loop);
  const auto *init =
      for_stmt != nullptr ? dyn_cast_or_null<DeclStmt>(for_stmt->getInit()) : nullptr;
  const auto *index = dyn_cast<DeclRefExpr>(shape.index->IgnoreParenImpCasts());
  if (for_stmt == nullptr || counter == nullptr || init == nullptr ||
      !init->isSingleDecl() || init->getSingleDecl() != counter || index == nullptr ||
      index->getDecl() != counter || for_stmt->getBeginLoc().isMacroID())
    return std::nullopt;
  return TaskCostKeyOf(shape.call, counter, unit.context);
}

struct CostliestFirst {
  TaskCostKey key;
  std::string index_type, target, refs, index, ref;
  std::string costs{}, order{}, slots{}, slot{};  // named by SubmitCostliestFirst
};

// Ahead of the loop: its header, run once to list the iterations with their costs,
// then the counters in the order to submit them; the loop walks that order.
std::string SubmitCostliestFirst(CostliestFirst &plan, const Stmt *loop,
                                 const LoopLayout &layout, TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  const auto *for_stmt = cast<ForStmt>(loop);
  std::string counter = LoopCounter(loop)->getNameAsString();
  plan.costs = unit.edits.UniqueName(plan.target + "_costs");
  std::string counters = unit.edits.UniqueName(plan.target + "_counters");
  plan.order = unit.edits.UniqueName(plan.target + "_order");
  std::string cost = unit.edits.UniqueName(plan.target + "_cost");
  plan.slots = unit.edits.UniqueName(plan.refs + "_slots");
  plan.slot = unit.edits.UniqueName(plan.refs + "_slot");
  unsigned lparen = edits.Offset(for_stmt->getLParenLoc());
  unsigned rparen = edits.Offset(for_stmt->getRParenLoc());
  std::string header =
      edits.FileText().substr(layout.loop_begin, rparen + 1 - layout.loop_begin);
  edits.Replace(lparen + 1, rparen, plan.index_type + " " + counter + " : " + plan.order);
  unit.extra_includes.insert("algorithm");
  const std::string &indent = layout.indent;
  const std::string inner = indent + layout.step;
  return "// The tasks' work grows with " + plan.key.described +
         ": submitted costliest first, so that\n" + indent +
         "// the longest do not start last; results are stored in the loop's order.\n" +
         indent + "std::vector<std::pair<double, std::size_t>> " + plan.costs + ";\n" +
         indent + "std::vector<" + plan.index_type + "> " + counters + ";\n" + indent +
         header + " {\n" + inner + plan.costs + ".emplace_back(" + plan.key.expression +
         ", " + plan.costs + ".size());\n" + inner + counters + ".push_back(" + counter +
         ");\n" + indent + "}\n" + indent + "std::stable_sort(" + plan.costs +
         ".begin(), " + plan.costs +
         ".end(), [](const auto &a, const auto &b) { return "
         "a.first > b.first; });\n" +
         indent + "std::vector<" + plan.index_type + "> " + plan.order + ";\n" + indent +
         "for (const auto &" + cost + " : " + plan.costs + ")\n" + inner + plan.order +
         ".push_back(" + counters + "[" + cost + ".second]);\n" + indent;
}

// The results stored in the loop's order: the ref of the iteration at each position.
std::string GatherInLoopOrder(const CostliestFirst &plan, const LoopLayout &layout) {
  const std::string &indent = layout.indent;
  const std::string inner = indent + layout.step;
  const std::string &slots = plan.slots;
  const std::string &slot = plan.slot;
  return "std::vector<std::size_t> " + slots + "(" + plan.costs + ".size());\n" + indent +
         "for (std::size_t " + slot + " = 0; " + slot + " < " + slots + ".size(); ++" +
         slot + ")\n" + inner + slots + "[" + plan.costs + "[" + slot +
         "].second] = " + slot + ";\n" + indent + "for (std::size_t " + slot + " : " +
         slots + ") {\n" + inner + "auto &[" + plan.index + ", " + plan.ref +
         "] = " + plan.refs + "[" + slot + "];\n" + inner + plan.target + "[" +
         plan.index + "] = std::move(*ray::Get(" + plan.ref + "));\n" + indent + "}";
}

// Whether `stmt` may change `var` or let it be changed under another name.
bool MayChange(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  bool changed = LetsOut(stmt, var, /*any_reference=*/true);
  ForEachWrite(stmt, [&](const Expr *target) {
    changed = changed || ReferencedVar(target->IgnoreParenImpCasts()) == var;
  });
  for (const Stmt *child : stmt->children()) changed = changed || MayChange(child, var);
  return changed;
}

// Whether `shape` stores at the counter of a for loop that steps it by a constant,
// `b[i] = f(...)` with `++i`, `i -= 2`, and nothing else changes the counter: every
// iteration stores a different element, so those run in the driver may be stored
// before the earlier ones sent to the tasks.
bool StoresAtItsCounter(const Stmt *loop, const TaskShape &shape, ASTContext &context) {
  const auto *header = dyn_cast<ForStmt>(loop);
  if (header == nullptr || header->getInc() == nullptr ||
      shape.kind != ShapeKind::kIndexed || shape.index == nullptr)
    return false;
  const VarDecl *counter = ReferencedVar(shape.index->IgnoreParenImpCasts());
  if (counter == nullptr || !counter->getType()->isIntegerType() ||
      MayChange(header->getBody(), counter) || MayChange(header->getCond(), counter))
    return false;
  const Expr *inc = header->getInc()->IgnoreParenImpCasts();
  if (const auto *unary = dyn_cast<UnaryOperator>(inc))
    return unary->isIncrementDecrementOp() &&
           ReferencedVar(unary->getSubExpr()) == counter;
  const auto *compound = dyn_cast<CompoundAssignOperator>(inc);
  Expr::EvalResult step;
  return compound != nullptr &&
         (compound->getOpcode() == BO_AddAssign ||
          compound->getOpcode() == BO_SubAssign) &&
         ReferencedVar(compound->getLHS()) == counter &&
         !compound->getRHS()->isValueDependent() &&
         compound->getRHS()->EvaluateAsInt(step, context) && !step.Val.getInt().isZero();
}

// Has the statement run as written in the driver while the trial says so
// (IterationTrial), the submission otherwise; returns the trial's declaration, or ""
// where there is none: the range's size is not known and the iterations run here
// could not be stored ahead of those sent before them.
std::string TryFirstIteration(const Stmt *loop, const TaskShape &shape,
                              const LoopLayout &layout, TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  if (!CanTryAnIteration(loop, shape, unit)) return "";
  std::string name = unit.edits.UniqueName(shape.target->getNameAsString() + "_trial");
  unsigned begin = edits.Offset(shape.statement->getBeginLoc());
  std::string original =
      edits.FileText().substr(begin, edits.EndOfStatement(shape.statement) - begin);
  edits.Insert(begin, "if (" + name + ".Here()) " + original + " else ");
  return "\n" + layout.indent +
         IterationTrialDeclaration(unit, name, RangeSize(loop, edits), layout.indent);
}

}  // namespace

bool CanTryAnIteration(const Stmt *loop, const TaskShape &shape, TranslationUnit &unit) {
  if (unit.settings.min_chunk_microseconds <= 0) return false;
  if (!RangeSize(loop, unit.edits.Main()).empty()) return true;
  // A trip count the source fixes was the cost model's to weigh: more than 64
  // iterations of unbounded work are chunked, fewer cost little as tasks.
  return !ConstantTripCount(loop, unit.context) &&
         StoresAtItsCounter(loop, shape, unit.context);
}

// The size of the container a range-for walks, when the driver may ask it again: the
// range is a variable of a type with size(). Empty otherwise.
std::string RangeSize(const Stmt *loop, FileEditor &edits) {
  const auto *range = dyn_cast<CXXForRangeStmt>(loop);
  if (range == nullptr) return "";
  const auto *ref = dyn_cast<DeclRefExpr>(range->getRangeInit()->IgnoreParenImpCasts());
  const auto *record = range->getRangeInit()->getType()->getAsCXXRecordDecl();
  if (ref == nullptr || record == nullptr || !record->hasDefinition()) return "";
  for (const Decl *member : record->decls()) {
    const auto *method = dyn_cast<CXXMethodDecl>(member);
    if (method != nullptr && method->getNameAsString() == "size" &&
        method->getNumParams() == 0)
      return edits.Text(ref->getSourceRange()) + ".size()";
  }
  return "";
}

void EmitTaskLoop(const TaskShape &shape, const Stmt *loop, const Stmt *body,
                  const Stmt *parent, const std::string &task_call,
                  const std::string &result_type, TranslationUnit &unit,
                  LoopConversion &conversion, bool trial) {
  FileEditor &edits = unit.edits.Main();
  LoopLayout layout = LayoutOf(loop, body, parent, edits);
  std::string target = shape.target->getNameAsString();
  std::string refs = unit.edits.UniqueName(target + "_refs");
  std::string ref_type = "ray::ObjectRef<" + result_type + ">";
  unsigned statement_begin = edits.Offset(shape.statement->getBeginLoc());
  unsigned callee_begin = edits.Offset(shape.call->getCallee()->getBeginLoc());
  unsigned callee_end = edits.EndOffset(shape.call->getCallee()->getEndLoc());
  unsigned call_end = edits.EndOffset(shape.call->getEndLoc());
  std::string declaration, gather;
  const std::string inner = layout.indent + layout.step;

  switch (shape.kind) {
    case ShapeKind::kAppend: {
      std::string value = unit.edits.UniqueName(target + "_value");
      declaration = "std::vector<" + ref_type + "> " + refs + ";";
      edits.ReplaceRange(shape.target_ref->getSourceRange(), refs);
      edits.Insert(callee_begin, CopyOfRef(unit) + "(");
      edits.Insert(call_end, ")");
      gather = "for (auto &" + value + " : ray::Get(" + refs + "))\n" + inner + target +
               "." + shape.method + "(std::move(*" + value + "));";
      break;
    }
    case ShapeKind::kIndexed: {
      std::string index_type =
          PrintType(SpellableHere(shape.index->IgnoreImpCasts()->getType()),
                    shape.call->getDirectCallee(), unit.context);
      std::string index = unit.edits.UniqueName(target + "_index");
      std::string ref = unit.edits.UniqueName(target + "_ref");
      declaration =
          "std::vector<std::pair<" + index_type + ", " + ref_type + ">> " + refs + ";";
      edits.Replace(statement_begin, callee_begin,
                    refs + ".emplace_back(" + edits.Text(shape.index->getSourceRange()) +
                        ", " + CopyOfRef(unit) + "(");
      edits.Insert(call_end, "))");
      gather = "for (auto &[" + index + ", " + ref + "] : " + refs + ")\n" + inner +
               target + "[" + index + "] = std::move(*ray::Get(" + ref + "));";
      if (std::optional<TaskCostKey> key = CostliestFirstKey(shape, loop, unit)) {
        CostliestFirst costliest{*key, index_type, target, refs, index, ref};
        declaration = SubmitCostliestFirst(costliest, loop, layout, unit) + declaration;
        gather = GatherInLoopOrder(costliest, layout);
        conversion.costliest_first = key->described;
      }
      break;
    }
    case ShapeKind::kReduction: {
      std::string term = unit.edits.UniqueName(target + "_term");
      declaration = "std::vector<" + ref_type + "> " + refs + ";";
      edits.Replace(statement_begin, callee_begin,
                    refs + ".push_back(" + CopyOfRef(unit) + "(");
      edits.Insert(call_end, "))");
      // Combined on the driver in loop order: floating-point results stay identical.
      gather = "for (auto &" + term + " : ray::Get(" + refs + "))\n" + inner + target +
               " " + shape.op + " *" + term + ";";
      break;
    }
  }
  std::optional<PendingGather> feeding = FeedingLoop(loop, shape, parent, unit);
  if (trial && !feeding && conversion.costliest_first.empty()) {
    declaration += TryFirstIteration(loop, shape, layout, unit);
  }
  edits.Replace(callee_begin, callee_end, task_call + ".Remote");
  std::string puts;
  for (const HoistedArgument &argument : HoistableArguments(
           shape.call, loop, shape.target, unit.context.getSourceManager())) {
    std::string object_ref = unit.edits.UniqueName(argument.name + "_ref");
    puts +=
        "auto " + object_ref + " = ray::Put(" + argument.name + ");\n" + layout.indent;
    edits.ReplaceRange(argument.mention->getSourceRange(), object_ref);
    conversion.put_variables.push_back(argument.name);
    if (std::optional<long long> bytes =
            FixedSize(argument.type.getNonReferenceType(), unit.context)) {
      conversion.sent_bytes[argument.name] = *bytes;
    }
  }
  edits.Insert(layout.loop_begin, puts + declaration + "\n" + layout.indent);
  if (!HasSmallConstantTripCount(loop, unit.context, unit.settings.submit_all_limit)) {
    std::string window = std::to_string(unit.settings.max_in_flight);
    std::string oldest = shape.kind == ShapeKind::kIndexed
                             ? refs + "[" + refs + ".size() - " + window + "].second"
                             : refs + "[" + refs + ".size() - " + window + "]";
    EmitThrottle(loop, body, layout, refs, oldest, unit);
    conversion.throttled = true;
    conversion.max_in_flight = unit.settings.max_in_flight;
  }
  if (OverlapEarlierGathers(loop, shape, parent, layout,
                            feeding ? feeding->target : nullptr, unit) &&
      feeding) {
    TakeObjectRefs(cast<CXXForRangeStmt>(loop), *feeding, layout, unit, conversion);
  }
  std::string stored = "\n" + layout.indent + gather;
  edits.Insert(layout.loop_end, stored);
  RecordGather(loop, shape, parent, layout.loop_end, stored, refs, conversion.throttled,
               unit);
}

}  // namespace rayify
