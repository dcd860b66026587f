// What each lint rule is, for people and for SARIF: its id, default severity, a
// one-line summary and a paragraph on why it matters. The checks themselves live in
// tool/rules/ (Clang); this list stays Clang-free for the writers and the config.
#pragma once

#include <string>
#include <vector>

#include "model/Finding.h"

namespace rayify {

struct RuleInfo {
  std::string id;
  Severity severity;        // before configuration
  std::string summary;      // one sentence
  std::string description;  // why it matters and how to fix it
};

/// Every lint rule, in the order of the docs.
const std::vector<RuleInfo> &LintRules();

/// The rule named `id`, or null.
const RuleInfo *FindLintRule(const std::string &id);

/// The rule's doc page, relative to the repository root: resources/rules/<id>.md.
std::string RuleDocPath(const std::string &id);

/// The rule's doc page as a link SARIF viewers can open: `base` (the configuration's
/// help-base-uri) followed by "<id>.md".
std::string RuleHelpUri(const std::string &base, const std::string &id);

/// The id of the finding `--report-unused-suppressions` reports.
extern const char kUnusedSuppressionRule[];

}  // namespace rayify
