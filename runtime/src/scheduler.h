// The bundled runtime's task scheduler: a resource-aware worker pool for one node.
//
// Tasks wait until their ObjectRef arguments are ready, then queue by resource shape
// (Ray's "scheduling class") and run FIFO within a shape whenever the node has the
// resources free. Worker threads are started on demand, so the pool is as large as
// the resources allow and no larger. A task that blocks in ray::Get or ray::Wait gives
// its resources back while it waits, as a Ray worker does, so nested tasks cannot
// deadlock even on one CPU.
#pragma once

#include <ray/api/local_runtime.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ray {
namespace internal {

class WorkerPool;

/// Specs that any thread pushes and one taker takes all at once, without a lock.
/// Taking everything at once keeps it simple: popping one would need protection from
/// ABA, exchanging the head does not.
class SpecList {
 public:
  /// Returns whether the list was empty.
  bool Push(TaskSpec *spec);
  /// Everything pushed so far, newest first, linked through TaskSpec::next.
  TaskSpec *TakeAll();
  bool Empty() const { return head_.load(std::memory_order_relaxed) == nullptr; }

 private:
  std::atomic<TaskSpec *> head_{nullptr};
};

/// An empty spec for the calling thread to fill: a finished task's when there is one
/// (see Recycle in scheduler.cc), else a new one.
std::unique_ptr<TaskSpec> NewTaskSpec();

class Scheduler {
 public:
  /// With `isolated`, tasks run in its worker processes instead of on the threads.
  explicit Scheduler(Resources capacity, WorkerPool *isolated = nullptr);
  ~Scheduler();
  Scheduler(const Scheduler &) = delete;
  Scheduler &operator=(const Scheduler &) = delete;

  /// Throws RayException when `demand` exceeds what this node could ever offer;
  /// `kind` and `name` ("Task", "estimate_pi") only go into the message.
  void CheckFeasible(const Resources &demand, const char *kind,
                     const std::string &name) const;

  /// Queues `task` once its arguments are ready; throws at once if it could never run.
  /// Its result entry reports the outcome.
  void Submit(std::unique_ptr<TaskSpec> task);

  /// Called by a thread about to block; gives back the resources of the task it runs.
  void BeginBlocking();
  void EndBlocking();

  /// Takes resources for an actor's lifetime, waiting until they are free. Returns
  /// false when the scheduler stops first.
  bool AcquireForActor(const Resources &demand);
  void ReleaseForActor(const Resources &demand);

  /// Fails every queued task and wakes all waiters; running tasks finish.
  void RequestStop();
  /// Waits for the worker threads to finish.
  void Join();

 private:
  struct SchedulingClass {
    Resources demand;
    std::deque<std::unique_ptr<TaskSpec>> queue;
  };

  void Enqueue(std::unique_ptr<TaskSpec> task);
  void SortInboxLocked();
  SchedulingClass &ClassOfLocked(const TaskSpec &task);
  std::unique_ptr<TaskSpec> TakeRunnableLocked();
  bool FitsLocked(const Resources &demand) const;
  size_t AdmittedLocked(const Resources &demand, size_t limit) const;
  void AddLocked(const Resources &demand, double sign);
  void WakeWorkerLocked();
  size_t RunnableSlotsLocked() const;
  void SpinWhileIdle() const;
  void WorkerLoop();

  const Resources capacity_;
  WorkerPool *const isolated_;
  const Resources default_demand_{{"CPU", 1.0}};  // Ray's default for a task
  Resources available_;
  // available_["CPU"], which every task of the default class {CPU: 1} takes and gives
  // back: FitsLocked and AddLocked read it without hashing the name. Elements of an
  // unordered_map stay where they are.
  double *const available_cpus_;
  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::condition_variable resources_cv_;
  // Class 0 is the default shape {CPU: 1}. A deque, so classes never move: tasks point
  // at their class's demand.
  std::deque<SchedulingClass> classes_;
  size_t next_class_ = 0;
  // Written under mutex_; read without it by the spinning worker.
  std::atomic<size_t> queued_{0};
  std::atomic<bool> stop_requested_{false};
  int idle_workers_ = 0;
  int pending_wakeups_ = 0;
  int starting_workers_ = 0;                 // started, not yet at the queue
  std::atomic<bool> spinner_active_{false};  // written under mutex_
  int actor_waiters_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  // Tasks submitted and not yet sorted into their classes (Enqueue).
  SpecList inbox_;
};

/// Completes `result` with the error of the first failed argument, as Ray fails a call
/// whose argument failed; returns whether it did.
bool PropagateArgumentError(const std::vector<TaskArgument> &args, ObjectEntry &result);

/// Pointers to the arguments' bytes; every ObjectRef argument must be ready.
ArgumentBytes CollectArgumentBytes(const std::vector<TaskArgument> &args);

/// Runs `call` on the arguments' bytes and completes `result` with its value, with the
/// error of a failed argument, or with what it threw (named "<kind>(<name>)").
void CompleteCall(const std::vector<TaskArgument> &args, ObjectEntry &result,
                  const char *kind, const std::string &name,
                  const std::function<CallResult(const ArgumentBytes &)> &call);

/// Runs a task on the calling thread, or in a worker of `isolated` when given, and
/// completes its result entry.
void RunTask(TaskSpec &task, WorkerPool *isolated = nullptr);

/// The message an object carries when ray::Shutdown() dropped the work producing it.
extern const char kShutdownMessage[];

}  // namespace internal
}  // namespace ray
