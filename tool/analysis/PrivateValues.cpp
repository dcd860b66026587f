#include "analysis/PrivateValues.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <iterator>
#include <optional>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
#include "analysis/DeclNames.h"
#include "analysis/GlobalMutations.h"
#include "analysis/IndexRanges.h"
#include "analysis/LoopSafety.h"

namespace rayify {
namespace {

using namespace clang;

// `var = value` with `value` not reading `var`, as an expression of its own.
bool IsFreshAssignment(const Stmt *stmt, const VarDecl *var) {
  const auto *expr = dyn_cast_or_null<Expr>(stmt);
  const auto *assign =
      expr == nullptr ? nullptr : dyn_cast<BinaryOperator>(expr->IgnoreImplicit());
  return assign != nullptr && assign->getOpcode() == BO_Assign &&
         ReferencedVar(assign->getLHS()) == var && !Mentions(assign->getRHS(), var);
}

// A standard container emptied or replaced whole, as an expression of its own:
// `v.clear()`, `v = value` or `v.assign(...)` not reading `v`.
bool IsFreshReset(const Stmt *stmt, const VarDecl *var) {
  const auto *expr = dyn_cast_or_null<Expr>(stmt);
  if (expr == nullptr) return false;
  expr = expr->IgnoreImplicit();
  if (const auto *member = dyn_cast<CXXMemberCallExpr>(expr)) {
    const CXXMethodDecl *method = member->getMethodDecl();
    if (method == nullptr || ReferencedVar(member->getImplicitObjectArgument()) != var) {
      return false;
    }
    bool reads = false;
    for (const Expr *arg : member->arguments()) reads = reads || Mentions(arg, var);
    return !reads && (HasName(method, "clear") || HasName(method, "assign"));
  }
  const auto *assign = dyn_cast<CXXOperatorCallExpr>(expr);
  return assign != nullptr && assign->getOperator() == OO_Equal &&
         assign->getNumArgs() == 2 && ReferencedVar(assign->getArg(0)) == var &&
         !Mentions(assign->getArg(1), var);
}

// A standard library class: what clear() and assignment leave is known.
bool IsStandardValue(QualType type) {
  const auto *record = type->getAsCXXRecordDecl();
  return record != nullptr && record->isInStdNamespace();
}

// The array a scratch variable holds: a C array of numbers of a constant extent
// (`double temp[5]`, which NPB's `exact_solution(xi, eta, zeta, temp)` fills), or a
// pointer of this unit's own to a fresh block of them (`static double *x =
// (double *)malloc(sizeof(double) * N)`), which the task holds as an array. A local,
// or a global that IterationsMayKeepPrivate then judges.
const ConstantArrayType *ScratchArray(const VarDecl *var) {
  if (var->getType().isVolatileQualified() || var->getTLSKind() != VarDecl::TLS_None)
    return nullptr;
  QualType type = var->getType().getCanonicalType();
  if (type->isPointerType()) {
    ASTContext &context = var->getASTContext();
    QualType pointee = type->getPointeeType();
    std::optional<unsigned long long> count =
        var->hasGlobalStorage() && !var->isExternallyVisible() && !var->isStaticLocal()
            ? FreshBlockRows(var, context)
            : std::nullopt;
    if (!count || !pointee->isArithmeticType() || pointee.isVolatileQualified())
      return nullptr;
    type = context.getConstantArrayType(pointee.getUnqualifiedType(),
                                        llvm::APInt(64, *count), nullptr,
                                        ArraySizeModifier::Normal, 0);
  }
  const auto *array = dyn_cast<ConstantArrayType>(type.getTypePtr());
  if (array == nullptr || array->getSize() == 0 ||
      !array->getElementType()->isArithmeticType()) {
    return nullptr;
  }
  return array;
}

// Whether `param` appears in `stmt` only as the array of a subscript (`p[m]`) or the
// operand of `*p`, so that no copy of the pointer outlives the call.
bool OnlySubscripted(const Stmt *stmt, const VarDecl *param) {
  if (stmt == nullptr) return true;
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt)) {
    const auto *base = dyn_cast<DeclRefExpr>(subscript->getBase()->IgnoreParenImpCasts());
    if (base != nullptr && base->getDecl() == param)
      return OnlySubscripted(subscript->getIdx(), param);
  }
  if (const auto *deref = dyn_cast<UnaryOperator>(stmt);
      deref != nullptr && deref->getOpcode() == UO_Deref) {
    const auto *base = dyn_cast<DeclRefExpr>(deref->getSubExpr()->IgnoreParenImpCasts());
    if (base != nullptr && base->getDecl() == param) return true;
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != param;
  for (const Stmt *child : stmt->children()) {
    if (!OnlySubscripted(child, param)) return false;
  }
  return true;
}

// `array[counter] = value` with `value` not reading the array, as a statement.
bool StoresElement(const Stmt *statement, const VarDecl *array, const VarDecl *counter) {
  const auto *expr = dyn_cast<Expr>(statement);
  const auto *assign =
      expr != nullptr ? dyn_cast<BinaryOperator>(expr->IgnoreImplicit()) : nullptr;
  const auto *element =
      assign != nullptr && assign->getOpcode() == BO_Assign
          ? dyn_cast<ArraySubscriptExpr>(assign->getLHS()->IgnoreParenImpCasts())
          : nullptr;
  return element != nullptr && ReferencedVar(element->getBase()) == array &&
         ReferencedVar(element->getIdx()) == counter &&
         !Mentions(assign->getRHS(), array);
}

// Whether every mention of `array` in `stmt` is `array[counter]`.
bool OnlyElementAt(const Stmt *stmt, const VarDecl *array, const VarDecl *counter) {
  if (stmt == nullptr) return true;
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt);
      subscript != nullptr && ReferencedVar(subscript->getBase()) == array) {
    return ReferencedVar(subscript->getIdx()) == counter;
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != array;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyElementAt(child, array, counter)) return false;
  }
  return true;
}

// The last element `for (m = 0; m < n; m++) array[m] = value;` fills (or `int m`,
// `++m`, `<=`; a block whose statements before that one do not mention the array and
// after it read only `array[m]`, the element just stored), with `value` not reading
// the array: every element from 0 to the one returned gets a new value, in a loop
// with nothing that can leave it early. nullopt for anything else.
std::optional<AffineBound> FillsFromZero(const Stmt *stmt, const VarDecl *array,
                                         ASTContext &context) {
  const auto *loop = dyn_cast_or_null<ForStmt>(stmt);
  const VarDecl *counter = loop != nullptr ? LoopCounter(loop) : nullptr;
  if (counter == nullptr || HasJump(loop->getBody()) ||
      Mentions(loop->getInit(), array) || Mentions(loop->getCond(), array) ||
      Mentions(loop->getInc(), array)) {
    return std::nullopt;
  }
  std::optional<IndexInterval> range = CounterRange(loop, {}, context);
  // Every round must store: the counter starts at 0, whatever the bound.
  if (!range || range->low.symbol != nullptr || range->low.offset != 0 ||
      range->high.scale < 0) {
    return std::nullopt;
  }
  std::vector<const Stmt *> statements = BodyStatements(loop->getBody());
  bool stored = false;
  for (const Stmt *statement : statements) {
    if (!Mentions(statement, array)) continue;
    if (stored) {
      if (!OnlyElementAt(statement, array, counter)) return std::nullopt;
    } else if (!StoresElement(statement, array, counter)) {
      return std::nullopt;
    }
    stored = true;
  }
  if (!stored) return std::nullopt;
  return range->high;
}

// The bound of a callee's fill in the caller's terms: a parameter becomes the
// argument, which must have one value (RangeOf).
std::optional<AffineBound> BoundAtCall(const ParameterFill &fill, const CallExpr *call,
                                       ASTContext &context) {
  if (fill.bound_parameter < 0) return AffineBound{nullptr, 0, fill.offset};
  if (static_cast<unsigned>(fill.bound_parameter) >= call->getNumArgs())
    return std::nullopt;
  std::optional<IndexInterval> argument =
      RangeOf(call->getArg(fill.bound_parameter), {}, context);
  std::optional<AffineBound> value = argument ? OneValue(*argument) : std::nullopt;
  return value ? ScaledAndShifted(*value, fill.scale, fill.offset) : std::nullopt;
}

// `f(..., array, ...)`, as a statement of its own, where f fills the array through
// that parameter (FillOfParameter, from its body or the project's summary of it) and
// no other argument mentions the array: the last element filled, in the caller's
// terms.
std::optional<AffineBound> FilledByCall(const Stmt *stmt, const VarDecl *array,
                                        ASTContext &context,
                                        const ProjectSummaries *project) {
  const auto *expr = dyn_cast_or_null<Expr>(stmt);
  const auto *call =
      expr != nullptr ? dyn_cast<CallExpr>(expr->IgnoreImplicit()) : nullptr;
  const FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
  if (callee == nullptr || isa<CXXMethodDecl>(callee) ||
      callee->getNumParams() != call->getNumArgs()) {
    return std::nullopt;
  }
  int position = -1;
  for (unsigned i = 0; i < call->getNumArgs(); ++i) {
    const Expr *arg = call->getArg(i)->IgnoreParenImpCasts();
    if (const auto *ref = dyn_cast<DeclRefExpr>(arg); ref && ref->getDecl() == array) {
      if (position >= 0) return std::nullopt;
      position = static_cast<int>(i);
    } else if (Mentions(arg, array)) {
      return std::nullopt;
    }
  }
  if (position < 0) return std::nullopt;
  std::optional<ParameterFill> fill;
  if (const FunctionDecl *definition = callee->getDefinition()) {
    fill = FillOfParameter(definition, position, context);
  } else if (const FunctionSummary *summary = SummaryElsewhere(callee, project)) {
    auto found = summary->fills.find(position);
    if (found != summary->fills.end()) fill = found->second;
  }
  if (!fill) return std::nullopt;
  return BoundAtCall(*fill, call, context);
}

// The last element `stmt` gives a value that does not depend on the array's, when it
// fills `var` (a scratch array) from its first element; nullopt otherwise.
std::optional<AffineBound> FilledFromZero(const Stmt *stmt, const VarDecl *var,
                                          const ProjectSummaries *project) {
  if (ScratchArray(var) == nullptr) return std::nullopt;
  ASTContext &context = var->getASTContext();
  if (std::optional<AffineBound> last = FillsFromZero(stmt, var, context)) return last;
  return FilledByCall(stmt, var, context, project);
}

// Whether every mention of `array` in `stmt` is an element whose index lies in
// `filled` whatever the counters of the loops around it (in `stmt`) hold.
bool OnlyElementsWithin(const Stmt *stmt, const VarDecl *array,
                        const IndexInterval &filled, CounterRanges &counters,
                        ASTContext &context) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return !Mentions(stmt, array);
  if (const auto *loop = dyn_cast<ForStmt>(stmt)) {
    std::optional<IndexInterval> range = CounterRange(loop, counters, context);
    const Stmt *header[] = {loop->getInit(), loop->getCond(), loop->getInc()};
    for (const Stmt *part : header) {
      if (!OnlyElementsWithin(part, array, filled, counters, context)) return false;
    }
    if (range) counters.emplace_back(LoopCounter(loop), *range);
    bool within = OnlyElementsWithin(loop->getBody(), array, filled, counters, context);
    if (range) counters.pop_back();
    return within;
  }
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt);
      subscript != nullptr && ReferencedVar(subscript->getBase()) == array) {
    std::optional<IndexInterval> index = RangeOf(subscript->getIdx(), counters, context);
    return index && Within(*index, filled) &&
           OnlyElementsWithin(subscript->getIdx(), array, filled, counters, context);
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != array;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyElementsWithin(child, array, filled, counters, context)) return false;
  }
  return true;
}

// Whether `last`, the last element a fill reaches, is the array's last or beyond.
bool FillsWhole(const AffineBound &last, const VarDecl *var) {
  const ConstantArrayType *array = ScratchArray(var);
  return array != nullptr &&
         AtLeast(last, static_cast<long long>(array->getSize().getZExtValue()) - 1);
}

// Whether `stmt` gives `var` a value that does not depend on the one it had: a scalar
// assigned afresh (also by a for loop's header), a standard container emptied or
// replaced, a scratch array filled whole from its first element.
bool SetsAfresh(const Stmt *stmt, const VarDecl *var, const ProjectSummaries *project) {
  if (ScratchArray(var) != nullptr) {
    std::optional<AffineBound> last = FilledFromZero(stmt, var, project);
    return last && FillsWhole(*last, var);
  }
  if (!var->getType()->isScalarType()) return IsFreshReset(stmt, var);
  const auto *loop = dyn_cast_or_null<ForStmt>(stmt);
  return IsFreshAssignment(stmt, var) ||
         (loop != nullptr && IsFreshAssignment(loop->getInit(), var));
}

bool SetFirstIn(const VarDecl *var, const Stmt *body, const ProjectSummaries *project);

// True when every mention of `var` in `stmt` lies inside a for loop whose header
// sets it afresh (`for (i = 0; ...)`), or inside a loop whose every iteration sets it
// before reading it (`s = 0.0;` first in an inner body), or inside branches of an if
// that each set it first (`if (ok) { l = f(); h[l] += 1; }`): C-style code declares
// a loop nest's counters and scratch at the top of the function, and each inner loop
// starts its own.
bool OnlyInLoopsSettingIt(const Stmt *stmt, const VarDecl *var,
                          const ProjectSummaries *project) {
  if (stmt == nullptr) return true;
  if (const auto *branch = dyn_cast<IfStmt>(stmt)) {
    auto sets_first = [&](const Stmt *arm) {
      return arm == nullptr || !Mentions(arm, var) || SetFirstIn(var, arm, project);
    };
    if (!Mentions(branch->getInit(), var) && !Mentions(branch->getCond(), var) &&
        branch->getConditionVariable() == nullptr && sets_first(branch->getThen()) &&
        sets_first(branch->getElse())) {
      return true;
    }
  }
  if (const auto *loop = dyn_cast<ForStmt>(stmt)) {
    if (IsFreshAssignment(loop->getInit(), var)) return true;
    if (!Mentions(loop->getInit(), var) && !Mentions(loop->getCond(), var) &&
        !Mentions(loop->getInc(), var) && SetFirstIn(var, loop->getBody(), project)) {
      return true;
    }
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != var;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyInLoopsSettingIt(child, var, project)) return false;
  }
  return true;
}

// IsPrivateValue once the type is known to allow it: whether `body` (a block, or a
// single statement such as the next loop of a nest) sets `var` before reading it.
bool SetFirstIn(const VarDecl *var, const Stmt *body, const ProjectSummaries *project) {
  if (body == nullptr) return false;
  QualType type = var->getType();
  // A block, or one statement such as the next loop of a nest.
  std::vector<const Stmt *> statements = BodyStatements(body);
  bool counted = false;
  for (size_t k = 0; k < statements.size(); ++k) {
    const Stmt *stmt = statements[k];
    if (SetsAfresh(stmt, var, project)) return true;
    if (!Mentions(stmt, var)) continue;
    // A fill that leaves elements out: what follows may use only elements it filled.
    if (std::optional<AffineBound> last = FilledFromZero(stmt, var, project)) {
      IndexInterval filled{AffineBound{nullptr, 0, 0}, *last};
      CounterRanges counters;
      for (size_t rest = k + 1; rest < statements.size(); ++rest) {
        if (!OnlyElementsWithin(statements[rest], var, filled, counters,
                                var->getASTContext())) {
          return false;
        }
      }
      return true;
    }
    // An inner loop's counter or scratch, deeper in the nest: private too, as long as
    // the body reads it nowhere else.
    if ((!type->isScalarType() && ScratchArray(var) == nullptr) ||
        !OnlyInLoopsSettingIt(stmt, var, project)) {
      return false;
    }
    counted = true;
  }
  return counted;
}

bool HasGoto(const Stmt *stmt) {
  if (stmt == nullptr) return false;
  if (isa<GotoStmt, IndirectGotoStmt>(stmt)) return true;
  for (const Stmt *child : stmt->children()) {
    if (HasGoto(child)) return true;
  }
  return false;
}

// What a statement run after the loop does with the value the loop left in `var`.
enum class Fate { kUntouched, kReplaced, kRead };

Fate FateIn(const Stmt *stmt, const VarDecl *var, const ProjectSummaries *project) {
  if (!Mentions(stmt, var)) return Fate::kUntouched;
  if (SetsAfresh(stmt, var, project)) {
    return Fate::kReplaced;
  }
  // Loops that set it before each use neither read the old value nor surely replace
  // it (they may not run).
  if ((var->getType()->isScalarType() || ScratchArray(var) != nullptr) &&
      OnlyInLoopsSettingIt(stmt, var, project)) {
    return Fate::kUntouched;
  }
  return Fate::kRead;
}

// Whether the next round of `outer`, a loop around the loop, could read what this
// round leaves in `var`: its header reads it, or its body does before setting it.
bool NextRoundMayRead(const Stmt *outer, const VarDecl *var,
                      const ProjectSummaries *project) {
  if (const auto *loop = dyn_cast<ForStmt>(outer)) {
    if (Mentions(loop->getCond(), var) || Mentions(loop->getInc(), var)) return true;
  } else if (const auto *loop = dyn_cast<WhileStmt>(outer)) {
    if (Mentions(loop->getCond(), var)) return true;
  } else if (const auto *loop = dyn_cast<DoStmt>(outer)) {
    if (Mentions(loop->getCond(), var)) return true;
  }
  return !SetFirstIn(var, LoopBody(outer), project);
}

// Whether some path from the end of `loop` reads `var` before setting it again,
// following the blocks, loops and handlers around the loop up to `function`'s body.
bool ReadAfter(const VarDecl *var, const Stmt *loop, const FunctionDecl *function,
               ASTContext &context, const ProjectSummaries *project) {
  const Stmt *current = loop;
  for (;;) {
    DynTypedNodeList parents = context.getParents(*current);
    if (parents.size() != 1) return true;
    const Stmt *parent = parents[0].get<Stmt>();
    if (parent == nullptr) return parents[0].get<FunctionDecl>() != function;
    if (isa<LambdaExpr, StmtExpr>(parent)) return true;
    if (const auto *block = dyn_cast<CompoundStmt>(parent)) {
      bool after = false;
      for (const Stmt *stmt : block->body()) {
        if (after) {
          Fate fate = FateIn(stmt, var, project);
          if (fate == Fate::kReplaced) return false;
          if (fate == Fate::kRead) return true;
        }
        after = after || stmt == current;
      }
    } else if (IsLoop(parent) && LoopBody(parent) == current) {
      if (NextRoundMayRead(parent, var, project)) return true;
    } else if (const auto *attempt = dyn_cast<CXXTryStmt>(parent)) {
      for (unsigned i = 0; i < attempt->getNumHandlers(); ++i) {
        if (Mentions(attempt->getHandler(i), var)) return true;
      }
    }
    current = parent;
  }
}

// Whether an expression naming `var` outside the loop could hand out its address:
// anything but reading its value, assigning or stepping it, asking a container
// something that returns a plain value, or copying it.
// The subscript an array's decay is the array of (`temp` in `temp[m]`), or null.
const ArraySubscriptExpr *SubscriptOf(const ImplicitCastExpr *decay,
                                      ASTContext &context) {
  DynTypedNodeList parents = context.getParents(*decay);
  const auto *subscript =
      parents.size() == 1 ? parents[0].get<ArraySubscriptExpr>() : nullptr;
  return subscript != nullptr && subscript->getBase() == decay ? subscript : nullptr;
}

// An array's decay into the argument of a call that fills it (FilledByCall, whose
// parameter is only ever subscripted): no pointer outlives the call.
bool FilledByCallArgument(const ImplicitCastExpr *decay, ASTContext &context,
                          const ProjectSummaries *project) {
  DynTypedNodeList parents = context.getParents(*decay);
  const auto *call = parents.size() == 1 ? parents[0].get<CallExpr>() : nullptr;
  const auto *ref = dyn_cast<DeclRefExpr>(decay->getSubExpr()->IgnoreParens());
  const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return call != nullptr && var != nullptr && ScratchArray(var) != nullptr &&
         FilledByCall(call, var, context, project).has_value();
}

// `&var` as an argument of a call whose parameter keeps no copy of the pointer
// (KeepsNoCopy, from the callee's body or the project's summary of it): NPB's
// `randlc(&t1, a)` before or after the loop.
bool LentToCall(const UnaryOperator *address, ASTContext &context,
                const ProjectSummaries *project) {
  const Expr *use = address;
  DynTypedNodeList parents = context.getParents(*use);
  while (parents.size() == 1 && parents[0].get<ImplicitCastExpr>() != nullptr) {
    use = parents[0].get<ImplicitCastExpr>();
    parents = context.getParents(*use);
  }
  const auto *call = parents.size() == 1 ? parents[0].get<CallExpr>() : nullptr;
  const FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
  if (callee == nullptr || isa<CXXMethodDecl>(callee) ||
      callee->getNumParams() != call->getNumArgs()) {
    return false;
  }
  for (unsigned i = 0; i < call->getNumArgs(); ++i) {
    if (call->getArg(i) != use) continue;
    if (const FunctionDecl *definition = callee->getDefinition())
      return KeepsNoCopy(definition, i);
    const FunctionSummary *summary = SummaryElsewhere(callee, project);
    return summary != nullptr && summary->unkept_pointers.count(i) != 0;
  }
  return false;
}

bool HandsOutAddress(const DeclRefExpr *ref, ASTContext &context,
                     const ProjectSummaries *project) {
  const Expr *use = ref;
  for (;;) {
    DynTypedNodeList parents = context.getParents(*use);
    if (parents.size() != 1) return true;
    const auto *parent = parents[0].get<Expr>();
    if (parent == nullptr) {
      // Only the hidden range variable of a range-for binds it without an expression.
      const auto *decl = parents[0].get<VarDecl>();
      return decl == nullptr || !decl->isImplicit();
    }
    if (const auto *cast = dyn_cast<ImplicitCastExpr>(parent)) {
      if (cast->getCastKind() == CK_LValueToRValue) return false;
      if (cast->getCastKind() == CK_ArrayToPointerDecay) {
        // An element stands for the array: `&temp[2]` hands out an address,
        // `temp[2] = x` and reading `temp[2]` do not.
        if (const ArraySubscriptExpr *element = SubscriptOf(cast, context)) {
          use = element;
          continue;
        }
        return !FilledByCallArgument(cast, context, project);
      }
      if (cast->getCastKind() != CK_NoOp) return true;
    } else if (const auto *unary = dyn_cast<UnaryOperator>(parent)) {
      if (unary->getOpcode() == UO_AddrOf) return !LentToCall(unary, context, project);
      return unary->getOpcode() == UO_Deref;
    } else if (const auto *binary = dyn_cast<BinaryOperator>(parent)) {
      return !(binary->isAssignmentOp() && binary->getLHS()->IgnoreParens() == use);
    } else if (const auto *member = dyn_cast<MemberExpr>(parent)) {
      const auto *call = dyn_cast_or_null<CXXMemberCallExpr>(
          context.getParents(*member).size() == 1
              ? context.getParents(*member)[0].get<Expr>()
              : nullptr);
      QualType result = call != nullptr ? call->getType() : QualType();
      return call == nullptr || call->isGLValue() ||
             !(result->isVoidType() || result->isArithmeticType());
    } else if (const auto *construct = dyn_cast<CXXConstructExpr>(parent)) {
      return !construct->getConstructor()->isCopyOrMoveConstructor();
    } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(parent)) {
      return !(op->isAssignmentOp() && op->getArg(0)->IgnoreParens() == use);
    } else if (!isa<ParenExpr, UnaryExprOrTypeTraitExpr>(parent)) {
      return true;
    }
    if (isa<UnaryExprOrTypeTraitExpr>(parent)) return false;  // sizeof: unevaluated
    use = parent;
  }
}

// Whether code outside `loop` could reach `var` other than by name: it takes its
// address, binds a reference to it, or a lambda uses it.
bool ReachedIndirectly(const Stmt *stmt, const VarDecl *var, const Stmt *loop,
                       bool in_lambda, ASTContext &context,
                       const ProjectSummaries *project) {
  if (stmt == nullptr || stmt == loop) return false;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt); ref && ref->getDecl() == var) {
    if (in_lambda || HandsOutAddress(ref, context, project)) return true;
  }
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    for (const LambdaCapture &capture : lambda->captures()) {
      if (capture.capturesVariable() && capture.getCapturedVar() == var) return true;
    }
    in_lambda = true;
  }
  for (const Stmt *child : stmt->children()) {
    if (ReachedIndirectly(child, var, loop, in_lambda, context, project)) return true;
  }
  return false;
}

// Whether anything but `function` names `var`: another function, a method, a global's
// initializer.
class MentionOutside : public RecursiveASTVisitor<MentionOutside> {
 public:
  MentionOutside(const VarDecl *var, const FunctionDecl *function)
      : var_(var), function_(function) {}

  bool TraverseFunctionDecl(FunctionDecl *decl) {
    return decl == function_ || RecursiveASTVisitor::TraverseFunctionDecl(decl);
  }
  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    found_ = found_ || ref->getDecl() == var_;
    return !found_;
  }
  bool found() const { return found_; }

 private:
  const VarDecl *var_;
  const FunctionDecl *function_;
  bool found_ = false;
};

// Whether every mention of the pointer `var` in `stmt` indexes it (`x[i]`) or hands
// it to a function that only indexes it (FilledByCall): a pointer copied anywhere
// else could reach the block where the task's array is not.
bool OnlyIndexed(const Stmt *stmt, const VarDecl *var, ASTContext &context,
                 const ProjectSummaries *project) {
  if (stmt == nullptr) return true;
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt);
      subscript != nullptr && ReferencedVar(subscript->getBase()) == var) {
    return OnlyIndexed(subscript->getIdx(), var, context, project);
  }
  if (const auto *call = dyn_cast<CallExpr>(stmt);
      call != nullptr && FilledByCall(call, var, context, project)) {
    for (const Expr *arg : call->arguments()) {
      if (ReferencedVar(arg) != var && !OnlyIndexed(arg, var, context, project))
        return false;
    }
    return true;
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != var;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyIndexed(child, var, context, project)) return false;
  }
  return true;
}

// A global or static that only `main` names: `main` runs once and nothing calls it
// again, so what the loop leaves in it matters only to the rest of `main`, like a
// local's. Anything another function could name (external linkage, a mention
// outside `main`) may carry the last value elsewhere.
bool OnlyMainNames(const VarDecl *var, const FunctionDecl *function, ASTContext &context,
                   const ProjectSummaries *project) {
  if (!function->isMain() || var->hasLocalStorage() || var->isExternallyVisible() ||
      var->getTLSKind() != VarDecl::TLS_None || var->getType().isVolatileQualified()) {
    return false;
  }
  if (var->isStaticLocal()) return var->getDeclContext() == function;
  if (!var->isFileVarDecl()) return false;
  MentionOutside finder(var, function);
  finder.TraverseDecl(context.getTranslationUnitDecl());
  return !finder.found() && (!var->getType()->isPointerType() ||
                             OnlyIndexed(function->getBody(), var, context, project));
}

}  // namespace

std::optional<QualType> ScratchArrayType(const VarDecl *var) {
  const ConstantArrayType *array = ScratchArray(var);
  if (array == nullptr) return std::nullopt;
  return QualType(array, 0);
}

bool ReachedOtherThanByName(const Stmt *body, const VarDecl *var, ASTContext &context,
                            const ProjectSummaries *project) {
  return ReachedIndirectly(body, var, nullptr, false, context, project);
}

bool KeepsNoCopy(const FunctionDecl *definition, unsigned index) {
  if (index >= definition->getNumParams() || !definition->hasBody()) return false;
  const ParmVarDecl *param = definition->getParamDecl(index);
  QualType type = param->getType();
  return type->isPointerType() && type->getPointeeType()->isArithmeticType() &&
         OnlySubscripted(definition->getBody(), param);
}

std::optional<ParameterFill> FillOfParameter(const FunctionDecl *definition,
                                             unsigned index, ASTContext &context) {
  if (index >= definition->getNumParams()) return std::nullopt;
  const ParmVarDecl *param = definition->getParamDecl(index);
  const auto *body = dyn_cast_or_null<CompoundStmt>(definition->getBody());
  if (body == nullptr || !param->getType()->isPointerType() ||
      !param->getType()->getPointeeType()->isArithmeticType() ||
      !OnlySubscripted(body, param)) {
    return std::nullopt;
  }
  for (auto it = body->body_begin(); it != body->body_end(); ++it) {
    if (!Mentions(*it, param)) continue;
    std::optional<AffineBound> last = FillsFromZero(*it, param, context);
    if (!last) return std::nullopt;
    // What follows may use only what the fill stored: a caller's array may be longer.
    IndexInterval filled{AffineBound{nullptr, 0, 0}, *last};
    CounterRanges counters;
    for (auto rest = std::next(it); rest != body->body_end(); ++rest) {
      if (!OnlyElementsWithin(*rest, param, filled, counters, context))
        return std::nullopt;
    }
    ParameterFill fill;
    fill.scale = last->scale;
    fill.offset = last->offset;
    if (last->symbol != nullptr) {
      const auto *bound = dyn_cast<ParmVarDecl>(last->symbol);
      if (bound == nullptr || bound->getDeclContext() != definition) return std::nullopt;
      fill.bound_parameter = static_cast<int>(bound->getFunctionScopeIndex());
    }
    return fill;
  }
  return std::nullopt;
}

bool IsPrivateValue(const VarDecl *var, const Stmt *body,
                    const ProjectSummaries *project) {
  QualType type = var->getType();
  if (type->isReferenceType() ||
      (!type->isScalarType() && !IsStandardValue(type) && ScratchArray(var) == nullptr)) {
    return false;
  }
  return SetFirstIn(var, body, project);
}

bool IterationsMayKeepPrivate(const VarDecl *var, const Stmt *loop,
                              const FunctionDecl *function, ASTContext &context,
                              const ProjectSummaries *project) {
  bool local = var->hasLocalStorage() && var->getDeclContext() == function;
  if ((!local && !OnlyMainNames(var, function, context, project)) ||
      HasGoto(function->getBody())) {
    return false;
  }
  if (ReachedIndirectly(function->getBody(), var, loop, false, context, project))
    return false;
  return !ReadAfter(var, loop, function, context, project);
}

}  // namespace rayify
