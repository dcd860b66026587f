// Effects of running a function, or a statement, with every call followed into the
// functions this file defines: the facts that decide whether it may run as a task.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <map>
#include <set>
#include <string>

namespace rayify {

/// Each string is empty when the effect is absent, else a phrase for a message
/// ("calls std::printf", "writes the global 'g_count'").
struct Effects {
  std::string io;
  std::string global_write;
  std::string not_visible;
  bool has_loop = false;  // a loop or recursion somewhere: work worth a task

  void Merge(const Effects &other);
};

class EffectAnalyzer {
 public:
  explicit EffectAnalyzer(clang::ASTContext &context) : context_(context) {}

  /// Effects of one call of `function` (cached per function).
  Effects OfFunction(const clang::FunctionDecl *function);

  /// Effects of evaluating `stmt` where it stands, calls included.
  Effects OfStmt(const clang::Stmt *stmt);

  /// True for functions from system headers and the standard library: assumed
  /// free of effects unless they are known I/O or global-state functions.
  bool IsLibraryFunction(const clang::FunctionDecl *function) const;

 private:
  void Scan(const clang::Stmt *stmt, Effects &effects);
  void ScanCall(const clang::FunctionDecl *callee, Effects &effects);
  void NoteWrite(const clang::Expr *target, Effects &effects);

  clang::ASTContext &context_;
  std::map<const clang::FunctionDecl *, Effects> cache_;
  std::set<const clang::FunctionDecl *> in_progress_;
};

/// True for for, range-for, while and do statements.
bool IsLoop(const clang::Stmt *stmt);

/// The variable an lvalue expression ultimately names (`v` in v[i].x), if any.
const clang::VarDecl *BaseVariable(const clang::Expr *expr);

/// True for member functions that hand out access without changing the object
/// (operator[], at, begin, data, ...): a write through their result is seen where
/// it happens, as an assignment.
bool IsAccessor(const clang::CXXMethodDecl *method);

/// True for std::cout, std::cerr, std::clog, std::cin and their wide forms.
bool IsStandardStream(const clang::VarDecl *var);

/// True when `type` is a stream (derives from std::ios_base) that is not a string
/// stream: using one is I/O.
bool IsIoStreamType(clang::QualType type);

}  // namespace rayify
