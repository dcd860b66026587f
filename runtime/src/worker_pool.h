// Isolated mode: tasks run in worker processes forked when the runtime starts, and
// each actor in a process of its own, as on Ray. A task or actor method that writes a
// global, or prints, changes its process's copy or output, never the driver's, so a
// conversion that relied on sharing the driver's memory shows up as a difference.
// Turned on by RAYIFY_ISOLATED_WORKERS=1 in the environment (rayify verify does).
#pragma once

#include <ray/api/local_runtime.h>
#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace ray {
namespace internal {

/// What ActorProcess::Run throws when the process is gone.
class ActorProcessDied : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One actor's process: it holds the actor's object and runs its calls in order.
class ActorProcess {
 public:
  explicit ActorProcess(int fd) : fd_(fd) {}
  ~ActorProcess();  // closes the socket, which ends the process
  ActorProcess(const ActorProcess &) = delete;
  ActorProcess &operator=(const ActorProcess &) = delete;

  /// Runs `call` (the factory, or a method) in the process and returns the result
  /// bytes; throws std::runtime_error with the call's error, or when the process died.
  std::string Run(const IsolatedCall &call, const ArgumentBytes &args);

 private:
  std::mutex mutex_;  // the calls of an actor with max_concurrency > 1 take turns
  int fd_;
};

class WorkerPool {
 public:
  /// Forks `size` worker processes and the zygote that forks actor processes. Call
  /// before the runtime starts any thread: a worker starts as a copy of the driver at
  /// this moment, with its globals as their initializers left them, and forking later,
  /// from a process with threads, could copy a lock another thread holds.
  explicit WorkerPool(int size);
  ~WorkerPool();  // closes the workers' pipes and reaps them
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  /// Runs `call` with `args` in an idle worker and returns the result bytes; throws
  /// std::runtime_error with the task's error, or when the worker died.
  std::string Run(const IsolatedCall &call, const ArgumentBytes &args);

  /// A new process for one actor, forked by the zygote; throws std::runtime_error.
  std::unique_ptr<ActorProcess> SpawnActor();

  /// The pool the environment asks for, or null for the in-process default.
  static std::unique_ptr<WorkerPool> FromEnvironment(int cpus);

 private:
  struct Worker {
    pid_t pid = -1;
    int fd = -1;  // the driver's end of the worker's socket pair
    bool busy = false;
  };

  Worker &Acquire();
  void Release(Worker &worker);

  std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<Worker> workers_;
  std::mutex zygote_mutex_;
  Worker zygote_;
};

}  // namespace internal
}  // namespace ray
