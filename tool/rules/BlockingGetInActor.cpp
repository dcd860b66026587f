// blocking-get-in-actor: ray::Get inside a method of a class made an actor with
// max_concurrency 1. While the method waits, the actor runs nothing else; a task that
// calls back into the actor then waits forever
// (resources/rules/blocking-get-in-actor.md).
#include <map>

#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// The class a factory `X *CreateX(...)` makes.
const CXXRecordDecl *ActorClass(const FunctionDecl *factory) {
  if (factory == nullptr) return nullptr;
  QualType made = factory->getReturnType();
  if (!made->isPointerType()) return nullptr;
  const CXXRecordDecl *record = made->getPointeeType()->getAsCXXRecordDecl();
  return record != nullptr ? record->getDefinition() : nullptr;
}

// True unless the creation sets a max_concurrency above one (or one rayify cannot
// evaluate, which it gives the benefit of the doubt).
bool RunsOneCallAtATime(const Submission &creation, ASTContext &context) {
  for (const CXXMemberCallExpr *option : creation.options) {
    const CXXMethodDecl *method = option->getMethodDecl();
    if (!IsNamed(method, "SetMaxConcurrency") || option->getNumArgs() != 1) continue;
    Expr::EvalResult value;
    if (!option->getArg(0)->EvaluateAsInt(value, context)) return false;
    if (value.Val.getInt().getExtValue() > 1) return false;
  }
  return true;
}

class BlockingGetInActorCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(RemoteCall(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    auto creation = AsSubmission(result.Nodes.getNodeAs<Expr>("remote"));
    if (!creation || creation->kind != SubmissionKind::kActorCreation) return;
    const CXXRecordDecl *actor = ActorClass(creation->target);
    if (actor != nullptr && RunsOneCallAtATime(*creation, *result.Context)) {
      serial_actors_.emplace(actor, creation->remote);
    }
  }

  void Finish() override {
    for (const auto &[actor, creation] : serial_actors_) {
      for (const CXXMethodDecl *method : actor->methods()) {
        const FunctionDecl *definition = method->getDefinition();
        if (definition == nullptr || !definition->hasBody()) continue;
        for (const CallExpr *get : GetsIn(definition->getBody())) {
          Warn(get->getSourceRange(),
               "'" + actor->getNameAsString() +
                   "' runs as an actor that takes one call at a time (no "
                   "SetMaxConcurrency above 1 where it is created): while this ray::Get "
                   "waits the actor does nothing else, and a task that calls back into "
                   "it deadlocks; return the ObjectRef instead, or create the actor with "
                   "SetMaxConcurrency");
        }
      }
    }
  }

 private:
  std::map<const CXXRecordDecl *, const CXXMemberCallExpr *> serial_actors_;
};

}  // namespace

std::unique_ptr<Pass> MakeBlockingGetInActorCheck() {
  return std::make_unique<BlockingGetInActorCheck>();
}

}  // namespace rayify
