// Driver code across the files of a whole program. Within one unit, driver code is
// main and the free functions of main's file that only driver code calls
// (analysis/CallGraph.h). A project planned from its compilation database also has
// driver code in its other files (`main` → `solve` in solver.cpp → `sweep`): each unit
// lists, by USR, the calls its code makes and the functions it defines, and Link()
// decides over all of them. Plain C++: the driver links, the Clang stage reads.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rayify {

/// A loop outside driver code whose reason waits for the project: in a file without
/// main planned before the project's driver code was known, and not planned again.
struct ProvisionalReason {
  unsigned line = 0, column = 0;  // where the decision starts
  std::string usr;                // the function holding the loop
  std::string lead;               // "the loop is in f(), "
};

/// One call of a free function, as the project compares what calls pass: for each
/// argument the whole object it names (a variable's USR: a local, a parameter taken
/// by value, a static or a global), empty for anything else (an element, a member, a
/// dereference, a reference, a temporary), and whether that object is a local of the
/// caller.
struct CallArguments {
  std::string callee;
  std::vector<std::string> objects;
  std::vector<bool> locals;
};

/// What one unit tells the project about who calls whom, and what its plan assumed.
struct UnitCalls {
  /// main's USR when the main file defines main, else empty.
  std::string main;
  /// Free functions the main file defines that may be driver code: not main, not
  /// templates, of C++ linkage.
  std::vector<std::string> defined;
  /// (caller, callee) for each call in code outside system headers. A caller that
  /// can never be driver code (a member function, a lambda, a template) still counts:
  /// it keeps its callee out.
  std::vector<std::pair<std::string, std::string>> calls;
  /// Functions used other than by a call (their address taken: a callback may run
  /// them anywhere) or called while a global is initialised (before ray::Init).
  std::vector<std::string> used_otherwise;
  std::vector<std::string> called_at_static_init;
  /// Every call of a free function outside system headers, with what it passes.
  std::vector<CallArguments> arguments;
  /// How messages name each function ("f()", "a lambda in main()").
  std::map<std::string, std::string> names;

  // What the plan was made with, so the driver knows when to plan it again:
  /// The functions of the main file it walked as driver code (not what its own tasks
  /// run).
  std::vector<std::string> driver;
  /// Functions that run inside the tasks it submits (what they call runs there too).
  std::vector<std::string> task_roots;
  /// It submits tasks.
  bool submits_tasks = false;
  /// main's file connected to Ray only for tasks that other files submit.
  bool connects_for_others = false;
  std::vector<ProvisionalReason> provisional;
};

class ProjectCalls {
 public:
  void Add(const UnitCalls &unit);
  /// Decides the driver code of the program once every unit was added.
  void Link();

  /// The rank of `usr` among the driver functions, callers before their callees
  /// (main first), or nullopt when it is not driver code.
  std::optional<size_t> DriverRank(const std::string &usr) const;
  /// True when a task some unit submits runs `usr`, directly or not.
  bool RunsInTasks(const std::string &usr) const;
  /// Why `usr` is not driver code, as the end of a sentence ("which nothing in the
  /// project calls").
  std::string WhyNotDriver(const std::string &usr) const;
  /// Some unit submits tasks.
  bool AnySubmits() const { return any_submits_; }
  /// The functions of `unit` that are driver code, by the project's account.
  std::set<std::string> DriverOf(const UnitCalls &unit) const;
  /// Every call of the free function `usr` in any unit, when those are all the ways
  /// it runs: one unit defines it, none uses it other than by calling it or calls it
  /// while initialising a global, and some unit calls it. nullopt otherwise.
  std::optional<std::vector<CallArguments>> EveryCallOf(const std::string &usr) const;

 private:
  std::string NameOf(const std::string &usr) const;
  std::set<std::string> TaskReached() const;

  std::set<std::string> mains_;
  std::map<std::string, int> definitions_;  // how many units define each
  std::map<std::string, std::set<std::string>> callers_;
  std::map<std::string, std::set<std::string>> callees_;
  std::set<std::string> used_otherwise_;
  std::set<std::string> static_init_;
  std::map<std::string, std::string> names_;
  std::set<std::string> task_roots_;
  std::map<std::string, std::vector<CallArguments>> arguments_;  // by callee
  bool any_submits_ = false;

  std::map<std::string, size_t> driver_;  // USR → rank
  std::set<std::string> in_tasks_;
};

}  // namespace rayify
