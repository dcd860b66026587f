// Effect summaries of the functions a project defines, for judging a loop that calls a
// function whose body is in another translation unit. Each unit summarises the
// functions its main file defines (first pass over the project); Link() follows the
// calls each summary could not see into the other summaries, so a loop in one file is
// judged with everything its callee does in any file. Plain C++: the driver links,
// the Clang stage reads.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/ProjectCalls.h"

namespace rayify {

/// What one call of a function does, in the terms of the effect analysis
/// (analysis/CalleeEffects.h). Each string is empty when the effect is absent, else a
/// phrase for a message ("calls std::printf").
struct EffectPhrases {
  std::string io;
  std::string global_write;
  std::string not_visible;     // calls a function of the program whose body is not here
  std::string unknown_call;    // a call rayify cannot resolve, or an unknown library call
  std::string may_throw;       // throws, or calls something that reports errors so
  std::string exits;           // ends the program (exit, abort)
  bool has_loop = false;       // a loop or recursion somewhere: work worth a task
  bool writes_object = false;  // a member function changing its own object
  /// Writes memory no named variable stands for: through a pointer or reference it
  /// cannot follow, one a global holds, or what casting away const reaches.
  bool untracked_write = false;

  /// Adds `other`'s effects; a phrase already set stays.
  void MergePhrases(const EffectPhrases &other);
};

/// The effects of a function as another unit sees them.
struct FunctionEffectSummary : EffectPhrases {
  /// Mutable globals it reads, by USR, with their names for messages.
  std::map<std::string, std::string> globals_read;
  /// Those a static local's initializer reads (Effects::globals_read_once).
  std::map<std::string, std::string> globals_read_once;
  /// Globals and statics it writes, by USR, with their names.
  std::map<std::string, std::string> globals_written;
  /// Reads memory through a global pointer or reference (other than one to a block
  /// only that global reaches): what it reads has names it does not list.
  bool reads_through_global = false;

  void Merge(const FunctionEffectSummary &other);
};

/// A pointer parameter through which a function fills the array it receives, from the
/// first element and before anything reads it, and which it only ever subscripts (no
/// copy of the pointer outlives the call). Elements 0 to `scale * argument + offset`
/// get new values, `argument` being the call's argument at `bound_parameter` (the
/// constant `offset` alone when that is -1).
struct ParameterFill {
  int bound_parameter = -1;
  long long scale = 0;
  long long offset = 0;
};

struct FunctionSummary {
  std::string usr;   // Clang's unified symbol resolution: one name across files
  std::string name;  // qualified, for messages
  std::string file;  // the input that defines it
  /// Its own effects and those of the functions its file shows.
  FunctionEffectSummary effects;
  /// Functions it calls (directly or through functions of its file) whose bodies
  /// its file does not have: USR and name.
  std::map<std::string, std::string> calls_unseen;
  /// The pointer parameters it fills, by position.
  std::map<unsigned, ParameterFill> fills;
  /// The pointer parameters it only dereferences or indexes (no copy outlives a call).
  std::set<unsigned> unkept_pointers;
  /// The plain `T &` parameters its body only reads through, by position: a caller
  /// in another unit may hand such a parameter a task's copy.
  std::set<unsigned> read_only_references;

  /// How its defining file registers it with RAY_REMOTE (its qualified name, or a
  /// RAY_FUNC cast for an overload); empty when it cannot be a task (a member).
  std::string registration;
  /// The comment lines above its definition (a `rayify: resources(...)` annotation).
  std::string comment_above;
  bool registered = false;        // the file already registers it
  bool includes_ray_api = false;  // the file already includes <ray/api.h>
  unsigned include_offset = 0;    // where an #include goes: after the file's own
};

class ProjectSummaries {
 public:
  /// A second definition of one USR makes it ambiguous: which one a caller gets
  /// depends on what is linked, so neither is used.
  void Add(const FunctionSummary &summary);
  /// Globals a unit changes (or lets escape), by USR.
  void AddChangedGlobals(const std::vector<std::string> &usrs);

  /// Merges into each summary the effects of the summarised functions it reaches
  /// through calls its own file could not see; a call reaching no summary is
  /// `not_visible`.
  void Link();

  /// The linked summary of `usr`, or null when no file, or more than one, defines it.
  const FunctionSummary *Find(const std::string &usr) const;
  /// True when more than one file defines `usr`.
  bool DefinedTwice(const std::string &usr) const;
  /// True when some unit of the project changes the global `usr`.
  bool Changes(const std::string &usr) const;
  bool Empty() const { return summaries_.empty(); }

  /// Driver code across the project's files, or null unless every unit of a whole
  /// program was planned (a unit left out could call anything).
  const ProjectCalls *Calls() const { return calls_known_ ? &calls_ : nullptr; }
  void SetCalls(ProjectCalls calls) {
    calls_ = std::move(calls);
    calls_known_ = true;
  }

 private:
  std::map<std::string, FunctionSummary> summaries_;
  std::set<std::string> defined_twice_;
  std::set<std::string> changed_globals_;
  ProjectCalls calls_;
  bool calls_known_ = false;
};

}  // namespace rayify
