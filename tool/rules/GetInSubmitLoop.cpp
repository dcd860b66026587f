// get-in-submit-loop: ray::Get on the result of a task submitted in the same
// iteration. Each iteration then waits for its own task, so the loop runs its tasks
// one at a time (resources/rules/get-in-submit-loop.md).
#include <set>

#include "analysis/LoopSafety.h"
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// The submission `ref` names when it was made in `body`: the .Remote() call itself,
// or a variable declared in the body and initialised by one.
std::optional<Submission> SubmittedIn(const Expr *ref, const Stmt *body,
                                      const SourceManager &sources) {
  if (auto direct = AsSubmission(ref)) return direct;
  const auto *var = ReferencedVar(ref);
  if (var == nullptr || !DeclaredWithin(var, body, sources)) return std::nullopt;
  return AsSubmission(var->getInit());
}

// Variables the loop's task submissions read in their arguments.
std::set<const VarDecl *> SubmissionInputs(const Stmt *body) {
  std::set<const VarDecl *> inputs;
  for (const Submission &submission : SubmissionsIn(body)) {
    for (const Expr *arg : submission.remote->arguments()) {
      std::set<const VarDecl *> read = VariablesIn(arg);
      inputs.insert(read.begin(), read.end());
    }
  }
  return inputs;
}

// `x = *ray::Get(r)` where a later submission reads x: the next iteration needs this
// one's result, so waiting here is the loop's real order, not an anti-pattern.
bool FeedsNextSubmission(const CallExpr *get, const Stmt *body, ASTContext &context) {
  std::set<const VarDecl *> inputs = SubmissionInputs(body);
  const Stmt *node = get;
  for (int depth = 0; depth < 6; ++depth) {
    auto parents = context.getParents(*node);
    if (parents.empty()) return false;
    node = parents[0].get<Stmt>();
    if (node == nullptr || node == body) return false;
    if (const auto *assign = dyn_cast<BinaryOperator>(node);
        assign != nullptr && assign->isAssignmentOp()) {
      return inputs.count(ReferencedVar(assign->getLHS())) != 0;
    }
    if (const auto *op = dyn_cast<CXXOperatorCallExpr>(node);
        op != nullptr && op->isAssignmentOp()) {
      return inputs.count(ReferencedVar(op->getArg(0))) != 0;
    }
  }
  return false;
}

class GetInSubmitLoopCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    using namespace ast_matchers;
    // Loops that walk a range or count: a while loop waiting on each result is
    // usually an iteration whose next step needs it.
    finder.addMatcher(
        stmt(anyOf(forStmt(), cxxForRangeStmt()), unless(isExpansionInSystemHeader()))
            .bind("loop"),
        this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *loop = result.Nodes.getNodeAs<Stmt>("loop");
    const Stmt *body = LoopBody(loop);
    const SourceManager &sources = *result.SourceManager;
    for (const CallExpr *get : GetsIn(body)) {
      if (reported_.count(get) != 0) continue;
      auto submission = SubmittedIn(RefOfGet(get), body, sources);
      if (!submission || submission->kind != SubmissionKind::kTask) continue;
      if (FeedsNextSubmission(get, body, *result.Context)) continue;
      reported_.insert(get);
      Warn(get->getSourceRange(),
           "ray::Get waits for the task submitted in this same iteration, so the loop "
           "runs its tasks one at a time; keep the ObjectRefs in a vector and "
           "ray::Get them after the loop");
    }
  }

 private:
  std::set<const CallExpr *> reported_;
};

}  // namespace

std::unique_ptr<Pass> MakeGetInSubmitLoopCheck() {
  return std::make_unique<GetInSubmitLoopCheck>();
}

}  // namespace rayify
