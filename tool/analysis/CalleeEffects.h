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

namespace rayify {

/// The phrases and flags of EffectPhrases, with the variables behind them.
struct Effects : EffectPhrases {
  /// Globals and statics it reads (canonical declarations), and those it writes.
  std::set<const clang::VarDecl *> globals_read;
  std::set<const clang::VarDecl *> globals_written;
  /// Mutable globals read by functions known only from a project summary: USR and
  /// name (the global may not be declared here at all).
  std::map<std::string, std::string> summary_globals_read;
  /// Functions it calls whose bodies are not here and no summary gives: USR and name.
  std::map<std::string, std::string> unseen;

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

  /// True for functions from system headers, the standard library and builtins:
  /// judged by LibraryModel, never looked into.
  bool IsLibraryFunction(const clang::FunctionDecl *function) const;

  /// The project's summary of `function` when its body is in another unit, else null.
  const FunctionSummary *SummaryOf(const clang::FunctionDecl *function) const;
  const ProjectSummaries *Project() const { return project_; }
  /// Every function without a body here that the analysis asked about, by USR.
  const std::set<std::string> &AskedWithoutBody() const { return asked_without_body_; }

 private:
  /// Effects of a function whose body is not in this unit: its project summary, or
  /// `not_visible`.
  Effects OfBodiless(const clang::FunctionDecl *function);
  void Scan(const clang::Stmt *stmt, Effects &effects);
  void ScanChildren(const clang::Stmt *stmt, Effects &effects);
  void ScanCall(const clang::FunctionDecl *callee, const clang::Expr *call,
                Effects &effects);
  void ScanLibraryCall(const clang::FunctionDecl *callee, const clang::Expr *call,
                       Effects &effects);
  void ScanCallableArguments(const clang::Expr *call, Effects &effects);
  void NoteWrite(const clang::Expr *target, Effects &effects);
  void NoteRead(const clang::VarDecl *var, Effects &effects);

  /// The effect the configuration gives `callee`, if it lists it.
  std::optional<LibraryEffect> ListedEffect(const clang::FunctionDecl *callee) const;

  clang::ASTContext &context_;
  const Settings *settings_;
  const ProjectSummaries *project_;
  std::set<std::string> asked_without_body_;
  std::map<const clang::FunctionDecl *, Effects> cache_;
  /// Functions being scanned, outermost first; a call back into one of them is a
  /// cycle, and the functions inside the cycle are complete only once its head is.
  std::vector<const clang::FunctionDecl *> stack_;
  size_t lowest_open_cycle_ = SIZE_MAX;
};

/// Clang's unified symbol resolution of `decl`: the same in every unit declaring it.
std::string UsrOf(const clang::Decl *decl);

/// True for for, range-for, while and do statements.
bool IsLoop(const clang::Stmt *stmt);

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
