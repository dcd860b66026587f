// tiny-remote-task: a loop submitting a function with no loop or recursion in it. A
// task costs far more to schedule than such a call takes to run; batch iterations
// into one task instead (resources/rules/tiny-remote-task.md).
#include <set>

#include "analysis/CostModel.h"
#include "analysis/LoopSafety.h"
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

class TinyRemoteTaskCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(AnyLoop(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *loop = result.Nodes.getNodeAs<Stmt>("loop");
    for (const Submission &submission : SubmissionsIn(LoopBody(loop))) {
      const FunctionDecl *target = submission.target;
      if (submission.kind != SubmissionKind::kTask || target == nullptr ||
          reported_.count(submission.remote) != 0) {
        continue;
      }
      const FunctionDecl *definition = target->getDefinition();
      // Unseen bodies may do anything: no finding without evidence.
      if (definition == nullptr || !definition->hasBody() ||
          IsWorthATask(definition, Unit().effects)) {
        continue;
      }
      reported_.insert(submission.remote);
      Warn(submission.remote->getSourceRange(),
           "'" + target->getNameAsString() +
               "' has no loop or recursion: one call costs far less than scheduling a "
               "task (about a millisecond on Ray), so this loop is slower as tasks; "
               "give each task a batch of iterations");
    }
  }

 private:
  std::set<const CXXMemberCallExpr *> reported_;
};

}  // namespace

std::unique_ptr<Pass> MakeTinyRemoteTaskCheck() {
  return std::make_unique<TinyRemoteTaskCheck>();
}

}  // namespace rayify
