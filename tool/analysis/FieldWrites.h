// Which fields of a struct variable a loop stores into by name, so that a loop header
// reading one field (`i < g.n`) is not held against a body storing into another
// (`g.cells[i] = f(i)`).
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

#include <map>
#include <optional>
#include <vector>

namespace rayify {

/// How a loop writes one field of a variable.
struct FieldWrite {
  /// Every write stores an element of the field (`g.cells[i] = x`, `g.rows[i][j] += x`),
  /// which never changes its size.
  bool elements_only = true;
};

/// The field of `var` that the write `target` stores into by name: `var.f = x`,
/// `var.f[i] = x`, `var.f.g[j] += x`, through members and subscripts of what `var`
/// holds in itself (C arrays, std::vector, std::array, std::deque). nullptr for any
/// other write (the whole variable, a method, a pointer or reference member, a union),
/// which may change any field. `elements_only` is cleared when no subscript applies
/// to the field itself.
const clang::FieldDecl *FieldStoredInto(const clang::Expr *target,
                                        const clang::VarDecl *var, bool &elements_only);

/// The fields of `var` the writes `targets` store into, or nullopt when one of them
/// may change any field.
std::optional<std::map<const clang::FieldDecl *, FieldWrite>> FieldsWritten(
    const std::vector<const clang::Expr *> &targets, const clang::VarDecl *var);

/// Whether `stmt` reads what `written` says the loop writes of `var`: a field it
/// writes (but not `var.f.size()` or `var.f.empty()` of a field whose elements only
/// are stored), or `var` other than by a field named directly (`var`, a method, a
/// reference to it).
bool ReadsWrittenFields(const clang::Stmt *stmt, const clang::VarDecl *var,
                        const std::map<const clang::FieldDecl *, FieldWrite> &written);

}  // namespace rayify
