#include "driver/ProjectLink.h"

#include "model/ReasonCodes.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace rayify {
namespace {

void AddOnce(std::vector<std::string> &list, const std::string &item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// The edits that register `functions` in `plan`'s main file.
void Register(Plan &plan, const std::vector<const FunctionSummary *> &functions) {
  const std::string &text = plan.sources[plan.input];
  const FunctionSummary &first = *functions.front();
  if (!first.includes_ray_api) {
    plan.edits.push_back({plan.input, first.include_offset, 0,
                          "#include <ray/api.h>  // RAY_REMOTE (added by rayify)\n",
                          std::nullopt});
  }
  std::string tail = text.empty() || text.back() == '\n' ? "" : "\n";
  tail += "\n// Tasks that other files of the project submit (added by rayify).\n";
  tail += "RAY_REMOTE(";
  for (size_t i = 0; i < functions.size(); ++i) {
    tail += (i == 0 ? "" : ", ") + functions[i]->registration;
  }
  tail += ");\n";
  plan.edits.push_back(
      {plan.input, static_cast<unsigned>(text.size()), 0, tail, std::nullopt});
}

}  // namespace

ProjectSummaries LinkSummaries(const std::vector<Plan> &plans, bool whole_program) {
  ProjectSummaries project;
  ProjectCalls calls;
  bool all_planned = whole_program;
  for (const Plan &plan : plans) {
    if (!plan.error.empty()) {
      all_planned = false;  // its calls are unknown: it may call anything
      continue;
    }
    for (const FunctionSummary &summary : plan.summaries) project.Add(summary);
    project.AddChangedGlobals(plan.changed_globals);
    calls.Add(plan.unit_calls);
  }
  project.Link();
  if (all_planned) {
    calls.Link();
    project.SetCalls(std::move(calls));
  }
  return project;
}

std::vector<size_t> PlansToRedoForDriverCode(const std::vector<Plan> &plans,
                                             const ProjectSummaries &project) {
  const ProjectCalls *calls = project.Calls();
  std::vector<size_t> redo;
  if (calls == nullptr) return redo;
  for (size_t i = 0; i < plans.size(); ++i) {
    const UnitCalls &unit = plans[i].unit_calls;
    if (!plans[i].error.empty()) continue;
    std::set<std::string> taken(unit.driver.begin(), unit.driver.end());
    bool connects = !unit.main.empty() && !unit.submits_tasks;
    if (taken != calls->DriverOf(unit) ||
        (connects && unit.connects_for_others != calls->AnySubmits()))
      redo.push_back(i);
  }
  return redo;
}

void GiveProjectReasons(std::vector<Plan> &plans, const ProjectSummaries &project) {
  const ProjectCalls *calls = project.Calls();
  if (calls == nullptr) return;
  for (Plan &plan : plans) {
    for (const ProvisionalReason &pending : plan.unit_calls.provisional) {
      for (Finding &finding : plan.findings) {
        if (finding.code == ReasonCode(SkipReason::kNotDriverCode) &&
            finding.range.begin.line == pending.line &&
            finding.range.begin.column == pending.column)
          finding.message = pending.lead + calls->WhyNotDriver(pending.usr);
      }
    }
  }
}

void AddDriverDependencies(std::vector<Plan> &plans) {
  std::vector<std::string> mains;
  for (const Plan &plan : plans) {
    if (plan.error.empty() && !plan.unit_calls.main.empty()) mains.push_back(plan.input);
  }
  for (Plan &plan : plans) {
    if (!plan.error.empty() || !plan.unit_calls.main.empty() ||
        !plan.unit_calls.submits_tasks)
      continue;
    for (const std::string &main : mains) AddOnce(plan.depends_on, main);
  }
}

std::vector<size_t> PlansToRedo(const std::vector<Plan> &plans,
                                const ProjectSummaries &project) {
  std::vector<size_t> redo;
  for (size_t i = 0; i < plans.size(); ++i) {
    const Plan &plan = plans[i];
    if (!plan.error.empty()) continue;
    bool needs =
        std::any_of(plan.unseen_callees.begin(), plan.unseen_callees.end(),
                    [&](const std::string &usr) {
                      return project.Find(usr) != nullptr || project.DefinedTwice(usr);
                    });
    needs = needs ||
            std::any_of(plan.assumed_unchanged_globals.begin(),
                        plan.assumed_unchanged_globals.end(),
                        [&](const std::string &usr) { return project.Changes(usr); });
    if (needs) redo.push_back(i);
  }
  return redo;
}

void AddRegistrations(std::vector<Plan> &plans, const ProjectSummaries &project) {
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < plans.size(); ++i) index_of[plans[i].input] = i;
  std::map<size_t, std::vector<const FunctionSummary *>> to_register;
  std::set<std::string> listed;
  for (Plan &plan : plans) {
    if (!plan.error.empty()) continue;
    for (const std::string &usr : plan.remote_elsewhere) {
      const FunctionSummary *summary = project.Find(usr);
      auto defining = summary == nullptr ? index_of.end() : index_of.find(summary->file);
      if (defining == index_of.end()) {
        plan.error = "a task's function has no file in this run to register it";
        continue;
      }
      if (summary->registered) continue;  // converted before: nothing to add
      AddOnce(plan.depends_on, summary->file);
      if (listed.insert(usr).second) to_register[defining->second].push_back(summary);
    }
  }
  for (auto &[index, functions] : to_register) Register(plans[index], functions);
}

}  // namespace rayify
