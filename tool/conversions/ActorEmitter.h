// The edits that turn a class the actor-class pass accepted into a Ray actor: a
// factory beside the class, actor creation where objects were constructed, actor
// tasks where methods were called, and pools where one method is called on every
// actor of a container.
#pragma once

#include <clang/AST/DeclCXX.h>

#include <map>
#include <string>
#include <vector>

#include "analysis/ActorUses.h"
#include "passes/TranslationUnit.h"

namespace rayify {

struct ActorNames {
  std::string qualified;  // how code at file scope names the class: "ns::Account"
  std::string scope;      // the namespaces around the class: "ns::" or ""
  std::map<std::string, double> resources;
  std::string set_name;  // `.SetName("ledger")` when the class asks for a named actor
};

/// A loop over a container of actors whose body is one call nobody reads the value
/// of: it submits to every actor, then waits for all of them. Or one whose body is
/// one expression using the value of one call on the loop's actor
/// (`audits.push_back(a.audit(n))`, `total += a.audit(n)`): it submits to every
/// actor, then evaluates the expression for each value in the loop's order.
/// A counted loop gathers too when its one expression calls `actors[i]` with `i` its
/// counter (`energies[i] = sims[i].energy()`): each value is kept with its `i`.
struct ActorPoolLoop {
  const clang::Stmt *loop = nullptr;  // a range-for, or a for loop with `counter`
  const clang::CXXMemberCallExpr *call = nullptr;
  /// The expression using the call's value, for a gathering pool.
  const clang::Expr *gather = nullptr;
  /// The counter of a counted loop's gathering pool; null for a range-for.
  const clang::VarDecl *counter = nullptr;
  /// The container of actors the loop walks.
  const clang::VarDecl *container = nullptr;
};

/// How code at file scope names `decl`: its namespaces (anonymous ones left out,
/// their names are visible in the file) and its name.
ActorNames NamesOf(const clang::CXXRecordDecl *record);

/// The pools among the loops over containers of actors.
std::vector<ActorPoolLoop> FindPools(const ActorUses &uses, EffectAnalyzer &effects);

struct ActorEmission {
  /// What RAY_REMOTE must list: the factories, then the methods called, in the order
  /// of their first use.
  std::vector<std::string> registered;
  /// The pools that were written as pools (a loop in an awkward place is not).
  std::vector<ActorPoolLoop> pools;
};

/// Makes every edit of the conversion.
ActorEmission EmitActor(const clang::CXXRecordDecl *record, const ActorUses &uses,
                        const ActorNames &names, const std::vector<ActorPoolLoop> &pools,
                        TranslationUnit &unit);

/// The source range of `T` in a variable declared `std::vector<T>`, or an invalid
/// range when the type is spelled another way (an alias, `auto`).
clang::SourceRange VectorElementTypeRange(const clang::VarDecl *var);

}  // namespace rayify
