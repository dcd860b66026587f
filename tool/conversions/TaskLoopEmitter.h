// The text a converted task loop becomes: submissions in loop order, an optional
// in-flight window, object-store puts for loop-invariant arguments, and the gather
// that stores or combines results in that same order, so output stays bit-identical.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <map>
#include <string>

#include "conversions/TaskShapes.h"
#include "model/Finding.h"
#include "passes/TranslationUnit.h"

namespace rayify {

/// `type` as the converted code spells it at a call site of `scope`'s callers.
std::string PrintType(clang::QualType type, const clang::FunctionDecl *scope,
                      clang::ASTContext &context);

/// The spelling ray::Task() and RAY_REMOTE get for the callee: as written, with the
/// template arguments spelled out, or through RAY_FUNC when the name is overloaded.
std::string TaskName(const clang::CallExpr *call, TranslationUnit &unit);

struct LoopLayout {
  std::string indent;  // of the loop keyword's line
  std::string step;    // one level of indentation, as the body uses it
  unsigned loop_begin;
  unsigned loop_end;
};

/// Where `loop` (standing in the block `parent`) lies and how its file indents.
LoopLayout LayoutOf(const clang::Stmt *loop, const clang::Stmt *body,
                    const clang::Stmt *parent, FileEditor &edits);

/// The lines, ending in a newline, that hold a loop at `max_in_flight` tasks: wait for
/// `oldest` once `refs` has that many.
std::string ThrottleLines(const std::string &refs, const std::string &oldest,
                          const LoopLayout &layout, long long max_in_flight);

/// `v.size()` for a range-for over the variable `v` of a type with size(), which the
/// driver may ask before the loop; "" for any other loop.
std::string RangeSize(const clang::Stmt *loop, FileEditor &edits);

/// Offset just past the ')' that closes a for or range-for loop's header.
unsigned HeaderEnd(const clang::Stmt *loop, FileEditor &edits);

/// Where code generated for `function` goes: the first line of its definition (of the
/// outermost class, for a member function defined in its class), or of the comment
/// lines above it.
unsigned DefinitionStart(const clang::FunctionDecl *function, FileEditor &edits);

/// What the names of functions generated for `function`'s loops start with: its name,
/// after its class's for a member function (`Grid_Step`).
std::string GeneratedNameBase(const clang::FunctionDecl *function);

/// Reads into `resources` the annotation above `callee`'s declaration here, else (for a
/// function of another file, `elsewhere`) above its definition there; empty when there
/// is none. Returns why a malformed annotation keeps the loop sequential, or "".
std::string ReadTaskResources(const clang::FunctionDecl *callee,
                              const FunctionSummary *elsewhere, TranslationUnit &unit,
                              std::map<std::string, double> &resources);

/// `name`, declared beside `function` (BesideDefinition), as RAY_REMOTE at the end of
/// the file spells it (named namespaces only: an anonymous one is visible there).
std::string QualifiedBeside(const clang::FunctionDecl *function, const std::string &name);

/// `code`, generated for `function`'s loops and inserted at DefinitionStart, inside the
/// namespaces `function` belongs to but its definition is not written in
/// (`double sim::Free(int n) { ... }` at file scope: `namespace sim { ... }`), so that
/// the names its body uses unqualified mean there what they mean in the body.
std::string BesideDefinition(const clang::FunctionDecl *function,
                             const std::string &code);

/// Whether a loop of `shape` whose call's work the source does not bound can try an
/// iteration in the driver (IterationTrial): a range-for over a variable with
/// `size()`, or a for loop of unknown length storing at its counter.
bool CanTryAnIteration(const clang::Stmt *loop, const TaskShape &shape,
                       TranslationUnit &unit);

/// Rewrites `loop` (standing directly in the block `parent`) into submissions of
/// `task_call` and a gather into the shape's target, and records the puts and
/// throttling it chose in `conversion`. `trial`: the work of a call has no bound the
/// source shows, so the loop tries an iteration in the driver where it can
/// (CanTryAnIteration).
void EmitTaskLoop(const TaskShape &shape, const clang::Stmt *loop,
                  const clang::Stmt *body, const clang::Stmt *parent,
                  const std::string &task_call, const std::string &result_type,
                  TranslationUnit &unit, LoopConversion &conversion, bool trial);

}  // namespace rayify
