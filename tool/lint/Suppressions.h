// `// rayify: ignore` comments (resources/suppressions.md): which lines they silence,
// for which rules, and which of them silenced nothing. Plain text, no Clang: lint
// applies them to findings after the passes ran, convert reads the comment above a
// loop.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/Finding.h"

namespace rayify {

struct Suppression {
  unsigned line = 0;        // where the comment is
  unsigned first_line = 0;  // the lines it silences, inclusive
  unsigned last_line = 0;
  std::set<std::string> rules;  // empty: every rule
  std::string text;             // the directive as written, for messages
  bool used = false;
};

/// Every suppression in `source`. A trailing `// rayify: ignore` silences its own
/// line; one on a line of its own, and `ignore-next-line`, the next line of code;
/// `ignore-begin` ... `ignore-end`, the lines between. Malformed directives (an
/// `ignore-end` without a begin, a begin never ended) are reported in `errors` as
/// "line N: ...".
std::vector<Suppression> ParseSuppressions(const std::string &source,
                                           std::vector<std::string> *errors = nullptr);

/// True when a suppression covers `finding` (its first line, its rule); marks the
/// suppressions that do as used.
bool Suppress(const Finding &finding, std::vector<Suppression> &suppressions);

/// True when the `//` comment lines `comment` (those above a loop, say) hold a
/// `rayify: ignore` that covers `rule` or `alias`.
bool CommentIgnores(const std::string &comment, const std::string &rule,
                    const std::string &alias);

}  // namespace rayify
