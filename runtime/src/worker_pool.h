// Isolated mode: tasks run in worker processes forked when the runtime starts, as
// Ray's tasks run in worker processes of their own. A task that writes a global, or
// prints, changes its worker's copy or output, never the driver's, so a conversion
// that relied on sharing the driver's memory shows up as a difference. Turned on by
// RAYIFY_ISOLATED_WORKERS=1 in the environment (rayify verify does).
#pragma once

#include <ray/api/local_runtime.h>
#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ray {
namespace internal {

class WorkerPool {
 public:
  /// Forks `size` worker processes. Call before the runtime starts any thread: a
  /// worker starts as a copy of the driver at this moment, with its globals as their
  /// initializers left them.
  explicit WorkerPool(int size);
  ~WorkerPool();  // closes the workers' pipes and reaps them
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  /// Runs `call` with `args` in an idle worker and returns the result bytes; throws
  /// std::runtime_error with the task's error, or when the worker died.
  std::string Run(const IsolatedCall &call, const ArgumentBytes &args);

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
};

}  // namespace internal
}  // namespace ray
