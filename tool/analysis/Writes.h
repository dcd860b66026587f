// What counts as a write: the one definition that the callee effects and the loop
// safety checks share, so they can never disagree about what a statement changes.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/Type.h>
#include <llvm/ADT/STLFunctionalExtras.h>

namespace rayify {

/// True for a parameter through which a callee can change what the caller passed:
/// an lvalue reference or a pointer to non-const, or to a const object that still
/// changes (ChangesWhenConst). Function pointers are not.
bool IsMutableByReference(clang::QualType param);

/// `T &` with T not const: a binding through which the referent may be changed.
bool IsNonConstLValueReference(clang::QualType type);

/// Where the arguments matching `callee`'s parameters start in `call`: 1 for a member
/// operator, whose first argument is its object, else 0.
unsigned FirstParameterArgument(const clang::CallExpr *call,
                                const clang::FunctionDecl *callee);

/// True when a const object of `type` (or of its elements) can still change: its
/// class, a base or a member held by value has a `mutable` field, which const member
/// functions may write (a memo a const getter fills, a call counter).
bool ChangesWhenConst(clang::QualType type);

/// Calls `visit` with every expression `stmt` itself may write, not looking into its
/// children: the left side of an assignment, the operand of ++ and --, the object of
/// a non-const member function or operator that is not a mere accessor, and every
/// argument of a call or construction bound to a parameter for which
/// IsMutableByReference holds.
void ForEachWrite(const clang::Stmt *stmt,
                  llvm::function_ref<void(const clang::Expr *target)> visit);

/// Whether `stmt` itself, not looking into its children, lets `var` be changed under
/// another name: takes its address, declares a non-const reference to it (any
/// reference with `any_reference`), or captures it by reference in a lambda.
bool LetsOut(const clang::Stmt *stmt, const clang::VarDecl *var,
             bool any_reference = false);

/// What a write to an lvalue changes.
struct WriteTarget {
  enum Kind {
    kVariable,     // `var` (a global, a static, a local or a parameter)
    kThisObject,   // a member of the object a member function runs on
    kFreshMemory,  // memory the function allocated itself (new, malloc)
    kUnknown,      // a reference or pointer rayify cannot follow to a variable
  };
  Kind kind = kUnknown;
  const clang::VarDecl *var = nullptr;
  /// For kFreshMemory reached through a local pointer: the pointer the allocation
  /// was stored in (LocalBlocks.h), whose block the write lands in.
  const clang::VarDecl *block = nullptr;
};

/// Follows `target` to what it writes: through members, subscripts, dereferences,
/// pointer arithmetic, accessors, library calls that hand out a part of their first
/// argument (std::get, std::max_element), and local references, pointers and
/// iterators to what they were initialised from.
WriteTarget ResolveWriteTarget(const clang::Expr *target);

/// The variable `ref` names; for a name a structured binding gives, the binding's
/// hidden variable (writing the name writes part of what that holds or refers to).
const clang::VarDecl *NamedVariable(const clang::DeclRefExpr *ref);

/// References, pointers, iterators and other views: variables that stand for
/// something else.
bool IsIndirection(clang::QualType type);

/// `stmt` as a member of the object a member function runs on, named through `this`
/// (written or implied); null for anything else.
const clang::MemberExpr *MemberOfThis(const clang::Stmt *stmt);

/// The first use in `stmt` of the object a member function runs on that counts: a
/// member named through `this` that `counts` accepts (its `this` is part of it, no
/// use apart), or `this` itself. Null when there is none.
const clang::Expr *UseOfThis(const clang::Stmt *stmt,
                             llvm::function_ref<bool(const clang::MemberExpr *)> counts);

}  // namespace rayify
