// What `rayify lint` prints: compiler-style text, JSON in the report model's shape,
// and SARIF 2.1.0 for code scanning (resources/lint.md). Fingerprints identify a
// finding by its rule, file and the text of its line, so moving code does not make
// an old finding new; baselines are matched by them.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/Finding.h"
#include "model/Settings.h"

namespace rayify {

/// One finding lint reports, with the text it was found in.
struct LintFinding {
  Finding finding;
  std::string uri;          // the file relative to the project root ("src/a.cpp")
  std::string line_text;    // the source line the finding starts on
  std::string fingerprint;  // stable across unrelated edits
};

/// Sets each finding's fingerprint: a hash of rule, uri and the line's text with
/// whitespace collapsed, then which occurrence of that hash it is in the file.
/// `findings` must be in file and line order.
void AssignFingerprints(std::vector<LintFinding> &findings);

/// `file:line:col: warning: message [rayify-id]`, the source line and a caret under
/// the range; `color` adds the terminal colours compilers use.
std::string TextDiagnostics(const std::vector<LintFinding> &findings, bool color);

/// {"files": [...], "findings": [...]} with positions as in --report-file.
std::string LintJson(const std::vector<LintFinding> &findings,
                     const std::vector<std::string> &files);

/// A SARIF 2.1.0 log: every rule with descriptions and help, every finding with a
/// level, message, location relative to %SRCROOT% (`root`, absolute) and
/// partialFingerprints.
std::string SarifLog(const std::vector<LintFinding> &findings, const Settings &settings,
                     const std::string &root, const std::string &version);

/// The fingerprints of the results in a SARIF log `text` read from `path`; throws
/// std::runtime_error naming `path` when it is no SARIF log rayify wrote.
std::set<std::string> BaselineFingerprints(const std::string &text,
                                           const std::string &path);

/// The partialFingerprints key rayify writes and reads.
extern const char kFingerprintKey[];

}  // namespace rayify
