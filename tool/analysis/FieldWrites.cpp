#include "analysis/FieldWrites.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

#include "analysis/DeclNames.h"
#include "analysis/LoopSafety.h"

namespace rayify {

using namespace clang;

namespace {

// A type whose elements live inside the object holding it, and whose subscript never
// adds one: a subscript of such a field stores into the variable itself and leaves its
// size alone. (A pointer, span or view leads elsewhere; a map's subscript inserts.)
bool HoldsItsElements(QualType type) {
  return type->isConstantArrayType() || IsStdClass(type, {"vector", "array", "deque"});
}

// `var.f` named directly, f a data member of a struct (not a union, whose fields
// overlap) holding its value in itself.
const FieldDecl *DirectField(const Stmt *stmt, const VarDecl *var) {
  const auto *member = dyn_cast<MemberExpr>(stmt);
  if (member == nullptr || member->isArrow()) return nullptr;
  const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl());
  const auto *base = dyn_cast<DeclRefExpr>(member->getBase()->IgnoreParenImpCasts());
  if (field == nullptr || base == nullptr || base->getDecl() != var ||
      field->getParent()->isUnion() || field->getType()->isReferenceType() ||
      field->getType()->isPointerType()) {
    return nullptr;
  }
  return field;
}

}  // namespace

const FieldDecl *FieldStoredInto(const Expr *target, const VarDecl *var,
                                 bool &elements_only) {
  const Expr *expr = target->IgnoreParenImpCasts();
  bool subscripted = false;
  while (true) {
    if (const FieldDecl *field = DirectField(expr, var)) {
      elements_only = subscripted;
      return field;
    }
    const Expr *container = nullptr;
    const Expr *index = nullptr;
    if (MatchSubscript(expr, container, index)) {
      container = container->IgnoreParenImpCasts();
      if (!HoldsItsElements(container->getType())) return nullptr;
      expr = container;
      subscripted = true;
      continue;
    }
    // A member of an element or of a nested struct: `var.f[i].x`, `var.f.g`.
    const auto *member = dyn_cast<MemberExpr>(expr);
    if (member == nullptr || member->isArrow() ||
        !isa<FieldDecl>(member->getMemberDecl()) ||
        cast<FieldDecl>(member->getMemberDecl())->getParent()->isUnion() ||
        member->getType()->isReferenceType() || member->getType()->isPointerType()) {
      return nullptr;
    }
    expr = member->getBase()->IgnoreParenImpCasts();
    subscripted = false;
  }
}

std::optional<std::map<const FieldDecl *, FieldWrite>> FieldsWritten(
    const std::vector<const Expr *> &targets, const VarDecl *var) {
  std::map<const FieldDecl *, FieldWrite> written;
  for (const Expr *target : targets) {
    bool elements_only = false;
    const FieldDecl *field = FieldStoredInto(target, var, elements_only);
    if (field == nullptr) return std::nullopt;
    FieldWrite &write = written[field];
    write.elements_only = write.elements_only && elements_only;
  }
  return written;
}

bool ReadsWrittenFields(const Stmt *stmt, const VarDecl *var,
                        const std::map<const FieldDecl *, FieldWrite> &written) {
  if (stmt == nullptr) return false;
  if (const auto *query = dyn_cast<CXXMemberCallExpr>(stmt)) {
    const CXXMethodDecl *method = query->getMethodDecl();
    const FieldDecl *field =
        DirectField(query->getImplicitObjectArgument()->IgnoreParenImpCasts(), var);
    if (field != nullptr && (HasName(method, "size") || HasName(method, "empty"))) {
      auto found = written.find(field);
      return found != written.end() && !found->second.elements_only;
    }
  }
  if (const FieldDecl *field = DirectField(stmt, var)) return written.count(field) != 0;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) return Mentions(ref, var);
  for (const Stmt *child : stmt->children()) {
    if (ReadsWrittenFields(child, var, written)) return true;
  }
  return false;
}

}  // namespace rayify
