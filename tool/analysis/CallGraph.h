// Who calls whom: callers are the functions (member functions, constructors and
// destructors included) whose bodies hold the call, and static initialization.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <map>
#include <set>
#include <vector>

namespace rayify {

class CallGraph {
 public:
  explicit CallGraph(clang::ASTContext &context);

  /// Function definitions of the main file, in source order.
  const std::vector<const clang::FunctionDecl *> &Definitions() const {
    return definitions_;
  }
  /// The program's main, or null.
  const clang::FunctionDecl *Main() const { return main_; }
  /// Canonical declarations of the functions whose bodies call `function`.
  std::set<const clang::FunctionDecl *> CallersOf(
      const clang::FunctionDecl *function) const;
  /// True when initialising a global calls `function` directly: before main.
  bool CalledDuringStaticInit(const clang::FunctionDecl *function) const;
  /// Functions of the main file that run on the driver between ray::Init and
  /// ray::Shutdown: main, and the free functions that only main calls and that static
  /// initialization does not (it may run them before ray::Init). Main comes first.
  std::vector<const clang::FunctionDecl *> DriverFunctions() const;

 private:
  friend class CallGraphBuilder;
  std::vector<const clang::FunctionDecl *> definitions_;
  std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>> callers_;
  std::set<const clang::FunctionDecl *> static_init_callees_;
  const clang::FunctionDecl *main_ = nullptr;
};

}  // namespace rayify
