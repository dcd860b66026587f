// Calls the driver makes itself, in the loop's order, where a task could not: a
// function of the program whose only effect is on globals and statics it names
// (timers, counters, traces kept in memory). The task evaluates the arguments and
// says which runs happened; the driver replays the calls on those values, iteration
// by iteration, so the globals change as the original changed them. Nothing else
// the iteration does may read or write what the calls write, or write what they
// read, so a task never sees the difference. A clock such a call reads is read
// when the driver replays it, after the iteration's work.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <set>
#include <string>

#include "analysis/CalleeEffects.h"
#include "analysis/GlobalMutations.h"

namespace rayify {

/// The calls of `loop`'s body the driver replays: each a statement of its own in
/// the body's blocks, the branches of its if statements or the bodies of its inner
/// loops, calling a free function of the program that takes and returns numbers by
/// value and writes named globals, and does nothing a driver could not redo: no
/// I/O, exit, exception, unknown or unseen call, or write through a pointer. None
/// shares state with the rest of the loop, its header included; empty when the
/// body does nothing else.
std::set<const clang::CallExpr *> ReplayedCalls(const clang::Stmt *loop,
                                                EffectAnalyzer &effects,
                                                const GlobalMutations &mutations);

/// For a call in `loop`'s body that writes globals and that ReplayedCalls left to
/// the task: why the driver cannot make it instead, as a phrase to follow what it
/// writes (" and the rest of the loop uses what it changes ..."), or "" when the
/// call itself is not one a driver could replay.
std::string WhyNotReplayed(const clang::CallExpr *call, const clang::Stmt *loop,
                           EffectAnalyzer &effects, const GlobalMutations &mutations);

/// True when code with `effects` writes memory no variable it lists stands for:
/// through a pointer it cannot follow, or through a global pointer or reference other
/// than a fixed block's.
bool WritesUntracked(const Effects &effects, const GlobalMutations &mutations);

/// True when code with `effects` reads memory through a global pointer or
/// reference, other than a fixed block only that global reaches
/// (GlobalMutations::FixedBlock): what it reads then has names it does not list.
bool ReadsThroughGlobal(const Effects &effects, const GlobalMutations &mutations);

}  // namespace rayify
