// How Ray's C++ API looks in the AST, for the lint rules: submissions (`.Remote()`
// on ray::Task, ray::Actor or an actor handle's Task), ray::Get / Wait / Put, and the
// functions RAY_REMOTE registers. Names are matched as Ray spells them, so the rules
// work the same on Ray's own headers and on the bundled runtime's.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>

#include <optional>
#include <set>
#include <vector>

#include "passes/Pass.h"

namespace rayify {

enum class SubmissionKind {
  kTask,           // ray::Task(f).Remote(...)
  kActorTask,      // handle.Task(&X::m).Remote(...)
  kActorCreation,  // ray::Actor(F).Remote(...)
};

struct Submission {
  const clang::CXXMemberCallExpr *remote = nullptr;  // the .Remote(...) call
  SubmissionKind kind = SubmissionKind::kTask;
  /// ray::Task(f), ray::Actor(F) or handle.Task(&X::m); null when the caller object
  /// came from somewhere rayify does not follow.
  const clang::CallExpr *target_call = nullptr;
  /// f, F or X::m when named plainly.
  const clang::FunctionDecl *target = nullptr;
  /// The option calls between target and Remote: SetResource, SetMaxConcurrency, ...
  std::vector<const clang::CXXMemberCallExpr *> options;
};

/// True when `decl` has the plain identifier `name` (operators, constructors and
/// conversions have none, and asking for it would assert).
bool IsNamed(const clang::NamedDecl *decl, llvm::StringRef name);

/// True when `scope` is Ray's top-level namespace `ray` (not one nested elsewhere).
bool IsRayNamespace(const clang::DeclContext *scope);

/// `expr` (parentheses and implicit nodes skipped) as a submission, if it is one.
std::optional<Submission> AsSubmission(const clang::Expr *expr);

/// True when `call` calls the free function `ray::<name>` (Get, Wait, Put, Init...).
bool IsRayFunctionCall(const clang::Expr *call, llvm::StringRef name);

/// The function an argument names: `f`, `&f`, `&X::m`, or `RAY_FUNC(f, ...)`.
const clang::FunctionDecl *FunctionNamedBy(const clang::Expr *arg);

/// The functions every RAY_REMOTE(...) of the translation unit registers (canonical
/// declarations).
std::set<const clang::FunctionDecl *> RegisteredFunctions(clang::ASTContext &context);

/// Every .Remote(...) call under `stmt`.
std::vector<Submission> SubmissionsIn(const clang::Stmt *stmt);

/// The ObjectRef a blocking get waits for: `r` of `ray::Get(r)` (one ref, not a
/// vector) or of `r.Get()`; null for any other expression.
const clang::Expr *RefOfGet(const clang::Expr *call);

/// Every blocking get of one ObjectRef under `stmt`: `ray::Get(r)` and `r.Get()`.
std::vector<const clang::CallExpr *> GetsIn(const clang::Stmt *stmt);

/// Every call of ray::<name> under `stmt`.
std::vector<const clang::CallExpr *> RayCallsIn(const clang::Stmt *stmt,
                                                llvm::StringRef name);

/// Every variable `stmt` names.
std::set<const clang::VarDecl *> VariablesIn(const clang::Stmt *stmt);

/// Every loop statement outside system headers: for, range-for, while and do, bound
/// to "loop".
clang::ast_matchers::StatementMatcher AnyLoop();

/// Every call of a member function named Remote outside system headers, bound to
/// "remote" (AsSubmission tells which are Ray's).
clang::ast_matchers::StatementMatcher RemoteCall();

/// A lint rule: a pass that reports findings at source ranges. Findings carry the
/// rule's id as their code; the driver applies severities and suppressions.
class LintCheck : public Pass {
 protected:
  /// Reports at `range`, in the file that holds it; nothing in system headers.
  void Warn(clang::SourceRange range, std::string message,
            Severity severity = Severity::kWarning);
};

}  // namespace rayify
