// The task-loop pass: every loop of driver code gets a decision. Loops whose
// iterations are independent calls of one of the shapes in TaskShapes.h become Ray
// tasks (TaskLoopEmitter.h); every other loop is refused with a reason code.
#pragma once

#include <clang/AST/Stmt.h>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "passes/Pass.h"

namespace rayify {

struct LoopFacts;
struct TaskShape;
struct FunctionSummary;
struct Refusal;
struct IterationPlan;
struct Granularity;

class TaskLoopPass : public Pass {
 public:
  /// Walks main, then the helpers only main calls that do not run as tasks; then
  /// tells every other loop of the file why it stays as it is.
  void Finish() override;

 private:
  /// Decides every loop under `stmt`; the loops inside a loop that stays sequential
  /// get decisions of their own.
  void WalkLoops(const clang::Stmt *stmt, const clang::Stmt *parent);
  Finding Decide(const clang::Stmt *loop, const clang::Stmt *parent);
  /// Refuses the outermost loops under `stmt`, code that is not the driver's, as
  /// `not-driver-code` with the reason `why`.
  void ReportOutsideDriver(const clang::Stmt *stmt, const std::string &why);
  /// A loop of no single-call shape: outlined into a task of its own when its
  /// iterations are independent and heavy enough, else refused with the reason.
  Finding DecideOutlined(Finding decision, const clang::Stmt *loop,
                         const clang::Stmt *parent, const LoopFacts &facts);
  std::vector<std::variant<IterationPlan, Refusal>> PlanBothWays(const clang::Stmt *loop);
  Finding SkipCheap(Finding decision, const clang::Stmt *loop, const LoopFacts &facts);

  /// The rewrite of a single-call loop into one task per call; `trial` when the
  /// call's work has no bound the source shows (EmitTaskLoop).
  void EmitSingleCall(const TaskShape &shape, const clang::Stmt *loop,
                      const clang::Stmt *parent, const LoopFacts &facts,
                      const FunctionSummary *elsewhere, LoopConversion &conversion,
                      bool trial);
  /// The loop outlined to run in chunks of iterations, when it may and should.
  std::optional<LoopConversion> RunInChunks(
      const clang::Stmt *loop, const clang::Stmt *parent,
      const std::map<std::string, double> &resources, const Granularity &granularity);

  /// The driver function whose loops are being decided.
  const clang::FunctionDecl *function_ = nullptr;
};

}  // namespace rayify
