// What the Clang stage hands the driver for one translation unit: its findings and the
// edits that implement them, with the text of every file an edit names. The driver
// turns plans into outputs (tool/driver/); the Clang stage never writes anything.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/Finding.h"
#include "model/ProjectCalls.h"
#include "model/Summaries.h"

namespace rayify {

struct Plan {
  std::string input;  // the main file, as given
  std::vector<Finding> findings;
  /// Edits not tied to one finding (the Ray boilerplate). The fixes of the findings
  /// are edits too; AllEdits() returns both.
  std::vector<Edit> edits;
  /// The text each edited file had when it was parsed, by the path edits name.
  std::map<std::string, std::string> sources;
  bool already_converted = false;
  std::string error;  // non-empty when the translation unit failed

  // Across translation units (a project planned from its compilation database):
  /// The functions the main file defines, summarised for the other units.
  std::vector<FunctionSummary> summaries;
  /// Globals this unit changes or lets escape, by USR.
  std::vector<std::string> changed_globals;
  /// Functions without a body here that the analysis asked about, by USR: when
  /// another unit defines one, this unit is planned again with its summary.
  std::vector<std::string> unseen_callees;
  /// Globals the decisions took to be unchanged, by USR: when another unit changes
  /// one, this unit is planned again.
  std::vector<std::string> assumed_unchanged_globals;
  /// Functions of other units that became tasks here, by USR: their own files must
  /// register them with RAY_REMOTE.
  std::vector<std::string> remote_elsewhere;
  /// Inputs whose converted text this one needs (they register its tasks).
  std::vector<std::string> depends_on;
  /// Who calls whom, for driver code across the project's files.
  UnitCalls unit_calls;

  std::vector<Edit> AllEdits() const;
};

/// The line of a converted loop without whose edits the main file's edits no longer
/// overlap; nullopt when they do not overlap, or no one loop's edits explain it.
std::optional<unsigned> OverlappingLoopLine(const Plan &plan);

}  // namespace rayify
