// Local pointers that own a block of numbers whose size is known only when the program
// runs: `float *J = (float *)malloc(sizeof(float) * size_I);`, or declared first and
// set once (`J = new float[n];`). C-style code keeps its arrays this way. Such a
// pointer stands for one array, as a std::vector would: a task can be sent a copy of
// the block (its element count taken where the block is made) and read it, and
// element stores through it can be replayed on the driver.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <string>

namespace rayify {

class GlobalMutations;

/// A local pointer set exactly once, to a fresh block.
struct LocalBlock {
  const clang::VarDecl *pointer = nullptr;
  /// The numbers the block holds (the pointee, unqualified).
  clang::QualType element;
  /// The statement that makes the block (the pointer's declaration, or an assignment
  /// statement), directly inside a block of the function: a count can be declared
  /// right after it.
  const clang::Stmt *made = nullptr;
  /// How many elements: `count` alone (`new T[count]`), `count * size` (`calloc`), or
  /// `bytes / sizeof(element)` (`malloc(bytes)`). Side-effect free, so evaluating it
  /// again right after `made` gives the size the block was made with.
  const clang::Expr *count = nullptr;
  const clang::Expr *size = nullptr;
  const clang::Expr *bytes = nullptr;
};

/// `var` as a LocalBlock: a pointer to numbers (integers but bool, float or double;
/// not volatile) declared in a function (not a parameter, not static), made by
/// exactly one statement, `malloc(bytes)`, `calloc(count, size)` or `new T[count]`
/// under any casts, with a size expression free of side effects spelled in the file;
/// never otherwise assigned, stepped, passed by non-const reference, captured by
/// reference or having its address taken; in a function with no `goto`. nullopt for
/// anything else, and with `why`, the reason ("is set more than once").
std::optional<LocalBlock> LocalBlockOf(const clang::VarDecl *var,
                                       clang::ASTContext &context,
                                       std::string *why = nullptr);

/// The LocalBlock `var` is, when `loop` runs only after its block is made: the making
/// statement precedes, in the same block, the statement holding the loop (or a block
/// holding it).
std::optional<LocalBlock> LocalBlockAt(const clang::VarDecl *var, const clang::Stmt *loop,
                                       clang::ASTContext &context,
                                       std::string *why = nullptr);

/// The block a loop may send for `var`: its own, LocalBlockAt `loop`, or, for a
/// parameter every call gives one of main's blocks (BoundParameters.h), that block.
std::optional<LocalBlock> SentBlock(const clang::VarDecl *var, const clang::Stmt *loop,
                                    const GlobalMutations &mutations,
                                    clang::ASTContext &context);

}  // namespace rayify
