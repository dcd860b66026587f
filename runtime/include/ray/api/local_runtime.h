// The non-template core of rayify's bundled runtime: the object store entries, task and
// actor-call descriptions, and the entry points the API templates call. Everything
// behind these declarations lives in runtime/src and is compiled once.
#pragma once

#include <ray/api/ray_exception.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <vector>

namespace ray {
class RayConfig;

namespace internal {

using Resources = std::unordered_map<std::string, double>;

/// Why an object holds an error instead of a value; decides the exception Get throws.
enum class ObjectError { kNone, kTaskFailed, kActorDied, kShutdown, kMovedOut };

/// One object of the local object store: serialized bytes, the value itself (see
/// SetTypedValue), or the error that replaced them. Lifetime follows the ObjectRefs
/// that point at it; worker processes holding a copy (isolated mode) learn it is gone
/// through a weak_ptr.
class ObjectEntry : public std::enable_shared_from_this<ObjectEntry> {
 public:
  ObjectEntry();
  ObjectEntry(const ObjectEntry &) = delete;
  ObjectEntry &operator=(const ObjectEntry &) = delete;

  const std::string &Id() const { return id_; }
  bool IsReady() const { return ready_.load(std::memory_order_acquire); }

  void SetValue(std::string bytes);
  /// Stores the value itself, of a type whose copy is exactly what encoding and
  /// decoding it would give (CopiesExactly): a reader of that type copies it or, when
  /// it only needs it const, shares it, and `encode` makes the bytes only when
  /// something needs them (a worker process, a reader of another type).
  using Encoder = std::string (*)(const void *value);
  void SetTypedValue(std::shared_ptr<const void> value, std::type_index type,
                     Encoder encode);
  void SetError(ObjectError kind, std::string message);

  /// Blocks until ready; false when timeout_ms (>= 0) passed first.
  bool WaitReady(int timeout_ms);

  /// Runs `callback` once the entry is ready: right away if it already is.
  void OnReady(std::function<void()> callback);

  // Valid only once IsReady().
  const std::string &Bytes() const {
    if (encode_ != nullptr) {
      std::call_once(encoded_, [this] { bytes_ = encode_(value_.get()); });
    }
    return bytes_;
  }
  /// The value SetTypedValue stored, when it was stored as `type`; else null.
  const void *TypedValue(std::type_index type) const {
    return value_ != nullptr && value_type_ == type ? value_.get() : nullptr;
  }
  ObjectError Error() const { return error_; }
  const std::string &ErrorMessage() const { return error_message_; }

  /// Throws the Ray exception matching Error(); no-op for a value.
  void ThrowIfError() const;

  /// Hands the value stored as `type` to a reader that holds the entry's only
  /// reference (ray::Get of an rvalue ObjectRef), when no task shares it either: the
  /// reader keeps the object instead of copying it. Null otherwise. After a take the
  /// entry holds the kMovedOut error, so a later read fails loudly instead of finding
  /// nothing.
  std::shared_ptr<const void> TakeValue(std::type_index type);

  /// The value decoded as `type` by `decode`, decoded once and shared by every
  /// reader that only needs it const (a task parameter `const T&`). Valid once ready.
  using Decoder = std::shared_ptr<const void> (*)(const std::string &bytes);
  std::shared_ptr<const void> Decoded(std::type_index type, Decoder decode);

 private:
  void Publish(std::unique_lock<std::mutex> &lock);

  std::string id_;
  std::atomic<bool> ready_{false};
  std::mutex mutex_;
  std::condition_variable ready_cv_;
  int waiters_ = 0;
  mutable std::string bytes_;
  std::shared_ptr<const void> value_;
  std::type_index value_type_{typeid(void)};
  Encoder encode_ = nullptr;
  mutable std::once_flag encoded_;
  ObjectError error_ = ObjectError::kNone;
  std::string error_message_;
  std::vector<std::function<void()>> callbacks_;
  std::mutex decode_mutex_;
  std::shared_ptr<const void> decoded_;
  std::type_index decoded_type_{typeid(void)};
};

/// What a call gives back: its value's bytes, or the value itself when its type copies
/// exactly (ObjectEntry::SetTypedValue), so that nothing encodes it unless a reader
/// needs bytes.
struct CallResult {
  CallResult() = default;
  CallResult(std::string encoded) : bytes(std::move(encoded)) {}

  /// The bytes, encoding the value when the call gave the value itself.
  std::string TakeBytes() { return value ? encode(value.get()) : std::move(bytes); }

  std::string bytes;
  std::shared_ptr<const void> value;
  std::type_index type{typeid(void)};
  ObjectEntry::Encoder encode = nullptr;
};

/// An argument of a task or actor call: bytes packed at submission, or an object
/// the callee waits for.
struct TaskArgument {
  std::string bytes;
  std::shared_ptr<ObjectEntry> ref;
};

/// One argument as the callee sees it: its bytes, or the object it came from when it
/// was passed as an ObjectRef.
struct ArgumentView {
  const std::string *bytes;  // null when `entry` holds the argument
  ObjectEntry *entry;

  const std::string &Bytes() const { return bytes != nullptr ? *bytes : entry->Bytes(); }
};

/// Every argument, in parameter order.
using ArgumentBytes = std::vector<ArgumentView>;

/// A call a worker process can make knowing only bytes: `trampoline` (the same address
/// in a forked worker) decodes the callable from `callable` and calls it.
struct IsolatedCall {
  std::string (*trampoline)(const std::string &callable,
                            const ArgumentBytes &args) = nullptr;
  /// The callable's bytes (a function or member function pointer), held inline: every
  /// submission makes one, and most never leave the process.
  std::array<char, 32> callable{};
  uint8_t callable_size = 0;

  std::string Callable() const { return std::string(callable.data(), callable_size); }
};

struct TaskSpec {
  std::string function_name;
  /// As requested; empty means Ray's default of 1 CPU.
  Resources resources;
  /// The scheduler's interned copy of the demand (with the default CPU filled in).
  const Resources *demand = nullptr;
  std::vector<TaskArgument> args;
  std::function<CallResult(const ArgumentBytes &)> invoke;
  IsolatedCall isolated;  // the same call, for a worker process
  std::shared_ptr<ObjectEntry> result;
  /// The scheduler's link while the spec waits in one of its lock-free lists.
  TaskSpec *next = nullptr;
};

/// Builds a fresh actor instance from the creation arguments.
using ActorFactory = std::function<std::shared_ptr<void>(const ArgumentBytes &)>;

struct ActorCallSpec {
  std::string method_name;
  std::vector<TaskArgument> args;
  std::function<CallResult(void *self, const ArgumentBytes &)> invoke;
  /// The same call for the actor's own process (isolated mode): it runs on the
  /// object that process holds (IsolatedActorObject()).
  IsolatedCall isolated;
  std::shared_ptr<ObjectEntry> result;
};

/// In an actor's own process (isolated mode), the one object it holds.
std::shared_ptr<void> &IsolatedActorObject();

struct ActorSpec {
  std::string class_name;
  std::string name;
  std::string ray_namespace;
  Resources resources;
  int max_restarts = 0;
  int max_concurrency = 1;
  std::vector<TaskArgument> args;
  ActorFactory factory;
  /// The factory for the actor's own process (isolated mode): builds the object into
  /// IsolatedActorObject().
  IsolatedCall isolated_factory;
};

// Entry points of the running local runtime. Each throws RayException when ray::Init
// has not been called.
void RuntimeInit(RayConfig &config, int argc, char **argv);
bool RuntimeIsInitialized();
void RuntimeShutdown();

std::shared_ptr<ObjectEntry> RuntimePut(std::string bytes);
std::shared_ptr<ObjectEntry> RuntimePut(std::shared_ptr<const void> value,
                                        std::type_index type,
                                        ObjectEntry::Encoder encode);
/// An empty TaskSpec to fill and submit: one a finished task left behind when there is
/// one, so that workers do not free, task after task, what the submitting thread
/// allocated (the two would contend for malloc's lock).
std::unique_ptr<TaskSpec> RuntimeNewTaskSpec();
std::shared_ptr<ObjectEntry> RuntimeSubmitTask(std::unique_ptr<TaskSpec> task);

/// Waits for `entry`, giving back the CPU of the calling task while blocked.
void RuntimeWait(ObjectEntry &entry, int timeout_ms);

/// Waits until `num_objects` of `entries` are ready or the timeout passes; returns
/// which ones are ready.
std::vector<bool> RuntimeWaitSome(
    const std::vector<std::shared_ptr<ObjectEntry>> &entries, int num_objects,
    int timeout_ms);

std::string RuntimeCreateActor(std::unique_ptr<ActorSpec> actor);
std::shared_ptr<ObjectEntry> RuntimeCallActor(const std::string &actor_id,
                                              std::unique_ptr<ActorCallSpec> call);
void RuntimeKillActor(const std::string &actor_id, bool no_restart);
std::string RuntimeGetActorId(const std::string &name, const std::string &ray_namespace);
bool RuntimeWasCurrentActorRestarted();
std::string RuntimeGetNamespace();

}  // namespace internal
}  // namespace ray
