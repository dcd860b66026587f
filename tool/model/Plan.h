// What the Clang stage hands the driver for one translation unit: its findings and the
// edits that implement them, with the text of every file an edit names. The driver
// turns plans into outputs (tool/driver/); the Clang stage never writes anything.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/Finding.h"

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

  std::vector<Edit> AllEdits() const;
};

}  // namespace rayify
