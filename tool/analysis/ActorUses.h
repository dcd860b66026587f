// How driver code uses the objects of one class: where they are created, which of
// their methods it calls, and the first use that would not survive the object moving
// into an actor (a copy, an address, a field read, a reference passed on).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace rayify {

/// A local object of the class, or a std::vector of them, declared in driver code.
struct ActorInstance {
  const clang::VarDecl *var = nullptr;
  const clang::DeclStmt *declaration = nullptr;
  bool container = false;
};

/// Where an object is constructed: the declaration of a single instance, or an
/// emplace_back / push_back that adds one to a container.
struct ActorCreation {
  const clang::CXXConstructorDecl *constructor = nullptr;
  std::vector<const clang::Expr *> args;
  /// The text that becomes the actor creation: the declaration (type, name and
  /// initializer) of a single instance, the element expression of push_back, or the
  /// parentheses of emplace_back.
  clang::SourceRange replaced;
  const clang::Stmt *site = nullptr;    // the declaration, or the emplace/push call
  const clang::VarDecl *var = nullptr;  // the single instance, else null
  bool emplace = false;                 // `replaced` is emplace_back's argument list
  /// A declarator after the first of one declaration (`Account a(...), b(...);`):
  /// `replaced` starts where the one before it ends, and becomes a statement of its own.
  bool after_declarator = false;
};

/// `obj.method(args)` on an instance, a container element or a range-for variable.
struct ActorCall {
  const clang::CXXMemberCallExpr *call = nullptr;
  const clang::CXXMethodDecl *method = nullptr;
  /// False when the call is a statement of its own, whose value nobody reads.
  bool value_used = true;
  /// True when a reference is bound to the result (`const auto &v = a.m();`, the range
  /// of a range-for), which keeps the temporary alive: its replacement must be a
  /// temporary too, not a reference into a ray::Get result that dies at once.
  bool lifetime_extended = false;
};

struct ActorUses {
  std::vector<ActorInstance> instances;
  std::vector<ActorCreation> creations;
  std::vector<ActorCall> calls;
  /// Range-for statements over a container of instances (their variables are
  /// references to elements) and other uses left as they are (size(), reserve()).
  std::vector<const clang::CXXForRangeStmt *> element_loops;
  /// The first use that stops the conversion ("'a' is copied at line 12"), or "".
  std::string escape;
  /// The parent of every statement of the driver functions: cheaper than Clang's
  /// parent map, which would cover every header the file includes.
  std::unordered_map<const clang::Stmt *, const clang::Stmt *> parents;
  /// The driver function each body belongs to, and where driver code calls each
  /// function (canonical declarations): objects a helper makes are made as often as
  /// it is called.
  std::unordered_map<const clang::Stmt *, const clang::FunctionDecl *> bodies;
  std::unordered_map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>>
      call_sites;
  /// Local variables of driver code used other than by reading their value or
  /// assigning it (their address taken, bound to a reference, a member called): code
  /// that does not name them may still change them.
  std::set<const clang::VarDecl *> reachable_locals;
};

/// The parent of `stmt` in the driver functions, or null.
const clang::Stmt *ParentIn(const ActorUses &uses, const clang::Stmt *stmt);

/// Collects the uses of `record`'s objects in `functions` (driver code).
ActorUses FindActorUses(const clang::CXXRecordDecl *record,
                        const std::vector<const clang::FunctionDecl *> &functions,
                        clang::ASTContext &context);

}  // namespace rayify
