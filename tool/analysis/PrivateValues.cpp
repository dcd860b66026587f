#include "analysis/PrivateValues.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>

#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/CarriedWrites.h"
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
    return !reads && (method->getName() == "clear" || method->getName() == "assign");
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

// A local C array of numbers of a constant extent: `double temp[5]`, scratch a callee
// fills through a pointer (NPB's `exact_solution(xi, eta, zeta, temp)`).
const ConstantArrayType *ScratchArray(const VarDecl *var) {
  const auto *array =
      dyn_cast<ConstantArrayType>(var->getType().getCanonicalType().getTypePtr());
  if (array == nullptr || !var->hasLocalStorage() || array->getSize() == 0 ||
      !array->getElementType()->isArithmeticType()) {
    return nullptr;
  }
  return array;
}

// A statement that may leave a loop early, or jump: break, continue, return, goto,
// throw (lambdas are bodies of their own).
bool HasJump(const Stmt *stmt) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
  if (isa<BreakStmt, ContinueStmt, ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(
          stmt)) {
    return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (HasJump(child)) return true;
  }
  return false;
}

// Whether `param` appears in `stmt` only as the array of a subscript (`p[m]`), so that
// no copy of the pointer outlives the call.
bool OnlySubscripted(const Stmt *stmt, const VarDecl *param) {
  if (stmt == nullptr) return true;
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(stmt)) {
    const auto *base = dyn_cast<DeclRefExpr>(subscript->getBase()->IgnoreParenImpCasts());
    if (base != nullptr && base->getDecl() == param)
      return OnlySubscripted(subscript->getIdx(), param);
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != param;
  for (const Stmt *child : stmt->children()) {
    if (!OnlySubscripted(child, param)) return false;
  }
  return true;
}

// `for (m = 0; m < n; m++) array[m] = value;` (or `int m`, `++m`, `<=`, a block whose
// statements other than that one do not mention the array), with `value` not reading
// it: every element from 0 to at least `extent - 1` gets a new value, in a loop with
// nothing that can leave it early.
bool FillsFromZero(const Stmt *stmt, const VarDecl *array, unsigned long long extent,
                   ASTContext &context) {
  const auto *loop = dyn_cast_or_null<ForStmt>(stmt);
  const VarDecl *counter = loop != nullptr ? LoopCounter(loop) : nullptr;
  if (counter == nullptr || SteppedByOne(loop->getInc(), context) != counter ||
      HasJump(loop->getBody()) || Mentions(loop->getInit(), array) ||
      Mentions(loop->getCond(), array)) {
    return false;
  }
  const Expr *start = CounterStart(loop, counter);
  const auto *cond = dyn_cast_or_null<BinaryOperator>(
      loop->getCond() ? loop->getCond()->IgnoreParenImpCasts() : nullptr);
  Expr::EvalResult begin, end;
  if (start == nullptr || cond == nullptr || ReferencedVar(cond->getLHS()) != counter ||
      (cond->getOpcode() != BO_LT && cond->getOpcode() != BO_LE) ||
      !start->EvaluateAsInt(begin, context) || begin.Val.getInt() != 0 ||
      !cond->getRHS()->EvaluateAsInt(end, context)) {
    return false;
  }
  long long last = end.Val.getInt().getExtValue() - (cond->getOpcode() == BO_LT ? 1 : 0);
  if (last < 0 || static_cast<unsigned long long>(last) + 1 < extent) return false;
  // Exactly one statement of the body mentions the array: `array[m] = value`.
  std::vector<const Stmt *> statements;
  if (const auto *block = dyn_cast<CompoundStmt>(loop->getBody())) {
    statements.assign(block->body_begin(), block->body_end());
  } else {
    statements.push_back(loop->getBody());
  }
  int fills = 0;
  for (const Stmt *statement : statements) {
    if (!Mentions(statement, array)) continue;
    const auto *expr = dyn_cast<Expr>(statement);
    const auto *assign =
        expr != nullptr ? dyn_cast<BinaryOperator>(expr->IgnoreImplicit()) : nullptr;
    const auto *element =
        assign != nullptr && assign->getOpcode() == BO_Assign
            ? dyn_cast<ArraySubscriptExpr>(assign->getLHS()->IgnoreParenImpCasts())
            : nullptr;
    if (element == nullptr || ReferencedVar(element->getBase()) != array ||
        ReferencedVar(element->getIdx()) != counter ||
        Mentions(assign->getRHS(), array) || Writes(loop->getBody(), counter)) {
      return false;
    }
    ++fills;
  }
  return fills == 1;
}

// `f(..., array, ...)`, as a statement of its own, where f is defined here and its
// parameter fills the whole array before anything else mentions it (FillsFromZero
// over the parameter, after statements that do not name it); no other argument
// mentions the array.
bool FilledByCall(const Stmt *stmt, const VarDecl *array, unsigned long long extent,
                  ASTContext &context) {
  const auto *expr = dyn_cast_or_null<Expr>(stmt);
  const auto *call =
      expr != nullptr ? dyn_cast<CallExpr>(expr->IgnoreImplicit()) : nullptr;
  const FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
  const FunctionDecl *definition = nullptr;
  if (callee == nullptr || isa<CXXMethodDecl>(callee) || !callee->hasBody(definition) ||
      definition->getNumParams() != call->getNumArgs()) {
    return false;
  }
  int position = -1;
  for (unsigned i = 0; i < call->getNumArgs(); ++i) {
    const Expr *arg = call->getArg(i)->IgnoreParenImpCasts();
    if (const auto *ref = dyn_cast<DeclRefExpr>(arg); ref && ref->getDecl() == array) {
      if (position >= 0) return false;
      position = static_cast<int>(i);
    } else if (Mentions(arg, array)) {
      return false;
    }
  }
  if (position < 0) return false;
  const ParmVarDecl *param = definition->getParamDecl(position);
  const auto *body = dyn_cast_or_null<CompoundStmt>(definition->getBody());
  if (body == nullptr || !param->getType()->isPointerType() ||
      !OnlySubscripted(body, param)) {
    return false;
  }
  for (const Stmt *statement : body->body()) {
    if (!Mentions(statement, param)) continue;
    return FillsFromZero(statement, param, extent, context);
  }
  return false;
}

// Whether `stmt` gives `var` a value that does not depend on the one it had: a scalar
// assigned afresh (also by a for loop's header), a standard container emptied or
// replaced, a scratch array filled whole from its first element.
bool SetsAfresh(const Stmt *stmt, const VarDecl *var) {
  if (const ConstantArrayType *array = ScratchArray(var)) {
    ASTContext &context = var->getASTContext();
    unsigned long long extent = array->getSize().getZExtValue();
    return FillsFromZero(stmt, var, extent, context) ||
           FilledByCall(stmt, var, extent, context);
  }
  if (!var->getType()->isScalarType()) return IsFreshReset(stmt, var);
  const auto *loop = dyn_cast_or_null<ForStmt>(stmt);
  return IsFreshAssignment(stmt, var) ||
         (loop != nullptr && IsFreshAssignment(loop->getInit(), var));
}

bool SetFirstIn(const VarDecl *var, const Stmt *body);

// True when every mention of `var` in `stmt` lies inside a for loop whose header
// sets it afresh (`for (i = 0; ...)`), or inside a loop whose every iteration sets it
// before reading it (`s = 0.0;` first in an inner body): C-style code declares a
// loop nest's counters and scratch at the top of the function, and each inner loop
// starts its own.
bool OnlyInLoopsSettingIt(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return true;
  if (const auto *loop = dyn_cast<ForStmt>(stmt)) {
    if (IsFreshAssignment(loop->getInit(), var)) return true;
    if (!Mentions(loop->getInit(), var) && !Mentions(loop->getCond(), var) &&
        !Mentions(loop->getInc(), var) && SetFirstIn(var, loop->getBody())) {
      return true;
    }
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return ref->getDecl() != var;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyInLoopsSettingIt(child, var)) return false;
  }
  return true;
}

// IsPrivateValue once the type is known to allow it: whether `body` (a block, or a
// single statement such as the next loop of a nest) sets `var` before reading it.
bool SetFirstIn(const VarDecl *var, const Stmt *body) {
  if (body == nullptr) return false;
  QualType type = var->getType();
  std::vector<const Stmt *> statements;
  if (const auto *block = dyn_cast<CompoundStmt>(body)) {
    statements.assign(block->body_begin(), block->body_end());
  } else {
    statements.push_back(body);  // `for (k...) for (j = 0; ...) ...`
  }
  bool counted = false;
  for (const Stmt *stmt : statements) {
    if (SetsAfresh(stmt, var)) return true;
    if (!Mentions(stmt, var)) continue;
    // An inner loop's counter or scratch, deeper in the nest: private too, as long as
    // the body reads it nowhere else.
    if ((!type->isScalarType() && ScratchArray(var) == nullptr) ||
        !OnlyInLoopsSettingIt(stmt, var)) {
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

Fate FateIn(const Stmt *stmt, const VarDecl *var) {
  if (!Mentions(stmt, var)) return Fate::kUntouched;
  if (SetsAfresh(stmt, var)) {
    return Fate::kReplaced;
  }
  // Loops that set it before each use neither read the old value nor surely replace
  // it (they may not run).
  if ((var->getType()->isScalarType() || ScratchArray(var) != nullptr) &&
      OnlyInLoopsSettingIt(stmt, var)) {
    return Fate::kUntouched;
  }
  return Fate::kRead;
}

// Whether the next round of `outer`, a loop around the loop, could read what this
// round leaves in `var`: its header reads it, or its body does before setting it.
bool NextRoundMayRead(const Stmt *outer, const VarDecl *var) {
  if (const auto *loop = dyn_cast<ForStmt>(outer)) {
    if (Mentions(loop->getCond(), var) || Mentions(loop->getInc(), var)) return true;
  } else if (const auto *loop = dyn_cast<WhileStmt>(outer)) {
    if (Mentions(loop->getCond(), var)) return true;
  } else if (const auto *loop = dyn_cast<DoStmt>(outer)) {
    if (Mentions(loop->getCond(), var)) return true;
  }
  return !SetFirstIn(var, LoopBody(outer));
}

// Whether some path from the end of `loop` reads `var` before setting it again,
// following the blocks, loops and handlers around the loop up to `function`'s body.
bool ReadAfter(const VarDecl *var, const Stmt *loop, const FunctionDecl *function,
               ASTContext &context) {
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
          Fate fate = FateIn(stmt, var);
          if (fate == Fate::kReplaced) return false;
          if (fate == Fate::kRead) return true;
        }
        after = after || stmt == current;
      }
    } else if (IsLoop(parent) && LoopBody(parent) == current) {
      if (NextRoundMayRead(parent, var)) return true;
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
bool FilledByCallArgument(const ImplicitCastExpr *decay, ASTContext &context) {
  DynTypedNodeList parents = context.getParents(*decay);
  const auto *call = parents.size() == 1 ? parents[0].get<CallExpr>() : nullptr;
  const auto *ref = dyn_cast<DeclRefExpr>(decay->getSubExpr()->IgnoreParens());
  const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  const ConstantArrayType *array = var != nullptr ? ScratchArray(var) : nullptr;
  return call != nullptr && array != nullptr &&
         FilledByCall(call, var, array->getSize().getZExtValue(), context);
}

bool HandsOutAddress(const DeclRefExpr *ref, ASTContext &context) {
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
        return !FilledByCallArgument(cast, context);
      }
      if (cast->getCastKind() != CK_NoOp) return true;
    } else if (const auto *unary = dyn_cast<UnaryOperator>(parent)) {
      return unary->getOpcode() == UO_AddrOf || unary->getOpcode() == UO_Deref;
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
                       bool in_lambda, ASTContext &context) {
  if (stmt == nullptr || stmt == loop) return false;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt); ref && ref->getDecl() == var) {
    if (in_lambda || HandsOutAddress(ref, context)) return true;
  }
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    for (const LambdaCapture &capture : lambda->captures()) {
      if (capture.capturesVariable() && capture.getCapturedVar() == var) return true;
    }
    in_lambda = true;
  }
  for (const Stmt *child : stmt->children()) {
    if (ReachedIndirectly(child, var, loop, in_lambda, context)) return true;
  }
  return false;
}

}  // namespace

bool IsPrivateValue(const VarDecl *var, const Stmt *body) {
  QualType type = var->getType();
  if (type->isReferenceType() ||
      (!type->isScalarType() && !IsStandardValue(type) && ScratchArray(var) == nullptr)) {
    return false;
  }
  return SetFirstIn(var, body);
}

bool IterationsMayKeepPrivate(const VarDecl *var, const Stmt *loop,
                              const FunctionDecl *function, ASTContext &context) {
  if (!var->hasLocalStorage() || var->getDeclContext() != function ||
      HasGoto(function->getBody())) {
    return false;
  }
  if (ReachedIndirectly(function->getBody(), var, loop, false, context)) return false;
  return !ReadAfter(var, loop, function, context);
}

}  // namespace rayify
