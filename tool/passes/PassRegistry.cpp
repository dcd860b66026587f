#include "passes/PassRegistry.h"

#include <stdexcept>

#include "conversions/ActorConversion.h"
#include "conversions/RayBoilerplate.h"
#include "conversions/TaskLoopConversion.h"
#include "passes/Pass.h"
#include "rules/LintChecks.h"

namespace rayify {

void PassRegistry::Add(std::string name, Factory factory) {
  for (const auto &entry : entries_) {
    if (entry.first == name) throw std::invalid_argument("pass '" + name + "' twice");
  }
  entries_.emplace_back(std::move(name), std::move(factory));
}

std::vector<std::string> PassRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto &entry : entries_) names.push_back(entry.first);
  return names;
}

std::vector<std::pair<std::string, std::unique_ptr<Pass>>> PassRegistry::Create() const {
  std::vector<std::pair<std::string, std::unique_ptr<Pass>>> passes;
  for (const auto &[name, factory] : entries_) passes.emplace_back(name, factory());
  return passes;
}

const PassRegistry &PassRegistry::Builtin() {
  static const PassRegistry registry = [] {
    PassRegistry builtin;
    // Order matters: loops over actors are the actor pass's, and the boilerplate
    // registers what the conversions before it made.
    builtin.Add(kActorRule, [] { return std::make_unique<ActorPass>(); });
    builtin.Add(kTaskLoopRule, [] { return std::make_unique<TaskLoopPass>(); });
    builtin.Add("ray-boilerplate", [] { return std::make_unique<RayBoilerplatePass>(); });
    return builtin;
  }();
  return registry;
}

const PassRegistry &PassRegistry::Lint() {
  static const PassRegistry registry = [] {
    PassRegistry rules;
    rules.Add("get-in-submit-loop", MakeGetInSubmitLoopCheck);
    rules.Add("unbounded-submission", MakeUnboundedSubmissionCheck);
    rules.Add("large-arg-by-value", MakeLargeArgByValueCheck);
    rules.Add("global-state-in-remote", MakeGlobalStateInRemoteCheck);
    rules.Add("missing-remote-registration", MakeMissingRemoteRegistrationCheck);
    rules.Add("discarded-object-ref", MakeDiscardedObjectRefCheck);
    rules.Add("moved-object-ref", MakeMovedObjectRefCheck);
    rules.Add("get-then-resubmit", MakeGetThenResubmitCheck);
    rules.Add("blocking-get-in-actor", MakeBlockingGetInActorCheck);
    rules.Add("invalid-resource", MakeInvalidResourceCheck);
    rules.Add("hardcoded-cluster-address", MakeHardcodedClusterAddressCheck);
    rules.Add("tiny-remote-task", MakeTinyRemoteTaskCheck);
    rules.Add("parallelizable-loop", MakeParallelizableLoopCheck);
    return rules;
  }();
  return registry;
}

}  // namespace rayify
