#include "conversions/TaskLoopConversion.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/AST/StmtCXX.h>
#include <llvm/Support/raw_ostream.h>

#include <optional>

#include "analysis/LoopSafety.h"
#include "analysis/ResourceAnnotation.h"

namespace rayify {
namespace {

using namespace clang;

enum class ShapeKind { kAppend, kIndexed, kReduction };

struct TaskShape {
  ShapeKind kind;
  const Expr *statement = nullptr;
  const VarDecl *target = nullptr;
  const Expr *target_ref = nullptr;  // the `v` of v.push_back (append only)
  const CallExpr *call = nullptr;
  const Expr *index = nullptr;  // indexed only
  std::string method;           // push_back / emplace_back
  std::string op;               // +=, -=, *= (reduction only)
};

// The call a stored value comes from, looking through conversions and copies.
const CallExpr *UnderlyingCall(const Expr *expr) {
  while (expr != nullptr) {
    expr = expr->IgnoreImplicit();
    if (const auto *construct = dyn_cast<CXXConstructExpr>(expr)) {
      if (isa<CXXTemporaryObjectExpr>(construct) || construct->getNumArgs() != 1) {
        return nullptr;
      }
      expr = construct->getArg(0);
      continue;
    }
    if (const auto *cast = dyn_cast<CXXFunctionalCastExpr>(expr)) {
      expr = cast->getSubExpr();
      continue;
    }
    break;
  }
  // Member calls match too, so that they are refused with the right reason.
  const auto *call = dyn_cast_or_null<CallExpr>(expr);
  if (call == nullptr || isa<CXXOperatorCallExpr>(call) ||
      call->getDirectCallee() == nullptr) {
    return nullptr;
  }
  return call;
}

const VarDecl *ReferencedVar(const Expr *expr) {
  const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts());
  return ref == nullptr ? nullptr : dyn_cast<VarDecl>(ref->getDecl());
}

bool IsIndexableSequence(QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  if (type->isConstantArrayType()) return true;
  const auto *record = type->getAsCXXRecordDecl();
  if (record == nullptr) return false;
  std::string name = record->getQualifiedNameAsString();
  return name == "std::vector" || name == "std::deque" || name == "std::array";
}

// `container[index]`, spelled with the built-in or an overloaded operator.
bool MatchSubscript(const Expr *expr, const Expr *&container, const Expr *&index) {
  expr = expr->IgnoreParenImpCasts();
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(expr)) {
    container = subscript->getBase();
    index = subscript->getIdx();
    return true;
  }
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
    if (op->getOperator() == OO_Subscript && op->getNumArgs() == 2) {
      container = op->getArg(0);
      index = op->getArg(1);
      return true;
    }
  }
  return false;
}

std::optional<TaskShape> MatchAppend(const Expr *statement) {
  const auto *member = dyn_cast<CXXMemberCallExpr>(statement);
  if (member == nullptr || member->getNumArgs() != 1 ||
      member->getMethodDecl() == nullptr) {
    return std::nullopt;
  }
  std::string method = member->getMethodDecl()->getNameAsString();
  if (method != "push_back" && method != "emplace_back") return std::nullopt;
  const Expr *object = member->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const VarDecl *target = ReferencedVar(object);
  const CallExpr *call = UnderlyingCall(member->getArg(0));
  if (target == nullptr || call == nullptr) return std::nullopt;
  TaskShape shape{ShapeKind::kAppend};
  shape.statement = statement;
  shape.target = target;
  shape.target_ref = object;
  shape.call = call;
  shape.method = method;
  return shape;
}

std::optional<TaskShape> MatchIndexed(const Expr *statement) {
  const Expr *lhs = nullptr;
  const Expr *rhs = nullptr;
  if (const auto *assign = dyn_cast<BinaryOperator>(statement)) {
    if (assign->getOpcode() != BO_Assign) return std::nullopt;
    lhs = assign->getLHS();
    rhs = assign->getRHS();
  } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(statement)) {
    if (op->getOperator() != OO_Equal || op->getNumArgs() != 2) return std::nullopt;
    lhs = op->getArg(0);
    rhs = op->getArg(1);
  } else {
    return std::nullopt;
  }
  const Expr *container = nullptr;
  const Expr *index = nullptr;
  if (!MatchSubscript(lhs, container, index)) return std::nullopt;
  const VarDecl *target = ReferencedVar(container);
  const CallExpr *call = UnderlyingCall(rhs);
  if (target == nullptr || call == nullptr || !IsIndexableSequence(target->getType())) {
    return std::nullopt;
  }
  TaskShape shape{ShapeKind::kIndexed};
  shape.statement = statement;
  shape.target = target;
  shape.call = call;
  shape.index = index;
  return shape;
}

std::optional<TaskShape> MatchReduction(const Expr *statement) {
  const auto *compound = dyn_cast<CompoundAssignOperator>(statement);
  if (compound == nullptr) return std::nullopt;
  BinaryOperatorKind op = compound->getOpcode();
  if (op != BO_AddAssign && op != BO_SubAssign && op != BO_MulAssign) return std::nullopt;
  const VarDecl *target = ReferencedVar(compound->getLHS());
  const CallExpr *call = UnderlyingCall(compound->getRHS());
  if (target == nullptr || call == nullptr || !target->getType()->isArithmeticType()) {
    return std::nullopt;
  }
  TaskShape shape{ShapeKind::kReduction};
  shape.statement = statement;
  shape.target = target;
  shape.call = call;
  shape.op = compound->getOpcodeStr().str();
  return shape;
}

std::optional<TaskShape> MatchShape(const Stmt *body) {
  const Expr *statement = OnlyExpression(body);
  if (statement == nullptr) return std::nullopt;
  if (auto shape = MatchAppend(statement)) return shape;
  if (auto shape = MatchIndexed(statement)) return shape;
  return MatchReduction(statement);
}

LoopDecision Skip(LoopDecision decision, SkipReason reason, std::string message) {
  decision.converted = false;
  decision.reason = reason;
  decision.message = std::move(message);
  return decision;
}

// `v[i] = expr` or `v.push_back(expr)` where expr does not read v: each iteration
// stands alone.
bool IsIndependentStore(const Stmt *body) {
  const Expr *statement = OnlyExpression(body);
  if (statement == nullptr) return false;
  const Expr *container = nullptr;
  const Expr *index = nullptr;
  const Expr *value = nullptr;
  if (const auto *assign = dyn_cast<BinaryOperator>(statement);
      assign != nullptr && assign->getOpcode() == BO_Assign &&
      MatchSubscript(assign->getLHS(), container, index)) {
    value = assign->getRHS();
  } else if (const auto *member = dyn_cast<CXXMemberCallExpr>(statement);
             member != nullptr && member->getNumArgs() == 1 &&
             member->getMethodDecl() != nullptr &&
             (member->getMethodDecl()->getName() == "push_back" ||
              member->getMethodDecl()->getName() == "emplace_back")) {
    container = member->getImplicitObjectArgument();
    value = member->getArg(0);
  }
  const VarDecl *target = container == nullptr ? nullptr : ReferencedVar(container);
  return target != nullptr && !Mentions(value, target) &&
         (index == nullptr || !Mentions(index, target));
}

// Loops that are none of the converted shapes still get an honest reason.
LoopDecision ClassifyOtherLoop(LoopDecision decision, const LoopFacts &facts,
                               const SourceManager &sources) {
  if (facts.user_calls.empty() && IsIndependentStore(facts.body)) {
    return Skip(decision, SkipReason::kTooFineGrained,
                "the loop calls no function of this file; its work is too small to pay "
                "for remote tasks.");
  }
  if (const VarDecl *written = FirstOutsideWrite(facts.body, facts.loop, sources)) {
    return Skip(decision, SkipReason::kLoopCarriedDependency,
                "each iteration updates '" + written->getNameAsString() +
                    "', declared before the loop, so iterations depend on each other.");
  }
  if (facts.user_calls.empty()) {
    return Skip(decision, SkipReason::kTooFineGrained,
                "the loop calls no function of this file; its work is too small to pay "
                "for remote tasks.");
  }
  return Skip(decision, SkipReason::kUnsupportedShape,
              "the loop body is not one of the converted shapes (v.push_back(f(...)), "
              "v[i] = f(...), acc += f(...)).");
}

// Mentions of `var` other than `var.size()` / `var.empty()`, which element stores
// never change.
bool MentionsBeyondSize(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  if (const auto *call = dyn_cast<CXXMemberCallExpr>(stmt)) {
    const auto *method = call->getMethodDecl();
    if (method != nullptr &&
        (method->getName() == "size" || method->getName() == "empty") &&
        ReferencedVar(call->getImplicitObjectArgument()) == var) {
      return false;
    }
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt);
      ref != nullptr && ref->getDecl() == var) {
    return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (MentionsBeyondSize(child, var)) return true;
  }
  return false;
}

// Where the loop header reads the variable the loop fills. Appending changes the
// size; storing elements does not.
std::string HeaderMention(const Stmt *loop, const TaskShape &shape) {
  auto mentions = [&](const Stmt *part) {
    return shape.kind == ShapeKind::kIndexed ? MentionsBeyondSize(part, shape.target)
                                             : Mentions(part, shape.target);
  };
  if (const auto *for_stmt = dyn_cast<ForStmt>(loop)) {
    if (mentions(for_stmt->getCond()) || mentions(for_stmt->getInc()) ||
        mentions(for_stmt->getInit())) {
      return "the loop header";
    }
  } else if (const auto *range = dyn_cast<CXXForRangeStmt>(loop)) {
    if (mentions(range->getRangeInit())) return "the range the loop walks";
  }
  return "";
}

std::string PrintType(QualType type, const FunctionDecl *scope, ASTContext &context) {
  PrintingPolicy policy(context.getLangOpts());
  policy.SuppressTagKeyword = true;
  // Types written inside a namespace need their qualification at the call site.
  if (!scope->getDeclContext()->getRedeclContext()->isTranslationUnit()) {
    return TypeName::getFullyQualifiedName(type, context, policy);
  }
  return type.getUnqualifiedType().getAsString(policy);
}

// The spelling ray::Task() and RAY_REMOTE get for the callee: as written, with the
// template arguments spelled out, or through RAY_FUNC when the name is overloaded.
std::string TaskName(const CallExpr *call, ConversionContext &ctx) {
  const FunctionDecl *callee = call->getDirectCallee();
  const auto *ref = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
  std::string name = ref != nullptr ? ctx.edits.Text(ref->getSourceRange())
                                    : callee->getQualifiedNameAsString();
  if (const TemplateArgumentList *args = callee->getTemplateSpecializationArgs()) {
    if (ref == nullptr || !ref->hasExplicitTemplateArgs()) {
      std::string printed;
      llvm::raw_string_ostream out(printed);
      printTemplateArgumentList(out, args->asArray(), ctx.context.getPrintingPolicy());
      name += out.str();
    }
  }
  auto lookup =
      callee->getDeclContext()->getRedeclContext()->lookup(callee->getDeclName());
  if (!callee->getTemplateSpecializationArgs() &&
      std::distance(lookup.begin(), lookup.end()) > 1) {
    std::string overload = "RAY_FUNC(" + name;
    for (const ParmVarDecl *param : callee->parameters()) {
      overload += ", " + PrintType(param->getType(), callee, ctx.context);
    }
    name = overload + ")";
  }
  return name;
}

std::map<std::string, double> ResourcesOf(const FunctionDecl *callee,
                                          ConversionContext &ctx) {
  // The comment lines directly above the function.
  const std::string &text = ctx.edits.FileText();
  unsigned line_start = ctx.edits.LineStart(ctx.edits.Offset(callee->getBeginLoc()));
  std::string comment;
  while (line_start > 0) {
    unsigned previous = ctx.edits.LineStart(line_start - 1);
    std::string line = text.substr(previous, line_start - previous);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, 2, "//") != 0) break;
    comment = line + comment;
    line_start = previous;
  }
  return ParseResourceAnnotation(comment).value_or(std::map<std::string, double>{});
}

// Which of the callee's parameters or result cannot be sent, if any.
std::string NonSerializable(const FunctionDecl *callee, ConversionContext &ctx,
                            std::set<const CXXRecordDecl *> &needs_define) {
  std::string why;
  if (!ctx.serializability.Check(callee->getReturnType(), why, needs_define)) {
    return "its result cannot be sent between processes: " + why;
  }
  for (const ParmVarDecl *param : callee->parameters()) {
    if (!ctx.serializability.Check(param->getType(), why, needs_define)) {
      return "parameter '" + param->getNameAsString() +
             "' cannot be sent between processes: " + why;
    }
  }
  return "";
}

// Arguments worth putting in the object store once: variables of class type (a
// container, a string, a struct) that the loop does not change, passed as exactly the
// parameter's type. Passing their ObjectRef avoids one copy per task.
std::vector<std::pair<const DeclRefExpr *, const VarDecl *>> HoistableArguments(
    const CallExpr *call, const Stmt *loop, const VarDecl *target,
    const SourceManager &sources) {
  std::vector<std::pair<const DeclRefExpr *, const VarDecl *>> hoisted;
  const FunctionDecl *callee = call->getDirectCallee();
  for (unsigned i = 0; i < call->getNumArgs() && i < callee->getNumParams(); ++i) {
    const Expr *arg = call->getArg(i)->IgnoreImplicit();
    if (const auto *construct = dyn_cast<CXXConstructExpr>(arg)) {
      if (construct->getNumArgs() == 1 &&
          construct->getConstructor()->isCopyConstructor()) {
        arg = construct->getArg(0)->IgnoreImplicit();
      }
    }
    const auto *ref = dyn_cast<DeclRefExpr>(arg->IgnoreParenImpCasts());
    const auto *var = ref == nullptr ? nullptr : dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || var == target || DeclaredWithin(var, loop, sources) ||
        !var->getType()->isRecordType()) {
      continue;
    }
    QualType param = callee->getParamDecl(i)->getType().getNonReferenceType();
    if (param.getCanonicalType().getUnqualifiedType() !=
        var->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType()) {
      continue;
    }
    hoisted.emplace_back(ref, var);
  }
  return hoisted;
}

// Most iterations a loop may have for all its tasks to be submitted at once.
constexpr long long kSubmitAllLimit = 1024;

// Whether the loop's trip count is known at compile time and small: `for (int i = 0;
// i < 16; ++i)` with constant start and bound. Any other loop has its submissions
// throttled, so it can never flood the cluster.
bool HasSmallConstantTripCount(const Stmt *loop, ASTContext &context) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr || for_stmt->getCond() == nullptr) return false;
  const auto *init = dyn_cast_or_null<DeclStmt>(for_stmt->getInit());
  const auto *var = init != nullptr && init->isSingleDecl()
                        ? dyn_cast<VarDecl>(init->getSingleDecl())
                        : nullptr;
  const auto *cond = dyn_cast<BinaryOperator>(for_stmt->getCond()->IgnoreParenImpCasts());
  if (var == nullptr || var->getInit() == nullptr || cond == nullptr ||
      !cond->isComparisonOp()) {
    return false;
  }
  Expr::EvalResult start, bound;
  if (!var->getInit()->EvaluateAsInt(start, context)) return false;
  const Expr *other = BaseVariable(cond->getLHS()) == var ? cond->getRHS() : cond->getLHS();
  if (!other->EvaluateAsInt(bound, context)) return false;
  llvm::APSInt span = bound.Val.getInt() - start.Val.getInt();
  return span.abs().getLimitedValue() <= static_cast<uint64_t>(kSubmitAllLimit);
}

struct LoopLayout {
  std::string indent;  // of the loop keyword's line
  std::string step;    // one level of indentation, as the body uses it
  unsigned loop_begin;
  unsigned loop_end;
};

// The indentation the user writes with: the body's own when it sits on a line of its
// own, else the step from the enclosing block to the loop.
LoopLayout LayoutOf(const Stmt *loop, const Stmt *body, const Stmt *parent,
                    EditBuilder &edits) {
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

// Maximum tasks of one loop in flight when its trip count is only known at run time.
constexpr int kMaxInFlight = 64;

void EmitThrottle(const Stmt *loop, const Stmt *body, const LoopLayout &layout,
                  const std::string &refs, const std::string &oldest,
                  ConversionContext &ctx) {
  EditBuilder &edits = ctx.edits;
  const std::string inner = layout.indent + layout.step;
  std::string window = std::to_string(kMaxInFlight);
  std::string wait = inner + "// At most " + window +
                     " tasks in flight: wait for the oldest one first.\n" + inner +
                     "if (" + refs + ".size() >= " + window + ")\n" + inner +
                     layout.step + "ray::Wait(std::vector{" + oldest + "}, 1, -1);\n";
  if (const auto *block = dyn_cast<CompoundStmt>(body)) {
    unsigned brace = edits.Offset(block->getRBracLoc());
    edits.Insert(edits.LineStart(brace), wait);
    return;
  }
  SourceLocation rparen = isa<ForStmt>(loop)
                              ? cast<ForStmt>(loop)->getRParenLoc()
                              : cast<CXXForRangeStmt>(loop)->getRParenLoc();
  unsigned header_end = edits.EndOffset(rparen);
  unsigned body_begin = edits.Offset(body->getBeginLoc());
  if (edits.LineStart(body_begin) == edits.LineStart(header_end)) {
    edits.Replace(header_end, body_begin, " {\n" + inner);  // body onto its own line
  } else {
    edits.Insert(header_end, " {");
  }
  edits.Insert(layout.loop_end, "\n" + wait + layout.indent + "}");
}

void EmitEdits(const TaskShape &shape, const Stmt *loop, const Stmt *body,
               const Stmt *parent, const std::string &task_call,
               const std::string &result_type, ConversionContext &ctx,
               LoopDecision &decision) {
  EditBuilder &edits = ctx.edits;
  LoopLayout layout = LayoutOf(loop, body, parent, edits);
  std::string target = shape.target->getNameAsString();
  std::string refs = edits.UniqueName(target + "_refs");
  std::string ref_type = "ray::ObjectRef<" + result_type + ">";
  unsigned statement_begin = edits.Offset(shape.statement->getBeginLoc());
  unsigned callee_begin = edits.Offset(shape.call->getCallee()->getBeginLoc());
  unsigned callee_end = edits.EndOffset(shape.call->getCallee()->getEndLoc());
  unsigned call_end = edits.EndOffset(shape.call->getEndLoc());
  std::string declaration, gather;
  const std::string inner = layout.indent + layout.step;

  switch (shape.kind) {
    case ShapeKind::kAppend: {
      std::string value = edits.UniqueName(target + "_value");
      declaration = "std::vector<" + ref_type + "> " + refs + ";";
      edits.ReplaceRange(shape.target_ref->getSourceRange(), refs);
      gather = "for (auto &" + value + " : ray::Get(" + refs + "))\n" + inner + target +
               "." + shape.method + "(std::move(*" + value + "));";
      break;
    }
    case ShapeKind::kIndexed: {
      std::string index_type = PrintType(shape.index->IgnoreImpCasts()->getType(),
                                         shape.call->getDirectCallee(), ctx.context);
      std::string index = edits.UniqueName(target + "_index");
      std::string ref = edits.UniqueName(target + "_ref");
      declaration =
          "std::vector<std::pair<" + index_type + ", " + ref_type + ">> " + refs + ";";
      edits.Replace(
          statement_begin, callee_begin,
          refs + ".emplace_back(" + edits.Text(shape.index->getSourceRange()) + ", ");
      edits.Insert(call_end, ")");
      gather = "for (auto &[" + index + ", " + ref + "] : " + refs + ")\n" + inner +
               target + "[" + index + "] = std::move(*ray::Get(" + ref + "));";
      break;
    }
    case ShapeKind::kReduction: {
      std::string term = edits.UniqueName(target + "_term");
      declaration = "std::vector<" + ref_type + "> " + refs + ";";
      edits.Replace(statement_begin, callee_begin, refs + ".push_back(");
      edits.Insert(call_end, ")");
      // Combined on the driver in loop order: floating-point results stay identical.
      gather = "for (auto &" + term + " : ray::Get(" + refs + "))\n" + inner + target +
               " " + shape.op + " *" + term + ";";
      break;
    }
  }
  edits.Replace(callee_begin, callee_end, task_call + ".Remote");
  std::string puts;
  for (const auto &[ref, var] : HoistableArguments(shape.call, loop, shape.target,
                                                   ctx.context.getSourceManager())) {
    std::string object_ref = edits.UniqueName(var->getNameAsString() + "_ref");
    puts += "auto " + object_ref + " = ray::Put(" + var->getNameAsString() + ");\n" +
            layout.indent;
    edits.ReplaceRange(ref->getSourceRange(), object_ref);
    decision.put_variables.push_back(var->getNameAsString());
  }
  edits.Insert(layout.loop_begin, puts + declaration + "\n" + layout.indent);
  if (!HasSmallConstantTripCount(loop, ctx.context)) {
    std::string oldest =
        shape.kind == ShapeKind::kIndexed
            ? refs + "[" + refs + ".size() - " + std::to_string(kMaxInFlight) + "].second"
            : refs + "[" + refs + ".size() - " + std::to_string(kMaxInFlight) + "]";
    EmitThrottle(loop, body, layout, refs, oldest, ctx);
    decision.throttled = true;
  }
  edits.Insert(layout.loop_end, "\n" + layout.indent + gather);
}

}  // namespace

LoopDecision ConvertTaskLoop(const Stmt *loop, const Stmt *parent,
                             ConversionContext &ctx) {
  const SourceManager &sources = ctx.context.getSourceManager();
  LoopDecision decision;
  decision.line = ctx.edits.Line(loop->getBeginLoc());
  LoopFacts facts = CollectLoopFacts(loop, ctx.effects);
  if (auto refusal = CheckLoopSafety(facts, ctx.effects, ctx.context)) {
    return Skip(decision, refusal->reason, refusal->message);
  }
  std::optional<TaskShape> shape = MatchShape(facts.body);
  if (!shape) return ClassifyOtherLoop(decision, facts, sources);

  const FunctionDecl *callee = shape->call->getDirectCallee();
  std::string name = callee->getNameAsString();
  std::string target = shape->target->getNameAsString();
  if (!isa<ForStmt>(loop) && !isa<CXXForRangeStmt>(loop)) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                "only for and range-for loops are converted.");
  }
  if (!isa<CompoundStmt>(parent)) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                "the loop is not directly inside a block, so the task references have no "
                "place to be declared.");
  }
  if (const auto *method = dyn_cast<CXXMethodDecl>(callee);
      method && !method->isStatic()) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                name +
                    "() is a member function; only free and static functions become "
                    "tasks.");
  }
  if (callee->isVariadic()) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                name + "() is variadic, which Ray's task API cannot call.");
  }
  std::string header = HeaderMention(loop, *shape);
  const Stmt *uses[] = {shape->call, shape->index};
  for (const Stmt *use : uses) {
    if (header.empty() && use != nullptr && Mentions(use, shape->target)) {
      header = "the call's arguments";
    }
  }
  if (!header.empty()) {
    return Skip(decision, SkipReason::kLoopCarriedDependency,
                header + " read '" + target + "', which the loop itself updates.");
  }
  for (const Stmt *use : uses) {
    if (const VarDecl *written = FirstOutsideWrite(use, loop, sources)) {
      return Skip(decision, SkipReason::kLoopCarriedDependency,
                  "the call's arguments update '" + written->getNameAsString() +
                      "', so iterations depend on each other.");
    }
  }
  std::set<const CXXRecordDecl *> needs_define;
  std::string unsendable = NonSerializable(callee, ctx, needs_define);
  if (!unsendable.empty()) {
    return Skip(decision, SkipReason::kNonSerializable, name + "(): " + unsendable + ".");
  }
  if (!ctx.effects.OfFunction(callee).has_loop) {
    return Skip(decision, SkipReason::kTooFineGrained,
                name +
                    "() has no loop or recursion: one call costs less than a remote "
                    "task.");
  }
  std::map<std::string, double> resources;
  try {
    resources = ResourcesOf(callee, ctx);
  } catch (const std::invalid_argument &e) {
    return Skip(
        decision, SkipReason::kUnsupportedShape,
        "the resources annotation of " + name + "() is malformed: " + e.what() + ".");
  }

  std::string task_name = TaskName(shape->call, ctx);
  std::string task_call = "ray::Task(" + task_name + ")" + SetResourceCalls(resources);
  EmitEdits(*shape, loop, facts.body, parent, task_call,
            PrintType(callee->getReturnType(), callee, ctx.context), ctx, decision);
  if (ctx.task_functions.insert(callee->getCanonicalDecl()).second) {
    ctx.remote_functions.push_back(task_name);
  }
  ctx.needs_define.insert(needs_define.begin(), needs_define.end());
  decision.converted = true;
  decision.kind = shape->kind == ShapeKind::kReduction ? "reduction" : "task";
  decision.function = name;
  decision.variable = target;
  decision.resources = resources;
  return decision;
}

}  // namespace rayify
