// One actor of the bundled runtime: an object that lives on its own thread(s) and
// runs its method calls one at a time in submission order (or up to
// max_concurrency at once), like a Ray actor process. Different actors run in
// parallel.
#pragma once

#include "scheduler.h"
#include "worker_pool.h"

#include <ray/api/local_runtime.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ray {
namespace internal {

class LocalActor {
 public:
  /// With `isolated`, the object lives in a process of its own (see worker_pool.h).
  LocalActor(std::string id, std::unique_ptr<ActorSpec> spec, Scheduler &scheduler,
             WorkerPool *isolated = nullptr);
  ~LocalActor();
  LocalActor(const LocalActor &) = delete;
  LocalActor &operator=(const LocalActor &) = delete;

  /// Starts the actor's threads; the first one builds the object.
  void Start();

  /// Queues a method call; a dead actor fails it at once.
  void Submit(std::unique_ptr<ActorCallSpec> call);

  /// Kills the actor. Without no_restart and with restarts left, it is rebuilt from
  /// its creation arguments; calls queued at that moment are lost, as in Ray.
  void Kill(bool no_restart);

  /// The object is gone: rebuilt while restarts are left, else the actor is dead.
  /// `what` and `why` complete "The actor C ... and is restarting" / "is dead: ...".
  void Lose(bool no_restart, const std::string &what, const std::string &why);

  void RequestStop();
  void Join();

  const std::string &Id() const { return id_; }

  /// The actor whose method runs on this thread, or null.
  static LocalActor *Current();
  bool WasRestarted() const { return restarted_; }

 private:
  enum class State { kPending, kAlive, kRestarting, kDead };

  void ThreadLoop(bool builds_object);
  void Build();
  std::shared_ptr<void> Construct();
  void RunCall(ActorCallSpec &call);
  void ReleaseObject();
  void DieLocked(std::string reason, std::vector<std::unique_ptr<ActorCallSpec>> &lost);
  void FailCalls(std::vector<std::unique_ptr<ActorCallSpec>> &calls, ObjectError kind,
                 const std::string &message);

  const std::string id_;
  const std::unique_ptr<ActorSpec> spec_;
  Scheduler &scheduler_;
  WorkerPool *const isolated_;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<ActorCallSpec>> queue_;
  State state_ = State::kPending;
  std::string death_reason_;
  int running_calls_ = 0;
  int live_threads_ = 0;
  int restarts_left_ = 0;
  bool restarted_ = false;
  bool holds_resources_ = false;
  bool stopping_ = false;
  std::shared_ptr<void> object_;  // in isolated mode, the ActorProcess holding it
  std::vector<std::thread> threads_;
};

}  // namespace internal
}  // namespace ray
