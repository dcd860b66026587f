// unbounded-submission: a loop that submits a task per iteration, whose trip count is
// not a small constant, and that never waits. Nothing bounds the tasks in flight, so
// a large input floods the cluster's scheduler and object store
// (resources/rules/unbounded-submission.md).
#include <vector>

#include "analysis/CarriedWrites.h"
#include "analysis/CostModel.h"
#include "analysis/LoopSafety.h"
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

bool IsActorHandleType(QualType type) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  return IsNamed(record, "ActorHandle");
}

// The handle a submission calls its method on: `actor` of `actor.Task(&X::m)`.
const Expr *CalledHandle(const Submission &submission) {
  const auto *task = dyn_cast_or_null<CXXMemberCallExpr>(submission.target_call);
  return task != nullptr ? task->getImplicitObjectArgument() : nullptr;
}

// `for (size_t i = 0; i < actors.size(); ++i) actors[i].Task(&X::m).Remote()`: each
// iteration has a counter of its own, and every call goes to `actors[counter]`, so
// there are no more calls per handle than the body spells. The body must not name the
// handles otherwise, or it could add actors as it goes.
bool CountedCallsPerActor(const Stmt *loop, const std::vector<Submission> &submissions) {
  const VarDecl *counter = LoopCounter(loop);
  const VarDecl *handles = nullptr;
  if (counter == nullptr) return false;
  for (const Submission &submission : submissions) {
    const Expr *object = CalledHandle(submission);
    const Expr *container = nullptr;
    const Expr *index = nullptr;
    if (submission.kind != SubmissionKind::kActorTask || object == nullptr ||
        !IsActorHandleType(object->getType()) ||
        !MatchSubscript(object->IgnoreParenImpCasts(), container, index) ||
        ReferencedVar(index) != counter || ReferencedVar(container) == nullptr ||
        (handles != nullptr && ReferencedVar(container) != handles)) {
      return false;
    }
    handles = ReferencedVar(container);
  }
  return handles != nullptr &&
         MentionCount(LoopBody(loop), handles) == submissions.size();
}

// `for (auto &actor : actors) actor.Task(&X::m).Remote()`: one call per actor, as
// many as there are actors, which are bounded where they are created.
bool OneCallPerActor(const Stmt *loop, const std::vector<Submission> &submissions) {
  const auto *range = dyn_cast<CXXForRangeStmt>(loop);
  if (range == nullptr || !IsActorHandleType(range->getLoopVariable()->getType())) {
    return CountedCallsPerActor(loop, submissions);
  }
  for (const Submission &submission : submissions) {
    if (submission.kind != SubmissionKind::kActorTask) return false;
  }
  return true;
}

class UnboundedSubmissionCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(AnyLoop(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *loop = result.Nodes.getNodeAs<Stmt>("loop");
    const Stmt *body = LoopBody(loop);
    std::vector<Submission> submissions;
    for (const Submission &submission : SubmissionsIn(body)) {
      if (submission.kind != SubmissionKind::kActorCreation) {
        submissions.push_back(submission);
      }
    }
    if (submissions.empty() || OneCallPerActor(loop, submissions)) return;
    // A wait of any kind in the body bounds what is in flight.
    if (!RayCallsIn(body, "Wait").empty() || !RayCallsIn(body, "Get").empty() ||
        !GetsIn(body).empty()) {
      return;
    }
    if (HasSmallConstantTripCount(loop, *result.Context,
                                  Unit().settings.submit_all_limit)) {
      return;
    }
    candidates_.push_back(loop);
  }

  // The outermost unbounded loop is the one to fix; the loops inside it are the same
  // finding.
  void Finish() override {
    const SourceManager &sources = Unit().context.getSourceManager();
    for (const Stmt *loop : candidates_) {
      bool nested = false;
      for (const Stmt *other : candidates_) {
        nested = nested ||
                 (other != loop && LocatedWithin(loop->getBeginLoc(), other, sources));
      }
      if (nested) continue;
      Warn(loop->getSourceRange(),
           "this loop submits a task per iteration, runs a number of times not known "
           "to be at most " +
               std::to_string(Unit().settings.submit_all_limit) +
               ", and never waits: nothing bounds the tasks in flight; ray::Wait for "
               "the oldest once " +
               std::to_string(Unit().settings.max_in_flight) + " are pending");
    }
  }

 private:
  std::vector<const Stmt *> candidates_;
};

}  // namespace

std::unique_ptr<Pass> MakeUnboundedSubmissionCheck() {
  return std::make_unique<UnboundedSubmissionCheck>();
}

}  // namespace rayify
