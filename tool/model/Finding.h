// The data model every pass, the driver and every writer share: findings with
// positions, rule ids and severities, and text edits that name their file. Plain C++:
// nothing here includes Clang, so reports, writers and their tests build fast.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rayify {

/// A 1-based line and column (columns count bytes, as compilers print them).
struct Position {
  unsigned line = 0;
  unsigned column = 0;
};

/// From the first character of `begin` to the last character of `end`, inclusive.
struct Range {
  Position begin;
  Position end;
};

enum class Severity { kNote, kWarning, kError };

/// "note", "warning" or "error", as compilers print them.
const char *SeverityName(Severity severity);

/// Text an edit takes from one of the editable templates: the driver fills it, so the
/// Clang stage never reads templates.
struct TemplateUse {
  std::string name;  // "prologue.inc", "main.inc"
  std::map<std::string, std::string> values;
};

/// A replacement of [offset, offset + length) of `file`'s text as it was parsed.
struct Edit {
  std::string file;
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
  std::optional<TemplateUse> from_template;  // when set, replaces `text`
  /// An insertion applied before the other insertions at its offset, whenever it was
  /// made: the includes a conversion adds must precede code generated at the same
  /// point (a function right after the last include).
  bool ahead = false;
};

/// What a converted loop or class became, for reports.
struct LoopConversion {
  std::string kind;        // "task", "reduction", "actor" or "actor-pool"
  std::string function;    // the callee that became a task; an actor's factory; the
                           // method a pool calls
  std::string class_name;  // the class that became an actor ("actor", "actor-pool")
  std::string variable;    // where results go
  std::map<std::string, double> resources;
  std::vector<std::string> put_variables;  // arguments placed in the object store once
  /// Bytes of what goes to the tasks, by variable, where the source fixes the size
  /// (numbers, C arrays, other trivially copyable values); a container whose size is
  /// known only at run time is absent.
  std::map<std::string, long long> sent_bytes;
  /// Arrays an outlined body updates slice by slice: the bytes of the slice each
  /// iteration sends back, by variable.
  std::map<std::string, long long> slice_bytes;
  /// Targets an outlined body's update statements send back element by element or
  /// value by value: about how many bytes one iteration returns, by variable (inner
  /// loops' trip counts estimated; absent where no size is known).
  std::map<std::string, long long> returned_bytes;
  /// A container the loop walks whose elements its tasks take as the object refs the
  /// task loop at `refs_from_line` filled it with, rather than as values.
  std::string refs_from;
  unsigned refs_from_line = 0;
  std::vector<std::string> methods;  // an actor's methods the driver calls
  /// What the loop's tasks are submitted costliest first by (TaskCost.h), as the
  /// callee writes it ("c.epochs * h"); empty when they go in the loop's order.
  std::string costliest_first;
  bool throttled = false;       // submissions bounded by ray::Wait (run-time trip count)
  long long max_in_flight = 0;  // the ray::Wait window of a throttled loop
  /// The generated function that runs a chunk of consecutive iterations as one task,
  /// when the loop runs in chunks.
  std::string chunk_function;
  /// For an outlined body: the functions of the program its tasks call.
  std::vector<std::string> calls;
  /// For an outlined body: the functions of the program the driver calls in the
  /// tasks' stead, replaying each iteration's calls in order (ReplayedCalls.h).
  std::vector<std::string> replayed;
  /// True when `function` is generated (an outlined body, a function around a
  /// lambda) rather than the program's: `calls` then lists what it calls, if any.
  /// Set wherever `function` is.
  bool outlined = false;
};

/// One thing a pass has to say about the code: a decision on a loop (a conversion or
/// a refusal with its reason code), a lint finding, or a problem applying edits.
struct Finding {
  std::string file;
  Range range;
  std::string rule;  // the pass that produced it: "task-loop", "edit-conflict", ...
  std::string code;  // stable id: a reason code, or "converted"
  Severity severity = Severity::kNote;
  std::string message;  // one sentence, for people
  std::vector<Edit> fix;
  std::optional<LoopConversion> conversion;  // set when a loop was converted

  bool IsConversion() const { return conversion.has_value(); }
  unsigned Line() const { return range.begin.line; }
};

/// The reason code a converted loop's finding carries.
extern const char kConvertedCode[];

/// The rule id of the loop decisions: the task-loop pass's name.
extern const char kTaskLoopRule[];

/// The rule id of the class decisions: the actor-class pass's name.
extern const char kActorRule[];

}  // namespace rayify
