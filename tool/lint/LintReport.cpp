#include "lint/LintReport.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "lint/RuleCatalog.h"
#include "report/Report.h"

namespace rayify {

const char kFingerprintKey[] = "rayifyFingerprint/v1";

namespace {

uint64_t Fnv1a(const std::string &text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Whitespace does not identify code: reindenting a line keeps its findings.
std::string CollapseSpaces(const std::string &text) {
  std::string collapsed;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  return collapsed;
}

const char *Colour(Severity severity) {
  switch (severity) {
    case Severity::kNote:
      return "\033[1;36m";
    case Severity::kWarning:
      return "\033[1;35m";
    case Severity::kError:
      return "\033[1;31m";
  }
  return "";
}

// The caret line: spaces up to the column, '^' at it, '~' to the range's end on the
// same line.
std::string Caret(const LintFinding &lint) {
  const Range &range = lint.finding.range;
  unsigned column = std::max(1u, range.begin.column);
  std::string caret;
  for (unsigned i = 1; i < column && i <= lint.line_text.size(); ++i) {
    caret += lint.line_text[i - 1] == '\t' ? '\t' : ' ';
  }
  caret += '^';
  unsigned end = range.end.line == range.begin.line
                     ? std::min<unsigned>(range.end.column, lint.line_text.size())
                     : static_cast<unsigned>(lint.line_text.size());
  for (unsigned i = column + 1; i <= end; ++i) caret += '~';
  return caret;
}

// Percent-encodes what may not stand in a URI path.
std::string UriPath(const std::string &path) {
  std::string encoded;
  for (unsigned char c : path) {
    if (std::isalnum(c) ||
        std::string("/-._~").find(static_cast<char>(c)) != std::string::npos) {
      encoded += static_cast<char>(c);
    } else {
      char escape[4];
      std::snprintf(escape, sizeof(escape), "%%%02X", c);
      encoded += escape;
    }
  }
  return encoded;
}

void WriteRule(llvm::json::OStream &json, const RuleInfo &rule,
               const Settings &settings) {
  RuleSetting setting = settings.Rule(rule.id, rule.severity);
  json.object([&] {
    json.attribute("id", rule.id);
    json.attributeObject("shortDescription",
                         [&] { json.attribute("text", rule.summary); });
    json.attributeObject("fullDescription",
                         [&] { json.attribute("text", rule.description); });
    std::string uri = RuleHelpUri(settings.help_base_uri, rule.id);
    json.attributeObject("help", [&] {
      std::string see = "See " + (uri.empty() ? RuleDocPath(rule.id) : uri) + ".";
      json.attribute("text", rule.description + " " + see);
      json.attribute("markdown", rule.description + " See [" + RuleDocPath(rule.id) +
                                     "](" + (uri.empty() ? RuleDocPath(rule.id) : uri) +
                                     ").");
    });
    if (!uri.empty()) json.attribute("helpUri", uri);
    json.attributeObject("defaultConfiguration", [&] {
      json.attribute("enabled", setting.enabled);
      json.attribute("level", SeverityName(setting.severity));
    });
  });
}

void WriteResult(llvm::json::OStream &json, const LintFinding &lint, size_t rule_index) {
  const Finding &finding = lint.finding;
  json.object([&] {
    json.attribute("ruleId", finding.code);
    json.attribute("ruleIndex", static_cast<int64_t>(rule_index));
    json.attribute("level", SeverityName(finding.severity));
    json.attributeObject("message", [&] { json.attribute("text", finding.message); });
    json.attributeArray("locations", [&] {
      json.object([&] {
        json.attributeObject("physicalLocation", [&] {
          json.attributeObject("artifactLocation", [&] {
            // A file outside the project root keeps its absolute location.
            bool outside = !lint.uri.empty() && lint.uri[0] == '/';
            json.attribute("uri", (outside ? "file://" : "") + UriPath(lint.uri));
            if (!outside) json.attribute("uriBaseId", "%SRCROOT%");
          });
          json.attributeObject("region", [&] {
            const Range &range = finding.range;
            json.attribute("startLine", range.begin.line);
            json.attribute("startColumn", std::max(1u, range.begin.column));
            json.attribute("endLine", std::max(range.begin.line, range.end.line));
            // SARIF's end column is one past the last character.
            json.attribute("endColumn",
                           std::max(range.begin.column, range.end.column) + 1);
          });
        });
      });
    });
    json.attributeObject("partialFingerprints",
                         [&] { json.attribute(kFingerprintKey, lint.fingerprint); });
  });
}

}  // namespace

void AssignFingerprints(std::vector<LintFinding> &findings) {
  std::map<std::string, unsigned> seen;
  for (LintFinding &lint : findings) {
    char hash[17];
    std::snprintf(
        hash, sizeof(hash), "%016llx",
        static_cast<unsigned long long>(Fnv1a(lint.finding.code + '\0' + lint.uri + '\0' +
                                              CollapseSpaces(lint.line_text))));
    unsigned occurrence = seen[lint.uri + '\0' + hash]++;
    lint.fingerprint = std::string(hash) + ":" + std::to_string(occurrence + 1);
  }
}

std::string TextDiagnostics(const std::vector<LintFinding> &findings, bool color) {
  std::string out;
  const std::string bold = color ? "\033[1m" : "", reset = color ? "\033[0m" : "";
  const std::string green = color ? "\033[1;32m" : "";
  for (const LintFinding &lint : findings) {
    const Finding &finding = lint.finding;
    out += bold + finding.file + ":" + std::to_string(finding.range.begin.line) + ":" +
           std::to_string(std::max(1u, finding.range.begin.column)) + ": " + reset +
           (color ? Colour(finding.severity) : "") + SeverityName(finding.severity) +
           ": " + reset + bold + finding.message + " [rayify-" + finding.code + "]" +
           reset + "\n";
    out += lint.line_text + "\n" + green + Caret(lint) + reset + "\n";
  }
  return out;
}

std::string LintJson(const std::vector<LintFinding> &findings,
                     const std::vector<std::string> &files) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::json::OStream json(stream, 2);
  json.object([&] {
    json.attributeArray("files", [&] {
      for (const std::string &file : files) json.value(file);
    });
    json.attributeArray("findings", [&] {
      for (const LintFinding &lint : findings) {
        const Finding &finding = lint.finding;
        json.object([&] {
          WritePosition(json, finding);  // a lint finding's rule is its code
          json.attribute("message", finding.message);
          json.attribute("fingerprint", lint.fingerprint);
        });
      }
    });
  });
  stream << "\n";
  stream.flush();
  return text;
}

std::string SarifLog(const std::vector<LintFinding> &findings, const Settings &settings,
                     const std::string &root, const std::string &version) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::json::OStream json(stream, 2);
  const std::vector<RuleInfo> &rules = LintRules();
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rules.size(); ++i) index[rules[i].id] = i;
  json.object([&] {
    json.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    json.attribute("version", "2.1.0");
    json.attributeArray("runs", [&] {
      json.object([&] {
        json.attributeObject("tool", [&] {
          json.attributeObject("driver", [&] {
            json.attribute("name", "rayify");
            json.attribute("semanticVersion", version);
            json.attributeArray("rules", [&] {
              for (const RuleInfo &rule : rules) WriteRule(json, rule, settings);
            });
          });
        });
        json.attributeObject("originalUriBaseIds", [&] {
          json.attributeObject("%SRCROOT%", [&] {
            json.attribute("uri",
                           "file://" + UriPath(root.back() == '/' ? root : root + "/"));
          });
        });
        json.attributeArray("results", [&] {
          for (const LintFinding &lint : findings) {
            WriteResult(json, lint,
                        index.count(lint.finding.code) ? index[lint.finding.code] : 0);
          }
        });
      });
    });
  });
  stream << "\n";
  stream.flush();
  return text;
}

std::set<std::string> BaselineFingerprints(const std::string &text,
                                           const std::string &path) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    throw std::runtime_error(
        path + ": the baseline is not JSON: " + llvm::toString(parsed.takeError()));
  }
  const llvm::json::Object *log = parsed->getAsObject();
  const llvm::json::Array *runs = log != nullptr ? log->getArray("runs") : nullptr;
  if (runs == nullptr)
    throw std::runtime_error(path + ": the baseline is not a SARIF log (no runs)");
  std::set<std::string> fingerprints;
  for (const llvm::json::Value &run : *runs) {
    const llvm::json::Object *object = run.getAsObject();
    const llvm::json::Array *results =
        object != nullptr ? object->getArray("results") : nullptr;
    if (results == nullptr) continue;
    for (const llvm::json::Value &result : *results) {
      const llvm::json::Object *fields = result.getAsObject();
      const llvm::json::Object *prints =
          fields != nullptr ? fields->getObject("partialFingerprints") : nullptr;
      if (prints == nullptr) continue;
      if (auto print = prints->getString(kFingerprintKey))
        fingerprints.insert(print->str());
    }
  }
  return fingerprints;
}

}  // namespace rayify
