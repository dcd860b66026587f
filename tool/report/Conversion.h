// What converting one file produced: the decision for every driver loop and the text
// edits that implement the conversions. Plain C++, shared by the Clang front end, the
// emitter and the reports.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rayify {

/// Why a loop stays sequential. The codes are part of rayify's interface
/// (DESIGN.md, resources/reason-codes.md).
enum class SkipReason {
  kLoopCarriedDependency,
  kGlobalWrite,
  kIo,
  kNonConstReference,
  kEarlyExit,
  kTooFineGrained,
  kNonSerializable,
  kCalleeNotVisible,
  kUnsupportedShape,
};

const char *ReasonCode(SkipReason reason);

/// The outcome for one loop of driver code.
struct LoopDecision {
  unsigned line = 0;  // of the loop keyword, 1-based
  bool converted = false;
  // Converted loops:
  std::string kind;      // "task" or "reduction"
  std::string function;  // the callee that became a task
  std::string variable;  // where results go
  std::map<std::string, double> resources;
  std::vector<std::string> put_variables;  // arguments placed in the object store once
  bool throttled = false;  // submissions bounded by ray::Wait (run-time trip count)
  // Skipped loops:
  SkipReason reason = SkipReason::kUnsupportedShape;
  std::string message;  // one sentence, for people
};

/// A replacement of [offset, offset + length) of the original text.
struct TextEdit {
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
};

struct FileConversion {
  std::string input;
  std::string output;
  std::string original;   // the input's text
  std::string converted;  // the result of applying `edits` (equal when nothing changed)
  std::vector<TextEdit> edits;
  std::vector<LoopDecision> decisions;
  bool already_converted = false;
  std::string error;  // non-empty when the file failed
};

/// Applies non-overlapping edits to `text`; throws std::invalid_argument on overlap.
std::string ApplyEdits(const std::string &text, std::vector<TextEdit> edits);

}  // namespace rayify
