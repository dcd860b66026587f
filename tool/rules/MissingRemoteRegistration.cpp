// missing-remote-registration: ray::Task(f), ray::Actor(F) or handle.Task(&X::m)
// where the function, defined in this file, is registered by no RAY_REMOTE. Ray finds
// remote functions by their registered names, so the program fails at run time on a
// cluster (resources/rules/missing-remote-registration.md).
#include <set>

#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

const char *Submitter(SubmissionKind kind) {
  switch (kind) {
    case SubmissionKind::kTask:
      return "ray::Task";
    case SubmissionKind::kActorTask:
      return "an actor handle's Task";
    case SubmissionKind::kActorCreation:
      return "ray::Actor";
  }
  return "";
}

class MissingRemoteRegistrationCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(RemoteCall(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    auto submission = AsSubmission(result.Nodes.getNodeAs<Expr>("remote"));
    if (submission && submission->target != nullptr) submissions_.push_back(*submission);
  }

  void Finish() override {
    if (submissions_.empty()) return;
    std::set<const FunctionDecl *> registered = RegisteredFunctions(Unit().context);
    std::set<const FunctionDecl *> reported;
    for (const Submission &submission : submissions_) {
      const FunctionDecl *target = submission.target;
      // Defined elsewhere: its registration may well be in that file.
      const FunctionDecl *definition = target->getDefinition();
      if (definition == nullptr || !definition->hasBody() ||
          registered.count(target) != 0 || !reported.insert(target).second) {
        continue;
      }
      Warn(submission.target_call->getArg(0)->getSourceRange(),
           "'" + target->getQualifiedNameAsString() + "' is submitted through " +
               Submitter(submission.kind) +
               " but no RAY_REMOTE(...) in this file registers it; Ray looks remote "
               "functions up by their registered names, so this fails at run time on a "
               "cluster");
    }
  }

 private:
  std::vector<Submission> submissions_;
};

}  // namespace

std::unique_ptr<Pass> MakeMissingRemoteRegistrationCheck() {
  return std::make_unique<MissingRemoteRegistrationCheck>();
}

}  // namespace rayify
