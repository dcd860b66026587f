#include "lint/RuleCatalog.h"

namespace rayify {

const char kUnusedSuppressionRule[] = "unused-suppression";

const std::vector<RuleInfo> &LintRules() {
  static const std::vector<RuleInfo> rules = {
      {"get-in-submit-loop", Severity::kWarning,
       "ray::Get on a task submitted in the same loop iteration.",
       "Each iteration waits for its own task before submitting the next, so the tasks "
       "run one at a time. Keep the ObjectRefs in a vector and ray::Get them after the "
       "loop."},
      {"unbounded-submission", Severity::kWarning,
       "A loop submits tasks with no bound on how many are in flight.",
       "The loop's trip count is not a small constant and nothing in it waits, so a "
       "large input floods the scheduler and the object store. ray::Wait for the oldest "
       "task once max-in-flight are pending."},
      {"large-arg-by-value", Severity::kWarning,
       "The same large value is passed to .Remote() on every iteration.",
       "Ray copies every argument into the object store at each submission. ray::Put a "
       "loop-invariant container or large object once and pass the ObjectRef."},
      {"global-state-in-remote", Severity::kWarning,
       "A remote function or actor method uses a mutable global or static.",
       "Each worker process has its own copy of every global: the task does not see "
       "the driver's value and its changes never reach the driver. Pass values as "
       "arguments and return results."},
      {"missing-remote-registration", Severity::kWarning,
       "A function is submitted but never registered with RAY_REMOTE.",
       "Ray looks remote functions up by their registered names; an unregistered one "
       "fails at run time on a cluster. Add it to a RAY_REMOTE(...) declaration."},
      {"discarded-object-ref", Severity::kWarning,
       "The ObjectRef a .Remote() returns is dropped.",
       "An exception the task raises is never seen and nothing waits for the work. Keep "
       "the ref and ray::Get or ray::Wait it, or cast the call to void."},
      {"moved-object-ref", Severity::kWarning,
       "A ray::ObjectRef is moved, for example a .Remote() result into push_back.",
       "Ray's ObjectRef move constructor lets go of the reference before taking it "
       "again: moving an object's only ref makes Ray forget that this process owns it, "
       "and the driver aborts when a large result comes back. Store a copy: name the "
       "ref first, or pass it as a const reference."},
      {"get-then-resubmit", Severity::kWarning,
       "The value of ray::Get is passed straight into another .Remote().",
       "The driver waits for the value and ships its bytes back out. Pass the ObjectRef "
       "itself; Ray hands the stored value to the next task."},
      {"blocking-get-in-actor", Severity::kWarning,
       "ray::Get inside a method of an actor that runs one call at a time.",
       "While the method waits the actor runs nothing else, and a task that calls back "
       "into the actor deadlocks. Return the ObjectRef, or create the actor with "
       "SetMaxConcurrency."},
      {"invalid-resource", Severity::kError, "A resource amount Ray rejects.",
       "Amounts must be positive and finite, and whole numbers above 1; a rayify: "
       "resources(...) annotation must parse. Ray refuses such a submission at run "
       "time."},
      {"hardcoded-cluster-address", Severity::kWarning,
       "A literal cluster address in RayConfig.",
       "The program then runs on that cluster only. Read the address from the "
       "RAY_ADDRESS environment variable."},
      {"tiny-remote-task", Severity::kWarning,
       "A loop submits a function too cheap to pay for a task.",
       "A function with no loop or recursion takes far less time than scheduling a "
       "task. Give each task a batch of iterations."},
      {"parallelizable-loop", Severity::kNote,
       "A loop rayify convert would turn into Ray tasks.",
       "The same decision rayify convert makes: the loop's iterations are independent "
       "calls worth a task each. Run rayify convert on the file, or suppress the note "
       "to keep the loop sequential."},
      {kUnusedSuppressionRule, Severity::kWarning,
       "A rayify: ignore comment that suppresses nothing.",
       "Reported with --report-unused-suppressions: the finding it was written for is "
       "gone, so the comment can go too."},
  };
  return rules;
}

const RuleInfo *FindLintRule(const std::string &id) {
  for (const RuleInfo &rule : LintRules()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::string RuleDocPath(const std::string &id) { return "resources/rules/" + id + ".md"; }

std::string RuleHelpUri(const std::string &base, const std::string &id) {
  if (base.empty()) return "";
  return base + (base.back() == '/' ? "" : "/") + id + ".md";
}

}  // namespace rayify
