// Unified diffs (diff -u style) for `rayify convert --dry-run`.
#pragma once

#include <string>

namespace rayify {

/// The unified diff turning `before` into `after`, with `context` lines around each
/// change; empty when they are equal.
std::string UnifiedDiff(const std::string &before, const std::string &after,
                        const std::string &before_name, const std::string &after_name,
                        int context = 3);

}  // namespace rayify
