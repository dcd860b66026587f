#include "conversions/TaskShapes.h"

#include <clang/AST/ExprCXX.h>

#include "analysis/DeclNames.h"
#include "analysis/LoopSafety.h"

namespace rayify {

using namespace clang;

namespace {

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

bool IsIndexableSequence(QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  if (type->isConstantArrayType()) return true;
  const auto *record = type->getAsCXXRecordDecl();
  if (record == nullptr) return false;
  std::string name = record->getQualifiedNameAsString();
  return name == "std::vector" || name == "std::deque" || name == "std::array";
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
  TaskShape shape;
  shape.kind = ShapeKind::kAppend;
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
  TaskShape shape;
  shape.kind = ShapeKind::kIndexed;
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
  TaskShape shape;
  shape.kind = ShapeKind::kReduction;
  shape.statement = statement;
  shape.target = target;
  shape.call = call;
  shape.op = compound->getOpcodeStr().str();
  return shape;
}

}  // namespace

std::optional<TaskShape> MatchShape(const Stmt *body) {
  const Expr *statement = OnlyExpression(body);
  if (statement == nullptr) return std::nullopt;
  if (auto shape = MatchAppend(statement)) return shape;
  if (auto shape = MatchIndexed(statement)) return shape;
  return MatchReduction(statement);
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
             (HasName(member->getMethodDecl(), "push_back") ||
              HasName(member->getMethodDecl(), "emplace_back"))) {
    container = member->getImplicitObjectArgument();
    value = member->getArg(0);
  }
  const VarDecl *target = container == nullptr ? nullptr : ReferencedVar(container);
  return target != nullptr && !Mentions(value, target) &&
         (index == nullptr || !Mentions(index, target));
}

}  // namespace rayify
