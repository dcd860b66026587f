// Outlining: a loop body of any shape that IterationEffects.h can plan becomes a
// generated function, `<function>_loop_<line>`, that runs one iteration as a Ray task
// and returns what the iteration's update statements need (a `_result` struct with
// MSGPACK_DEFINE). The driver keeps the loop header, submits one task per iteration,
// and after the loop replays each update statement on the returned values, iteration
// by iteration in the original order.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <map>
#include <optional>
#include <string>

#include "analysis/IterationEffects.h"
#include "model/Finding.h"
#include "passes/TranslationUnit.h"

namespace rayify {

struct OutlineOptions {
  /// Run consecutive iterations together, a few chunks per CPU, one task each:
  /// `<name>_chunk(begin, end, ...)`. Only for loops ChunkableRange accepts.
  bool chunked = false;
  /// Chunks that run a few iterations in the driver first, timed, and go to tasks
  /// only when a chunk proves worth one (FirstChunkHere): where the estimate cannot
  /// decide (Granularity::run_decides). Elsewhere the cost model has judged already,
  /// and a trial would only mislead it where iterations grow (`j < i`).
  bool trial = false;
  /// Resources each task asks for (the callee's annotation of a single-call loop).
  std::map<std::string, double> resources;
};

/// Rewrites `loop` (in the block `parent` of `function`) per `plan`, or says why it
/// cannot; nothing is edited when it cannot.
std::optional<Refusal> OutlineLoop(const clang::Stmt *loop, const clang::Stmt *parent,
                                   const clang::FunctionDecl *function,
                                   const IterationPlan &plan,
                                   const OutlineOptions &options, TranslationUnit &unit,
                                   LoopConversion &conversion);

}  // namespace rayify
