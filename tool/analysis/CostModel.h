// When a loop's tasks pay for themselves, and how many may be in flight at once.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <string>

#include "model/Settings.h"

namespace rayify {

class CallGraph;
class EffectAnalyzer;

/// Most actors one creation site may make (each is a process on a cluster).
constexpr unsigned long long kMaxActorsPerSite = 64;

/// The element count of a C array, or of a std::array (or std::bitset), fixed by its
/// type (SizeFixedByType).
std::optional<unsigned long long> FixedExtent(clang::QualType type);

/// At most how many times the loop runs, when that is known at compile time: `for (int
/// i = 0; i < 16; ++i)` with constant start and bound (the distance plus one), or a
/// range-for over a C array or a std::array (its extent).
std::optional<unsigned long long> ConstantTripCount(const clang::Stmt *loop,
                                                    clang::ASTContext &context);

/// Whether the loop's trip count is known at compile time and at most `limit`
/// (the configuration's submit-all-limit): `for (int i = 0; i < 16; ++i)` with
/// constant start and bound. Any other loop has its submissions throttled, so it can
/// never flood the cluster.
bool HasSmallConstantTripCount(const clang::Stmt *loop, clang::ASTContext &context,
                               long long limit);

/// A loop that can run in chunks of consecutive iterations:
/// `for (T i = begin; i < end; ++i)` (or `i <= end`, `i + c < end` with `c` a positive
/// constant and `begin` a constant of 0 or more, `i++`, `i += 1`, and C's
/// `for (i = begin; ...)` on a counter declared before) with `begin` and `end` free of
/// side effects and spelled out in the file, so the driver may evaluate them again.
struct CountedRange {
  const clang::VarDecl *counter = nullptr;
  const clang::Expr *begin = nullptr;
  const clang::Expr *end = nullptr;
  /// `i <= end`: the last iteration is `end` itself.
  bool inclusive = false;
  /// `c` of `i + c < end` (interior points, `i + 1 < n`): the iterations stop at
  /// `end - c`, or run none when `begin + c < end` does not hold (an unsigned `end`
  /// below `c` must not wrap).
  unsigned end_offset = 0;
  /// The counter outlives the loop: the driver leaves in it what the loop would.
  bool declared_before = false;
};
std::optional<CountedRange> ChunkableRange(const clang::Stmt *loop,
                                           clang::ASTContext &context);

/// How a loop's tasks pay for themselves, from its trip count and the estimated work
/// of one iteration (EstimateOperations).
struct Granularity {
  /// Chunks of consecutive iterations, one task each, rather than a task per
  /// iteration: ChunkableRange accepts the loop, and its trip count is known only at
  /// run time (beyond the submit-all-limit), or one iteration is less work than
  /// min-task-operations while all of them are enough for two tasks, or less than
  /// 16 times it in a loop of more than 64 iterations, or has no bound the source
  /// shows in such a loop (the chunks' trial in the driver then judges it).
  bool chunked = false;
  /// Whether the estimate bounds the work of one iteration (EstimateOperations).
  bool work_bounded = false;
  /// Whether chunks should let the run decide (FirstChunkHere's trial): the estimate
  /// does not bound an iteration's work, or it puts the whole loop within a few times
  /// what two tasks need to pay for themselves, closer than the estimate is right
  /// (within a factor of two, no better), and no inner loop's bound moves with the
  /// counter (a trial sees the first iterations only).
  bool run_decides = false;
  /// Why even chunks would not pay, or "" when the loop's tasks do.
  std::string too_fine;
  /// When chunks are chosen and one iteration is too little work for a task of its
  /// own: why the loop must stay sequential if it cannot run in chunks after all.
  std::string too_fine_unchunked;
};
Granularity DecideGranularity(const clang::Stmt *loop, EffectAnalyzer &effects,
                              clang::ASTContext &context, const CallGraph &calls,
                              const Settings &settings);

/// Whether one call of `callee` is work worth a remote task: it loops or recurses.
bool IsWorthATask(const clang::FunctionDecl *callee, EffectAnalyzer &effects);

/// The bytes a value of `type` takes when its type fixes them: numbers, C arrays of
/// them, and other trivially copyable values; nullopt for pointers, incomplete types
/// and anything whose size is known only at run time (containers, strings).
std::optional<long long> FixedSize(clang::QualType type, clang::ASTContext &context);

/// What `loop` walks with a few operations per element (kCheapOperationsPerElement)
/// and no call of the program's: `x` of `for (v : x)`, or the object of the
/// `x.size()` its condition compares with; null for any other loop. Sending `x` to a
/// task costs about what walking it does.
const clang::Expr *CheaplyWalked(const clang::Stmt *loop, EffectAnalyzer &effects);

/// Why `call`, made in every iteration of `loop`, costs less than moving its data,
/// or "" when it does not: its callee only walks the elements of a container
/// parameter, once, doing a few operations on each, and the argument is new in each
/// iteration (a loop-invariant variable goes to the object store once); or all its
/// loops do is fill the container it returns, a few operations per element.
std::string DataBoundCall(const clang::CallExpr *call, const clang::Stmt *loop,
                          EffectAnalyzer &effects, const clang::SourceManager &sources);

}  // namespace rayify
