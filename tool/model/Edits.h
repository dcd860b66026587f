// Applying edits to file texts. Overlapping edits are a conflict to report, never an
// exception that could take other files down with it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/Finding.h"

namespace rayify {

struct AppliedEdits {
  std::string text;
  std::optional<std::string> conflict;  // why the edits could not be applied
};

/// Applies edits of one file (their `file` is not looked at). Several insertions at
/// one offset keep the order they were made in and go before a replacement starting
/// there. Overlapping or out-of-range edits leave `text` unchanged and set `conflict`.
AppliedEdits ApplyEdits(const std::string &text, std::vector<Edit> edits);

/// The edits grouped by the file they name, each group in its original order.
std::map<std::string, std::vector<Edit>> EditsByFile(const std::vector<Edit> &edits);

/// True when two edit lists make the same change to a file.
bool SameEdits(std::vector<Edit> a, std::vector<Edit> b);

/// 1-based line and column of `offset` in `text`.
Position PositionOf(const std::string &text, unsigned offset);

}  // namespace rayify
