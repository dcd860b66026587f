#include "rules/RayApi.h"

#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <functional>

namespace rayify {
namespace {

using namespace clang;

}  // namespace

bool IsNamed(const NamedDecl *decl, llvm::StringRef name) {
  return decl != nullptr && decl->getDeclName().isIdentifier() && decl->getName() == name;
}

namespace {

const Expr *Spelled(const Expr *expr) {
  return expr == nullptr ? nullptr : expr->IgnoreUnlessSpelledInSource();
}

// Ray's own names: ray::X or ray::internal::X.
bool InRayNamespace(const NamedDecl *decl) {
  return decl != nullptr &&
         llvm::StringRef(decl->getQualifiedNameAsString()).starts_with("ray::");
}

std::optional<SubmissionKind> CallerKind(const CXXRecordDecl *caller) {
  if (!InRayNamespace(caller)) return std::nullopt;
  if (IsNamed(caller, "TaskCaller")) return SubmissionKind::kTask;
  if (IsNamed(caller, "ActorTaskCaller")) return SubmissionKind::kActorTask;
  if (IsNamed(caller, "ActorCreator")) return SubmissionKind::kActorCreation;
  return std::nullopt;
}

const CXXRecordDecl *ClassOfMethod(const CXXMemberCallExpr *call) {
  const CXXMethodDecl *method = call->getMethodDecl();
  return method != nullptr ? method->getParent() : nullptr;
}

// ray::Task(f), ray::Actor(F), or handle.Task(&X::m): the call that names the
// remote function.
bool IsTargetCall(const Expr *expr) {
  if (IsRayFunctionCall(expr, "Task") || IsRayFunctionCall(expr, "Actor")) return true;
  const auto *member = dyn_cast<CXXMemberCallExpr>(expr);
  return member != nullptr && member->getMethodDecl() != nullptr &&
         IsNamed(member->getMethodDecl(), "Task") &&
         InRayNamespace(ClassOfMethod(member));
}

// Follows the caller object from .Remote back to the call that made it, through
// option setters and at most a few local variables.
void TraceCaller(const Expr *object, Submission &submission) {
  for (int hops = 0; object != nullptr && hops < 16; ++hops) {
    object = Spelled(object);
    if (IsTargetCall(object)) {
      submission.target_call = cast<CallExpr>(object);
      if (submission.target_call->getNumArgs() > 0) {
        submission.target = FunctionNamedBy(submission.target_call->getArg(0));
      }
      return;
    }
    if (const auto *option = dyn_cast<CXXMemberCallExpr>(object);
        option != nullptr && CallerKind(ClassOfMethod(option))) {
      submission.options.push_back(option);
      object = option->getImplicitObjectArgument();
      continue;
    }
    const auto *ref = dyn_cast<DeclRefExpr>(object);
    const auto *var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    object = var != nullptr ? var->getInit() : nullptr;
  }
}

template <typename T>
void Walk(const Stmt *stmt, const std::function<void(const T *)> &visit) {
  if (stmt == nullptr) return;
  if (const auto *node = dyn_cast<T>(stmt)) visit(node);
  for (const Stmt *child : stmt->children()) Walk<T>(child, visit);
}

}  // namespace

std::optional<Submission> AsSubmission(const Expr *expr) {
  const auto *call = dyn_cast_or_null<CXXMemberCallExpr>(Spelled(expr));
  if (call == nullptr || call->getMethodDecl() == nullptr ||
      !IsNamed(call->getMethodDecl(), "Remote")) {
    return std::nullopt;
  }
  std::optional<SubmissionKind> kind = CallerKind(ClassOfMethod(call));
  if (!kind) return std::nullopt;
  Submission submission;
  submission.remote = call;
  submission.kind = *kind;
  TraceCaller(call->getImplicitObjectArgument(), submission);
  return submission;
}

bool IsRayNamespace(const DeclContext *scope) {
  const auto *space = dyn_cast_or_null<NamespaceDecl>(scope);
  return IsNamed(space, "ray") &&
         space->getParent()->getRedeclContext()->isTranslationUnit();
}

bool IsRayFunctionCall(const Expr *expr, llvm::StringRef name) {
  const auto *call = dyn_cast_or_null<CallExpr>(Spelled(expr));
  if (call == nullptr || isa<CXXMemberCallExpr>(call)) return false;
  const FunctionDecl *callee = call->getDirectCallee();
  return IsNamed(callee, name) && IsRayNamespace(callee->getDeclContext());
}

const FunctionDecl *FunctionNamedBy(const Expr *arg) {
  for (int depth = 0; arg != nullptr && depth < 4; ++depth) {
    arg = Spelled(arg);
    if (const auto *address = dyn_cast<UnaryOperator>(arg);
        address != nullptr && address->getOpcode() == UO_AddrOf) {
      arg = address->getSubExpr();
      continue;
    }
    if (const auto *ref = dyn_cast<DeclRefExpr>(arg)) {
      const auto *function = dyn_cast<FunctionDecl>(ref->getDecl());
      return function != nullptr ? function->getCanonicalDecl() : nullptr;
    }
    // RAY_FUNC(f, Args...): an overload selector called with the function.
    const auto *call = dyn_cast<CallExpr>(arg);
    if (call == nullptr || call->getNumArgs() != 1) return nullptr;
    arg = call->getArg(call->getNumArgs() - 1);
  }
  return nullptr;
}

std::set<const FunctionDecl *> RegisteredFunctions(ASTContext &context) {
  using namespace ast_matchers;
  std::set<const FunctionDecl *> registered;
  auto registrations = match(
      callExpr(callee(functionDecl(hasName("RegisterRemoteFunctions")))).bind("call"),
      context);
  for (const auto &bound : registrations) {
    const auto *call = bound.getNodeAs<CallExpr>("call");
    for (const Expr *arg : call->arguments()) {
      if (const FunctionDecl *function = FunctionNamedBy(arg))
        registered.insert(function);
    }
  }
  return registered;
}

std::vector<Submission> SubmissionsIn(const Stmt *stmt) {
  std::vector<Submission> found;
  Walk<CXXMemberCallExpr>(stmt, [&](const CXXMemberCallExpr *call) {
    if (auto submission = AsSubmission(call)) found.push_back(*submission);
  });
  return found;
}

const Expr *RefOfGet(const Expr *expr) {
  const auto *call = dyn_cast_or_null<CallExpr>(Spelled(expr));
  if (call == nullptr) return nullptr;
  if (const auto *member = dyn_cast<CXXMemberCallExpr>(call)) {
    const CXXMethodDecl *method = member->getMethodDecl();
    bool is_get = IsNamed(method, "Get") && IsNamed(method->getParent(), "ObjectRef") &&
                  InRayNamespace(method->getParent());
    return is_get ? member->getImplicitObjectArgument() : nullptr;
  }
  if (!IsRayFunctionCall(call, "Get") || call->getNumArgs() == 0) return nullptr;
  const auto *ref = call->getArg(0)->getType()->getAsCXXRecordDecl();
  return IsNamed(ref, "ObjectRef") ? call->getArg(0) : nullptr;
}

std::vector<const CallExpr *> GetsIn(const Stmt *stmt) {
  std::vector<const CallExpr *> found;
  Walk<CallExpr>(stmt, [&](const CallExpr *call) {
    if (RefOfGet(call) != nullptr) found.push_back(call);
  });
  return found;
}

std::vector<const CallExpr *> RayCallsIn(const Stmt *stmt, llvm::StringRef name) {
  std::vector<const CallExpr *> found;
  Walk<CallExpr>(stmt, [&](const CallExpr *call) {
    if (IsRayFunctionCall(call, name)) found.push_back(call);
  });
  return found;
}

std::set<const VarDecl *> VariablesIn(const Stmt *stmt) {
  std::set<const VarDecl *> found;
  Walk<DeclRefExpr>(stmt, [&](const DeclRefExpr *ref) {
    if (const auto *var = dyn_cast<VarDecl>(ref->getDecl())) found.insert(var);
  });
  return found;
}

ast_matchers::StatementMatcher AnyLoop() {
  using namespace ast_matchers;
  return stmt(anyOf(forStmt(), cxxForRangeStmt(), whileStmt(), doStmt()),
              unless(isExpansionInSystemHeader()))
      .bind("loop");
}

ast_matchers::StatementMatcher RemoteCall() {
  using namespace ast_matchers;
  return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("Remote"))),
                           unless(isExpansionInSystemHeader()))
      .bind("remote");
}

void LintCheck::Warn(SourceRange range, std::string message, Severity severity) {
  FileEditor *editor = Unit().edits.For(range.getBegin());
  if (editor == nullptr) return;
  // Ray's own headers, when a build names them with -I instead of -isystem.
  if (llvm::StringRef(editor->Path()).contains("/ray/api")) return;
  Finding finding;
  finding.file = editor->Path();
  finding.range = editor->RangeOf(range);
  finding.code = Name();
  finding.severity = severity;
  finding.message = std::move(message);
  Report(std::move(finding));
}

}  // namespace rayify
