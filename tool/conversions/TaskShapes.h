// The loop bodies the task-loop conversion rewrites, recognised on the AST:
//
//   v.push_back(f(args));       v.emplace_back(f(args));     (append)
//   v[i] = f(args);                                          (indexed store)
//   acc += f(args);  acc -= ...; acc *= ...                  (reduction)
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <string>

namespace rayify {

enum class ShapeKind { kAppend, kIndexed, kReduction };

struct TaskShape {
  ShapeKind kind = ShapeKind::kAppend;
  const clang::Expr *statement = nullptr;
  const clang::VarDecl *target = nullptr;
  const clang::Expr *target_ref = nullptr;  // the `v` of v.push_back (append only)
  const clang::CallExpr *call = nullptr;
  const clang::Expr *index = nullptr;  // indexed only
  std::string method;                  // push_back / emplace_back
  std::string op;                      // +=, -=, *= (reduction only)
};

/// The shape of a loop body that is a single statement of one of the forms above.
std::optional<TaskShape> MatchShape(const clang::Stmt *body);

/// `v[i] = expr` or `v.push_back(expr)` where expr does not read v: each iteration
/// stands alone, whatever expr calls.
bool IsIndependentStore(const clang::Stmt *body);

}  // namespace rayify
