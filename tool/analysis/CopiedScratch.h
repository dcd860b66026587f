// Scratch arrays that every iteration of a loop refills before it reads them, in a
// shape privatisation (PrivateValues.h) cannot prove private: rows filled from the
// first up to a bound the loop never changes, then read anywhere and rewritten only
// within what was filled. NPB LU fills `flux[i][0..4]` for `i < nx`, then reads
// `flux[i - 1]` to `flux[iend]`, where nothing in the program says `iend < nx`.
//
// Each task works on a copy of the array as the loop found it, and the last
// iteration's copy becomes the array after the loop. That is exact: every iteration
// writes the same elements W (the fill's rows; later writes stay inside them) before
// it reads any of them. Run in order, an iteration reads of W only what it wrote
// itself, and of the rest only what the loop found; after the loop W holds what the
// last iteration wrote and the rest is as the loop found it. A copy taken before the
// loop gives each task the same, and the last iteration's copy is the array after.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include "analysis/CalleeEffects.h"
#include "analysis/GlobalMutations.h"

namespace rayify {

/// True when `var`, which `loop` (a for loop of `function`) writes, is scratch the
/// tasks may copy (above):
/// - an array of numbers the task can be sent (SentArrayType): a local of `function`,
///   or a global of this file alone, that every piece of code names only as a whole
///   element (`flux[i][m]`), read, assigned or stepped: no address, no reference, no
///   row handed out;
/// - no function the loop calls names it, and the loop calls nothing unknown;
/// - the body holds no jump (`break`, `continue`, `return`, `goto`, `throw`), and its
///   first statement naming `var` is the fill, or a for loop whose bounds the loop
///   never changes, whose body starts the same way, and after which nothing names
///   `var`;
/// - the fill is `for (r = 0; r < n; r++) { ... }` with `n` unchanged by the loop,
///   storing every element of row `r` (constant subscripts, or inner loops of
///   constant bounds over one subscript each) with values that do not read `var`;
/// - what follows the fill in its block writes `var` only in rows the fill stored.
bool IsCopiedScratch(const clang::VarDecl *var, const clang::ForStmt *loop,
                     const clang::FunctionDecl *function, EffectAnalyzer &effects,
                     const GlobalMutations &mutations, clang::ASTContext &context);

}  // namespace rayify
