// Pointer parameters that always stand for one array. C-style code hands its arrays
// to helpers as pointers (`static void conj_grad(int rowstr[], double q[], ...)`,
// called as `conj_grad(rowstr, q, ...)` with file-scope arrays): inside the helper the
// extent is gone, so its loops could send nothing. When every call of a function of
// this unit's own passes, in one position, the same array variable, and the function
// never points the parameter elsewhere, the parameter is that array under another
// name: a task can be sent the array, and an own slice written back through the
// parameter lands in it.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <map>
#include <string>

#include "model/ProjectCalls.h"

namespace rayify {

class GlobalMutations;

/// The array a pointer parameter always points to the start of.
struct BoundArray {
  /// The variable every call passes: a C array of numbers (a global, a static or a
  /// local of the caller), a global pointer to a fixed block (FixedBlock), or a
  /// local pointer of main's to a block of a run-time size (LocalBlocks.h).
  const clang::VarDecl *array = nullptr;
  /// The array type the parameter points into (`double[1401]`); null for a block of
  /// a run-time size, which has none.
  clang::QualType type;
};

/// Every pointer parameter of a function of this unit with internal linkage, whose
/// address nothing takes, that each of its calls (at least one) passes the same
/// array variable, the element type matching, when no other parameter of the same
/// function is passed that variable and the function neither changes the parameter
/// itself (`p = q`, `++p`), nor takes its address, nor asks its size.
std::map<const clang::ParmVarDecl *, BoundArray> BindParameters(
    clang::ASTContext &context, const GlobalMutations &mutations);

/// Whether every call of the function declaring `a` and `b`, two of its reference
/// parameters, passes them two different whole objects by name (locals, parameters
/// taken by value, globals: `step(cur, next)`, `step(next, cur)`), so that the two
/// cannot share storage; a pointer parameter, pointers into two different whole
/// objects (`fill(out, in.data())`). Only when all its calls are known: the function has
/// at least one call and is named nowhere but in its calls, and is declared in this file
/// alone, or, declared in a header, `project` (a whole program's calls, null when not
/// known) lists the calls of every file.
bool DistinctAtEveryCall(const clang::ParmVarDecl *a, const clang::ParmVarDecl *b,
                         clang::ASTContext &context, const ProjectCalls *project);

/// Whether every call of the function declaring `parameter`, a reference, passes it a
/// local variable of the caller by name (not a reference, not a global or static,
/// not a part of anything), so that nothing but the parameter reaches that object
/// while the function runs unless its address was handed out. Only when all its calls
/// are known, as DistinctAtEveryCall asks.
bool LocalAtEveryCall(const clang::ParmVarDecl *parameter, clang::ASTContext &context,
                      const ProjectCalls *project);

/// The whole object `arg` names: a variable that is not a reference (a local, a
/// parameter taken by value, a static or a global); null for anything else (an
/// element, a member, a dereference, a reference, which may be a part of something).
const clang::VarDecl *WholeObject(const clang::Expr *arg);

/// The whole object a pointer argument points into: `v.data()`, `&v[k]`, `&s.part`,
/// an array `a` (its first element), and any of them plus or minus an offset; null for
/// anything else (a pointer variable, which may point anywhere).
const clang::VarDecl *PointedObject(const clang::Expr *arg);

/// What `call` of `callee` passes, argument by argument, as the project compares
/// calls across units: each whole object by USR (ObjectKey), and for a pointer
/// parameter the object it points into (PointedObject).
CallArguments PassedBy(const clang::CallExpr *call, const clang::FunctionDecl *callee);
std::string ObjectKey(const clang::VarDecl *var);

/// Every call of a free function in this unit's code (template instantiations
/// included) into `out.arguments`, and the functions it names other than by calling
/// them into `out.used_otherwise`: the project then knows every call of a function
/// a header declares.
void ListCallArguments(clang::ASTContext &context, UnitCalls &out);

}  // namespace rayify
