// Who calls whom: callers are the functions (member functions, constructors and
// destructors included) whose bodies hold the call, and static initialization.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace rayify {

/// True for a method named as the standard library's templates call methods on the
/// objects they are handed (`push_back`, `begin`, `size`, `swap`, ...).
bool NamedForTheLibrary(const clang::CXXMethodDecl *method);

/// True for a member function template, or a member of a class template (pattern or
/// specialization) or of a class local to a function.
bool InTemplateOrLocalClass(const clang::CXXMethodDecl *method);

class CallGraph {
 public:
  explicit CallGraph(clang::ASTContext &context);

  /// Function definitions of the main file, in source order.
  const std::vector<const clang::FunctionDecl *> &Definitions() const {
    return definitions_;
  }
  /// Every function definition written in the main file, member functions,
  /// constructors and templates included (not a lambda's call operator), in source
  /// order: where the loops are that driver code does not cover.
  const std::vector<const clang::FunctionDecl *> &Bodies() const { return bodies_; }
  /// The program's main, or null.
  const clang::FunctionDecl *Main() const { return main_; }
  /// Canonical declarations of the functions whose bodies call `function`.
  std::set<const clang::FunctionDecl *> CallersOf(
      const clang::FunctionDecl *function) const;
  /// True when initialising a global calls `function` directly: before main.
  bool CalledDuringStaticInit(const clang::FunctionDecl *function) const;
  /// True when the program uses `function` other than by calling it: a pointer or
  /// reference to it may run it anywhere, at any time (atexit, a callback, a thread).
  bool AddressTaken(const clang::FunctionDecl *function) const;
  /// Functions of the main file that run on the driver between ray::Init and
  /// ray::Shutdown: main, and every free function of the main file all of whose
  /// callers are driver functions, so it runs only under main however deep (not
  /// called during static initialization, which may run before ray::Init, nor used
  /// by address, nor recursive). Callers come before their callees, main first.
  std::vector<const clang::FunctionDecl *> DriverFunctions() const;
  /// The same with plain member functions (OnlyCalledMethod) judged as free functions
  /// are, none of a class in `actor_classes`.
  std::vector<const clang::FunctionDecl *> DriverFunctionsWithMethods(
      const std::set<const clang::CXXRecordDecl *> &actor_classes) const;
  /// Main and the free functions only main calls (the driver functions before calls
  /// were followed deeper). A task may call a deeper driver function, so what may
  /// happen only on the driver (creating actors) keeps to these.
  std::vector<const clang::FunctionDecl *> MainAndItsHelpers() const;
  /// Every call of `function` in this unit, or nullopt when it may also be called in
  /// ways these calls do not show: through its address, a template or a virtual
  /// call, from inside the library (an operator or conversion), or from another unit
  /// (it is visible outside this file, and this file has no main). Constructors are
  /// not listed (they run without a CallExpr).
  std::optional<std::vector<const clang::CallExpr *>> EveryCallOf(
      const clang::FunctionDecl *function) const;
  /// Callers by callee (canonical declarations), for a summary of the unit's calls.
  const std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>>
      &Callers() const {
    return callers_;
  }
  const std::set<const clang::FunctionDecl *> &StaticInitCallees() const {
    return static_init_callees_;
  }
  const std::set<const clang::FunctionDecl *> &AddressTakenFunctions() const {
    return address_taken_;
  }
  /// True when `function` is, or is reachable through calls from, one of `roots`.
  bool ReachableFrom(const clang::FunctionDecl *function,
                     const std::set<const clang::FunctionDecl *> &roots) const;

 private:
  friend class CallGraphBuilder;
  bool OnlyCalled(const clang::FunctionDecl *function) const;
  bool OnlyCalledMethod(
      const clang::CXXMethodDecl *method,
      const std::set<const clang::CXXRecordDecl *> &actor_classes) const;
  /// The free functions OnlyCalled accepts.
  std::vector<const clang::FunctionDecl *> OnlyCalledFunctions() const;
  /// Main, then those of `candidates` all of whose callers come before them.
  std::vector<const clang::FunctionDecl *> UnderMain(
      const std::vector<const clang::FunctionDecl *> &candidates) const;
  std::vector<const clang::FunctionDecl *> definitions_;
  /// Member function definitions of the main file (not a lambda's), in source order.
  std::vector<const clang::CXXMethodDecl *> methods_;
  std::vector<const clang::FunctionDecl *> bodies_;
  std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>> callers_;
  std::map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>> calls_;
  std::set<const clang::FunctionDecl *> static_init_callees_;
  std::set<const clang::FunctionDecl *> address_taken_;
  const clang::FunctionDecl *main_ = nullptr;
};

}  // namespace rayify
