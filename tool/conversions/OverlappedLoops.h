// Task loops that follow each other in a block: each submits its tasks before the ones
// above it store their results, so that the tasks of all of them run at once, and a
// range-for over what the loop above filled hands its tasks that loop's object refs.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <string>

#include "conversions/TaskLoopEmitter.h"
#include "conversions/TaskShapes.h"
#include "passes/TranslationUnit.h"

namespace rayify {

/// The pending gather of the loop above that filled, from empty, the container that
/// `loop` (a range-for whose body is `shape`) walks, when `loop` may walk that loop's
/// object refs instead: each element goes whole, as it is, to one task.
std::optional<PendingGather> FeedingLoop(const clang::Stmt *loop, const TaskShape &shape,
                                         const clang::Stmt *parent,
                                         TranslationUnit &unit);

/// Moves the pending gathers of the task loops above `loop` below its submissions (at
/// `layout.loop_end`), when nothing the program shows could tell; drops the one of
/// `fed_from`'s container when `loop` takes its refs and nothing after it reads it.
/// Returns whether they moved; when not, they stay where they are, for good.
bool OverlapEarlierGathers(const clang::Stmt *loop, const TaskShape &shape,
                           const clang::Stmt *parent, const LoopLayout &layout,
                           const clang::VarDecl *fed_from, TranslationUnit &unit);

/// Records the gather of `loop` inserted at `offset`, for the next task loop of the
/// block to move; `refs` when the loop fills `shape.target` from empty, one task
/// result per iteration. A throttled loop records nothing.
void RecordGather(const clang::Stmt *loop, const TaskShape &shape,
                  const clang::Stmt *parent, unsigned offset, std::string text,
                  const std::string &refs, bool throttled, TranslationUnit &unit);

}  // namespace rayify
