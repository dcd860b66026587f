// The process-wide bundled runtime behind ray::Init / ray::Shutdown and the entry
// points declared in ray/api/local_runtime.h.
#include <ray/api/local_runtime.h>
#include <ray/api/ray_config.h>

#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>

#include "actor.h"
#include "node_config.h"
#include "scheduler.h"
#include "task_profile.h"
#include "worker_pool.h"

namespace ray {
namespace internal {
namespace {

int CpusOf(const Resources &capacity) {
  auto cpus = capacity.find("CPU");
  return cpus == capacity.end() ? 1 : static_cast<int>(cpus->second);
}

class LocalRuntime {
 public:
  explicit LocalRuntime(NodeConfig node)
      : isolated(WorkerPool::FromEnvironment(CpusOf(node.capacity))),
        scheduler(std::move(node.capacity), isolated.get()),
        ray_namespace(std::move(node.ray_namespace)) {}

  // Forked before the scheduler starts its threads; reaped after they stop.
  std::unique_ptr<WorkerPool> isolated;
  Scheduler scheduler;
  const std::string ray_namespace;

  std::mutex actors_mutex;
  std::unordered_map<std::string, std::unique_ptr<LocalActor>> actors;
  std::map<std::pair<std::string, std::string>, std::string> named_actors;
  uint64_t next_actor = 0;

  LocalActor &FindActor(const std::string &actor_id) {
    std::lock_guard<std::mutex> lock(actors_mutex);
    auto it = actors.find(actor_id);
    if (it == actors.end()) {
      throw RayActorException("No actor with id '" + actor_id +
                              "' exists in this process: the handle was not created by "
                              "this runtime.");
    }
    return *it->second;
  }

  void Stop() {
    scheduler.RequestStop();
    std::vector<LocalActor *> all;
    {
      std::lock_guard<std::mutex> lock(actors_mutex);
      for (auto &[id, actor] : actors) all.push_back(actor.get());
    }
    for (auto *actor : all) actor->RequestStop();
    scheduler.Join();
    for (auto *actor : all) actor->Join();
  }
};

std::mutex g_lifecycle_mutex;
std::unique_ptr<LocalRuntime> g_runtime;
// Read on every API call without taking the lifecycle lock.
std::atomic<LocalRuntime *> g_active{nullptr};

LocalRuntime &Current() {
  LocalRuntime *runtime = g_active.load(std::memory_order_acquire);
  if (runtime == nullptr) {
    throw RayException(
        "The Ray runtime is not initialized: call ray::Init() before using the Ray API "
        "(and not after ray::Shutdown()).");
  }
  return *runtime;
}

std::string NamespaceOf(const LocalRuntime &runtime, const std::string &requested) {
  return requested.empty() ? runtime.ray_namespace : requested;
}

// Tasks return results of megabytes that are built, sent and freed within moments,
// in the driver and in every worker. glibc hands such a block back to the kernel when
// it is freed (mmap threshold, heap trim) and takes fresh, zeroed pages for the next:
// NPB EP spent a sixth of its time in page faults. Blocks up to 32 MiB come from the
// heap, and up to 256 MiB of freed heap stays with the process; worker processes,
// forked after this, inherit it. RAYIFY_KEEP_FREED_BLOCKS=0 leaves glibc's defaults.
void KeepFreedBlocks() {
#if defined(__GLIBC__)
  const char *setting = std::getenv("RAYIFY_KEEP_FREED_BLOCKS");
  if (setting != nullptr && std::strcmp(setting, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

}  // namespace

void RuntimeInit(RayConfig &config, int argc, char **argv) {
  std::lock_guard<std::mutex> lock(g_lifecycle_mutex);
  if (g_runtime) return;  // Ray ignores a second Init as well
  TaskProfile::Configure();
  KeepFreedBlocks();
  g_runtime = std::make_unique<LocalRuntime>(ResolveNodeConfig(config, argc, argv));
  g_active.store(g_runtime.get(), std::memory_order_release);
}

bool RuntimeIsInitialized() {
  return g_active.load(std::memory_order_acquire) != nullptr;
}

// Work still queued fails with a shutdown error, running work finishes, then every
// thread is joined and every actor object destroyed.
void RuntimeShutdown() {
  std::lock_guard<std::mutex> lock(g_lifecycle_mutex);
  if (!g_runtime) return;
  g_runtime->Stop();
  g_active.store(nullptr, std::memory_order_release);
  g_runtime.reset();
  TaskProfile::WriteAndReset();
}

std::shared_ptr<ObjectEntry> RuntimePut(std::string bytes) {
  Current();
  auto entry = std::make_shared<ObjectEntry>();
  entry->SetValue(std::move(bytes));
  return entry;
}

std::shared_ptr<ObjectEntry> RuntimePut(std::shared_ptr<const void> value,
                                        std::type_index type,
                                        ObjectEntry::Encoder encode) {
  Current();
  auto entry = std::make_shared<ObjectEntry>();
  entry->SetTypedValue(std::move(value), type, encode);
  return entry;
}

std::unique_ptr<TaskSpec> RuntimeNewTaskSpec() { return NewTaskSpec(); }

std::shared_ptr<ObjectEntry> RuntimeSubmitTask(std::unique_ptr<TaskSpec> task) {
  LocalRuntime &runtime = Current();
  task->result = std::make_shared<ObjectEntry>();
  auto result = task->result;
  runtime.scheduler.Submit(std::move(task));
  return result;
}

void RuntimeWait(ObjectEntry &entry, int timeout_ms) {
  LocalRuntime &runtime = Current();
  if (entry.IsReady()) return;
  runtime.scheduler.BeginBlocking();
  bool ready = entry.WaitReady(timeout_ms);
  runtime.scheduler.EndBlocking();
  if (!ready) {
    throw RayTimeoutException("Get timed out: object " + entry.Id() +
                              " was not ready after " + std::to_string(timeout_ms) +
                              " ms.");
  }
}

std::vector<bool> RuntimeWaitSome(
    const std::vector<std::shared_ptr<ObjectEntry>> &entries, int num_objects,
    int timeout_ms) {
  LocalRuntime &runtime = Current();
  for (const auto &entry : entries) {
    if (!entry) throw RayException("ray::Wait was given an ObjectRef with no object.");
  }
  // One counter shared by callbacks on every pending entry; they may outlive the wait.
  struct Progress {
    std::mutex mutex;
    std::condition_variable cv;
    size_t ready = 0;
  };
  auto progress = std::make_shared<Progress>();
  for (const auto &entry : entries) {
    entry->OnReady([progress] {
      std::lock_guard<std::mutex> lock(progress->mutex);
      ++progress->ready;
      progress->cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(progress->mutex);
    auto enough = [&] { return progress->ready >= static_cast<size_t>(num_objects); };
    if (!enough()) {
      lock.unlock();
      runtime.scheduler.BeginBlocking();
      lock.lock();
      if (timeout_ms < 0) {
        progress->cv.wait(lock, enough);
      } else {
        progress->cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), enough);
      }
      lock.unlock();
      runtime.scheduler.EndBlocking();
    }
  }
  // Like Ray, report at most num_objects as ready, earliest in the input first.
  std::vector<bool> ready(entries.size(), false);
  size_t reported = 0;
  for (size_t i = 0; i < entries.size() && reported < static_cast<size_t>(num_objects);
       ++i) {
    if (entries[i]->IsReady()) {
      ready[i] = true;
      ++reported;
    }
  }
  return ready;
}

std::string RuntimeCreateActor(std::unique_ptr<ActorSpec> spec) {
  LocalRuntime &runtime = Current();
  if (!spec->resources.empty()) {
    runtime.scheduler.CheckFeasible(spec->resources, "Actor", spec->class_name);
  }
  std::lock_guard<std::mutex> lock(runtime.actors_mutex);
  std::pair<std::string, std::string> key;
  if (!spec->name.empty()) {
    key = {NamespaceOf(runtime, spec->ray_namespace), spec->name};
    if (runtime.named_actors.count(key) != 0) {
      throw RayException("An actor named '" + spec->name +
                         "' already exists in namespace '" + key.first + "'.");
    }
  }
  std::string id = "actor-" + std::to_string(++runtime.next_actor);
  auto actor = std::make_unique<LocalActor>(id, std::move(spec), runtime.scheduler,
                                            runtime.isolated.get());
  actor->Start();
  if (!key.second.empty()) runtime.named_actors[key] = id;
  runtime.actors.emplace(id, std::move(actor));
  return id;
}

std::shared_ptr<ObjectEntry> RuntimeCallActor(const std::string &actor_id,
                                              std::unique_ptr<ActorCallSpec> call) {
  LocalActor &actor = Current().FindActor(actor_id);
  call->result = std::make_shared<ObjectEntry>();
  auto result = call->result;
  actor.Submit(std::move(call));
  return result;
}

void RuntimeKillActor(const std::string &actor_id, bool no_restart) {
  Current().FindActor(actor_id).Kill(no_restart);
}

std::string RuntimeGetActorId(const std::string &name, const std::string &ray_namespace) {
  LocalRuntime &runtime = Current();
  std::lock_guard<std::mutex> lock(runtime.actors_mutex);
  auto it = runtime.named_actors.find({NamespaceOf(runtime, ray_namespace), name});
  return it == runtime.named_actors.end() ? std::string() : it->second;
}

bool RuntimeWasCurrentActorRestarted() {
  Current();
  LocalActor *actor = LocalActor::Current();
  return actor != nullptr && actor->WasRestarted();
}

std::string RuntimeGetNamespace() { return Current().ray_namespace; }

}  // namespace internal
}  // namespace ray
