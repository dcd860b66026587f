// Standard algorithms that are loops in disguise, in driver code:
//
//   std::transform(in.begin(), in.end(), out.begin(), f);            (each out[k] =
//   f(in[k])) std::transform(in.begin(), in.end(), std::back_inserter(out), f);
//   std::for_each(v.begin(), v.end(), g);        (g takes the element by non-const
//   reference)
//
// with `f`/`g` a function of the program or a capture-free lambda. Each element goes
// to a task of a generated function `<function>_<algorithm>_<line>` that calls `f` (or
// `g`, returning the changed element); the results are written back in element order.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

#include <optional>

#include "model/Finding.h"
#include "passes/TranslationUnit.h"

namespace rayify {

/// True for a call of std::transform or std::for_each over `container.begin()` and
/// `container.end()`: a statement TaskLoopPass decides like a loop.
bool IsAlgorithmLoop(const clang::Stmt *stmt);

/// The decision for such a call standing in the block `parent` of `function`, with
/// the edits when it converts.
Finding DecideAlgorithmLoop(const clang::CallExpr *call, const clang::Stmt *parent,
                            const clang::FunctionDecl *function, TranslationUnit &unit);

}  // namespace rayify
