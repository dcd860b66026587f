// The globals and statics a program may change once it runs. A task reads its own
// process's copy of a global: the value it was initialised with, not what the driver
// wrote since. Reading one the program changes therefore differs on a cluster.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/BoundParameters.h"
#include "model/Summaries.h"

namespace rayify {

class EffectAnalyzer;
struct Effects;

/// The bytes a fresh allocation of a constant size takes: `malloc(n)`, `calloc(n, m)`,
/// `new T[n]`, under any casts; nullopt for anything else.
std::optional<unsigned long long> FreshBlockBytes(const clang::Expr *init,
                                                  clang::ASTContext &context);

/// For a pointer variable whose definition is initialised with such a block: how many
/// of what it points to the block holds (`double (*u)[N][5]` over `malloc(sizeof(double)
/// * M * N * 5)` holds M). nullopt when the block is empty, is not a whole number of
/// them, or the pointee is incomplete.
std::optional<unsigned long long> FreshBlockRows(const clang::VarDecl *pointer,
                                                 clang::ASTContext &context);

class GlobalMutations {
 public:
  /// Scans every function and global initializer the program defines (not system
  /// headers). A global counts as changed when something writes it, or when its
  /// address or a non-const reference to it escapes, after which anything might.
  GlobalMutations(clang::ASTContext &context, EffectAnalyzer &effects);

  /// With a project's summaries, writes in other units count too.
  /// True when a task reading `var` could see another value than the driver: it is
  /// changed, or it is a pointer or reference (what it leads to may be).
  bool MayChange(const clang::VarDecl *var) const;
  /// The same for a global known by USR only (from a project summary): true when any
  /// unit of the project changes it.
  bool MayChange(const std::string &usr) const;

  /// For a global pointer of this unit's own (internal linkage) initialised with a
  /// fresh block of a constant size (`static double (*u)[N][5] = (double (*)[N][5])
  /// malloc(sizeof(double) * M * N * 5);`, `new double[M]`) that nothing ever points
  /// elsewhere: the array type the block holds (`double[M][N][5]`), so the pointer
  /// can be sent as that array. nullopt otherwise.
  std::optional<clang::QualType> FixedBlock(const clang::VarDecl *var) const;

  /// For a pointer parameter that always points to the start of one array
  /// (BindParameters): that array. Null for anything else.
  const BoundArray *BoundTo(const clang::VarDecl *param) const;

  /// This unit's declaration of a global another unit defines, by USR (an `extern`
  /// declaration from a shared header), or null when this unit does not name it:
  /// a task of this unit can then send and install it like one of its own.
  const clang::VarDecl *DeclaredHere(const std::string &usr) const;

  /// The globals this unit changes, by USR, for the project's other units.
  std::vector<std::string> ChangedUsrs() const;
  /// The globals MayChange said no to, by USR: if another unit changes one, the
  /// decisions that relied on it must be made again.
  std::vector<std::string> AssumedUnchanged() const;

 private:
  friend class GlobalMutationScanner;
  std::set<const clang::VarDecl *> changed_;
  /// Global pointers used other than for their value: assigned, stepped, their
  /// address taken, bound to a reference, or named in `sizeof` (which an array sent in
  /// their place would answer differently).
  std::set<const clang::VarDecl *> reseated_;
  std::map<const clang::ParmVarDecl *, BoundArray> bound_;
  clang::ASTContext *context_ = nullptr;
  const ProjectSummaries *project_ = nullptr;
  mutable std::set<std::string> assumed_unchanged_;
  /// DeclaredHere's index, built when first asked.
  mutable std::optional<std::map<std::string, const clang::VarDecl *>> declared_;
};

/// The globals the program changes that a static local's initializer in code with
/// `effects` reads (Effects::globals_read_once, by name): the static keeps what they
/// held at the function's first call in each process, which no install repeats.
std::vector<std::string> ChangedGlobalsReadOnce(const Effects &effects,
                                                const GlobalMutations &mutations);

}  // namespace rayify
