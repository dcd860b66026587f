// What a configuration file decides (resources/configuration.md): which lint rules
// run and how loudly, and the thresholds and function lists convert and lint share.
// Plain C++: the Clang stage receives it ready-made and never reads YAML.
#pragma once

#include <map>
#include <set>
#include <string>

#include "model/Finding.h"

namespace rayify {

/// How one lint rule reports: off, or at a severity.
struct RuleSetting {
  bool enabled = true;
  Severity severity = Severity::kWarning;
};

struct Settings {
  /// Lint rules by id. A rule missing here is enabled at its built-in severity.
  std::map<std::string, RuleSetting> rules;
  /// Tasks of one loop in flight at once when its trip count is known only at run
  /// time (convert's ray::Wait window; lint's unbounded-submission).
  long long max_in_flight = 64;
  /// Most iterations a loop may have for all its tasks to be submitted at once.
  long long submit_all_limit = 1024;
  /// Chunks of iterations per CPU when a loop with a run-time trip count runs in
  /// chunks (one task each): more balance the load, fewer cost less overhead.
  long long chunks_per_cpu = 8;
  /// Estimated operations a task must do to pay for itself (about 0.2 ms of
  /// arithmetic); a loop whose iterations do less runs in chunks, or stays sequential.
  long long min_task_operations = 1000000;
  /// What a chunk of a loop's iterations must take, measured at run time in the
  /// driver, to be sent as a task: a chunked loop first times a few of its
  /// iterations, and runs them all in the driver when a chunk would take less. 0
  /// leaves the trial out of the converted code.
  long long min_chunk_microseconds = 1000;
  /// What moving one byte between the driver and a task costs, in those operations:
  /// encoding, the copy or the socket, decoding (about two dozen per 8-byte value, as
  /// measured on sensor_cleanup). 0 leaves data out of the cost model.
  long long operations_per_byte_moved = 3;
  /// Most actors one creation site may make (each is a process on a cluster).
  long long max_actors_per_site = 64;
  /// An argument at least this large, passed to .Remote() on every iteration,
  /// belongs in the object store (large-arg-by-value).
  long long large_argument_bytes = 1024;
  /// Functions rayify cannot see into, declared free of hidden effects by the user
  /// (qualified names, `ns::f`).
  std::set<std::string> pure_functions;
  /// Functions declared to do I/O, whether or not rayify sees their bodies.
  std::set<std::string> io_functions;
  /// Where the rule pages are published: SARIF's helpUri is this plus "<id>.md".
  std::string help_base_uri;
  /// Lines of the main file whose loops stay as they are because their rewrite
  /// overlapped another conversion's (set by the driver when it plans a file again;
  /// never read from a configuration file).
  std::set<unsigned> overlapping_loop_lines;

  /// The setting for `rule`, enabled at `fallback` when unconfigured.
  RuleSetting Rule(const std::string &rule,
                   Severity fallback = Severity::kWarning) const {
    auto it = rules.find(rule);
    return it != rules.end() ? it->second : RuleSetting{true, fallback};
  }
};

}  // namespace rayify
