#include <algorithm>
#include <cctype>
#include <string>
#include <tuple>
#include <vector>

#include "model/Edits.h"
#include "model/FileConversion.h"
#include "model/Finding.h"
#include "model/Plan.h"
#include "model/ReasonCodes.h"

namespace rayify {

const char kConvertedCode[] = "converted";
const char kTaskLoopRule[] = "task-loop";
const char kActorRule[] = "actor-class";

const char *SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "note";
}

const char *ReasonCode(SkipReason reason) {
  switch (reason) {
    case SkipReason::kNotDriverCode:
      return "not-driver-code";
    case SkipReason::kLoopCarriedDependency:
      return "loop-carried-dependency";
    case SkipReason::kGlobalWrite:
      return "global-write";
    case SkipReason::kIo:
      return "io";
    case SkipReason::kNonConstReference:
      return "non-const-reference";
    case SkipReason::kEarlyExit:
      return "early-exit";
    case SkipReason::kTooFineGrained:
      return "too-fine-grained";
    case SkipReason::kTooMuchData:
      return "too-much-data";
    case SkipReason::kNonSerializable:
      return "non-serializable";
    case SkipReason::kCalleeNotVisible:
      return "callee-not-visible";
    case SkipReason::kUnsupportedShape:
      return "unsupported-shape";
    case SkipReason::kGlobalRead:
      return "global-read";
    case SkipReason::kUnknownCallee:
      return "unknown-callee";
    case SkipReason::kMayThrow:
      return "may-throw";
    case SkipReason::kMacro:
      return "macro";
    case SkipReason::kDoesNotCompile:
      return "does-not-compile";
    case SkipReason::kActorEscapes:
      return "actor-escapes";
    case SkipReason::kStaticState:
      return "static-state";
    case SkipReason::kIgnored:
      return "ignored";
  }
  return "unknown";
}

std::vector<Edit> Plan::AllEdits() const {
  std::vector<Edit> all;
  for (const Finding &finding : findings) {
    all.insert(all.end(), finding.fix.begin(), finding.fix.end());
  }
  all.insert(all.end(), edits.begin(), edits.end());
  return all;
}

namespace {

// The main file's edits of `plan`, leaving out those of finding `left_out` (none: -1).
std::vector<Edit> MainFileEdits(const Plan &plan, long left_out) {
  std::vector<Edit> edits;
  auto add = [&](const std::vector<Edit> &from) {
    for (const Edit &edit : from) {
      if (edit.file == plan.input) edits.push_back(edit);
    }
  };
  for (size_t k = 0; k < plan.findings.size(); ++k) {
    if (static_cast<long>(k) != left_out) add(plan.findings[k].fix);
  }
  add(plan.edits);
  return edits;
}

}  // namespace

std::optional<unsigned> OverlappingLoopLine(const Plan &plan) {
  auto source = plan.sources.find(plan.input);
  if (source == plan.sources.end() || !plan.error.empty() ||
      !ApplyEdits(source->second, MainFileEdits(plan, -1)).conflict)
    return std::nullopt;
  for (size_t k = 0; k < plan.findings.size(); ++k) {
    const Finding &finding = plan.findings[k];
    if (finding.rule != kTaskLoopRule || !finding.IsConversion() || finding.fix.empty())
      continue;
    if (!ApplyEdits(source->second, MainFileEdits(plan, static_cast<long>(k))).conflict)
      return finding.Line();
  }
  return std::nullopt;
}

Position PositionOf(const std::string &text, unsigned offset) {
  Position position{1, 1};
  for (unsigned i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

namespace {

void SortForApplying(std::vector<Edit> &edits) {
  // At one offset: insertions made ahead, then the other insertions in the order
  // they were made, then the replacement.
  auto rank = [](const Edit &e) { return e.length > 0 ? 2 : e.ahead ? 0 : 1; };
  std::stable_sort(edits.begin(), edits.end(), [&](const Edit &a, const Edit &b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return rank(a) < rank(b);
  });
}

// Offsets of the lines of `text` before which a `#line` directive may stand: not
// inside a block comment or a raw string literal, and not continuing the line before
// (a backslash at its end, as in a multi-line #define). Strings, character literals,
// line comments and digit separators (1'000) are skipped so that what they hold is
// not taken for the start of a comment or a raw string.
std::vector<bool> DirectiveLineStarts(const std::string &text) {
  std::vector<bool> safe(text.size() + 1, false);
  enum { kCode, kLineComment, kBlockComment, kString, kChar, kRaw } state = kCode;
  std::string raw_end;  // `)delim"` closing the raw string
  bool in_number = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    bool line_start = i == 0 || text[i - 1] == '\n';
    bool continued =
        i >= 2 && text[i - 1] == '\n' &&
        (text[i - 2] == '\\' || (text[i - 2] == '\r' && i >= 3 && text[i - 3] == '\\'));
    if (line_start && state == kLineComment && !continued) state = kCode;
    if (line_start && (state == kString || state == kChar) && !continued) state = kCode;
    if (line_start) safe[i] = state == kCode && !continued;
    if (i == text.size()) break;
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (state) {
      case kCode:
        if (in_number && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                          c == '\'' || c == '_'))
          continue;
        in_number = std::isdigit(static_cast<unsigned char>(c)) &&
                    (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                                 text[i - 1] == '_'));
        if (c == '/' && next == '/') {
          state = kLineComment, ++i;
        } else if (c == '/' && next == '*') {
          state = kBlockComment, ++i;
        } else if (c == 'R' && next == '"') {
          size_t open = text.find('(', i + 2);
          if (open == std::string::npos) break;
          raw_end = ")" + text.substr(i + 2, open - i - 2) + "\"";
          state = kRaw, i = open;
        } else if (c == '"') {
          state = kString;
        } else if (c == '\'') {
          state = kChar;
        }
        break;
      case kBlockComment:
        if (c == '*' && next == '/') state = kCode, ++i;
        break;
      case kString:
      case kChar:
        if (c == '\\') {
          ++i;
        } else if (c == (state == kString ? '"' : '\'')) {
          state = kCode;
        }
        break;
      case kRaw:
        if (text.compare(i, raw_end.size(), raw_end) == 0) {
          state = kCode;
          i += raw_end.size() - 1;
        }
        break;
      case kLineComment:
        break;
    }
  }
  return safe;
}

// Whether `text` numbers its lines itself (`#line 40 "grammar.y"`, or a line marker
// `# 40 "grammar.y"`): generated sources, whose numbering rayify must not override.
bool HasLineDirectives(const std::string &text) {
  for (size_t start = 0; start < text.size();) {
    size_t first = text.find_first_not_of(" \t", start);
    if (first != std::string::npos && text[first] == '#') {
      size_t word = text.find_first_not_of(" \t", first + 1);
      if (word != std::string::npos &&
          (text.compare(word, 4, "line") == 0 ||
           std::isdigit(static_cast<unsigned char>(text[word]))))
        return true;
    }
    size_t newline = text.find('\n', start);
    if (newline == std::string::npos) break;
    start = newline + 1;
  }
  return false;
}

// Builds the edited text so that every line of the original keeps its number where
// code was added or removed above it: `#line N` before the first line of original
// text after such an edit (the first that may take a directive), so that `__LINE__`
// in a logging macro prints what the original printed and the compiler's messages
// point at the original's lines.
class LineKeepingText {
 public:
  // `keep` false: the lines are left to drift (the original numbers its own).
  LineKeepingText(const std::string &original, bool keep)
      : original_(original), safe_(DirectiveLineStarts(original)), keep_(keep) {
    out_.reserve(original.size() + 1024);
  }

  // Original text [from, to), with a directive where its lines have drifted.
  void AppendOriginal(unsigned from, unsigned to) {
    for (unsigned i = from; i < to;) {
      ScanTo(i);
      if (keep_ && out_line_ != line_) Resynchronize(i, to);
      size_t newline = original_.find('\n', i);
      unsigned end = newline == std::string::npos || newline + 1 > to
                         ? to
                         : static_cast<unsigned>(newline + 1);
      Append(original_.substr(i, end - i));
      i = end;
    }
  }

  void AppendInserted(const std::string &text) { Append(text); }

  std::string Take() { return std::move(out_); }

 private:
  // Counts the original's lines up to `offset`.
  void ScanTo(unsigned offset) {
    for (; scanned_ < offset; ++scanned_) line_ += original_[scanned_] == '\n';
  }

  // Puts `#line N` before the output line about to receive original text from
  // `offset`, when that text is the first of its line in both (an insertion may end
  // in the line's indentation: `  f();` becoming `  auto r = g();\n  f();`), the line
  // may take a directive and may ask its number.
  void Resynchronize(unsigned offset, unsigned to) {
    size_t line_start = original_.rfind('\n', offset == 0 ? 0 : offset - 1);
    line_start = offset == 0 || line_start == std::string::npos ? 0 : line_start + 1;
    if (!safe_[line_start] || original_.find_first_not_of(" \t", line_start) < offset ||
        !MayNameItsLine(offset, to))
      return;
    size_t out_start = out_.rfind('\n');
    out_start = out_start == std::string::npos ? 0 : out_start + 1;
    if (out_.find_first_not_of(" \t", out_start) != std::string::npos) return;
    out_.insert(out_start, "#line " + std::to_string(line_) + "\n");
    out_line_ = line_;
  }

  // Whether the original text from `offset` to its line's end (or to `to`, where an
  // edit takes over) holds more than braces and semicolons: text that does not
  // cannot ask its line's number, so the directive waits for a line that may.
  bool MayNameItsLine(unsigned offset, unsigned to) const {
    size_t end = std::min<size_t>(original_.find('\n', offset), to);
    size_t other = original_.find_first_not_of(" \t\r{};", offset);
    return other != std::string::npos && other < end;
  }

  void Append(const std::string &text) {
    out_ += text;
    out_line_ += static_cast<unsigned>(std::count(text.begin(), text.end(), '\n'));
  }

  const std::string &original_;
  std::vector<bool> safe_;
  bool keep_;
  std::string out_;
  unsigned out_line_ = 1;  // the number the output's current line goes by
  unsigned line_ = 1;      // the original's line at `scanned_`
  unsigned scanned_ = 0;
};

}  // namespace

AppliedEdits ApplyEdits(const std::string &text, std::vector<Edit> edits) {
  SortForApplying(edits);
  AppliedEdits result;
  if (edits.empty()) {
    result.text = text;
    return result;
  }
  LineKeepingText out(text, !HasLineDirectives(text));
  unsigned cursor = 0;
  for (const Edit &edit : edits) {
    if (edit.offset < cursor || edit.offset + edit.length > text.size()) {
      Position at = PositionOf(text, edit.offset);
      result.conflict = "edits overlap at line " + std::to_string(at.line) + ", column " +
                        std::to_string(at.column) + " (offset " +
                        std::to_string(edit.offset) + ")";
      result.text = text;
      return result;
    }
    out.AppendOriginal(cursor, edit.offset);
    out.AppendInserted(edit.text);
    cursor = edit.offset + edit.length;
  }
  out.AppendOriginal(cursor, static_cast<unsigned>(text.size()));
  result.text = out.Take();
  return result;
}

std::map<std::string, std::vector<Edit>> EditsByFile(const std::vector<Edit> &edits) {
  std::map<std::string, std::vector<Edit>> by_file;
  for (const Edit &edit : edits) by_file[edit.file].push_back(edit);
  return by_file;
}

bool SameEdits(std::vector<Edit> a, std::vector<Edit> b) {
  SortForApplying(a);
  SortForApplying(b);
  auto key = [](const Edit &e) { return std::tie(e.offset, e.length, e.text); };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](const Edit &x, const Edit &y) { return key(x) == key(y); });
}

std::vector<const Finding *> FileConversion::LoopDecisions() const {
  std::vector<const Finding *> decisions;
  for (const Finding &finding : findings) {
    if (finding.rule == kTaskLoopRule || finding.rule == kActorRule) {
      decisions.push_back(&finding);
    }
  }
  std::stable_sort(
      decisions.begin(), decisions.end(),
      [](const Finding *a, const Finding *b) { return a->Line() < b->Line(); });
  return decisions;
}

}  // namespace rayify
