// discarded-object-ref: the ObjectRef a .Remote() returns is dropped. An exception
// the task throws is then never seen, and nothing waits for the work before the
// program moves on or ends (resources/rules/discarded-object-ref.md).
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// The statement position of `expr`: true when its value is thrown away (a statement
// of its own, a loop's step, a branch without braces).
bool IsDiscarded(const Expr *expr, ASTContext &context) {
  const Stmt *node = expr;
  for (int depth = 0; depth < 8; ++depth) {
    auto parents = context.getParents(*node);
    if (parents.size() != 1) return false;
    const Stmt *parent = parents[0].get<Stmt>();
    if (parent == nullptr) return false;  // a variable's initialiser
    if (isa<ExprWithCleanups, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ParenExpr,
            ImplicitCastExpr>(parent)) {
      node = parent;
      continue;
    }
    if (isa<CompoundStmt, CaseStmt, DefaultStmt, LabelStmt>(parent)) return true;
    if (const auto *branch = dyn_cast<IfStmt>(parent)) {
      return branch->getThen() == node || branch->getElse() == node;
    }
    if (const auto *loop = dyn_cast<ForStmt>(parent)) {
      return loop->getBody() == node || loop->getInc() == node;
    }
    if (const auto *loop = dyn_cast<WhileStmt>(parent)) return loop->getBody() == node;
    if (const auto *loop = dyn_cast<DoStmt>(parent)) return loop->getBody() == node;
    if (const auto *loop = dyn_cast<CXXForRangeStmt>(parent)) {
      return loop->getBody() == node;
    }
    return false;
  }
  return false;
}

// Actor creations are kept by the actor itself, and a void actor method is how
// actor state is changed: the actor runs it before any later call.
bool ResultMatters(const Submission &submission) {
  switch (submission.kind) {
    case SubmissionKind::kTask:
      return true;
    case SubmissionKind::kActorTask:
      return submission.target != nullptr &&
             !submission.target->getReturnType()->isVoidType();
    case SubmissionKind::kActorCreation:
      return false;
  }
  return false;
}

class DiscardedObjectRefCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(RemoteCall(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *remote = result.Nodes.getNodeAs<Expr>("remote");
    auto submission = AsSubmission(remote);
    if (!submission || !ResultMatters(*submission) ||
        !IsDiscarded(remote, *result.Context)) {
      return;
    }
    Warn(remote->getSourceRange(),
         "the ObjectRef this .Remote() returns is dropped: an error the task raises is "
         "never seen and nothing waits for it; keep the ref and ray::Get or ray::Wait "
         "it (or cast it to void to say the result is not needed)");
  }
};

}  // namespace

std::unique_ptr<Pass> MakeDiscardedObjectRefCheck() {
  return std::make_unique<DiscardedObjectRefCheck>();
}

}  // namespace rayify
