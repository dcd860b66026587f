// Task loops that follow each other in a block: each submits its tasks before the ones
// above it store their results, so that the tasks of all of them run at once.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <string>

#include "conversions/TaskLoopEmitter.h"
#include "conversions/TaskShapes.h"
#include "passes/TranslationUnit.h"

namespace rayify {

/// Moves the pending gathers of the task loops above `loop` below its submissions (at
/// `layout.loop_end`), when nothing the program shows could tell; when not, they stay
/// where they are, for good.
void OverlapEarlierGathers(const clang::Stmt *loop, const TaskShape &shape,
                           const clang::Stmt *parent, const LoopLayout &layout,
                           TranslationUnit &unit);

/// Records the gather of `loop` inserted at `offset`, for the next task loop of the
/// block to move. A throttled loop records nothing.
void RecordGather(const clang::Stmt *loop, const TaskShape &shape,
                  const clang::Stmt *parent, unsigned offset, std::string text,
                  bool throttled, TranslationUnit &unit);

}  // namespace rayify
