// A project planned from its compilation database is planned twice where it matters:
// the first pass summarises what every unit defines; the units whose decisions needed
// a function or a global of another unit are planned again with the linked
// summaries; and a function that became a task in one unit is registered with
// RAY_REMOTE in the unit that defines it. Plain C++.
#pragma once

#include <vector>

#include "model/Plan.h"
#include "model/Summaries.h"

namespace rayify {

/// The summaries of every plan that did not fail, linked. With `whole_program` (every
/// unit of the program is among the plans) and no plan failed, also the program's
/// driver code across files, from every plan's calls (model/ProjectCalls.h).
ProjectSummaries LinkSummaries(const std::vector<Plan> &plans, bool whole_program);

/// The plans to make again with `project`: those that asked for a function another
/// unit defines (or several do), or took a global to be unchanged that another unit
/// changes.
std::vector<size_t> PlansToRedo(const std::vector<Plan> &plans,
                                const ProjectSummaries &project);

/// The plans to make again because the project's driver code differs from what they
/// were made with: driver functions in other files than main's (or no longer driver
/// code, once a converted loop of another file runs them inside its tasks), and
/// main's file, which connects to Ray when any file submits tasks.
std::vector<size_t> PlansToRedoForDriverCode(const std::vector<Plan> &plans,
                                             const ProjectSummaries &project);

/// Gives the loops whose reason waited for the project (`UnitCalls::provisional`)
/// the project's reason, now that the project's driver code is known.
void GiveProjectReasons(std::vector<Plan> &plans, const ProjectSummaries &project);

/// A file without main that submits tasks needs main's file converted too: it
/// connects to Ray before any task is submitted.
void AddDriverDependencies(std::vector<Plan> &plans);

/// For every function a plan made a task of (`remote_elsewhere`), adds RAY_REMOTE
/// (and `#include <ray/api.h>` when missing) to the plan of its defining file, once,
/// and makes the caller depend on that file.
void AddRegistrations(std::vector<Plan> &plans, const ProjectSummaries &project);

}  // namespace rayify
