// What one task's work grows with, as the driver can compute it before submitting:
// the key by which a task loop submits its costliest tasks first. A dozen tasks of
// uneven length on a few CPUs finish sooner longest first (a parameter sweep whose
// configurations train for 30 or 60 epochs of 8 or 24 hidden units); the results are
// still stored in the loop's order.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

#include <optional>
#include <string>

namespace rayify {

struct TaskCostKey {
  /// A C++ expression of the loop's counter and variables, free of effects: the
  /// product of the trip counts the call's arguments set
  /// (`static_cast<double>((grid[i]).epochs) * static_cast<double>((grid[i]).hidden)`).
  std::string expression;
  /// The same bounds as the callee writes them, for messages ("c.epochs * h").
  std::string described;
};

/// The key of the task `call` runs in the loop whose counter is `counter`: over the
/// nests of loops in the callee's body, the one with the most trip counts that an
/// argument naming the counter sets (a parameter, a field of a parameter, `.size()`
/// of a container parameter, or a constant local initialised from one of those; the
/// callee changes none of them), those trip counts multiplied, read from the
/// arguments as the caller writes them. nullopt when no loop of the callee takes its
/// bound from such an argument (every task would have the same key), or the argument
/// is more than a read of a variable, an element or a field (the driver evaluates it
/// once more).
std::optional<TaskCostKey> TaskCostKeyOf(const clang::CallExpr *call,
                                         const clang::VarDecl *counter,
                                         clang::ASTContext &context);

}  // namespace rayify
