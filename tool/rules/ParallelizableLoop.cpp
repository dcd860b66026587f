// parallelizable-loop (a note): a loop of plain C++ that `rayify convert` would turn
// into Ray tasks, with convert's own decision text. It runs convert's actor and
// task-loop passes, so lint and convert never disagree on a loop
// (resources/rules/parallelizable-loop.md).
#include <algorithm>

#include "conversions/ActorConversion.h"
#include "conversions/TaskLoopConversion.h"
#include "report/Report.h"
#include "rules/LintChecks.h"

namespace rayify {
namespace {

using namespace clang;

class ParallelizableLoopCheck : public Pass {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    // The task-loop pass leaves loops over actors to the actor pass: both run, in
    // convert's order.
    actors_.Attach(kActorRule, Unit());
    loops_.Attach(kTaskLoopRule, Unit());
    actors_.RegisterMatchers(finder);
    loops_.RegisterMatchers(finder);
  }

  void Finish() override {
    actors_.Finish();
    loops_.Finish();
    std::vector<Finding> &findings = Unit().findings;
    std::vector<Finding> notes;
    for (const Finding &decision : findings) {
      if (decision.rule != kTaskLoopRule || !decision.IsConversion()) continue;
      Finding note = decision;
      note.rule = Name();
      note.code = Name();
      note.severity = Severity::kNote;
      note.message = "rayify convert would turn this loop into Ray tasks: " +
                     ConversionSummary(*decision.conversion);
      note.fix.clear();
      note.conversion.reset();
      notes.push_back(std::move(note));
    }
    findings.erase(std::remove_if(findings.begin(), findings.end(),
                                  [](const Finding &finding) {
                                    return finding.rule == kTaskLoopRule ||
                                           finding.rule == kActorRule;
                                  }),
                   findings.end());
    findings.insert(findings.end(), notes.begin(), notes.end());
  }

 private:
  ActorPass actors_;
  TaskLoopPass loops_;
};

}  // namespace

std::unique_ptr<Pass> MakeParallelizableLoopCheck() {
  return std::make_unique<ParallelizableLoopCheck>();
}

}  // namespace rayify
