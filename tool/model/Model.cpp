#include <algorithm>
#include <tuple>

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

}  // namespace

AppliedEdits ApplyEdits(const std::string &text, std::vector<Edit> edits) {
  SortForApplying(edits);
  AppliedEdits result;
  result.text.reserve(text.size() + 1024);
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
    result.text.append(text, cursor, edit.offset - cursor);
    result.text += edit.text;
    cursor = edit.offset + edit.length;
  }
  result.text.append(text, cursor, std::string::npos);
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
