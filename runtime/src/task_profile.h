// How long the program's tasks and actor methods ran, for `rayify verify`.
//
// With RAYIFY_TASK_PROFILE=PATH in the environment, every call that returns a value is
// timed as the driver sees it (in worker processes that includes the round trip), and
// ray::Shutdown writes one JSON object to PATH:
//   {"calls": N, "call_seconds": S, "median_call_ms": M}
// verify turns that into an estimate of the speedup the program could reach on this
// machine's CPUs, which tells a slow conversion from a program whose sequential part
// bounds it.
// Without the variable nothing is timed.
#pragma once

#include <chrono>

namespace ray {
namespace internal {

class TaskProfile {
 public:
  /// Reads RAYIFY_TASK_PROFILE; ray::Init calls it, so each runtime sees the
  /// environment it started in.
  static void Configure();
  static bool Enabled();
  static void Record(std::chrono::steady_clock::duration elapsed);
  /// Writes the profile to the requested path (replacing it) and forgets the calls.
  static void WriteAndReset();
};

}  // namespace internal
}  // namespace ray
