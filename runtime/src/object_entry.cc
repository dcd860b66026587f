#include <ray/api/local_runtime.h>

#include <chrono>

namespace ray {
namespace internal {
namespace {

// 14 hex digits stay inside std::string's inline buffer, so naming an object never
// allocates.
std::string NextObjectId() {
  static std::atomic<uint64_t> counter{0};
  static const char kHex[] = "0123456789abcdef";
  uint64_t value = counter.fetch_add(1, std::memory_order_relaxed) + 1;
  std::string id(14, '0');
  for (int i = 13; i >= 0 && value != 0; --i, value >>= 4) id[i] = kHex[value & 0xf];
  return id;
}

}  // namespace

ObjectEntry::ObjectEntry() : id_(NextObjectId()) {}

void ObjectEntry::SetValue(std::string bytes) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (IsReady()) return;
  bytes_ = std::move(bytes);
  Publish(lock);
}

void ObjectEntry::SetTypedValue(std::shared_ptr<const void> value, std::type_index type,
                                Encoder encode) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (IsReady()) return;
  value_ = std::move(value);
  value_type_ = type;
  encode_ = encode;
  Publish(lock);
}

std::shared_ptr<const void> ObjectEntry::TakeValue(std::type_index type) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (value_ == nullptr || value_type_ != type || value_.use_count() != 1) return nullptr;
  error_ = ObjectError::kMovedOut;
  error_message_ =
      "ray::Get: this ObjectRef's value was moved out by an earlier ray::Get of it as an "
      "rvalue (a temporary or std::move); pass the reference as an lvalue to read it "
      "more than once";
  encode_ = nullptr;
  return std::move(value_);
}

void ObjectEntry::SetError(ObjectError kind, std::string message) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (IsReady()) return;
  error_ = kind;
  error_message_ = std::move(message);
  Publish(lock);
}

// Marks the entry ready, wakes blocked readers and runs the callbacks registered
// while it was pending. Callbacks run outside the lock: they may submit tasks.
void ObjectEntry::Publish(std::unique_lock<std::mutex> &lock) {
  std::vector<std::function<void()>> callbacks;
  ready_.store(true, std::memory_order_release);
  callbacks.swap(callbacks_);
  if (waiters_ > 0) ready_cv_.notify_all();
  lock.unlock();
  for (auto &callback : callbacks) callback();
}

bool ObjectEntry::WaitReady(int timeout_ms) {
  if (IsReady()) return true;
  std::unique_lock<std::mutex> lock(mutex_);
  ++waiters_;
  bool ready = true;
  auto is_ready = [this] { return IsReady(); };
  if (timeout_ms < 0) {
    ready_cv_.wait(lock, is_ready);
  } else {
    ready = ready_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), is_ready);
  }
  --waiters_;
  return ready;
}

void ObjectEntry::OnReady(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!IsReady()) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

std::shared_ptr<const void> ObjectEntry::Decoded(std::type_index type, Decoder decode) {
  // Readers wait for the one decoding: the point is to decode large objects once.
  if (value_ != nullptr && value_type_ == type) return value_;
  std::lock_guard<std::mutex> lock(decode_mutex_);
  if (decoded_ && decoded_type_ == type) return decoded_;
  if (decoded_) return decode(Bytes());  // read as a second type: not worth caching
  decoded_ = decode(Bytes());
  decoded_type_ = type;
  return decoded_;
}

void ObjectEntry::ThrowIfError() const {
  switch (error_) {
    case ObjectError::kNone:
      return;
    case ObjectError::kTaskFailed:
      throw RayTaskException(error_message_);
    case ObjectError::kActorDied:
      throw RayActorException(error_message_);
    case ObjectError::kShutdown:
    case ObjectError::kMovedOut:
      throw RayException(error_message_);
  }
}

}  // namespace internal
}  // namespace ray
