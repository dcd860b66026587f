#include "analysis/Writes.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

#include "analysis/CalleeEffects.h"

namespace rayify {

using namespace clang;

bool IsMutableByReference(QualType param) {
  // An rvalue reference binds what the caller gave away (a temporary, or a value it
  // moved from on purpose), so the callee cannot change data the caller still uses.
  if (param->isRValueReferenceType()) return false;
  if (param->isReferenceType()) return !param.getNonReferenceType().isConstQualified();
  if (param->isPointerType()) {
    return !param->isFunctionPointerType() && !param->getPointeeType().isConstQualified();
  }
  return false;
}

namespace {

// The object a member function or operator is called on, when the call may change it.
const Expr *ChangedObject(const Stmt *stmt) {
  if (const auto *member_call = dyn_cast<CXXMemberCallExpr>(stmt)) {
    const auto *method = member_call->getMethodDecl();
    if (method != nullptr && !method->isConst() && !method->isStatic() &&
        !IsAccessor(method)) {
      return member_call->getImplicitObjectArgument();
    }
  } else if (const auto *op_call = dyn_cast<CXXOperatorCallExpr>(stmt)) {
    const auto *method = dyn_cast_or_null<CXXMethodDecl>(op_call->getDirectCallee());
    if (method != nullptr && !method->isConst() && op_call->getNumArgs() > 0 &&
        !IsAccessor(method)) {
      return op_call->getArg(0);
    }
  }
  return nullptr;
}

void VisitMutableArguments(const FunctionDecl *callee, const Expr *const *args,
                           unsigned num_args, unsigned first_arg,
                           llvm::function_ref<void(const Expr *)> visit) {
  for (unsigned i = 0; i < callee->getNumParams() && i + first_arg < num_args; ++i) {
    if (IsMutableByReference(callee->getParamDecl(i)->getType())) {
      visit(args[i + first_arg]);
    }
  }
}

}  // namespace

void ForEachWrite(const Stmt *stmt, llvm::function_ref<void(const Expr *)> visit) {
  if (const auto *binary = dyn_cast<BinaryOperator>(stmt)) {
    if (binary->isAssignmentOp()) visit(binary->getLHS());
  } else if (const auto *unary = dyn_cast<UnaryOperator>(stmt)) {
    if (unary->isIncrementDecrementOp()) visit(unary->getSubExpr());
  }
  if (const Expr *object = ChangedObject(stmt)) visit(object);
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      // A member operator's first argument is the object, not a parameter.
      unsigned first_arg =
          isa<CXXOperatorCallExpr>(call) && isa<CXXMethodDecl>(callee) ? 1 : 0;
      VisitMutableArguments(callee, call->getArgs(), call->getNumArgs(), first_arg,
                            visit);
    }
  } else if (const auto *construct = dyn_cast<CXXConstructExpr>(stmt)) {
    VisitMutableArguments(construct->getConstructor(), construct->getArgs(),
                          construct->getNumArgs(), 0, visit);
  }
}

}  // namespace rayify
