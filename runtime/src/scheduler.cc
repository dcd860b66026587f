#include "scheduler.h"

#include "task_profile.h"
#include "worker_pool.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

namespace ray {
namespace internal {

const char kShutdownMessage[] =
    "ray::Shutdown() was called before this work ran; its result will never exist.";

namespace {

// Resources held by the task running on this thread; null off worker threads.
thread_local const Resources *tls_task_resources = nullptr;

// Finished tasks' specs, emptied, for submitting threads to fill again: a worker
// freeing a spec the driver allocated makes the two threads contend for malloc's
// arena lock on every task. Each submitting thread takes the whole list at once into
// a list of its own. Enough are kept for every task in flight through a bounded
// window; beyond that specs are freed.
constexpr size_t kMaxSpareSpecs = 256;
SpecList g_spare_specs;
std::atomic<size_t> g_spare_count{0};

struct LocalSpares {
  TaskSpec *head = nullptr;
  ~LocalSpares() {
    while (head != nullptr) {
      TaskSpec *next = head->next;
      delete head;
      head = next;
      g_spare_count.fetch_sub(1, std::memory_order_relaxed);
    }
  }
};
thread_local LocalSpares tls_spares;

// Takes `lock`'s mutex, first retrying briefly without sleeping: the scheduler's lock
// is held for well under a microsecond, so a thread that finds it taken usually gets
// it a moment later, and going to sleep in the kernel and being woken would cost far
// more than the wait.
void LockSpinning(std::unique_lock<std::mutex> &lock) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (lock.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  lock.lock();
}

// Empties `task` (keeping only its argument list's buffer) and keeps it for
// NewTaskSpec, or frees it when enough are kept.
void Recycle(std::unique_ptr<TaskSpec> task) {
  task->function_name.clear();
  task->resources.clear();
  task->demand = nullptr;
  task->args.clear();
  task->invoke = nullptr;
  task->isolated = IsolatedCall{};
  task->result.reset();
  if (g_spare_count.fetch_add(1, std::memory_order_relaxed) >= kMaxSpareSpecs) {
    g_spare_count.fetch_sub(1, std::memory_order_relaxed);
    return;
  }
  g_spare_specs.Push(task.release());
}

// Fails every task of `list` as dropped by ray::Shutdown(). Called without the lock:
// failing a result runs its callbacks, which may submit.
void FailDropped(TaskSpec *list) {
  while (list != nullptr) {
    std::unique_ptr<TaskSpec> task(list);
    list = task->next;
    task->result->SetError(ObjectError::kShutdown, kShutdownMessage);
  }
}

std::string DescribeResources(const Resources &resources) {
  std::ostringstream out;
  out << "{";
  bool first = true;
  for (const auto &[name, amount] : resources) {
    out << (first ? "" : ", ") << name << ": " << amount;
    first = false;
  }
  out << "}";
  return out.str();
}

}  // namespace

bool PropagateArgumentError(const std::vector<TaskArgument> &args, ObjectEntry &result) {
  for (const auto &arg : args) {
    if (arg.ref && arg.ref->Error() != ObjectError::kNone) {
      result.SetError(arg.ref->Error(), arg.ref->ErrorMessage());
      return true;
    }
  }
  return false;
}

ArgumentBytes CollectArgumentBytes(const std::vector<TaskArgument> &args) {
  ArgumentBytes bytes;
  bytes.reserve(args.size());
  for (const auto &arg : args) {
    bytes.push_back(arg.ref ? ArgumentView{nullptr, arg.ref.get()}
                            : ArgumentView{&arg.bytes, nullptr});
  }
  return bytes;
}

void CompleteCall(const std::vector<TaskArgument> &args, ObjectEntry &result,
                  const char *kind, const std::string &name,
                  const std::function<CallResult(const ArgumentBytes &)> &call) {
  if (PropagateArgumentError(args, result)) return;
  try {
    // The clock is read only when profiling: this is every task's path.
    const bool timed = TaskProfile::Enabled();
    auto start = timed ? std::chrono::steady_clock::now()
                       : std::chrono::steady_clock::time_point{};
    CallResult value = call(CollectArgumentBytes(args));
    if (timed) TaskProfile::Record(std::chrono::steady_clock::now() - start);
    if (value.value != nullptr) {
      result.SetTypedValue(std::move(value.value), value.type, value.encode);
    } else {
      result.SetValue(std::move(value.bytes));
    }
  } catch (const std::exception &e) {
    result.SetError(ObjectError::kTaskFailed,
                    std::string("An exception was thrown while executing ") + kind + "(" +
                        name + "): " + e.what());
  } catch (...) {
    result.SetError(ObjectError::kTaskFailed,
                    std::string("An unknown exception was thrown while executing ") +
                        kind + "(" + name + ").");
  }
}

void RunTask(TaskSpec &task, WorkerPool *isolated) {
  if (isolated != nullptr && task.isolated.trampoline != nullptr) {
    CompleteCall(
        task.args, *task.result, "function", task.function_name,
        [&](const ArgumentBytes &bytes) { return isolated->Run(task.isolated, bytes); });
    return;
  }
  CompleteCall(task.args, *task.result, "function", task.function_name, task.invoke);
}

Scheduler::Scheduler(Resources capacity, WorkerPool *isolated)
    : capacity_(std::move(capacity)),
      isolated_(isolated),
      available_(capacity_),
      available_cpus_(&available_["CPU"]) {
  classes_.push_back({default_demand_, {}});
}

Scheduler::~Scheduler() {
  RequestStop();
  Join();
}

void Scheduler::CheckFeasible(const Resources &demand, const char *kind,
                              const std::string &name) const {
  for (const auto &[resource, amount] : demand) {
    auto it = capacity_.find(resource);
    double have = it == capacity_.end() ? 0.0 : it->second;
    if (amount > have) {
      throw RayException(std::string(kind) + " " + name + " requires " +
                         DescribeResources(demand) + ", but this node only has " +
                         DescribeResources(capacity_) +
                         ", so it could never be scheduled. Lower the request, or give "
                         "the node more with ray::RayConfig::head_args (e.g. "
                         "--num-cpus=N, --num-gpus=N, --resources={\"name\": N}).");
    }
  }
}

bool SpecList::Push(TaskSpec *spec) {
  // Once pushed, `spec` belongs to whoever takes the list: the old head is kept here,
  // not read back from it.
  TaskSpec *head = head_.load(std::memory_order_relaxed);
  do {
    spec->next = head;
  } while (!head_.compare_exchange_weak(head, spec, std::memory_order_seq_cst,
                                        std::memory_order_relaxed));
  return head == nullptr;
}

TaskSpec *SpecList::TakeAll() {
  // Sequentially consistent, as the exchange: the callers' handshakes (Enqueue) need
  // this load ordered after their own store.
  if (head_.load(std::memory_order_seq_cst) == nullptr) return nullptr;
  return head_.exchange(nullptr, std::memory_order_seq_cst);
}

std::unique_ptr<TaskSpec> NewTaskSpec() {
  if (tls_spares.head == nullptr) tls_spares.head = g_spare_specs.TakeAll();
  if (TaskSpec *spare = tls_spares.head) {
    tls_spares.head = spare->next;
    spare->next = nullptr;
    g_spare_count.fetch_sub(1, std::memory_order_relaxed);
    return std::unique_ptr<TaskSpec>(spare);
  }
  return std::make_unique<TaskSpec>();
}

void Scheduler::Submit(std::unique_ptr<TaskSpec> task) {
  // Ray gives a task 1 CPU unless it asks for CPUs itself. The common case, no
  // resources at all, maps to class 0 in Enqueue without touching a map.
  if (task->resources.empty()) {
    CheckFeasible(default_demand_, "Task", task->function_name);
  } else {
    task->resources.emplace("CPU", 1.0);
    CheckFeasible(task->resources, "Task", task->function_name);
  }
  std::vector<ObjectEntry *> pending;
  for (const auto &arg : task->args) {
    if (arg.ref && !arg.ref->IsReady()) pending.push_back(arg.ref.get());
  }
  if (pending.empty()) {
    Enqueue(std::move(task));
    return;
  }
  // The last argument to become ready queues the task.
  struct Waiting {
    std::unique_ptr<TaskSpec> task;
    std::atomic<size_t> remaining;
  };
  auto waiting = std::make_shared<Waiting>();
  waiting->task = std::move(task);
  waiting->remaining = pending.size();
  for (ObjectEntry *entry : pending) {
    entry->OnReady([this, waiting] {
      if (waiting->remaining.fetch_sub(1) == 1) Enqueue(std::move(waiting->task));
    });
  }
}

// Whoever takes the inbox takes it whole, so only a task pushed onto an empty inbox
// has to make sure someone will: a spinning worker, which sorts the inbox in once it
// stops, under the lock, after clearing its flag (a submitter that finds the flag set
// has therefore pushed before the worker looks: both sides order their store and
// their load sequentially consistently); a worker already woken or starting, which
// sorts it when it arrives; or else the submitter itself, waking a worker. Submitting
// in a loop thus costs one lock and one wake-up per batch, not per task.
void Scheduler::Enqueue(std::unique_ptr<TaskSpec> task) {
  if (!inbox_.Push(task.release())) return;
  if (spinner_active_.load(std::memory_order_seq_cst) &&
      !stop_requested_.load(std::memory_order_seq_cst)) {
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
  LockSpinning(lock);
  if (stopping_) {
    TaskSpec *dropped = inbox_.TakeAll();
    lock.unlock();
    FailDropped(dropped);
    return;
  }
  if (pending_wakeups_ + starting_workers_ > 0) return;
  SortInboxLocked();
  WakeWorkerLocked();
}

// Moves the submitted tasks into their scheduling classes, oldest first.
void Scheduler::SortInboxLocked() {
  // Once stopping, queued tasks are never run: whoever submits fails its own.
  if (stopping_) return;
  TaskSpec *newest_first = inbox_.TakeAll();
  TaskSpec *oldest_first = nullptr;
  while (newest_first != nullptr) {
    TaskSpec *next = newest_first->next;
    newest_first->next = oldest_first;
    oldest_first = newest_first;
    newest_first = next;
  }
  while (oldest_first != nullptr) {
    std::unique_ptr<TaskSpec> task(oldest_first);
    oldest_first = task->next;
    task->next = nullptr;
    SchedulingClass &target = ClassOfLocked(*task);
    task->demand = &target.demand;
    target.queue.push_back(std::move(task));
    queued_.fetch_add(1, std::memory_order_relaxed);
  }
}

Scheduler::SchedulingClass &Scheduler::ClassOfLocked(const TaskSpec &task) {
  if (task.resources.empty()) return classes_.front();
  for (auto &scheduling_class : classes_) {
    if (scheduling_class.demand == task.resources) return scheduling_class;
  }
  classes_.push_back({task.resources, {}});
  return classes_.back();
}

// Makes sure enough workers head for the runnable work: the spinning worker, workers
// already woken and workers still starting each take one task; beyond them, wake a
// sleeping worker or start one. Counting the ones on their way matters: a new thread
// takes tens of microseconds to reach the queue, and a driver submitting in a loop
// would otherwise start a thread for every task it queues meanwhile.
void Scheduler::WakeWorkerLocked() {
  size_t on_their_way = static_cast<size_t>(pending_wakeups_ + starting_workers_) +
                        (spinner_active_.load(std::memory_order_relaxed) ? 1 : 0);
  if (on_their_way >= RunnableSlotsLocked()) return;
  if (idle_workers_ > pending_wakeups_) {
    ++pending_wakeups_;
    work_cv_.notify_one();
  } else if (!stopping_) {
    ++starting_workers_;
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

// How many queued tasks could start now: per scheduling class, as many as its queue
// holds and the free resources admit.
size_t Scheduler::RunnableSlotsLocked() const {
  size_t slots = 0;
  for (const auto &scheduling_class : classes_) {
    if (scheduling_class.queue.empty()) continue;
    slots += AdmittedLocked(scheduling_class.demand, scheduling_class.queue.size());
  }
  return slots;
}

// A worker that runs dry usually finds new work within microseconds while a driver
// submits in a loop; sleeping and being woken per task would cost two system calls
// each. One worker at a time spins briefly instead.
void Scheduler::SpinWhileIdle() const {
  constexpr auto kSpinLimit = std::chrono::microseconds(50);
  auto deadline = std::chrono::steady_clock::now() + kSpinLimit;
  for (int i = 1;; ++i) {
    if (queued_.load(std::memory_order_relaxed) > 0 || !inbox_.Empty() ||
        stop_requested_.load(std::memory_order_relaxed)) {
      return;
    }
    if (i % 64 == 0 && std::chrono::steady_clock::now() > deadline) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
}

bool Scheduler::FitsLocked(const Resources &demand) const {
  return AdmittedLocked(demand, 1) == 1;
}

// How many tasks of `demand`, at most `limit`, the free resources hold at once.
size_t Scheduler::AdmittedLocked(const Resources &demand, size_t limit) const {
  // A small tolerance keeps fractional requests (0.1 CPU ten times) exact enough.
  auto admits = [limit](double free, double amount) {
    if (free + 1e-9 < amount) return size_t{0};
    if (amount <= 0) return limit;
    return std::min(limit, static_cast<size_t>(std::floor((free + 1e-9) / amount)));
  };
  if (&demand == &classes_.front().demand) return admits(*available_cpus_, 1.0);
  size_t admitted = limit;
  for (const auto &[name, amount] : demand) {
    auto it = available_.find(name);
    if (it == available_.end()) return 0;
    admitted = std::min(admitted, admits(it->second, amount));
  }
  return admitted;
}

void Scheduler::AddLocked(const Resources &demand, double sign) {
  if (&demand == &classes_.front().demand) {
    *available_cpus_ += sign;
    return;
  }
  for (const auto &[name, amount] : demand) available_[name] += sign * amount;
}

// Round-robin over scheduling classes so one shape cannot starve another.
std::unique_ptr<TaskSpec> Scheduler::TakeRunnableLocked() {
  SortInboxLocked();
  if (queued_ == 0) return nullptr;
  for (size_t step = 0; step < classes_.size(); ++step) {
    size_t index = (next_class_ + step) % classes_.size();
    auto &scheduling_class = classes_[index];
    if (scheduling_class.queue.empty() || !FitsLocked(scheduling_class.demand)) continue;
    auto task = std::move(scheduling_class.queue.front());
    scheduling_class.queue.pop_front();
    queued_.fetch_sub(1, std::memory_order_relaxed);
    AddLocked(*task->demand, -1.0);
    next_class_ = index + 1;
    return task;
  }
  return nullptr;
}

void Scheduler::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
  LockSpinning(lock);
  --starting_workers_;
  bool spun = false;
  while (!stopping_) {
    auto task = TakeRunnableLocked();
    if (!task && !spun && !spinner_active_.load(std::memory_order_relaxed)) {
      spinner_active_.store(true, std::memory_order_seq_cst);
      lock.unlock();
      SpinWhileIdle();
      LockSpinning(lock);
      spinner_active_.store(false, std::memory_order_seq_cst);
      spun = true;
      continue;
    }
    spun = false;
    if (!task) {
      ++idle_workers_;
      work_cv_.wait(lock);
      --idle_workers_;
      if (pending_wakeups_ > 0) --pending_wakeups_;
      continue;
    }
    // Chain the wake-up: if more work fits, let another worker start on it now.
    WakeWorkerLocked();
    lock.unlock();
    const Resources *demand = task->demand;
    tls_task_resources = demand;
    RunTask(*task, isolated_);
    tls_task_resources = nullptr;
    Recycle(std::move(task));  // frees arguments and the closure outside the lock
    LockSpinning(lock);
    AddLocked(*demand, +1.0);
    if (actor_waiters_ > 0) resources_cv_.notify_all();
  }
}

void Scheduler::BeginBlocking() {
  if (tls_task_resources == nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  AddLocked(*tls_task_resources, +1.0);
  SortInboxLocked();
  WakeWorkerLocked();
  if (actor_waiters_ > 0) resources_cv_.notify_all();
}

// Takes the resources back even if that oversubscribes the node for a moment: making
// a woken task wait again could deadlock, and Ray resumes it the same way.
void Scheduler::EndBlocking() {
  if (tls_task_resources == nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  AddLocked(*tls_task_resources, -1.0);
}

bool Scheduler::AcquireForActor(const Resources &demand) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++actor_waiters_;
  resources_cv_.wait(lock, [&] { return stopping_ || FitsLocked(demand); });
  --actor_waiters_;
  if (stopping_) return false;
  AddLocked(demand, -1.0);
  return true;
}

void Scheduler::ReleaseForActor(const Resources &demand) {
  std::lock_guard<std::mutex> lock(mutex_);
  AddLocked(demand, +1.0);
  SortInboxLocked();
  WakeWorkerLocked();
  if (actor_waiters_ > 0) resources_cv_.notify_all();
}

void Scheduler::RequestStop() {
  std::vector<std::unique_ptr<TaskSpec>> dropped;
  TaskSpec *unsorted = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    // Before taking the inbox: a submitter that misses this flag pushed in time.
    stop_requested_.store(true, std::memory_order_seq_cst);
    unsorted = inbox_.TakeAll();
    for (auto &scheduling_class : classes_) {
      for (auto &task : scheduling_class.queue) dropped.push_back(std::move(task));
      scheduling_class.queue.clear();
    }
    queued_ = 0;
    work_cv_.notify_all();
    resources_cv_.notify_all();
  }
  for (auto &task : dropped) {
    task->result->SetError(ObjectError::kShutdown, kShutdownMessage);
  }
  FailDropped(unsorted);
}

void Scheduler::Join() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers.swap(workers_);
  }
  for (auto &worker : workers) worker.join();
}

}  // namespace internal
}  // namespace ray
