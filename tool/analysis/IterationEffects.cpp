#include "analysis/IterationEffects.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "analysis/BlockRows.h"
#include "analysis/BoundParameters.h"
#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/CopiedScratch.h"
#include "analysis/CostModel.h"
#include "analysis/DeclNames.h"
#include "analysis/FieldWrites.h"
#include "analysis/LocalBlocks.h"
#include "analysis/LoopDependences.h"
#include "analysis/PointerAliases.h"
#include "analysis/PrivateValues.h"
#include "analysis/Serializability.h"
#include "analysis/WorkEstimate.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

Refusal Carried(const VarDecl *var, const std::string &where) {
  return Refusal{SkipReason::kLoopCarriedDependency,
                 where + " reads '" + var->getNameAsString() +
                     "', which the loop updates, so iterations depend on each other."};
}

Refusal Unsupported(std::string message) {
  return Refusal{SkipReason::kUnsupportedShape, std::move(message)};
}

// Literals, enumerators, function names and integer constants: the driver can
// evaluate them where they stand, nothing to ship.
bool IsConstantPart(const Expr *expr, ASTContext &context) {
  expr = expr->IgnoreImplicit()->IgnoreParens();
  if (isa<IntegerLiteral, FloatingLiteral, CharacterLiteral, CXXBoolLiteralExpr,
          StringLiteral, CXXNullPtrLiteralExpr>(expr)) {
    return true;
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
    return isa<EnumConstantDecl, FunctionDecl>(ref->getDecl());
  }
  return !expr->isValueDependent() && expr->getType()->isIntegralOrEnumerationType() &&
         expr->isIntegerConstantExpr(context);
}

// Safe to evaluate where the original only did under a condition: a variable's value
// or a member of one, never a call, subscript or dereference that might fail.
bool IsTriviallySafe(const Expr *expr, ASTContext &context) {
  expr = expr->IgnoreImplicit()->IgnoreParens();
  if (IsConstantPart(expr, context)) return true;
  if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    return var != nullptr && !var->getType()->isReferenceType();
  }
  if (const auto *member = dyn_cast<MemberExpr>(expr)) {
    return !member->isArrow() && isa<FieldDecl>(member->getMemberDecl()) &&
           IsTriviallySafe(member->getBase(), context);
  }
  return false;
}

// Evaluating `expr` twice gives one value and changes nothing: no assignment,
// increment, volatile read or call beyond the standard containers' element and size
// reads (`v[i]`, `v.size()`), which Clang cannot prove pure because they are calls.
bool ReadsOnly(const Expr *expr, ASTContext &context) {
  if (expr->HasSideEffects(context, /*IncludePossibleEffects=*/false)) return false;
  bool reads_only = true;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr || !reads_only) return;
    if (const auto *value = dyn_cast<Expr>(stmt);
        value != nullptr && value->getType().isVolatileQualified()) {
      reads_only = false;
    } else if (const auto *call = dyn_cast<CallExpr>(stmt)) {
      const auto *method = dyn_cast_or_null<CXXMethodDecl>(call->getDirectCallee());
      bool read =
          method != nullptr && method->getParent()->isInStdNamespace() &&
          (IsAccessor(method) || HasName(method, "size") || HasName(method, "empty"));
      if (!read) reads_only = false;
    } else if (const auto *construct = dyn_cast<CXXConstructExpr>(stmt)) {
      if (!construct->getConstructor()->isTrivial()) reads_only = false;
    } else if (isa<LambdaExpr, CXXBindTemporaryExpr>(stmt)) {
      reads_only = false;
    }
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(expr);
  return reads_only;
}

// The `continue` statements that resume `loop` itself, not an inner loop.
void CollectContinues(const Stmt *stmt, std::vector<const ContinueStmt *> &found) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt) || IsLoop(stmt)) return;
  if (const auto *cont = dyn_cast<ContinueStmt>(stmt)) found.push_back(cont);
  for (const Stmt *child : stmt->children()) CollectContinues(child, found);
}

// Lambdas that capture run code on state the analysis does not follow.
const LambdaExpr *CapturingLambda(const Stmt *stmt) {
  if (stmt == nullptr) return nullptr;
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    if (lambda->capture_size() != 0) return lambda;
  }
  for (const Stmt *child : stmt->children()) {
    if (const LambdaExpr *found = CapturingLambda(child)) return found;
  }
  return nullptr;
}

// A variable holding a lambda that captures, named in the loop (`add(x)` for
// `auto add = [&](double x) { total += x; };` declared before it): what its body
// changes through captures by reference is the caller's, which no task could reach.
const DeclRefExpr *CapturingLambdaVariable(const Stmt *stmt) {
  if (stmt == nullptr) return nullptr;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    const CXXRecordDecl *closure =
        var != nullptr ? var->getType().getNonReferenceType()->getAsCXXRecordDecl()
                       : nullptr;
    if (closure != nullptr && closure->isLambda() && closure->capture_size() != 0)
      return ref;
  }
  for (const Stmt *child : stmt->children()) {
    if (const DeclRefExpr *found = CapturingLambdaVariable(child)) return found;
  }
  return nullptr;
}

// The variables a lambda captures, in order ("'total', 'count'"), and whether it
// captures any by reference.
std::string CapturedNames(const CXXRecordDecl *closure, bool &by_reference) {
  std::string names;
  by_reference = false;
  for (const LambdaCapture &capture : closure->captures()) {
    if (!capture.capturesVariable()) continue;
    by_reference |= capture.getCaptureKind() == LCK_ByRef;
    if (!names.empty()) names += ", ";
    names += "'" + capture.getCapturedVar()->getNameAsString() + "'";
  }
  return names;
}

// The classes `method` stands in: its own, and those it is nested in.
std::vector<const CXXRecordDecl *> EnclosingClasses(const CXXMethodDecl *method) {
  std::vector<const CXXRecordDecl *> classes;
  for (const DeclContext *scope = method->getParent(); scope != nullptr;
       scope = scope->getParent()) {
    if (const auto *enclosing = dyn_cast<CXXRecordDecl>(scope))
      classes.push_back(enclosing->getCanonicalDecl());
  }
  return classes;
}

// Whether a name declared in `context` is one `method`'s body may use unqualified
// because it stands in its class's scope: a member of a class it stands in or of one
// of their bases (a lambda's class aside).
bool InClassScopeOf(const DeclContext *context, const CXXMethodDecl *method) {
  if (const auto *enumeration = dyn_cast_or_null<EnumDecl>(context)) {
    context = enumeration->getDeclContext();
  }
  const auto *record = dyn_cast_or_null<CXXRecordDecl>(context);
  if (record == nullptr || record->isLambda()) return false;
  for (const CXXRecordDecl *enclosing : EnclosingClasses(method)) {
    if (enclosing == record->getCanonicalDecl() ||
        (enclosing->hasDefinition() && enclosing->isDerivedFrom(record))) {
      return true;
    }
  }
  return false;
}

// Whether `decl` is one of the classes `method` stands in, or declared in one's scope:
// the task's function, before the outermost of them, could not name it (the classes
// are not complete there, and their private parts are not its to use).
bool OfClassScope(const NamedDecl *decl, const CXXMethodDecl *method) {
  if (decl == nullptr) return false;
  if (const auto *record = dyn_cast<CXXRecordDecl>(decl)) {
    std::vector<const CXXRecordDecl *> classes = EnclosingClasses(method);
    if (std::find(classes.begin(), classes.end(), record->getCanonicalDecl()) !=
        classes.end())
      return true;
  }
  return InClassScopeOf(decl->getDeclContext(), method);
}

// The first declaration of a member function's class scope that `body` names (a
// static member, a nested type, an enumerator): a task's function stands outside the
// class, where the body's spelling of it names nothing.
class ClassScopeNames : public RecursiveASTVisitor<ClassScopeNames> {
 public:
  explicit ClassScopeNames(const CXXMethodDecl *method) : method_(method) {}

  bool VisitDeclRefExpr(DeclRefExpr *ref) { return Note(ref->getDecl()); }
  bool VisitRecordTypeLoc(RecordTypeLoc loc) { return Note(loc.getDecl()); }
  bool VisitEnumTypeLoc(EnumTypeLoc loc) { return Note(loc.getDecl()); }
  bool VisitTypedefTypeLoc(TypedefTypeLoc loc) { return Note(loc.getTypedefNameDecl()); }

  const NamedDecl *found = nullptr;

 private:
  bool Note(const NamedDecl *decl) {
    if (OfClassScope(decl, method_)) found = decl;
    return found == nullptr;
  }

  const CXXMethodDecl *method_;
};

// A type, as the task's parameter list would spell it, that names a declaration of
// `method`'s class scope (a nested type, at any depth of template arguments).
const NamedDecl *ClassScopeType(QualType type, const CXXMethodDecl *method,
                                int depth = 0) {
  if (type.isNull() || depth > 16) return nullptr;
  type = type.getNonReferenceType();
  if (const auto *typedef_type = type->getAs<TypedefType>()) {
    const TypedefNameDecl *decl = typedef_type->getDecl();
    if (OfClassScope(decl, method)) return decl;
  }
  QualType canonical = type.getCanonicalType();
  if (const auto *array = dyn_cast<ArrayType>(canonical.getTypePtr())) {
    return ClassScopeType(array->getElementType(), method, depth + 1);
  }
  if (const auto *pointer = canonical->getAs<PointerType>()) {
    return ClassScopeType(pointer->getPointeeType(), method, depth + 1);
  }
  const TagDecl *tag = canonical->getAsTagDecl();
  if (tag == nullptr) return nullptr;
  if (OfClassScope(tag, method)) return tag;
  if (const auto *specialization = dyn_cast<ClassTemplateSpecializationDecl>(tag)) {
    for (const TemplateArgument &argument : specialization->getTemplateArgs().asArray()) {
      if (argument.getKind() != TemplateArgument::Type) continue;
      if (const NamedDecl *found =
              ClassScopeType(argument.getAsType(), method, depth + 1))
        return found;
    }
  }
  return nullptr;
}

// The first name `stmt`, code of the member function `function`, uses that a
// function generated before its outermost class could not name as `stmt` does: one of
// the class's scope (a static member, a nested type, a base's member) or the class
// itself. Null when there is none, and for a free function.
const NamedDecl *NameOutOfReach(const Stmt *stmt, const FunctionDecl *function) {
  const auto *method = dyn_cast<CXXMethodDecl>(function);
  if (method == nullptr) return nullptr;
  ClassScopeNames members(method);
  members.TraverseStmt(const_cast<Stmt *>(stmt));
  return members.found;
}

// A part whose evaluation changes something: an assignment or increment, or a call
// given a variable by non-const reference. The task evaluates parts in an order of
// its own, so one statement may hold only one such part.
bool WritesSomething(const Expr *expr) {
  bool writes = false;
  ForEachWrite(expr, [&](const Expr *) { writes = true; });
  if (writes) return true;
  for (const Stmt *child : expr->children()) {
    if (child != nullptr && isa<Expr>(child) && WritesSomething(cast<Expr>(child))) {
      return true;
    }
  }
  return false;
}

// A builtin integer type of at most 64 bits, not bool: what a sum modulo 2^64 or a
// comparison stands for exactly. (An enum's lowest value is not its type's.)
bool IsFoldableInteger(QualType type, const ASTContext &context) {
  type = type.getCanonicalType();
  const auto *builtin = dyn_cast<BuiltinType>(type.getTypePtr());
  return builtin != nullptr && builtin->isInteger() && !type->isBooleanType() &&
         !type.isVolatileQualified() && context.getTypeSize(type) <= 64;
}

// float or double, not volatile: a maximum or minimum of them may fold, under
// CombinationOf's conditions.
bool IsFoldableFloat(QualType type) {
  type = type.getCanonicalType();
  const auto *builtin = dyn_cast<BuiltinType>(type.getTypePtr());
  return builtin != nullptr && !type.isVolatileQualified() &&
         (builtin->getKind() == BuiltinType::Float ||
          builtin->getKind() == BuiltinType::Double);
}

bool IsSameType(QualType a, QualType b) {
  return a.getCanonicalType().getUnqualifiedType() ==
         b.getCanonicalType().getUnqualifiedType();
}

// `expr` without parentheses and what Clang adds implicitly: conversions and the
// temporary a prvalue argument of `const T &` materialises.
const Expr *AsWritten(const Expr *expr) {
  const Expr *bare = expr;
  do {
    expr = bare;
    bare = expr->IgnoreImplicit()->IgnoreParens();
  } while (bare != expr);
  return bare;
}

// The target of `update` that `expr` names, or nullptr.
const VarDecl *UpdatedTarget(const UpdateStatement &update, const Expr *expr) {
  const auto *ref = dyn_cast<DeclRefExpr>(AsWritten(expr));
  const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return std::find(update.targets.begin(), update.targets.end(), var) !=
                 update.targets.end()
             ? var
             : nullptr;
}

// Which of `update`'s parts `expr` is (the part, or another place the same read-only
// text stands), or nullopt.
std::optional<unsigned> PartIndex(const UpdateStatement &update, const Expr *expr) {
  for (const auto &[use, index] : update.uses) {
    if (AsWritten(use) == AsWritten(expr)) return index;
  }
  return std::nullopt;
}

// UpdateStatement::combined for `update`, whose target only it mentions.
Combination CombinationOf(const UpdateStatement &update, const ASTContext &context) {
  if (update.replayed != nullptr || update.tally_extent != 0 ||
      update.targets.size() != 1 || update.parts.size() != 1) {
    return Combination::kNone;
  }
  const VarDecl *target = update.targets.front();
  const Expr *part = AsWritten(update.parts.front());
  // A floating-point maximum folds only as "the first of the largest, NaNs never
  // taken" (`if (e > t) t = e;`, `t = std::max(t, e)`), which regroups exactly: the
  // task starts at -infinity, so no NaN enters what it keeps, and equal values
  // (+0.0 and -0.0) keep the earlier one either way. `>=` keeps the later of equal
  // values and `std::max(e, t)` can take a NaN, so neither folds. Minima alike.
  bool floating = IsFoldableFloat(target->getType());
  if (target->getType()->isReferenceType() ||
      (!floating && !IsFoldableInteger(target->getType(), context))) {
    return Combination::kNone;
  }
  auto is_target = [&](const Expr *expr) {
    return UpdatedTarget(update, expr) != nullptr;
  };
  auto is_part = [&](const Expr *expr) { return PartIndex(update, expr).has_value(); };
  bool same_type = IsSameType(part->getType(), target->getType());
  // `t = e`, with `e` the part.
  auto assigns_part = [&](const Stmt *stmt) {
    const auto *assign = dyn_cast_or_null<BinaryOperator>(
        isa_and_nonnull<Expr>(stmt) ? AsWritten(cast<Expr>(stmt)) : stmt);
    return assign != nullptr && assign->getOpcode() == BO_Assign &&
           is_target(assign->getLHS()) && is_part(assign->getRHS());
  };
  if (const auto *if_stmt = dyn_cast<IfStmt>(update.stmt)) {
    const Stmt *then = if_stmt->getThen();
    if (const auto *block = dyn_cast<CompoundStmt>(then); block && block->size() == 1)
      then = block->body_front();
    const auto *compare = dyn_cast<BinaryOperator>(AsWritten(if_stmt->getCond()));
    if (!same_type || if_stmt->getElse() != nullptr || if_stmt->getInit() != nullptr ||
        if_stmt->getConditionVariable() != nullptr || !assigns_part(then) ||
        compare == nullptr || !compare->isRelationalOp()) {
      return Combination::kNone;
    }
    if (floating && compare->getOpcode() != BO_GT && compare->getOpcode() != BO_LT)
      return Combination::kNone;
    bool greater = compare->getOpcode() == BO_GT || compare->getOpcode() == BO_GE;
    if (is_part(compare->getLHS()) && is_target(compare->getRHS()))
      return greater ? Combination::kMax : Combination::kMin;
    if (is_target(compare->getLHS()) && is_part(compare->getRHS()))
      return greater ? Combination::kMin : Combination::kMax;
    return Combination::kNone;
  }
  const auto *expr = dyn_cast<Expr>(update.stmt);
  if (expr == nullptr) return Combination::kNone;
  expr = AsWritten(expr);
  // Sums fold for integers only: a floating-point sum depends on its order.
  bool integer_part = !floating && (IsFoldableInteger(part->getType(), context) ||
                                    part->getType()->isBooleanType());
  if (const auto *compound = dyn_cast<CompoundAssignOperator>(expr)) {
    bool adds =
        compound->getOpcode() == BO_AddAssign || compound->getOpcode() == BO_SubAssign;
    return adds && integer_part && is_target(compound->getLHS()) &&
                   is_part(compound->getRHS())
               ? Combination::kSum
               : Combination::kNone;
  }
  const auto *assign = dyn_cast<BinaryOperator>(expr);
  if (assign == nullptr || assign->getOpcode() != BO_Assign ||
      !is_target(assign->getLHS()))
    return Combination::kNone;
  const Expr *value = AsWritten(assign->getRHS());
  if (const auto *sum = dyn_cast<BinaryOperator>(value)) {
    bool target_first = is_target(sum->getLHS()) && is_part(sum->getRHS());
    bool part_first = is_part(sum->getLHS()) && is_target(sum->getRHS());
    bool adds = (sum->getOpcode() == BO_Add && (target_first || part_first)) ||
                (sum->getOpcode() == BO_Sub && target_first);
    return adds && integer_part ? Combination::kSum : Combination::kNone;
  }
  // `t = std::max(t, e)`, or min, of t's type.
  const auto *call = dyn_cast<CallExpr>(value);
  const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
  if (callee == nullptr || !callee->isInStdNamespace() || call->getNumArgs() != 2 ||
      callee->getIdentifier() == nullptr || !same_type ||
      !IsSameType(call->getType().getNonReferenceType(), target->getType())) {
    return Combination::kNone;
  }
  bool operands = (is_target(call->getArg(0)) && is_part(call->getArg(1))) ||
                  (!floating && is_part(call->getArg(0)) && is_target(call->getArg(1)));
  if (!operands) return Combination::kNone;
  if (HasName(callee, "max")) return Combination::kMax;
  if (HasName(callee, "min")) return Combination::kMin;
  return Combination::kNone;
}

// UpdateStatement::best for `if (e > t) { t = e; at = i; }`, whose targets only it
// mentions: `t` compared with a part `e` of its type and assigned it, every other
// target assigned once, from a part or a constant. nullopt for anything else.
std::optional<UpdateStatement::Best> BestOf(const UpdateStatement &update,
                                            const ASTContext &context) {
  const auto *if_stmt = dyn_cast<IfStmt>(update.stmt);
  if (if_stmt == nullptr || update.replayed != nullptr || update.targets.size() < 2 ||
      if_stmt->getElse() != nullptr || if_stmt->getInit() != nullptr ||
      if_stmt->getConditionVariable() != nullptr) {
    return std::nullopt;
  }
  const auto *compare = dyn_cast<BinaryOperator>(AsWritten(if_stmt->getCond()));
  if (compare == nullptr || !compare->isRelationalOp()) return std::nullopt;
  UpdateStatement::Best best;
  const VarDecl *kept = UpdatedTarget(update, compare->getRHS());
  std::optional<unsigned> compared = PartIndex(update, compare->getLHS());
  bool part_first = kept != nullptr && compared.has_value();
  if (!part_first) {
    kept = UpdatedTarget(update, compare->getLHS());
    compared = PartIndex(update, compare->getRHS());
  }
  if (kept == nullptr || !compared) return std::nullopt;
  QualType type = kept->getType();
  bool floating = IsFoldableFloat(type);
  BinaryOperatorKind op = compare->getOpcode();
  best.compared = *compared;
  best.largest = (op == BO_GT || op == BO_GE) == part_first;
  best.ties = op == BO_GE || op == BO_LE;
  if (type->isReferenceType() || (!floating && !IsFoldableInteger(type, context)) ||
      (floating && best.ties) ||
      !IsSameType(AsWritten(update.parts[best.compared])->getType(), type)) {
    return std::nullopt;
  }
  // The branch: one assignment per target, `t = e` among them.
  std::vector<const Stmt *> branch = {if_stmt->getThen()};
  if (const auto *block = dyn_cast<CompoundStmt>(if_stmt->getThen()))
    branch.assign(block->body_begin(), block->body_end());
  std::set<const VarDecl *> assigned;
  for (const Stmt *stmt : branch) {
    const auto *expr = dyn_cast<Expr>(stmt);
    const auto *assign = expr ? dyn_cast<BinaryOperator>(AsWritten(expr)) : nullptr;
    const VarDecl *target = assign ? UpdatedTarget(update, assign->getLHS()) : nullptr;
    if (target == nullptr || assign->getOpcode() != BO_Assign ||
        !assigned.insert(target).second) {
      return std::nullopt;
    }
    std::optional<unsigned> value = PartIndex(update, assign->getRHS());
    if (target == kept ? value != best.compared
                       : !value && !AsWritten(assign->getRHS())->isEvaluatable(context)) {
      return std::nullopt;
    }
  }
  if (assigned.size() != update.targets.size()) return std::nullopt;
  return best;
}

class IterationPlanner {
 public:
  IterationPlanner(const Stmt *loop, const FunctionDecl *function,
                   EffectAnalyzer &effects, const GlobalMutations &mutations,
                   ASTContext &context, const CallGraph &calls, ArrayUpdates arrays)
      : arrays_(arrays),
        loop_(loop),
        body_(LoopBody(loop)),
        function_(function),
        effects_(effects),
        mutations_(mutations),
        context_(context),
        calls_(calls),
        sources_(context.getSourceManager()) {}

  std::variant<IterationPlan, Refusal> Plan() {
    if (auto refusal = FindIteration()) return *refusal;
    if (const Expr *use = UseOfThis(body_, [](const MemberExpr *) { return true; }))
      return UsesTheObject(use);
    if (CapturingLambda(body_) != nullptr) {
      return Unsupported(
          "a lambda in the loop captures variables, whose uses rayify "
          "does not follow into a task.");
    }
    if (const DeclRefExpr *lambda = CapturingLambdaVariable(body_))
      return CallsACapturingLambda(lambda);
    if (auto refusal = CheckBoundParameters()) return *refusal;
    CollectRestored();
    std::vector<const VarDecl *> written;
    if (auto refusal = CollectWrites(body_, written)) return *refusal;
    for (const VarDecl *var : written) {
      if (var == WalkedThroughReference()) {
        plan_.walked = var;
        continue;
      }
      if (IsPrivateValue(var, body_, effects_.Project()) &&
          IterationsMayKeepPrivate(var, loop_, function_, context_, effects_.Project())) {
        plan_.privates.push_back(var);
      } else if (int position = SlicePosition(var); position >= 0) {
        plan_.slices.push_back({var, position});
      } else if (std::optional<OwnElement> element = ElementOf(var)) {
        plan_.elements.push_back(std::move(*element));
      } else if (std::optional<OwnRows> rows = RowsOf(var)) {
        plan_.rows.push_back(*rows);
      } else if (IsCopied(var)) {
        plan_.copied.push_back(var);
      } else {
        targets_.insert(var);
        target_order_.push_back(var);
      }
    }
    DemotePrivatesAssignedByUpdates();
    CollectFieldWrites();
    CollectContinues(body_, plan_.continues);
    if (auto refusal = Scan(body_, plan_.continues.empty(), false)) return *refusal;
    if (auto refusal = CheckHeader()) return *refusal;
    if (auto refusal = CollectCaptures(body_)) return *refusal;
    if (auto refusal = CheckScope()) return *refusal;
    if (auto refusal = CheckPointedTargets()) return *refusal;
    FoldUpdates();
    return std::move(plan_);
  }

 private:
  // A statement reads a target the loop updates. When every iteration touches only
  // its own elements of an array it cannot send (a pointer no analysis ties to one
  // array), that, not a dependence, is what stops the loop.
  Refusal CarriedBy(const VarDecl *target, const std::string &where) const {
    if (isa<ForStmt>(loop_) && target->getType()->isPointerType() &&
        LocalBlockOf(target, context_) && OwnSlicePosition(loop_, target) >= 0) {
      return Unsupported("each iteration touches only its own part of '" +
                         target->getNameAsString() +
                         "', but of a block of a run-time size rayify sends a task only "
                         "its own element (`" +
                         target->getNameAsString() +
                         "[i]`, every iteration reaching it) or its own rows (`" +
                         target->getNameAsString() + "[i * w + j]`), not other slices.");
    }
    if (target->getType()->isPointerType() && LocalBlockOf(target, context_)) {
      std::string name = target->getNameAsString();
      // Why the accesses are no rows either, the likelier intent of a C loop nest.
      std::string why;
      if (isa<ForStmt>(loop_))
        OwnRowMentions(loop_, target, plan_.iteration, context_, &why);
      return Refusal{SkipReason::kLoopCarriedDependency,
                     where + " reads '" + name +
                         "', which the loop also stores into, at elements rayify cannot "
                         "show are the iteration's own (of a block of a run-time size a "
                         "task is sent only `" +
                         name + "[i]` or the rows `" + name +
                         "[i * w + j]` over `j < w`" +
                         (why.empty() ? "" : ", and " + why) +
                         "), so iterations may depend on each other."};
    }
    if (isa<ForStmt>(loop_) && target->getType()->isPointerType() &&
        !SentArrayType(target, mutations_) && OwnSlicePosition(loop_, target) >= 0) {
      return Unsupported(
          "each iteration touches only its own elements of '" +
          target->getNameAsString() +
          "', but rayify cannot tie that pointer to one array the driver owns (a "
          "parameter of a function other files may call, or that callers give "
          "different arrays), so a task's elements could not be written back.");
    }
    return Carried(target, where);
  }

  std::optional<Refusal> FindIteration() {
    if (const auto *range = dyn_cast<CXXForRangeStmt>(loop_)) {
      // A structured binding's names are each a parameter of the task's function:
      // a write through one is a write rayify cannot follow, which CollectWrites
      // refuses.
      plan_.iteration = range->getLoopVariable();
      return std::nullopt;
    }
    if (const auto *while_stmt = dyn_cast<WhileStmt>(loop_))
      return FindWhileCounter(while_stmt);
    plan_.iteration = LoopCounter(loop_);
    if (plan_.iteration != nullptr) return std::nullopt;
    if (const auto *for_stmt = dyn_cast<ForStmt>(loop_)) {
      const auto *init = dyn_cast_or_null<DeclStmt>(for_stmt->getInit());
      const auto *counter = init != nullptr && init->isSingleDecl()
                                ? dyn_cast<VarDecl>(init->getSingleDecl())
                                : nullptr;
      if (counter != nullptr && Writes(body_, counter)) {
        // Writes() counts a write it cannot follow as one to every variable: say so
        // rather than blame the counter.
        const Expr *unfollowed = FirstUnfollowedWrite(body_);
        if (unfollowed != nullptr && !WritesByName(body_, counter)) {
          return UnfollowedWrite(unfollowed);
        }
        return Refusal{SkipReason::kLoopCarriedDependency,
                       "the loop body changes the counter '" +
                           counter->getNameAsString() +
                           "', so iterations depend on each other."};
      }
    }
    // A counter declared before the loop (`for (i = 0; ...)`) is no plain counter
    // when a write rayify cannot follow might change it: that write is the reason.
    if (const Expr *unfollowed = FirstUnfollowedWrite(body_))
      return UnfollowedWrite(unfollowed);
    return Unsupported(
        "only for loops with a plain counter, range-for loops and while loops stepping a "
        "counter are outlined into tasks.");
  }

  // A write through a pointer or reference the analysis cannot follow to a
  // variable: it may reach what other iterations read or write.
  Refusal UnfollowedWrite(const Expr *target) const {
    // Through a local pointer that is almost a block of its own: say what it lacks.
    std::string why;
    const VarDecl *pointer = ReferencedVar(BlockBase(target));
    if (pointer != nullptr && pointer->hasLocalStorage() && !isa<ParmVarDecl>(pointer) &&
        pointer->getType()->isPointerType() && !LocalBlockOf(pointer, context_, &why)) {
      why = " ('" + pointer->getNameAsString() + "' " + why + ")";
    }
    return Refusal{SkipReason::kLoopCarriedDependency,
                   "the loop writes through '" + TextOf(target) +
                       "', which rayify cannot follow to a variable" + why +
                       ": it may change anything the iterations share."};
  }

  // What an element store `p[i]`, `*(p + i)` or `*p` stores through: `p`.
  static const Expr *BlockBase(const Expr *target) {
    const Expr *base = target;
    while (base != nullptr) {
      base = base->IgnoreParenCasts();
      if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(base)) {
        base = subscript->getBase();
      } else if (const auto *unary = dyn_cast<UnaryOperator>(base);
                 unary != nullptr && unary->getOpcode() == UO_Deref) {
        base = unary->getSubExpr();
      } else if (const auto *step = dyn_cast<BinaryOperator>(base);
                 step != nullptr && step->isAdditiveOp()) {
        base =
            step->getLHS()->getType()->isPointerType() ? step->getLHS() : step->getRHS();
      } else {
        break;
      }
    }
    return base;
  }

  // ResolveWriteTarget, with a write into the block of a local pointer made before
  // the loop (LocalBlocks.h) counted as a write to that pointer, as a write to an
  // element of a std::vector is one to the vector.
  WriteTarget ResolveWithBlocks(const Expr *target) const {
    WriteTarget resolved = ResolveWriteTarget(target);
    if (resolved.kind == WriteTarget::kFreshMemory && resolved.block != nullptr &&
        Outside(resolved.block)) {
      return WriteTarget{WriteTarget::kVariable, resolved.block};
    }
    return resolved;
  }

  // A write into the block a local pointer made before the loop holds
  // (LocalBlocks.h): replayed on the driver through the same pointer, so it must
  // name that pointer itself, and the pointer must hold the block wherever the loop
  // runs.
  std::optional<Refusal> BlockWrite(const Expr *target, const VarDecl *block) const {
    std::string name = block->getNameAsString();
    std::string why;
    if (!LocalBlockAt(block, loop_, context_, &why)) {
      return Unsupported("the loop writes into the block '" + name +
                         "' points to, but '" + name + "' " + why +
                         ", so rayify cannot tie it to one block a task's writes "
                         "would go back to.");
    }
    const VarDecl *named = ReferencedVar(BlockBase(target));
    if (named == nullptr || named->getCanonicalDecl() != block->getCanonicalDecl()) {
      return Unsupported("the loop writes into the block '" + name + "' holds through '" +
                         TextOf(target) +
                         "': rayify replays writes only when they name the block's own "
                         "pointer.");
    }
    return std::nullopt;
  }

  // The first write in `stmt` that ResolveWriteTarget cannot follow to a variable.
  static const Expr *FirstUnfollowedWrite(const Stmt *stmt) {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return nullptr;
    const Expr *found = nullptr;
    ForEachWrite(stmt, [&](const Expr *target) {
      if (found == nullptr && ResolveWriteTarget(target).kind == WriteTarget::kUnknown)
        found = target;
    });
    for (const Stmt *child : stmt->children()) {
      if (found == nullptr) found = FirstUnfollowedWrite(child);
    }
    return found;
  }

  // Whether `stmt` writes `var` itself (or through what resolves to it).
  static bool WritesByName(const Stmt *stmt, const VarDecl *var) {
    if (stmt == nullptr) return false;
    bool written = false;
    ForEachWrite(stmt, [&](const Expr *target) {
      written = written || ResolveWriteTarget(target).var == var;
    });
    for (const Stmt *child : stmt->children())
      written = written || WritesByName(child, var);
    return written;
  }

  // `while (i < n) { ...; ++i; }`: a counter declared before the loop that only the
  // last statement steps by one. The driver keeps the header and the step.
  std::optional<Refusal> FindWhileCounter(const WhileStmt *loop) {
    const auto *block = dyn_cast<CompoundStmt>(loop->getBody());
    const auto *step = block == nullptr || block->size() < 2
                           ? nullptr
                           : dyn_cast<Expr>(block->body_back());
    const VarDecl *counter = SteppedByOne(step, context_);
    if (counter == nullptr || !counter->getType()->isIntegerType() ||
        !Mentions(loop->getCond(), counter)) {
      return Unsupported(
          "a while loop is outlined only when its last statement steps a "
          "counter that its condition tests (`while (i < n) { ...; ++i; }`).");
    }
    for (const Stmt *stmt : block->body()) {
      if (stmt != block->body_back() && Writes(stmt, counter)) {
        return Refusal{SkipReason::kLoopCarriedDependency,
                       "the loop body changes the counter '" +
                           counter->getNameAsString() +
                           "' before its last statement, so iterations depend on each "
                           "other."};
      }
    }
    std::vector<const ContinueStmt *> continues;
    CollectContinues(block, continues);
    if (!continues.empty()) {
      return Unsupported("a 'continue' in this while loop skips the counter's step.");
    }
    plan_.iteration = counter;
    plan_.step = step;
    return std::nullopt;
  }

  // A private scalar that an update's branch assigns (`if (x > best) { best = x;
  // at = i; }` with `at` dead after the loop) is replayed with it: the task cannot
  // evaluate the branch, whose condition reads a target. Replaying it on the driver
  // changes nothing anyone reads; a read of it elsewhere in the body is then refused
  // as a read of a target.
  void DemotePrivatesAssignedByUpdates() {
    for (bool changed = true; changed;) {
      changed = false;
      for (auto it = plan_.privates.begin(); it != plan_.privates.end(); ++it) {
        if (!AssignedInUpdateBranch(body_, *it)) continue;
        targets_.insert(*it);
        target_order_.push_back(*it);
        plan_.privates.erase(it);
        changed = true;
        break;
      }
    }
  }

  bool AssignedInUpdateBranch(const Stmt *stmt, const VarDecl *var) const {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
    if (const auto *branch = dyn_cast<IfStmt>(stmt);
        branch != nullptr && MentionedTarget(branch->getCond()) != nullptr &&
        (Writes(branch->getThen(), var) || Writes(branch->getElse(), var))) {
      return true;
    }
    for (const Stmt *child : stmt->children()) {
      if (AssignedInUpdateBranch(child, var)) return true;
    }
    return false;
  }

  // Where the counter stands in the array's subscripts when each iteration updates
  // only its own slice of it (and the plan takes such arrays as slices), else -1.
  int SlicePosition(const VarDecl *var) const {
    if (arrays_ != ArrayUpdates::kOwnSlices || !isa<ForStmt>(loop_) ||
        var->getType()->isReferenceType() || !SentArrayType(var, mutations_) ||
        var->isStaticLocal()) {
      return -1;
    }
    return OwnSlicePosition(loop_, var);
  }

  // Scratch each task may work on a copy of (CopiedScratch.h), when the plan takes
  // arrays whole or in slices.
  bool IsCopied(const VarDecl *var) const {
    const auto *loop = dyn_cast<ForStmt>(loop_);
    return arrays_ == ArrayUpdates::kOwnSlices && loop != nullptr &&
           IsCopiedScratch(var, loop, function_, effects_, mutations_, context_);
  }

  // `var` as an OwnElement, when the plan takes containers element by element and
  // each iteration touches only its own.
  std::optional<OwnElement> ElementOf(const VarDecl *var) const {
    if (arrays_ != ArrayUpdates::kOwnSlices || isa<CXXForRangeStmt>(loop_))
      return std::nullopt;
    std::optional<QualType> type = ReachableContainerElement(var);
    // A parameter every call gives main's block of a run-time size (BoundParameters.h).
    const BoundArray *bound = mutations_.BoundTo(var);
    if (!type && bound != nullptr && bound->type.isNull())
      type = var->getType()->getPointeeType().getUnqualifiedType();
    if (!type) return std::nullopt;
    OwnElement element;
    element.var = var;
    element.type = *type;
    element.mentions = OwnElementMentions(loop_, var, plan_.iteration, element.sizes);
    if (element.mentions.empty()) return std::nullopt;
    element.always =
        EveryIterationEvaluates(loop_, element.mentions,
                                [&](const ForStmt *inner) { return Enters(inner); }) ||
        BoundedBySize(var);
    return element;
  }

  // Whether the inner loop surely runs its body at least once: a counted range whose
  // start and end the source fixes, the start below the end (`for (int x = 0; x < n;
  // ++x)` with `const int n = 600`).
  bool Enters(const ForStmt *inner) const {
    std::optional<CountedRange> range = ChunkableRange(inner, context_);
    if (!range || LoopCounter(inner) != range->counter) return false;
    std::optional<long long> begin = FixedValueOf(range->begin, context_, calls_);
    std::optional<long long> end = FixedValueOf(range->end, context_, calls_);
    if (!begin || !end) return false;
    long long first = *begin + static_cast<long long>(range->end_offset);
    return range->inclusive ? first <= *end : first < *end;
  }

  // `var` as OwnRows, when the plan takes arrays in slices, `var` is a block the loop
  // may send (or a std::vector or std::array of numbers, which holds a flattened grid
  // as a block does: `C[i * order + j]`), and each iteration touches only its own row.
  std::optional<OwnRows> RowsOf(const VarDecl *var) const {
    if (arrays_ != ArrayUpdates::kOwnSlices || !isa<ForStmt>(loop_)) return std::nullopt;
    std::optional<QualType> element;
    if (var->getType()->isPointerType()) {
      std::optional<LocalBlock> block = SentBlock(var, loop_, mutations_, context_);
      if (block) element = block->element;
    } else if (std::optional<QualType> held = ReachableContainerElement(var);
               held && (*held)->isArithmeticType()) {
      element = held->getUnqualifiedType();
    }
    if (!element) return std::nullopt;
    std::optional<RowMentions> mentions =
        OwnRowMentions(loop_, var, plan_.iteration, context_);
    if (!mentions) return std::nullopt;
    return OwnRows{var, *element, mentions->width, mentions->walks};
  }

  // What a container whose elements or rows the loop may take holds: one of the
  // function's own, or one a reference parameter names that every call gives a local
  // of its caller (`sweep(grid, n, w)` with `std::vector<double> &grid`), so no global
  // the loop reads can be it; other parameters the loop reads are checked apart
  // (MayAlias).
  std::optional<QualType> ReachableContainerElement(const VarDecl *var) const {
    const auto *parameter = dyn_cast<ParmVarDecl>(var);
    QualType type = var->getType();
    if (parameter == nullptr || !type->isLValueReferenceType())
      return OwnElementType(var);
    if (type.getNonReferenceType().isConstQualified() ||
        !LocalAtEveryCall(parameter, context_, effects_.ProjectCallsKnown()))
      return std::nullopt;
    return HeldElementType(type.getNonReferenceType());
  }

  // The container of `for (T &x : v)` when each iteration reaches it only through
  // `x`, never by its address: writing `x` changes that iteration's element alone.
  const VarDecl *WalkedThroughReference() const {
    const auto *range = dyn_cast<CXXForRangeStmt>(loop_);
    if (arrays_ != ArrayUpdates::kOwnSlices || range == nullptr) return nullptr;
    const VarDecl *element = range->getLoopVariable();
    QualType type = element->getType();
    const VarDecl *container = ReferencedVar(range->getRangeInit());
    if (!type->isLValueReferenceType() || type.getNonReferenceType().isConstQualified() ||
        container == nullptr ||
        !(ReachableContainerElement(container) || ReachableMap(container)) ||
        ReachedOtherwise(body_, container, element)) {
      return nullptr;
    }
    return container;
  }

  // A map held as ReachableContainerElement holds a vector: the body changes the
  // mapped values only (the key is const), which the driver stores back by walking
  // the map again.
  bool ReachableMap(const VarDecl *var) const {
    QualType type = var->getType();
    if (const auto *parameter = dyn_cast<ParmVarDecl>(var)) {
      if (!type->isLValueReferenceType() ||
          type.getNonReferenceType().isConstQualified() ||
          !LocalAtEveryCall(parameter, context_, effects_.ProjectCallsKnown()))
        return false;
    } else if (!var->hasLocalStorage() || type->isReferenceType()) {
      return false;
    }
    return HeldMappedType(type.getNonReferenceType()).has_value();
  }

  // Whether `stmt` names `container`, reaches it through a reference or pointer
  // declared before the loop, or takes `element`'s address. (What the body declares
  // from `element`, an inner range-for over a row included, is the element's.)
  bool ReachedOtherwise(const Stmt *stmt, const VarDecl *container,
                        const VarDecl *element) const {
    if (stmt == nullptr) return false;
    if (const Expr *pointed = AddressTaken(stmt);
        pointed != nullptr && ReferencedVar(pointed) == element) {
      return true;
    }
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      return var == container ||
             (var != nullptr && var != element && !DeclaredWithin(var, loop_, sources_) &&
              Mentions(ref, container));
    }
    for (const Stmt *child : stmt->children()) {
      if (ReachedOtherwise(child, container, element)) return true;
    }
    return false;
  }

  // `for (i = 0; i < v.size(); ++i)`: every iteration's element of `var` exists.
  bool BoundedBySize(const VarDecl *var) const {
    std::optional<CountedRange> range = ChunkableRange(loop_, context_);
    if (!range || range->counter != plan_.iteration) return false;
    Expr::EvalResult start;
    if (!range->counter->getType()->isUnsignedIntegerType() &&
        !(range->begin->EvaluateAsInt(start, context_) &&
          !start.Val.getInt().isNegative()))
      return false;
    const Expr *end = range->end->IgnoreParenImpCasts();
    if (const auto *cast = dyn_cast<ExplicitCastExpr>(end))
      end = cast->getSubExpr()->IgnoreParenImpCasts();
    const auto *size = dyn_cast<CXXMemberCallExpr>(end);
    if (size != nullptr && IsSizeQuery(size, var) &&
        HasName(size->getMethodDecl(), "size"))
      return !range->inclusive;
    // `c[i]` for `i < n` of a `std::vector<T> c(n)` that keeps its size.
    std::optional<long long> count = FixedContainerSize(var, context_, calls_);
    std::optional<long long> last = FixedCount(range->end, context_, calls_);
    return count && last && (range->inclusive ? *last < *count : *last <= *count);
  }

  // Arrays and containers the iterations update slice by slice or element by element.
  std::vector<const VarDecl *> SlicedVariables() const {
    std::vector<const VarDecl *> sliced;
    for (const OwnSlice &slice : plan_.slices) sliced.push_back(slice.var);
    for (const OwnElement &element : plan_.elements) sliced.push_back(element.var);
    for (const OwnRows &rows : plan_.rows) sliced.push_back(rows.var);
    return sliced;
  }

  bool IsSlice(const VarDecl *var) const {
    std::vector<const VarDecl *> sliced = SlicedVariables();
    return std::find(sliced.begin(), sliced.end(), var) != sliced.end();
  }

  bool Outside(const VarDecl *var) const {
    return !DeclaredWithin(var, loop_, sources_) && var != plan_.iteration;
  }

  // Every variable declared before the loop that the body writes; writes the
  // analysis cannot follow to a variable stop the outlining.
  std::optional<Refusal> CollectWrites(const Stmt *stmt,
                                       std::vector<const VarDecl *> &written) {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return std::nullopt;
    std::optional<Refusal> refusal;
    ForEachWrite(stmt, [&](const Expr *target) {
      if (refusal) return;
      WriteTarget resolved = ResolveWriteTarget(target);
      if (resolved.kind == WriteTarget::kFreshMemory) {
        // Memory the iteration allocated is its own; a block made before the loop is
        // shared by every iteration, and a write to it a result like any other.
        if (resolved.block == nullptr || !Outside(resolved.block)) return;
        refusal = BlockWrite(target, resolved.block);
        if (refusal) return;
        resolved = ResolveWithBlocks(target);
      }
      const VarDecl *var = resolved.var;
      if (resolved.kind != WriteTarget::kVariable || var == nullptr) {
        refusal = UnfollowedWrite(target);
        return;
      }
      // A variable of the iteration's own: ResolveWriteTarget follows a write
      // through a pointer, reference or iterator to what it leads to, so reaching
      // one declared here means it changed itself (`++it`, a range-for's hidden
      // iterator): private to the iteration.
      if (!Outside(var)) return;
      writes_[var].push_back(target);
      if (std::find(written.begin(), written.end(), var) == written.end()) {
        written.push_back(var);
      }
    });
    if (refusal) return refusal;
    for (const Stmt *child : stmt->children()) {
      if (auto found = CollectWrites(child, written)) return found;
    }
    return std::nullopt;
  }

  // The driver still runs the loop header: it must not read what the tasks update.
  std::optional<Refusal> CheckHeader() {
    std::vector<const Stmt *> header;
    if (const auto *for_stmt = dyn_cast<ForStmt>(loop_)) {
      header = {for_stmt->getInit(), for_stmt->getCond(), for_stmt->getInc()};
    } else if (const auto *while_stmt = dyn_cast<WhileStmt>(loop_)) {
      header = {while_stmt->getCond()};
    } else if (const auto *range = dyn_cast<CXXForRangeStmt>(loop_)) {
      header = {range->getRangeInit()};
    }
    for (const Stmt *part : header) {
      for (const VarDecl *target : target_order_) {
        if (HeaderReadsWritten(part, target)) return CarriedBy(target, "the loop header");
      }
      for (const VarDecl *var : plan_.privates) {
        if (Mentions(part, var)) return CarriedBy(var, "the loop header");
      }
      for (const OwnSlice &slice : plan_.slices) {
        if (Mentions(part, slice.var)) return CarriedBy(slice.var, "the loop header");
      }
      for (const VarDecl *var : plan_.copied) {
        if (Mentions(part, var)) return CarriedBy(var, "the loop header");
      }
      // Storing elements never changes a container's size.
      for (const OwnElement &element : plan_.elements) {
        if (MentionsBeyondSize(part, element.var))
          return CarriedBy(element.var, "the loop header");
      }
    }
    return std::nullopt;
  }

  // Whether the header part `stmt` reads what the loop writes of `target`. A body
  // storing only into fields it names (`g.cells[i] = f(i)`) leaves the others as they
  // were, for the header to read (`i < g.n`).
  bool HeaderReadsWritten(const Stmt *stmt, const VarDecl *target) const {
    return ReadsBeyondSize(stmt, target) && ReachesWritten(stmt, target);
  }

  // Whether `stmt` reads `target` other than by asking its size while the loop
  // only stores elements (which never changes the size).
  bool ReadsBeyondSize(const Stmt *stmt, const VarDecl *target) const {
    if (stmt == nullptr) return false;
    if (IsSizeQuery(stmt, target) && OnlyElementStores(target)) return false;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      if (Mentions(ref, target)) return true;
    }
    for (const Stmt *child : stmt->children()) {
      if (ReadsBeyondSize(child, target)) return true;
    }
    return false;
  }

  bool OnlyElementStores(const VarDecl *target) const {
    for (const UpdateStatement &update : plan_.updates) {
      if (std::find(update.targets.begin(), update.targets.end(), target) ==
          update.targets.end()) {
        continue;
      }
      const auto *expr = dyn_cast<Expr>(update.stmt);
      const Expr *lhs = nullptr;
      if (const auto *binary =
              expr ? dyn_cast<BinaryOperator>(expr->IgnoreImplicit()) : nullptr;
          binary != nullptr && binary->isAssignmentOp()) {
        lhs = binary->getLHS();
      } else if (const auto *op =
                     expr ? dyn_cast<CXXOperatorCallExpr>(expr->IgnoreImplicit())
                          : nullptr;
                 op != nullptr && op->isAssignmentOp()) {
        lhs = op->getArg(0);
      }
      const Expr *container = nullptr;
      const Expr *index = nullptr;
      if (lhs == nullptr || !MatchSubscript(lhs, container, index) ||
          ReferencedVar(container) != target || update.targets.size() != 1) {
        return false;
      }
    }
    return true;
  }

  const VarDecl *MentionedTarget(const Stmt *stmt) const {
    for (const VarDecl *target : target_order_) {
      if (ReachesWritten(stmt, target)) return target;
    }
    return nullptr;
  }

  // The fields of each target the body stores into by name (FieldWrites.h); a target
  // written some other way has none, and stands for all of itself.
  void CollectFieldWrites() {
    for (const VarDecl *target : target_order_) {
      auto writes = writes_.find(target);
      if (writes == writes_.end()) continue;
      if (auto fields = FieldsWritten(writes->second, target))
        target_fields_[target] = std::move(*fields);
    }
  }

  // Whether `stmt` reaches what the loop writes of `target`: any mention, or for a
  // target whose fields are written by name, a mention of one of those fields. (`i *
  // g.scale` beside `g.cells[i] = ...` reads what no iteration changes.)
  bool ReachesWritten(const Stmt *stmt, const VarDecl *target) const {
    if (!Mentions(stmt, target)) return false;
    auto fields = target_fields_.find(target);
    return fields == target_fields_.end() ||
           ReadsWrittenFields(stmt, target, fields->second);
  }

  // Sorts the body's statements into task-side statements and update statements.
  std::optional<Refusal> Scan(const Stmt *stmt, bool once, bool in_loop) {
    if (stmt == nullptr) return std::nullopt;
    if (const auto *call = dyn_cast<CallExpr>(stmt); call && replayed_.count(call) != 0)
      return ScanReplayedCall(call, once, in_loop);
    const VarDecl *target = MentionedTarget(stmt);
    // ReplayedCalls finds calls only where this walk goes: blocks, branches of if
    // statements without a declaration, and loop bodies.
    if (target == nullptr && !HoldsReplayed(stmt)) return std::nullopt;
    if (const auto *expr = dyn_cast<Expr>(stmt)) return ScanUpdate(expr, once, in_loop);
    if (const auto *block = dyn_cast<CompoundStmt>(stmt)) {
      for (const Stmt *child : block->body()) {
        if (auto refusal = Scan(child, once, in_loop)) return refusal;
      }
      return std::nullopt;
    }
    if (const auto *if_stmt = dyn_cast<IfStmt>(stmt)) {
      if (MentionedTarget(if_stmt->getCond()) != nullptr) {
        return ScanIfUpdate(if_stmt, once, in_loop);
      }
      if (if_stmt->getInit() != nullptr || if_stmt->getConditionVariable() != nullptr) {
        return CarriedBy(target, "the if statement's declaration");
      }
      if (auto refusal = Scan(if_stmt->getThen(), false, in_loop)) return refusal;
      return Scan(if_stmt->getElse(), false, in_loop);
    }
    // A try's block may stop at any statement and a handler may run or not: their
    // updates are recorded as they run, like a branch's.
    if (const auto *attempt = dyn_cast<CXXTryStmt>(stmt)) {
      if (auto refusal = Scan(attempt->getTryBlock(), false, in_loop)) return refusal;
      for (unsigned i = 0; i < attempt->getNumHandlers(); ++i) {
        if (auto refusal =
                Scan(attempt->getHandler(i)->getHandlerBlock(), false, in_loop))
          return refusal;
      }
      return std::nullopt;
    }
    if (IsLoop(stmt)) {
      const Stmt *inner_body = LoopBody(stmt);
      for (const Stmt *child : stmt->children()) {
        if (child != inner_body && MentionedTarget(child) != nullptr) {
          return CarriedBy(MentionedTarget(child), "an inner loop's header");
        }
      }
      return Scan(inner_body, false, true);
    }
    if (isa<DeclStmt>(stmt)) return CarriedBy(target, "a declaration in the loop");
    return CarriedBy(target, "a statement of the loop");
  }

  // A call the driver replays: its arguments are evaluated by the task.
  std::optional<Refusal> ScanReplayedCall(const CallExpr *call, bool once, bool in_loop) {
    UpdateStatement update;
    update.stmt = call;
    update.once = once;
    update.in_loop = in_loop;
    update.replayed = call->getDirectCallee();
    for (const Expr *argument : call->arguments()) {
      if (const VarDecl *target = MentionedTarget(argument)) {
        return CarriedBy(target, "'" + TextOf(argument) + "', given to " +
                                     update.replayed->getNameAsString() +
                                     "() for the driver to replay,");
      }
      if (IsConstantPart(argument, context_)) continue;
      if (auto refusal = AddPart(argument, false, update)) return refusal;
    }
    return AddUpdate(std::move(update));
  }

  std::optional<Refusal> ScanUpdate(const Expr *expr, bool once, bool in_loop) {
    UpdateStatement update;
    update.stmt = expr;
    update.once = once;
    update.in_loop = in_loop;
    if (auto refusal = SplitParts(expr, false, update)) return refusal;
    return AddUpdate(std::move(update));
  }

  // `if (e < best) { best = e; arg = i; }`: the condition compares with a target and
  // the branches only update targets.
  std::optional<Refusal> ScanIfUpdate(const IfStmt *if_stmt, bool once, bool in_loop) {
    if (if_stmt->getInit() != nullptr || if_stmt->getConditionVariable() != nullptr) {
      return Unsupported("an if statement declaring a variable updates '" +
                         MentionedTarget(if_stmt->getCond())->getNameAsString() + "'.");
    }
    UpdateStatement update;
    update.stmt = if_stmt;
    update.once = once;
    update.in_loop = in_loop;
    if (auto refusal = SplitParts(if_stmt->getCond(), false, update)) return refusal;
    for (const Stmt *branch : {if_stmt->getThen(), if_stmt->getElse()}) {
      if (branch == nullptr) continue;
      for (const Stmt *statement : BodyStatements(branch)) {
        const auto *expr = dyn_cast<Expr>(statement);
        if (expr == nullptr || MentionedTarget(expr) == nullptr) {
          return Unsupported("the if statement comparing with '" +
                             MentionedTarget(if_stmt->getCond())->getNameAsString() +
                             "' does more than update the loop's results.");
        }
        if (auto refusal = SplitParts(expr, true, update)) return refusal;
      }
    }
    return AddUpdate(std::move(update));
  }

  std::optional<Refusal> AddUpdate(UpdateStatement update) {
    if (!SpelledInFile(update.stmt->getSourceRange())) {
      return Refusal{SkipReason::kMacro,
                     "a macro writes a statement that updates the loop's results."};
    }
    if (update.targets.empty() && update.replayed == nullptr) {
      return CarriedBy(MentionedTarget(update.stmt), "a statement of the loop");
    }
    // Lists of runs in an inner loop lose how the runs of different statements
    // interleave. A replayed call shares no state with the rest of the iteration
    // (ReplayedCalls), but may with another replayed call (`timer_start(1)` and
    // `timer_stop(1)`).
    for (const UpdateStatement &other : plan_.updates) {
      if (update.replayed != nullptr && other.replayed != nullptr &&
          (update.in_loop || other.in_loop)) {
        return Unsupported(update.replayed->getNameAsString() + "() and " +
                           other.replayed->getNameAsString() +
                           "() are replayed on the driver, one of them in an inner "
                           "loop, so a task's lists of their runs would lose their "
                           "order.");
      }
    }
    // Statements that run at most once per iteration replay in their own order; one
    // in an inner loop could interleave with another's runs in ways a list loses.
    for (const VarDecl *target : update.targets) {
      auto [claim, fresh] = claimed_.emplace(target, update.in_loop);
      if (!fresh && (claim->second || update.in_loop)) {
        return Unsupported("'" + target->getNameAsString() +
                           "' is updated by more than one statement of the loop, one of "
                           "them in an inner loop.");
      }
    }
    update.tally_extent = TallyExtent(update);
    plan_.updates.push_back(std::move(update));
    return std::nullopt;
  }

  // UpdateStatement::combined, for statements whose target no other mentions: the
  // order in which the driver applies one task's fold against other statements'
  // runs then changes nothing.
  void FoldUpdates() {
    std::map<const VarDecl *, int> mentions;
    for (const UpdateStatement &update : plan_.updates) {
      for (const VarDecl *target : update.targets) ++mentions[target];
    }
    for (UpdateStatement &update : plan_.updates) {
      update.sole =
          std::all_of(update.targets.begin(), update.targets.end(),
                      [&](const VarDecl *target) { return mentions[target] == 1; });
      if (!update.sole) continue;
      if (update.targets.size() == 1) {
        update.combined = CombinationOf(update, context_);
      } else if (std::optional<UpdateStatement::Best> best = BestOf(update, context_)) {
        update.combined = Combination::kBest;
        update.best = *best;
      }
    }
  }

  // UpdateStatement::tally_extent: `h[k] op= c`, `++h[k]` or `h[k]--` in an inner
  // loop, `k` its one part and `h` a one-dimensional array of a fixed extent.
  unsigned long long TallyExtent(const UpdateStatement &update) const {
    const auto *expr = dyn_cast<Expr>(update.stmt);
    if (!update.in_loop || update.replayed != nullptr || update.targets.size() != 1 ||
        update.parts.size() != 1 || update.uses.size() != 1 || expr == nullptr) {
      return 0;
    }
    expr = expr->IgnoreParens();
    const Expr *element = nullptr;
    if (const auto *compound = dyn_cast<CompoundAssignOperator>(expr)) {
      if (!IsConstantPart(compound->getRHS(), context_)) return 0;
      element = compound->getLHS();
    } else if (const auto *unary = dyn_cast<UnaryOperator>(expr);
               unary != nullptr && unary->isIncrementDecrementOp()) {
      element = unary->getSubExpr();
    }
    const auto *subscript = element != nullptr
                                ? dyn_cast<ArraySubscriptExpr>(element->IgnoreParens())
                                : nullptr;
    const VarDecl *target = update.targets.front();
    if (subscript == nullptr || ReferencedVar(subscript->getBase()) != target ||
        subscript->getIdx()->IgnoreParenImpCasts() !=
            update.parts.front()->IgnoreParenImpCasts() ||
        !subscript->getIdx()->getType()->isIntegerType() ||
        !subscript->getType()->isArithmeticType()) {
      return 0;
    }
    std::optional<QualType> array = SentArrayType(target, mutations_);
    const auto *extent =
        array ? dyn_cast<ConstantArrayType>(array->getCanonicalType().getTypePtr())
              : nullptr;
    if (extent == nullptr || extent->getElementType()->isArrayType()) return 0;
    unsigned long long size = extent->getSize().getZExtValue();
    return size > 0 && size <= kMaxTallyExtent ? size : 0;
  }

  // Whether `range` is text of the file that can be copied and patched: its ends are
  // the file's own tokens or ends of whole macro invocations (`a[j] = SCALAR(0.0)`),
  // never tokens a macro's body supplies (`#define RESET(x) x = 0`).
  bool SpelledInFile(SourceRange range) const {
    if (range.getBegin().isFileID() && range.getEnd().isFileID()) return true;
    return Lexer::makeFileCharRange(CharSourceRange::getTokenRange(range), sources_,
                                    context_.getLangOpts())
        .isValid();
  }

  std::string TextOf(const Expr *expr) const {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(expr->getSourceRange()),
                                sources_, context_.getLangOpts())
        .str();
  }

  std::optional<Refusal> AddPart(const Expr *expr, bool conditional,
                                 UpdateStatement &update) {
    if (!SpelledInFile(expr->getSourceRange())) {
      return Refusal{
          SkipReason::kMacro,
          "a macro writes part of a statement that updates the loop's results."};
    }
    std::string text = TextOf(expr);
    bool pure = ReadsOnly(expr, context_);
    for (unsigned i = 0; pure && i < update.parts.size(); ++i) {
      if (ReadsOnly(update.parts[i], context_) && TextOf(update.parts[i]) == text) {
        update.uses.emplace_back(expr, i);
        return std::nullopt;
      }
    }
    if (conditional && !IsTriviallySafe(expr, context_)) {
      return Unsupported("'" + text +
                         "' is evaluated only under a condition in a statement that "
                         "updates the loop's results; a task would evaluate it always.");
    }
    if (WritesSomething(expr) && ++update.writing_parts > 1) {
      return Unsupported(
          "a statement that updates the loop's results has more than one "
          "part with side effects, whose order a task could change.");
    }
    update.uses.emplace_back(expr, update.parts.size());
    update.parts.push_back(expr);
    return std::nullopt;
  }

  // A view into what the driver holds unchanged (`v.begin()`, `v.data()`) is left
  // for the driver to evaluate where the statement is replayed: it gives the driver
  // the same value it gave the task, and a task could not send an iterator back.
  bool DriverEvaluates(const Expr *expr) const {
    if (!IsIndirection(expr->getType()) || !ReadsOnly(expr, context_)) return false;
    bool outside = true;
    std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
      if (stmt == nullptr || !outside) return;
      if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
        const auto *var = dyn_cast<VarDecl>(ref->getDecl());
        outside = var == nullptr
                      ? isa<FunctionDecl, EnumConstantDecl>(ref->getDecl())
                      : !DeclaredWithin(var, loop_, sources_) && !Writes(loop_, var) &&
                            !var->getType()->isReferenceType();
      }
      for (const Stmt *child : stmt->children()) visit(child);
    };
    visit(expr);
    return outside;
  }

  // Walks the driver's side of an update statement (the nodes that involve a
  // target); the largest pieces that do not are the parts the task evaluates.
  std::optional<Refusal> SplitParts(const Expr *expr, bool conditional,
                                    UpdateStatement &update) {
    if (expr == nullptr) return std::nullopt;
    if (MentionedTarget(expr) == nullptr) {
      if (IsConstantPart(expr, context_)) return std::nullopt;
      if (DriverEvaluates(expr)) {
        driver_evaluated_.insert(expr);
        return std::nullopt;
      }
      return AddPart(expr, conditional, update);
    }
    if (auto refusal = CheckDriverWrites(expr)) return refusal;
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      if (targets_.count(var) == 0) {
        return Unsupported("'" + ref->getDecl()->getNameAsString() +
                           "' refers to a variable the loop updates; only statements "
                           "naming it directly are replayed.");
      }
      if (std::find(update.targets.begin(), update.targets.end(), var) ==
          update.targets.end()) {
        update.targets.push_back(var);
      }
      return std::nullopt;
    }
    if (isa<LambdaExpr>(expr)) return Unsupported("a lambda uses a loop result.");
    if (const auto *call = dyn_cast<CallExpr>(expr))
      return SplitCall(call, conditional, update);
    if (const auto *cond = dyn_cast<AbstractConditionalOperator>(expr)) {
      if (auto refusal = SplitParts(cond->getCond(), conditional, update)) return refusal;
      if (auto refusal = SplitParts(cond->getTrueExpr(), true, update)) return refusal;
      return SplitParts(cond->getFalseExpr(), true, update);
    }
    if (const auto *binary = dyn_cast<BinaryOperator>(expr);
        binary && binary->isLogicalOp()) {
      if (auto refusal = SplitParts(binary->getLHS(), conditional, update))
        return refusal;
      return SplitParts(binary->getRHS(), true, update);
    }
    for (const Stmt *child : expr->children()) {
      if (auto refusal = SplitParts(cast<Expr>(child), conditional, update))
        return refusal;
    }
    return std::nullopt;
  }

  // Calls on the driver's side run there in the original order; only the library's
  // (std::max, push_back, map's operator[]) may, since a function of the program
  // given a target is work the tasks would not do.
  std::optional<Refusal> SplitCall(const CallExpr *call, bool conditional,
                                   UpdateStatement &update) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr || !effects_.IsLibraryFunction(callee)) {
      std::string name =
          callee == nullptr ? "an indirect call" : callee->getNameAsString() + "()";
      // Name what reads the target: an argument, or the function itself.
      for (const Expr *argument : call->arguments()) {
        const VarDecl *target = MentionedTarget(argument);
        if (target == nullptr) continue;
        if (ReferencedVar(argument) != target) {
          return CarriedBy(target, "'" + TextOf(argument) + "', given to " + name + ",");
        }
        return Refusal{SkipReason::kLoopCarriedDependency,
                       name + " is given '" + target->getNameAsString() +
                           "', which the loop updates, so iterations depend on each "
                           "other."};
      }
      return CarriedBy(MentionedTarget(call), name + ", called in every iteration,");
    }
    for (const Stmt *child : call->children()) {
      const auto *expr = cast<Expr>(child);
      if (expr == call->getCallee() && MentionedTarget(expr) == nullptr) continue;
      if (auto refusal = SplitParts(expr, conditional, update)) return refusal;
    }
    return std::nullopt;
  }

  // What the driver's side writes must be a target, so replaying it changes nothing
  // the tasks see.
  std::optional<Refusal> CheckDriverWrites(const Expr *expr) const {
    std::optional<Refusal> refusal;
    ForEachWrite(expr, [&](const Expr *target) {
      WriteTarget resolved = ResolveWithBlocks(target);
      if (refusal || (resolved.kind == WriteTarget::kVariable &&
                      targets_.count(resolved.var) != 0)) {
        return;
      }
      // The task's own slice, or a variable of the iteration's own, is no result to
      // replay: what stands in the way is the target the statement also reads
      // (`out[i] = advance(&t)`, `s += dist(gen)` with `dist` declared before the
      // loop and `s` in it).
      bool iterations_own = resolved.kind == WriteTarget::kVariable &&
                            (IsSlice(resolved.var) || !Outside(resolved.var) ||
                             std::find(plan_.privates.begin(), plan_.privates.end(),
                                       resolved.var) != plan_.privates.end());
      if (iterations_own && MentionedTarget(expr) != nullptr) {
        refusal = CarriedBy(MentionedTarget(expr),
                            "a statement writing '" + TextOf(target) + "'");
        return;
      }
      refusal = Unsupported("a statement that updates the loop's results also writes '" +
                            TextOf(target) + "'.");
    });
    return refusal;
  }

  // Variables declared before the loop that the task reads: sent with each task.
  // Globals stay where they are, unless the program changes them: then they are sent
  // too, and the task's parameter of the same name stands in for them.
  // What in `stmt` takes its value from where it is written, or "": a number
  // `__LINE__` or `__COUNTER__` expanded to, directly or through the program's
  // macros, or `__builtin_LINE()` and `std::source_location::current()`, also as a
  // callee's default argument, which is evaluated where the call stands.
  std::string AsksWhereItStands(const Stmt *stmt) const {
    if (const auto *loc_expr = dyn_cast<SourceLocExpr>(stmt))
      return std::string(loc_expr->getBuiltinStr()) + "()";
    if (const auto *defaulted = dyn_cast<CXXDefaultArgExpr>(stmt)) {
      std::string asked;
      std::function<void(const Stmt *)> find = [&](const Stmt *inner) {
        if (inner == nullptr || !asked.empty()) return;
        if (const auto *loc_expr = dyn_cast<SourceLocExpr>(inner))
          asked = std::string(loc_expr->getBuiltinStr()) + "() in a default argument";
        for (const Stmt *child : inner->children()) find(child);
      };
      find(defaulted->getExpr());
      return asked;
    }
    if (!isa<IntegerLiteral>(stmt)) return "";
    for (SourceLocation loc = stmt->getBeginLoc(); loc.isMacroID();
         loc = sources_.getImmediateMacroCallerLoc(loc)) {
      StringRef macro =
          Lexer::getImmediateMacroName(loc, sources_, context_.getLangOpts());
      if (macro == "__LINE__" || macro == "__COUNTER__") return macro.str();
    }
    return "";
  }

  // The task's function stands before the class of a member function
  // (DefinitionStart): neither the body nor the types of what the task is sent may
  // name what the class declares, nor the class itself (NameOutOfReach).
  std::optional<Refusal> CheckScope() const {
    const auto *method = dyn_cast_or_null<CXXMethodDecl>(function_);
    if (method == nullptr) return std::nullopt;
    const NamedDecl *found = NameOutOfReach(loop_, method);
    for (const VarDecl *capture : plan_.captures) {
      if (found == nullptr) found = ClassScopeType(capture->getType(), method);
    }
    if (found == nullptr) return std::nullopt;
    std::string name = "the loop names '" + found->getNameAsString() + "'";
    if (!InClassScopeOf(found->getDeclContext(), method)) {
      return Unsupported(name +
                         ", a class its member function stands in: the task's function "
                         "stands before it, where it is not complete yet.");
    }
    return Unsupported(name + ", declared in the scope of " +
                       method->getParent()->getNameAsString() +
                       ": the task's function stands outside the class, where that name "
                       "means nothing.");
  }

  // The body calls, or hands on, a lambda kept in a variable that captures.
  Refusal CallsACapturingLambda(const DeclRefExpr *lambda) const {
    bool by_reference = false;
    std::string names = CapturedNames(
        lambda->getType().getNonReferenceType()->getAsCXXRecordDecl(), by_reference);
    std::string what =
        names.empty() ? std::string("captures 'this'") : "captures " + names;
    std::string why = by_reference
                          ? ", by reference: a task cannot reach the caller's "
                            "variables, nor return what the lambda changes in them."
                          : ": rayify does not send a lambda's captures to a task.";
    return Unsupported("the loop uses '" + lambda->getDecl()->getNameAsString() +
                       "', a lambda that " + what + why);
  }

  // The body uses the object its member function runs on (UseOfThis).
  Refusal UsesTheObject(const Expr *use) const {
    std::string what = "'this'";
    if (const auto *member = dyn_cast<MemberExpr>(use)) {
      const ValueDecl *decl = member->getMemberDecl();
      what = isa<CXXMethodDecl>(decl) ? "'" + decl->getNameAsString() + "()', a method"
                                      : "'" + decl->getNameAsString() + "', a member";
    }
    std::string method = function_ != nullptr
                             ? function_->getQualifiedNameAsString() + "()"
                             : std::string("the method");
    return Unsupported("the loop uses " + what + " of the object " + method +
                       " runs on; a task is sent the loop's variables, not the object.");
  }

  // `driver_side`: `stmt` lies in an update statement outside its parts, which the
  // driver evaluates itself.
  std::optional<Refusal> CollectCaptures(const Stmt *stmt, bool driver_side = false) {
    if (stmt == nullptr || driver_evaluated_.count(stmt) != 0) return std::nullopt;
    for (const UpdateStatement &update : plan_.updates) {
      if (update.stmt == stmt) driver_side = true;
      if (std::find(update.parts.begin(), update.parts.end(), stmt) != update.parts.end())
        driver_side = false;
    }
    if (const auto *name = dyn_cast<PredefinedExpr>(stmt)) {
      return Unsupported("the loop asks its function's name ('" +
                         PredefinedExpr::getIdentKindName(name->getIdentKind()).str() +
                         "'): in a task, the generated function would give its own.");
    }
    if (std::string asked = AsksWhereItStands(stmt); !asked.empty()) {
      return Unsupported("the loop asks where it stands in the source (" + asked +
                         "): the task's copy of the body stands elsewhere.");
    }
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      // A target whose fields are written by name is sent for the fields the tasks
      // read, which no iteration changes (ReachesWritten).
      bool result =
          targets_.count(var) != 0 && (target_fields_.count(var) == 0 || driver_side);
      if (var == nullptr || !Outside(var) || result ||
          std::find(plan_.privates.begin(), plan_.privates.end(), var) !=
              plan_.privates.end()) {
        return std::nullopt;
      }
      if (auto refusal = CheckSentGlobal(ref, var)) return refusal;
      if (IsSlice(var)) return std::nullopt;
      for (const VarDecl *sliced : SlicedVariables()) {
        if (Mentions(ref, sliced)) {
          return Unsupported("'" + var->getNameAsString() + "' refers to '" +
                             sliced->getNameAsString() +
                             "', whose slices the iterations update; only statements "
                             "naming it directly are outlined.");
        }
      }
      return Capture(var);
    }
    for (const Stmt *child : stmt->children()) {
      if (auto refusal = CollectCaptures(child, driver_side)) return refusal;
    }
    return std::nullopt;
  }

  // A pointer parameter the task receives as the array it stands for
  // (BoundParameters.h) must be the loop's only way to that array: a mention of the
  // array by its own name, here or in a function the loop calls, would be a second
  // name for the memory the analysis takes to be the parameter's alone.
  std::optional<Refusal> CheckBoundParameters() {
    std::optional<Effects> reached;  // scanned once, for the first bound parameter
    for (const ParmVarDecl *param : function_->parameters()) {
      const BoundArray *bound = mutations_.BoundTo(param);
      if (bound == nullptr || !Mentions(loop_, param)) continue;
      if (!reached) reached = effects_.OfStmt(loop_);
      const VarDecl *array = bound->array;
      bool named = NamesAny(loop_, array);
      if (named || reached->globals_read.count(array) != 0 ||
          reached->globals_written.count(array) != 0) {
        return Refusal{SkipReason::kLoopCarriedDependency,
                       "'" + param->getNameAsString() + "' points to '" +
                           array->getNameAsString() + "', which " +
                           (named ? "the loop" : "a function the loop calls") +
                           " also reaches by its own name, so iterations may depend "
                           "on each other."};
      }
    }
    return std::nullopt;
  }

  // Whether `stmt` names `var` in any of its declarations (`extern double q[];` and
  // the definition are one variable).
  static bool NamesAny(const Stmt *stmt, const VarDecl *var) {
    if (stmt == nullptr) return false;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      const auto *named = dyn_cast<VarDecl>(ref->getDecl());
      if (named != nullptr && named->getCanonicalDecl() == var->getCanonicalDecl())
        return true;
    }
    for (const Stmt *child : stmt->children()) {
      if (NamesAny(child, var)) return true;
    }
    return false;
  }

  // What the callees read of the globals the program changes stays as the loop found
  // it while the iterations run (CheckLoopSafety): the task installs the driver's
  // value first.
  void CollectRestored() {
    LoopFacts facts = CollectLoopFacts(loop_, effects_, mutations_);
    plan_.restored = GlobalsCalleesRead(facts, effects_, mutations_);
    replayed_ = std::move(facts.replayed);
  }

  // Whether `stmt` is, or holds, a call the driver replays.
  bool HoldsReplayed(const Stmt *stmt) const {
    if (stmt == nullptr) return false;
    if (const auto *call = dyn_cast<CallExpr>(stmt); call && replayed_.count(call) != 0)
      return true;
    for (const Stmt *child : stmt->children()) {
      if (HoldsReplayed(child)) return true;
    }
    return false;
  }

  // A global the program changes is sent with the tasks as the loop finds it, like a
  // local, and the task's parameter of the same name stands in for it: not where the
  // body names it by its scope (`ns::g`, `::g` and a static member reach past the
  // parameter to the worker's own copy), nor for a pointer or reference (only an
  // address would go). Checked at every mention, since each may be spelled its way.
  std::optional<Refusal> CheckSentGlobal(const DeclRefExpr *ref,
                                         const VarDecl *var) const {
    if (!var->hasGlobalStorage() || var->isStaticLocal() || !mutations_.MayChange(var)) {
      return std::nullopt;
    }
    std::string why;
    if (ref->hasQualifier() || var->isStaticDataMember()) {
      why = ", by a qualified name";
    } else if ((var->getType()->isPointerType() && !SentArrayType(var, mutations_)) ||
               var->getType()->isReferenceType() ||
               var->getType().isVolatileQualified()) {
      why = " and which leads elsewhere";
    } else {
      return std::nullopt;
    }
    return Refusal{SkipReason::kGlobalRead,
                   "the loop reads '" + var->getQualifiedNameAsString() +
                       "', which the program changes" + why +
                       "; a task would read its own process's copy."};
  }

  std::optional<Refusal> Capture(const VarDecl *var) {
    std::string name = var->getNameAsString();
    if (var->isStaticLocal()) {
      return Unsupported("the loop uses '" + name + "', a static local of " +
                         function_->getNameAsString() +
                         "(), which a function of its own cannot see.");
    }
    if (var->hasGlobalStorage() && !mutations_.MayChange(var)) return std::nullopt;
    if (std::find(plan_.captures.begin(), plan_.captures.end(), var) !=
        plan_.captures.end()) {
      return std::nullopt;
    }
    if (const VarDecl *target = MayAlias(var)) {
      return Refusal{SkipReason::kLoopCarriedDependency,
                     DescribeAlias(PointerAlias{target, var})};
    }
    plan_.captures.push_back(var);
    return std::nullopt;
  }

  // A write through a pointer that may reach what the loop reads by another name
  // (PointerAliases.h): each task would read what the loop found.
  std::optional<Refusal> CheckPointedTargets() {
    std::optional<PointerAlias> alias = FindPointerAlias(
        target_order_, writes_, body_, function_,
        [this](const VarDecl *var) { return Outside(var); }, effects_, mutations_,
        context_);
    if (!alias) return std::nullopt;
    return Refusal{SkipReason::kLoopCarriedDependency, DescribeAlias(*alias)};
  }

  // A reference the loop reads and a target reached through a reference, a pointer or
  // a global may share storage (MayShareStorage): one object, or one a part of the
  // other, unless every call passes the two parameters different objects.
  const VarDecl *MayAlias(const VarDecl *capture) const {
    if (!capture->getType()->isReferenceType()) return nullptr;
    std::vector<const VarDecl *> updated = target_order_;
    for (const VarDecl *sliced : SlicedVariables()) updated.push_back(sliced);
    // A walked container a reference parameter names may be another parameter's too.
    if (plan_.walked != nullptr) updated.push_back(plan_.walked);
    for (const VarDecl *target : updated) {
      // A target sent for fields no iteration writes (ReachesWritten) is itself.
      if (target == capture) continue;
      if (MayShareStorage(capture, target, context_, effects_.ProjectCallsKnown()))
        return target;
    }
    return nullptr;
  }

  ArrayUpdates arrays_;
  const Stmt *loop_;
  const Stmt *body_;
  const FunctionDecl *function_;
  EffectAnalyzer &effects_;
  const GlobalMutations &mutations_;
  ASTContext &context_;
  const CallGraph &calls_;
  const SourceManager &sources_;
  IterationPlan plan_;
  std::set<const VarDecl *> targets_;
  std::vector<const VarDecl *> target_order_;
  std::map<const VarDecl *, bool> claimed_;  // target: updated in an inner loop
  std::set<const CallExpr *> replayed_;      // calls the driver replays
  std::set<const Stmt *> driver_evaluated_;  // views the replay evaluates itself
  /// Every write of the body to each variable declared before the loop.
  std::map<const VarDecl *, std::vector<const Expr *>> writes_;
  std::map<const VarDecl *, std::map<const FieldDecl *, FieldWrite>> target_fields_;
};

bool LoopNestWithoutUpdates(const Stmt *stmt, int depth, int levels,
                            const IterationPlan &plan, const SourceManager &sources,
                            const std::function<bool(const Stmt *)> &discounted = {}) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
  if (IsLoop(stmt) && discounted && discounted(stmt)) return false;
  if (IsLoop(stmt)) {
    ++depth;
    if (depth >= levels) {
      // A folded statement sends one value, however often it runs.
      bool updated = false;
      for (const UpdateStatement &update : plan.updates) {
        updated = updated || (update.combined == Combination::kNone &&
                              LocatedWithin(update.stmt->getBeginLoc(), stmt, sources));
      }
      if (!updated) return true;
    }
  }
  for (const Stmt *child : stmt->children()) {
    if (LoopNestWithoutUpdates(child, depth, levels, plan, sources, discounted))
      return true;
  }
  return false;
}

// Whether `walked` is what one iteration is sent of its own: the range-for's element
// (`for (x : row)` inside `for (auto &row : rows)`), or the element of the counter
// (`rows[i]`), which a task is sent or, when read only, reads from a whole put.
bool IterationsOwn(const Expr *walked, const IterationPlan &plan) {
  const Expr *container = nullptr, *index = nullptr;
  return ReferencedVar(MatchSubscript(walked, container, index) ? index : walked) ==
         plan.iteration;
}

}  // namespace

std::optional<QualType> OwnElementType(const VarDecl *var) {
  if (!var->hasLocalStorage() || var->getType()->isReferenceType()) return std::nullopt;
  // A local pointer's block holds its elements as a vector does (LocalBlocks.h).
  if (var->getType()->isPointerType()) {
    std::optional<LocalBlock> block = LocalBlockOf(var, var->getASTContext());
    if (block) return block->element;
    return std::nullopt;
  }
  return HeldElementType(var->getType());
}

std::optional<QualType> HeldElementType(QualType type) {
  const auto *container =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(type->getAsCXXRecordDecl());
  if (container == nullptr || !container->isInStdNamespace() ||
      container->getTemplateArgs().size() == 0 ||
      container->getTemplateArgs()[0].getKind() != TemplateArgument::Type) {
    return std::nullopt;
  }
  QualType element = container->getTemplateArgs()[0].getAsType();
  bool vector = container->getName() == "vector" && !element->isBooleanType();
  if ((!vector && container->getName() != "array") || element->isReferenceType() ||
      element->isPointerType() || element->isArrayType()) {
    return std::nullopt;
  }
  return element;
}

std::optional<QualType> HeldMappedType(QualType type) {
  const auto *map =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(type->getAsCXXRecordDecl());
  if (map == nullptr || !map->isInStdNamespace() || map->getTemplateArgs().size() < 2 ||
      map->getTemplateArgs()[1].getKind() != TemplateArgument::Type)
    return std::nullopt;
  llvm::StringRef name = map->getName();
  if (name != "map" && name != "unordered_map" && name != "multimap" &&
      name != "unordered_multimap")
    return std::nullopt;
  QualType mapped = map->getTemplateArgs()[1].getAsType();
  if (mapped->isReferenceType() || mapped->isPointerType() || mapped->isArrayType())
    return std::nullopt;
  return mapped;
}

std::variant<IterationPlan, Refusal> PlanIterations(
    const Stmt *loop, const FunctionDecl *function, EffectAnalyzer &effects,
    const GlobalMutations &mutations, ASTContext &context, const CallGraph &calls,
    ArrayUpdates arrays) {
  return IterationPlanner(loop, function, effects, mutations, context, calls, arrays)
      .Plan();
}

std::optional<QualType> SentArrayType(const VarDecl *var,
                                      const GlobalMutations &mutations) {
  QualType type = var->getType().getNonReferenceType();
  if (IsNumberArray(type)) return type;
  std::optional<QualType> block = mutations.FixedBlock(var);
  if (block && IsNumberArray(*block)) return block;
  const BoundArray *bound = mutations.BoundTo(var);
  if (bound != nullptr && !bound->type.isNull()) return bound->type;
  return std::nullopt;
}

bool HasQuietLoopNest(const Stmt *body, int levels, const IterationPlan &plan,
                      const SourceManager &sources) {
  return LoopNestWithoutUpdates(body, 0, levels, plan, sources);
}

std::string DataBoundWalk(const LoopFacts &facts, const IterationPlan &plan,
                          EffectAnalyzer &effects, const SourceManager &sources) {
  for (const CallExpr *call : facts.user_calls) {
    if (facts.replayed.count(call) == 0 && IsWorthATask(call->getDirectCallee(), effects))
      return "";
  }
  const Expr *walked = nullptr;
  auto own_walk = [&](const Stmt *loop) {
    const Expr *cheap = CheaplyWalked(loop, effects);
    if (cheap == nullptr || !IterationsOwn(cheap, plan)) return false;
    if (walked == nullptr) walked = cheap;
    return true;
  };
  if (LoopNestWithoutUpdates(facts.body, 0, 1, plan, sources, own_walk) ||
      walked == nullptr)
    return "";
  std::string text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(walked->getSourceRange()),
                           sources, plan.iteration->getASTContext().getLangOpts())
          .str();
  return "each iteration's work is walking '" + text +
         "' with a few operations per element, and a task would be sent it: moving "
         "the elements costs about as much as the work.";
}

bool OutlinedWorkPays(const LoopFacts &facts, const IterationPlan &plan,
                      EffectAnalyzer &effects, const SourceManager &sources) {
  for (const CallExpr *call : facts.user_calls) {
    if (facts.replayed.count(call) != 0) continue;  // the driver's work
    if (IsWorthATask(call->getDirectCallee(), effects) &&
        DataBoundCall(call, facts.loop, effects, sources).empty()) {
      return true;
    }
  }
  return HasQuietLoopNest(facts.body, 1, plan, sources);
}

}  // namespace rayify
