#include "report/Conversion.h"

#include <algorithm>
#include <stdexcept>

namespace rayify {

const char *ReasonCode(SkipReason reason) {
  switch (reason) {
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
    case SkipReason::kNonSerializable:
      return "non-serializable";
    case SkipReason::kCalleeNotVisible:
      return "callee-not-visible";
    case SkipReason::kUnsupportedShape:
      return "unsupported-shape";
  }
  return "unknown";
}

std::string ApplyEdits(const std::string &text, std::vector<TextEdit> edits) {
  // Stable: several insertions at one offset keep the order they were made in, and
  // go before a replacement that starts there.
  std::stable_sort(edits.begin(), edits.end(), [](const TextEdit &a, const TextEdit &b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.length == 0 && b.length > 0;
  });
  std::string out;
  out.reserve(text.size() + 1024);
  unsigned cursor = 0;
  for (const auto &edit : edits) {
    if (edit.offset < cursor || edit.offset + edit.length > text.size()) {
      throw std::invalid_argument("overlapping or out-of-range edit at offset " +
                                  std::to_string(edit.offset));
    }
    out.append(text, cursor, edit.offset - cursor);
    out += edit.text;
    cursor = edit.offset + edit.length;
  }
  out.append(text, cursor, std::string::npos);
  return out;
}

}  // namespace rayify
