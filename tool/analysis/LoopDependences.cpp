#include "analysis/LoopDependences.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include "analysis/DeclNames.h"
#include "analysis/LoopSafety.h"

namespace rayify {

using namespace clang;

bool IsSizeQuery(const Stmt *stmt, const VarDecl *var) {
  const auto *call = dyn_cast_or_null<CXXMemberCallExpr>(stmt);
  const CXXMethodDecl *method = call == nullptr ? nullptr : call->getMethodDecl();
  return method != nullptr && (HasName(method, "size") || HasName(method, "empty")) &&
         ReferencedVar(call->getImplicitObjectArgument()) == var;
}

bool MentionsBeyondSize(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr || IsSizeQuery(stmt, var)) return false;
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
std::string HeaderRead(const Stmt *loop, const VarDecl *target, bool element_stores) {
  auto mentions = [&](const Stmt *part) {
    return element_stores ? MentionsBeyondSize(part, target) : Mentions(part, target);
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

}  // namespace rayify
