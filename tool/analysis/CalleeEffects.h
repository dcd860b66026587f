// Effects of running a function, or a statement, with every call followed into the
// functions the program defines and every library call judged by LibraryModel: the
// facts that decide whether it may run as a task.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/LibraryModel.h"
#include "model/Settings.h"
#include "model/Summaries.h"

namespace clang {
class CXXThrowExpr;
class CXXTryStmt;
}  // namespace clang

namespace rayify {

/// The phrases and flags of EffectPhrases, with the variables behind them.
struct Effects : EffectPhrases {
  /// Globals and statics it reads (canonical declarations), and those it writes.
  std::set<const clang::VarDecl *> globals_read;
  std::set<const clang::VarDecl *> globals_written;
  /// Globals a static local's initializer reads: the static keeps their values at the
  /// function's first call in each process, which a task's process makes at another
  /// time than the driver did.
  std::set<const clang::VarDecl *> globals_read_once;
  /// Mutable globals read by functions known only from a project summary: USR and
  /// name (the global may not be declared here at all).
  std::map<std::string, std::string> summary_globals_read;
  /// Those of them a static local's initializer reads, by USR and name.
  std::map<std::string, std::string> summary_globals_read_once;
  /// Globals written by functions known only from a project summary: USR and name.
  std::map<std::string, std::string> summary_globals_written;
  /// A function known only from a project summary reads through a global pointer or
  /// reference (FunctionEffectSummary::reads_through_global).
  bool summary_reads_through_global = false;
  /// Functions it calls whose bodies are not here and no summary gives: USR and name.
  std::map<std::string, std::string> unseen;
  /// Also in `global_write`: state no named global holds that a task's process or
  /// thread does not share with the driver: the library's own (`rand`, `strtok`),
  /// errno, the locale, the floating-point environment, or what casting away const
  /// may write. A loop whose own statements do this cannot be a task.
  std::string unshared_state;
  /// With `may_throw`, what may be thrown: objects of these classes (canonical
  /// declarations), the standard library's own (`at`, `stoi`: classes deriving from
  /// std::exception), or anything (a number, a rethrow, a function of another file or
  /// one the configuration lists), which only `catch (...)` is sure to catch.
  std::set<const clang::CXXRecordDecl *> thrown_classes;
  bool throws_standard_library = false;
  bool throws_unknown = false;

  void Merge(const Effects &other);
};

class EffectAnalyzer {
 public:
  /// `settings` (may be null) adds the user's pure and I/O function lists; `project`
  /// (may be null) the summaries of the functions other units of the project define.
  explicit EffectAnalyzer(clang::ASTContext &context, const Settings *settings = nullptr,
                          const ProjectSummaries *project = nullptr)
      : context_(context), settings_(settings), project_(project) {}

  /// Effects of one call of `function`.
  Effects OfFunction(const clang::FunctionDecl *function);

  /// Effects of evaluating `stmt` where it stands, calls included.
  Effects OfStmt(const clang::Stmt *stmt);

  /// OfStmt without the calls in `left_out` themselves: their arguments count, what
  /// the called functions do does not.
  Effects OfStmtWithout(const clang::Stmt *stmt,
                        const std::set<const clang::CallExpr *> &left_out);

  /// What making, copying and destroying values of `type` runs of the program's code:
  /// default, copy and move constructors, default member initializers and
  /// destructors, of the user records it leads to, their members' and bases'
  /// included. Sending a value to a task, or a result back, makes and destroys
  /// copies the program never made, in the task and on the driver.
  Effects OfCopies(clang::QualType type);

  /// What destroying a value of `type` runs of the program's code: its destructor,
  /// written or implicit, and so its members' and bases' destructors.
  Effects OfDestruction(clang::QualType type);

  /// True for functions from system headers, the standard library and builtins:
  /// judged by LibraryModel, never looked into.
  bool IsLibraryFunction(const clang::FunctionDecl *function) const;

  /// The project's summary of `function` when its body is in another unit, else null.
  const FunctionSummary *SummaryOf(const clang::FunctionDecl *function) const;
  const ProjectSummaries *Project() const { return project_; }
  /// Every unit's calls, when the project is a whole program; null otherwise.
  const ProjectCalls *ProjectCallsKnown() const {
    return project_ != nullptr ? project_->Calls() : nullptr;
  }
  /// Every function without a body here that the analysis asked about, by USR.
  const std::set<std::string> &AskedWithoutBody() const { return asked_without_body_; }

 private:
  /// Effects of a function whose body is not in this unit: its project summary, or
  /// `not_visible`.
  Effects OfBodiless(const clang::FunctionDecl *function);
  const clang::CXXRecordDecl *StandardClass(const std::string &name) const;
  void NoteStandardThrows(const clang::FunctionDecl *callee, Effects &effects);
  /// Scans a function's body (a constructor's initializers are scanned apart).
  void ScanBody(const clang::FunctionDecl *definition, Effects &effects);
  void Scan(const clang::Stmt *stmt, Effects &effects);
  void ScanChildren(const clang::Stmt *stmt, Effects &effects);
  void ScanCall(const clang::FunctionDecl *callee, const clang::Expr *call,
                Effects &effects);
  void ScanLibraryCall(const clang::FunctionDecl *callee, const clang::Expr *call,
                       Effects &effects);
  void ScanCallableArguments(const clang::Expr *call, Effects &effects);
  /// Destroying an object of `type` (or an array of them) when its life ends: what
  /// its destructor, its members' and its bases' run, none of which is a call in the
  /// AST. `seen` stops types that contain themselves through a container.
  void ScanDestruction(clang::QualType type, Effects &effects,
                       std::set<const clang::CXXRecordDecl *> &seen);
  void ScanDestruction(clang::QualType type, Effects &effects);
  /// What library code may run of the user's when a library call is handed the
  /// user's types (in its template arguments, its class's, or its arguments' types):
  /// their constructors, assignments, destructors and the operators and functions a
  /// library calls by name (std::sort's `<`, std::swap's swap, std::hash<T>).
  void ScanLibraryCallbacks(const clang::FunctionDecl *callee, const clang::Expr *call,
                            Effects &effects);
  /// The user's records `type` leads to: through references, pointers, arrays and
  /// the type arguments of library templates (an iterator of vector<T> leads to T).
  void CollectUserRecords(clang::QualType type,
                          std::set<const clang::CXXRecordDecl *> &records,
                          std::set<const clang::CXXRecordDecl *> &seen);
  /// CollectUserRecords, and the records their fields and bases lead to in turn.
  void CollectContainedRecords(clang::QualType type,
                               std::set<const clang::CXXRecordDecl *> &records,
                               std::set<const clang::CXXRecordDecl *> &seen);
  /// ScanLibraryCallbacks' effects for one record, its members' and bases' included.
  Effects CallbackEffectsOf(const clang::CXXRecordDecl *record);
  void ScanCallbacksOf(const clang::CXXRecordDecl *record, Effects &effects,
                       std::set<const clang::CXXRecordDecl *> &seen);
  /// Operators and swap functions the user wrote, and the user's specializations of
  /// library templates (std::hash<Key>): what a library may call by name.
  struct NamedCallbacks {
    std::vector<const clang::FunctionDecl *> functions;
    std::vector<const clang::CXXRecordDecl *> specializations;
  };
  const NamedCallbacks &UserNamedCallbacks();
  void NoteWrite(const clang::Expr *target, Effects &effects);
  void NoteRead(const clang::VarDecl *var, Effects &effects);
  void NoteStaticInitializer(const clang::VarDecl *var, Effects &effects);

  /// Hidden state of the C runtime that the user's code exposes, found in one walk
  /// over it. A task's thread or process does not share it with the driver.
  struct ExposedState {
    /// Reads or writes errno: every C library call may set it (C11 7.5).
    bool errno_used = false;
    /// Sets the locale (setlocale, uselocale, std::locale::global): C library calls
    /// in a task may read another one.
    bool locale_set = false;
    /// Sets or reads the floating-point environment (fesetround, fetestexcept,
    /// ...): a task starts with the default one, so its results and flags may differ.
    bool float_environment_used = false;
  };
  const ExposedState &ProgramExposes();
  /// The effects of the program's replacements of the global operator new and
  /// delete, which every allocation, the library's included, calls.
  const Effects &ReplacedAllocationEffects();
  void NoteFloatingPoint(const clang::Expr *expr, Effects &effects);

  /// The effect the configuration gives `callee`, if it lists it.
  std::optional<LibraryEffect> ListedEffect(const clang::FunctionDecl *callee) const;

  clang::ASTContext &context_;
  const Settings *settings_;
  const ProjectSummaries *project_;
  std::set<std::string> asked_without_body_;
  const std::set<const clang::CallExpr *> *left_out_ = nullptr;
  std::map<const clang::FunctionDecl *, Effects> cache_;
  /// Functions being scanned, outermost first; a call back into one of them is a
  /// cycle, and the functions inside the cycle are complete only once its head is.
  std::vector<const clang::FunctionDecl *> stack_;
  size_t lowest_open_cycle_ = SIZE_MAX;
  std::optional<ExposedState> exposed_;
  std::optional<Effects> replaced_allocation_;
  bool gathering_allocation_ = false;
  std::optional<NamedCallbacks> named_callbacks_;
  std::map<const clang::CXXRecordDecl *, Effects> callback_effects_;
  std::set<const clang::CXXRecordDecl *> callbacks_in_progress_;
};

/// Clang's unified symbol resolution of `decl`: the same in every unit declaring it.
std::string UsrOf(const clang::Decl *decl);

/// `project`'s summary of `function` when this unit does not have its body, else
/// null (so is a null `project`).
const FunctionSummary *SummaryElsewhere(const clang::FunctionDecl *function,
                                        const ProjectSummaries *project);

/// True for for, range-for, while and do statements.
bool IsLoop(const clang::Stmt *stmt);

/// True for a `try` one of whose handlers is `catch (...)`: nothing its block throws
/// leaves it (what its handlers throw does).
bool CatchesEverything(const clang::CXXTryStmt *attempt);

/// True when a handler of `attempt` catches what `thrown` throws: `catch (...)`, or
/// the class thrown or a public unambiguous base of it. A rethrow (`throw;`) and
/// thrown numbers and pointers count as caught by `catch (...)` only.
bool CatchesThrow(const clang::CXXTryStmt *attempt, const clang::CXXThrowExpr *thrown);

/// The variable an lvalue expression ultimately names (`v` in v[i].x), if any.
const clang::VarDecl *BaseVariable(const clang::Expr *expr);

/// True for member functions that hand out access without changing the object
/// (operator[] of sequences, at, begin, data, ...): a write through their result is
/// seen where it happens, as an assignment.
bool IsAccessor(const clang::CXXMethodDecl *method);

/// True for std::cout, std::cerr, std::clog, std::cin and their wide forms.
bool IsStandardStream(const clang::VarDecl *var);

/// True when `type` is a stream (derives from std::ios_base) that is not a string
/// stream: using one is I/O.
bool IsIoStreamType(clang::QualType type);

/// True for a global or static variable a task could see change: not a constant.
bool IsMutableGlobal(const clang::VarDecl *var, clang::ASTContext &context);

}  // namespace rayify
