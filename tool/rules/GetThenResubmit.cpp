// get-then-resubmit: `*ray::Get(r)` passed to another .Remote(). The driver waits for
// r, copies its value out and ships it back in; passing r itself lets Ray hand the
// stored value to the next task without the round trip
// (resources/rules/get-then-resubmit.md).
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// `*ray::Get(r)` or `*r.Get()` with a single ObjectRef: the value it resolves to.
const CallExpr *DereferencedGet(const Expr *arg) {
  arg = arg->IgnoreUnlessSpelledInSource();
  const Expr *pointer = nullptr;
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(arg);
      op != nullptr && op->getOperator() == OO_Star && op->getNumArgs() == 1) {
    pointer = op->getArg(0);
  } else if (const auto *unary = dyn_cast<UnaryOperator>(arg);
             unary != nullptr && unary->getOpcode() == UO_Deref) {
    pointer = unary->getSubExpr();
  }
  if (pointer == nullptr || RefOfGet(pointer) == nullptr) return nullptr;
  return cast<CallExpr>(pointer->IgnoreUnlessSpelledInSource());
}

class GetThenResubmitCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(RemoteCall(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    auto submission = AsSubmission(result.Nodes.getNodeAs<Expr>("remote"));
    if (!submission || submission->kind == SubmissionKind::kActorCreation) return;
    for (const Expr *arg : submission->remote->arguments()) {
      const CallExpr *get = DereferencedGet(arg);
      if (get == nullptr) continue;
      Warn(arg->getSourceRange(),
           "the value of ray::Get is passed straight into another .Remote(): the driver "
           "waits for it and ships the bytes back out; pass the ObjectRef itself and "
           "Ray hands the stored value to the task");
    }
  }
};

}  // namespace

std::unique_ptr<Pass> MakeGetThenResubmitCheck() {
  return std::make_unique<GetThenResubmitCheck>();
}

}  // namespace rayify
