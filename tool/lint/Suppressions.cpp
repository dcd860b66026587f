#include "lint/Suppressions.h"

#include <sstream>

namespace rayify {
namespace {

enum class Directive { kLine, kNextLine, kBegin, kEnd };

struct Parsed {
  Directive directive;
  std::set<std::string> rules;
  std::string text;
};

std::string Trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t\r");
  size_t end = text.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// "a, rayify-b" -> {a, b}: ids as SARIF and the text output print them are accepted.
std::set<std::string> RuleList(const std::string &list) {
  std::set<std::string> rules;
  std::stringstream items(list);
  std::string item;
  while (std::getline(items, item, ',')) {
    item = Trim(item);
    if (item.rfind("rayify-", 0) == 0) item = item.substr(7);
    if (!item.empty()) rules.insert(item);
  }
  return rules;
}

// The directive in one line's `//` comment, if any.
bool ParseDirective(const std::string &line, Parsed &parsed) {
  size_t comment = line.find("//");
  if (comment == std::string::npos) return false;
  std::string rest = Trim(line.substr(comment + 2));
  const std::string marker = "rayify:";
  if (rest.rfind(marker, 0) != 0) return false;
  rest = Trim(rest.substr(marker.size()));
  static const std::pair<const char *, Directive> kDirectives[] = {
      {"ignore-next-line", Directive::kNextLine},
      {"ignore-begin", Directive::kBegin},
      {"ignore-end", Directive::kEnd},
      {"ignore", Directive::kLine}};
  for (const auto &[name, directive] : kDirectives) {
    std::string word = name;
    if (rest.rfind(word, 0) != 0) continue;
    std::string after = rest.substr(word.size());
    if (!after.empty() && after[0] != '(' && after[0] != ' ' && after[0] != '\t') {
      continue;  // ignore-nextline, say: not this directive
    }
    after = Trim(after);
    parsed.directive = directive;
    parsed.text = "rayify: " + word;
    if (!after.empty() && after[0] == '(') {
      size_t close = after.find(')');
      std::string list =
          after.substr(1, close == std::string::npos ? std::string::npos : close - 1);
      parsed.rules = RuleList(list);
      parsed.text += "(" + Trim(list) + ")";
    }
    return true;
  }
  return false;
}

bool OnlyComment(const std::string &line) { return Trim(line).rfind("//", 0) == 0; }

std::vector<std::string> Lines(const std::string &source) {
  std::vector<std::string> lines;
  std::stringstream stream(source);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

// The 1-based number of the first line after `index` (0-based) that holds code.
unsigned NextCodeLine(const std::vector<std::string> &lines, size_t index) {
  size_t next = index + 1;
  while (next < lines.size() && (OnlyComment(lines[next]) || Trim(lines[next]).empty())) {
    ++next;
  }
  return static_cast<unsigned>(next + 1);
}

}  // namespace

std::vector<Suppression> ParseSuppressions(const std::string &source,
                                           std::vector<std::string> *errors) {
  std::vector<std::string> lines = Lines(source);
  std::vector<Suppression> found;
  std::vector<size_t> open;  // indices into `found` of unended ignore-begin
  auto error = [&](unsigned line, const std::string &message) {
    if (errors != nullptr)
      errors->push_back("line " + std::to_string(line) + ": " + message);
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    Parsed parsed;
    if (!ParseDirective(lines[i], parsed)) continue;
    unsigned line = static_cast<unsigned>(i + 1);
    Suppression suppression{line, line, line, parsed.rules, parsed.text, false};
    switch (parsed.directive) {
      case Directive::kLine:
        if (OnlyComment(lines[i]))
          suppression.first_line = suppression.last_line = NextCodeLine(lines, i);
        break;
      case Directive::kNextLine:
        suppression.first_line = suppression.last_line = NextCodeLine(lines, i);
        break;
      case Directive::kBegin:
        suppression.last_line = static_cast<unsigned>(lines.size());
        open.push_back(found.size());
        break;
      case Directive::kEnd:
        if (open.empty()) {
          error(line, "'rayify: ignore-end' without an 'ignore-begin' before it");
        } else {
          found[open.back()].last_line = line;
          open.pop_back();
        }
        continue;
    }
    found.push_back(suppression);
  }
  for (size_t index : open) {
    error(found[index].line, "'rayify: ignore-begin' is never ended by 'ignore-end'");
  }
  return found;
}

bool Suppress(const Finding &finding, std::vector<Suppression> &suppressions) {
  bool suppressed = false;
  for (Suppression &suppression : suppressions) {
    unsigned line = finding.Line();
    if (line < suppression.first_line || line > suppression.last_line) continue;
    if (!suppression.rules.empty() && suppression.rules.count(finding.code) == 0)
      continue;
    suppression.used = true;
    suppressed = true;
  }
  return suppressed;
}

bool CommentIgnores(const std::string &comment, const std::string &rule,
                    const std::string &alias) {
  for (const std::string &line : Lines(comment)) {
    Parsed parsed;
    if (!ParseDirective(line, parsed)) continue;
    if (parsed.directive != Directive::kLine &&
        parsed.directive != Directive::kNextLine) {
      continue;
    }
    if (parsed.rules.empty() || parsed.rules.count(rule) != 0 ||
        parsed.rules.count(alias) != 0) {
      return true;
    }
  }
  return false;
}

}  // namespace rayify
