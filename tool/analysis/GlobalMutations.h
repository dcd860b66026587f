// The globals and statics a program may change once it runs. A task reads its own
// process's copy of a global: the value it was initialised with, not what the driver
// wrote since. Reading one the program changes therefore differs on a cluster.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <set>

namespace rayify {

class EffectAnalyzer;

class GlobalMutations {
 public:
  /// Scans every function and global initializer the program defines (not system
  /// headers). A global counts as changed when something writes it, or when its
  /// address or a non-const reference to it escapes, after which anything might.
  GlobalMutations(clang::ASTContext &context, EffectAnalyzer &effects);

  /// True when a task reading `var` could see another value than the driver: it is
  /// changed, or it is a pointer or reference (what it leads to may be).
  bool MayChange(const clang::VarDecl *var) const;

 private:
  friend class GlobalMutationScanner;
  std::set<const clang::VarDecl *> changed_;
};

}  // namespace rayify
