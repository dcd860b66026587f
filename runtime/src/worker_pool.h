// Isolated mode: tasks run in worker processes forked when the runtime starts, and
// each actor in a process of its own, as on Ray. A task or actor method that writes a
// global, or prints, changes its process's copy or output, never the driver's, so a
// conversion that relied on sharing the driver's memory shows up as a difference.
// Turned on by RAYIFY_ISOLATED_WORKERS=1 in the environment (rayify verify does).
#pragma once

#include <ray/api/local_runtime.h>
#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
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

/// The driver's record of which objects one worker or actor process holds a copy of.
/// An object passed by reference crosses the socket once per process rather than once
/// per task, and the process decodes it once for every `const T&` parameter, as a
/// Ray worker reads a shared object from its node's store. The record is the process's
/// cache: both sides apply the same additions and evictions, in request order.
class ObjectMirror {
 public:
  /// `budget`: the bytes of objects the process may keep; a larger object travels
  /// with every task.
  explicit ObjectMirror(size_t budget = kDefaultBudget) : budget_(budget) {}

  /// Writes `args` for one request, with the evictions that precede them: objects the
  /// driver has freed, and the least recently used ones when a new object needs room.
  bool WriteArguments(int fd, const ArgumentBytes &args);

  /// Objects smaller than this travel with every task: copying them is cheaper than
  /// the bookkeeping.
  static constexpr size_t kMinBytes = 64 * 1024;
  static constexpr size_t kDefaultBudget = size_t(256) << 20;

  /// How an argument travels: its bytes alone, its bytes for the process to keep
  /// under the object's id, or the id of an object the process already keeps.
  enum class Carry : uint8_t { kBytes, kStore, kHeld };

  /// RAYIFY_WORKER_OBJECT_BYTES from the environment, else kDefaultBudget.
  static size_t BudgetFromEnvironment();

 private:
  struct Held {
    std::string id;
    std::weak_ptr<ObjectEntry> entry;
    size_t size;
    uint64_t last_use;
  };

  std::vector<std::string> Plan(const ArgumentBytes &args, std::vector<Carry> &carries);
  Held *Find(const std::string &id);

  size_t budget_;
  std::vector<Held> held_;
  size_t bytes_ = 0;
  uint64_t clock_ = 0;
};

/// One actor's process: it holds the actor's object and runs its calls in order.
class ActorProcess {
 public:
  ActorProcess(int fd, size_t object_budget) : fd_(fd), mirror_(object_budget) {}
  ~ActorProcess();  // closes the socket, which ends the process
  ActorProcess(const ActorProcess &) = delete;
  ActorProcess &operator=(const ActorProcess &) = delete;

  /// Runs `call` (the factory, or a method) in the process and returns the result
  /// bytes; throws std::runtime_error with the call's error, or when the process died.
  std::string Run(const IsolatedCall &call, const ArgumentBytes &args);

 private:
  std::mutex mutex_;  // the calls of an actor with max_concurrency > 1 take turns
  int fd_;
  ObjectMirror mirror_;
};

class WorkerPool {
 public:
  /// Forks `size` worker processes and the zygote that forks actor processes. Call
  /// before the runtime starts any thread: a worker starts as a copy of the driver at
  /// this moment, with its globals as their initializers left them, and forking later,
  /// from a process with threads, could copy a lock another thread holds.
  WorkerPool(int size, size_t object_budget = ObjectMirror::kDefaultBudget);
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
    ObjectMirror mirror;
  };

  Worker &Acquire();
  void Release(Worker &worker);

  std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<Worker> workers_;
  std::mutex zygote_mutex_;
  Worker zygote_;
  size_t object_budget_;
};

}  // namespace internal
}  // namespace ray
