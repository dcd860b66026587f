#include "model/ProjectCalls.h"

#include <algorithm>

namespace rayify {

void ProjectCalls::Add(const UnitCalls &unit) {
  if (!unit.main.empty()) mains_.insert(unit.main);
  for (const std::string &usr : unit.defined) ++definitions_[usr];
  for (const auto &[caller, callee] : unit.calls) {
    callers_[callee].insert(caller);
    callees_[caller].insert(callee);
  }
  used_otherwise_.insert(unit.used_otherwise.begin(), unit.used_otherwise.end());
  static_init_.insert(unit.called_at_static_init.begin(),
                      unit.called_at_static_init.end());
  names_.insert(unit.names.begin(), unit.names.end());
  task_roots_.insert(unit.task_roots.begin(), unit.task_roots.end());
  for (const CallArguments &call : unit.arguments)
    arguments_[call.callee].push_back(call);
  any_submits_ = any_submits_ || unit.submits_tasks;
}

std::optional<std::vector<CallArguments>> ProjectCalls::EveryCallOf(
    const std::string &usr) const {
  auto defined = definitions_.find(usr);
  auto calls = arguments_.find(usr);
  if (defined == definitions_.end() || defined->second != 1 ||
      used_otherwise_.count(usr) != 0 || static_init_.count(usr) != 0 ||
      calls == arguments_.end()) {
    return std::nullopt;
  }
  return calls->second;
}

// Everything a task may run: the task roots and, through calls, all they reach.
std::set<std::string> ProjectCalls::TaskReached() const {
  std::set<std::string> reached;
  std::vector<std::string> pending(task_roots_.begin(), task_roots_.end());
  while (!pending.empty()) {
    std::string next = pending.back();
    pending.pop_back();
    if (!reached.insert(next).second) continue;
    auto callees = callees_.find(next);
    if (callees == callees_.end()) continue;
    pending.insert(pending.end(), callees->second.begin(), callees->second.end());
  }
  return reached;
}

// Grows from main until no function has all its callers among the driver functions,
// as CallGraph::DriverFunctions does in one file, so each comes after its callers and
// a cycle of calls never gets in. What a task runs is left out: a loop there runs
// inside the task.
void ProjectCalls::Link() {
  in_tasks_ = TaskReached();
  driver_.clear();
  for (const std::string &usr : mains_) driver_.emplace(usr, 0);
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto &[usr, count] : definitions_) {
      if (driver_.count(usr) != 0 || count != 1 || used_otherwise_.count(usr) != 0 ||
          static_init_.count(usr) != 0 || in_tasks_.count(usr) != 0)
        continue;
      auto callers = callers_.find(usr);
      if (callers == callers_.end()) continue;
      bool under_driver = std::all_of(
          callers->second.begin(), callers->second.end(),
          [&](const std::string &caller) { return driver_.count(caller) != 0; });
      if (!under_driver) continue;
      driver_.emplace(usr, driver_.size());
      grew = true;
    }
  }
}

std::optional<size_t> ProjectCalls::DriverRank(const std::string &usr) const {
  auto found = driver_.find(usr);
  if (found == driver_.end()) return std::nullopt;
  return found->second;
}

bool ProjectCalls::RunsInTasks(const std::string &usr) const {
  return in_tasks_.count(usr) != 0;
}

std::string ProjectCalls::NameOf(const std::string &usr) const {
  auto found = names_.find(usr);
  return found == names_.end() ? "a function" : found->second;
}

std::string ProjectCalls::WhyNotDriver(const std::string &usr) const {
  if (in_tasks_.count(usr) != 0) {
    return "which runs inside Ray tasks (a converted loop of the project calls it, "
           "directly or not): the loop runs there, in order, within each task.";
  }
  auto count = definitions_.find(usr);
  if (count != definitions_.end() && count->second > 1)
    return "which more than one file of the project defines.";
  if (static_init_.count(usr) != 0)
    return "which initialising a global calls before main() runs.";
  if (used_otherwise_.count(usr) != 0) {
    return "which the project uses other than by calling it (a function pointer, a "
           "callback), so it may run anywhere, at any time.";
  }
  auto callers = callers_.find(usr);
  if (callers == callers_.end()) return "which nothing in the project calls.";
  for (const std::string &caller : callers->second) {
    if (driver_.count(caller) == 0) {
      return "which " + NameOf(caller) +
             " calls, and that is not driver code: rayify converts the loops of main() "
             "and of the free functions that only driver code calls, in any file of "
             "the project.";
    }
  }
  return "which is not driver code.";
}

std::set<std::string> ProjectCalls::DriverOf(const UnitCalls &unit) const {
  std::set<std::string> driver;
  if (!unit.main.empty() && driver_.count(unit.main) != 0) driver.insert(unit.main);
  for (const std::string &usr : unit.defined) {
    if (driver_.count(usr) != 0) driver.insert(usr);
  }
  return driver;
}

}  // namespace rayify
