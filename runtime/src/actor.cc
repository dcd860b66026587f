#include "actor.h"

namespace ray {
namespace internal {
namespace {

thread_local LocalActor *tls_current_actor = nullptr;

}  // namespace

std::shared_ptr<void> &IsolatedActorObject() {
  static std::shared_ptr<void> object;
  return object;
}

LocalActor::LocalActor(std::string id, std::unique_ptr<ActorSpec> spec,
                       Scheduler &scheduler, WorkerPool *isolated)
    : id_(std::move(id)),
      spec_(std::move(spec)),
      scheduler_(scheduler),
      isolated_(isolated != nullptr && spec_->isolated_factory.trampoline != nullptr
                    ? isolated
                    : nullptr),
      restarts_left_(spec_->max_restarts < 0 ? INT32_MAX : spec_->max_restarts) {}

LocalActor::~LocalActor() {
  RequestStop();
  Join();
}

LocalActor *LocalActor::Current() { return tls_current_actor; }

void LocalActor::Start() {
  int thread_count = spec_->max_concurrency < 1 ? 1 : spec_->max_concurrency;
  std::lock_guard<std::mutex> lock(mutex_);
  live_threads_ = thread_count;
  for (int i = 0; i < thread_count; ++i) {
    threads_.emplace_back([this, i] { ThreadLoop(i == 0); });
  }
}

void LocalActor::Submit(std::unique_ptr<ActorCallSpec> call) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_ || state_ == State::kDead) {
    ObjectError kind = stopping_ ? ObjectError::kShutdown : ObjectError::kActorDied;
    std::string message = stopping_ ? kShutdownMessage : death_reason_;
    lock.unlock();
    call->result->SetError(kind, message);
    return;
  }
  queue_.push_back(std::move(call));
  cv_.notify_one();
}

void LocalActor::FailCalls(std::vector<std::unique_ptr<ActorCallSpec>> &calls,
                           ObjectError kind, const std::string &message) {
  for (auto &call : calls) call->result->SetError(kind, message);
  calls.clear();
}

void LocalActor::DieLocked(std::string reason,
                           std::vector<std::unique_ptr<ActorCallSpec>> &lost) {
  state_ = State::kDead;
  death_reason_ = std::move(reason);
  for (auto &call : queue_) lost.push_back(std::move(call));
  queue_.clear();
  cv_.notify_all();
}

void LocalActor::Kill(bool no_restart) {
  Lose(no_restart, "was killed", "it was killed with ActorHandle::Kill()");
}

// The object is gone (killed, or its process died): rebuilt while restarts are left,
// else the actor is dead. Calls queued meanwhile are lost, as in Ray.
void LocalActor::Lose(bool no_restart, const std::string &what, const std::string &why) {
  std::vector<std::unique_ptr<ActorCallSpec>> lost;
  std::string message;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == State::kDead || stopping_) return;
    if (!no_restart && restarts_left_ > 0) {
      --restarts_left_;
      state_ = State::kRestarting;
      for (auto &call : queue_) lost.push_back(std::move(call));
      queue_.clear();
      message = "The actor " + spec_->class_name + " " + what +
                " and is restarting; this call was queued before and is lost.";
      cv_.notify_all();
    } else {
      DieLocked("The actor " + spec_->class_name + " is dead: " + why + ".", lost);
      message = death_reason_;
    }
  }
  FailCalls(lost, ObjectError::kActorDied, message);
}

// Builds (or rebuilds) the object: takes the actor's resources once for its whole
// life, waits for ObjectRef creation arguments, then runs the factory.
void LocalActor::Build() {
  std::vector<std::unique_ptr<ActorCallSpec>> lost;
  std::string failure;
  bool needs_resources;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    needs_resources = !holds_resources_ && !spec_->resources.empty();
  }
  if (needs_resources) {
    if (scheduler_.AcquireForActor(spec_->resources)) {
      std::lock_guard<std::mutex> lock(mutex_);
      holds_resources_ = true;
    } else {
      failure = kShutdownMessage;
    }
  }
  std::shared_ptr<void> object;
  if (failure.empty()) {
    for (const auto &arg : spec_->args) {
      if (arg.ref) arg.ref->WaitReady(-1);
    }
    for (const auto &arg : spec_->args) {
      if (arg.ref && arg.ref->Error() != ObjectError::kNone) {
        failure = "The actor " + spec_->class_name +
                  " died: a creation argument failed: " + arg.ref->ErrorMessage();
      }
    }
  }
  if (failure.empty()) {
    try {
      object = Construct();
    } catch (const std::exception &e) {
      failure = "The actor " + spec_->class_name +
                " died because its constructor threw: " + e.what();
    } catch (...) {
      failure = "The actor " + spec_->class_name +
                " died because its constructor threw an unknown exception.";
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure.empty()) {
      DieLocked(failure, lost);
    } else if (state_ != State::kDead) {
      // A Kill() that arrived meanwhile left kRestarting (rebuild again) or kDead.
      object_.swap(object);
      if (state_ == State::kPending) state_ = State::kAlive;
      cv_.notify_all();
    }
  }
  object.reset();  // an object built for an actor killed meanwhile
  FailCalls(lost, ObjectError::kActorDied, failure);
}

// The object, or in isolated mode the process that built and holds it.
std::shared_ptr<void> LocalActor::Construct() {
  if (isolated_ == nullptr) return spec_->factory(CollectArgumentBytes(spec_->args));
  std::shared_ptr<ActorProcess> process = isolated_->SpawnActor();
  process->Run(spec_->isolated_factory, CollectArgumentBytes(spec_->args));
  return process;
}

void LocalActor::RunCall(ActorCallSpec &call) {
  tls_current_actor = this;
  if (isolated_ != nullptr && call.isolated.trampoline != nullptr) {
    auto *process = static_cast<ActorProcess *>(object_.get());
    CompleteCall(call.args, *call.result, "actor method", call.method_name,
                 [&](const ArgumentBytes &bytes) {
                   try {
                     return process->Run(call.isolated, bytes);
                   } catch (const ActorProcessDied &) {
                     // As when a Ray actor's worker dies: restarted if it may be, else
                     // dead; settled before this call fails, so that a call made after
                     // the failure is seen meets the new state.
                     Lose(false, "lost its process",
                          "its process died during " + call.method_name);
                     throw;
                   }
                 });
  } else {
    CompleteCall(
        call.args, *call.result, "actor method", call.method_name,
        [&](const ArgumentBytes &bytes) { return call.invoke(object_.get(), bytes); });
  }
  tls_current_actor = nullptr;
}

void LocalActor::ThreadLoop(bool builds_object) {
  if (builds_object) Build();
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    cv_.wait(lock, [this] {
      return stopping_ || state_ == State::kDead ||
             (state_ == State::kRestarting && running_calls_ == 0) ||
             (state_ == State::kAlive && !queue_.empty());
    });
    if (stopping_ || state_ == State::kDead) break;
    if (state_ == State::kRestarting) {
      // This thread rebuilds the object; the others wait in kPending meanwhile.
      state_ = State::kPending;
      restarted_ = true;
      auto old_object = std::move(object_);
      lock.unlock();
      old_object.reset();
      Build();
      lock.lock();
      continue;
    }
    auto call = std::move(queue_.front());
    queue_.pop_front();
    ++running_calls_;
    lock.unlock();
    // Wait for ObjectRef arguments here, in order, so later calls cannot overtake.
    for (const auto &arg : call->args) {
      if (arg.ref) arg.ref->WaitReady(-1);
    }
    RunCall(*call);
    call.reset();
    lock.lock();
    --running_calls_;
    if (running_calls_ == 0) cv_.notify_all();
  }
  if (--live_threads_ == 0) {
    lock.unlock();
    ReleaseObject();
  }
}

// Destroys the object and gives the actor's resources back; the last thread of a dead
// actor does it, or Join() at shutdown.
void LocalActor::ReleaseObject() {
  std::shared_ptr<void> object;
  bool release_resources;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    object.swap(object_);
    release_resources = holds_resources_;
    holds_resources_ = false;
  }
  object.reset();
  if (release_resources) scheduler_.ReleaseForActor(spec_->resources);
}

void LocalActor::RequestStop() {
  std::vector<std::unique_ptr<ActorCallSpec>> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto &call : queue_) dropped.push_back(std::move(call));
    queue_.clear();
    cv_.notify_all();
  }
  FailCalls(dropped, ObjectError::kShutdown, kShutdownMessage);
}

// Joins the threads, then destroys the object on this thread and gives its resources
// back, so shutdown never races a running method.
void LocalActor::Join() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    threads.swap(threads_);
  }
  for (auto &thread : threads) thread.join();
  ReleaseObject();
}

}  // namespace internal
}  // namespace ray
