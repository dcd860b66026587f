// ray::ObjectRef<T> (ray/api/object_ref.h): a typed reference to an object in the
// store. Copies share the object; it is freed when the last reference goes away.
#pragma once

#include <ray/api/local_runtime.h>
#include <ray/api/serializer.h>
#include <ray/api/type_traits.h>

#include <memory>
#include <msgpack.hpp>
#include <string>
#include <type_traits>

// Set by `rayify verify` and by the compile check under every conversion. Ray's own
// ObjectRef move constructor lets go of the reference before it takes it again: moving
// the only ref to a task's result makes Ray forget that the program owns the result,
// and Ray aborts the driver when a large one comes back. Code converted for Ray copies
// refs instead, and with this, code that moves one does not compile. (A deleted move
// constructor would not do: std::pair's constructors would quietly copy around it.)
#ifdef RAYIFY_NO_OBJECT_REF_MOVES
#define RAYIFY_OBJECT_REF_MOVE_CHECK                                                   \
  ObjectRef(const ObjectRef &) = default;                                              \
  ObjectRef &operator=(const ObjectRef &) = default;                                   \
  ObjectRef &operator=(ObjectRef &&) = default; /* Ray's takes the new one first */    \
  template <typename Moved,                                                            \
            typename = std::enable_if_t<std::is_same_v<Moved, ObjectRef>>>             \
  ObjectRef(Moved &&moved) : ObjectRef(static_cast<const ObjectRef &>(moved)) {        \
    static_assert(sizeof(Moved) == 0,                                                  \
                  "a ray::ObjectRef is moved: on Ray this loses the owner of a ref's " \
                  "last reference; copy it instead");                                  \
  }
#else
#define RAYIFY_OBJECT_REF_MOVE_CHECK
#endif

namespace ray {

template <typename T>
class ObjectRef;

namespace internal {

/// Lets the runtime reach the entry behind a reference without widening ObjectRef's
/// public surface beyond Ray's.
struct ObjectRefAccess {
  template <typename T>
  static const std::shared_ptr<ObjectEntry> &Entry(const ObjectRef<T> &ref) {
    return ref.entry_;
  }
  template <typename T>
  static ObjectRef<T> Make(std::shared_ptr<ObjectEntry> entry) {
    return ObjectRef<T>(std::move(entry));
  }
  /// Get of a reference its caller gives up (an rvalue): when that reference is the
  /// object's last and the value is stored as T, the caller gets the stored object
  /// itself instead of a copy.
  template <typename T>
  static std::shared_ptr<T> Take(ObjectRef<T> &ref, int timeout_ms);
};

/// Waits for the object behind `entry` and throws its error, if it holds one.
inline const ObjectEntry &ResolveEntry(const std::shared_ptr<ObjectEntry> &entry,
                                       int timeout_ms) {
  if (!entry) {
    throw RayException(
        "This ObjectRef does not name an object of this process: the bundled runtime "
        "only resolves references returned by ray::Put or Remote().");
  }
  RuntimeWait(*entry, timeout_ms);
  entry->ThrowIfError();
  return *entry;
}

}  // namespace internal

template <typename T>
class ObjectRef {
 public:
  ObjectRef() = default;
  ObjectRef(const std::string &id) : id_(id) {}
  RAYIFY_OBJECT_REF_MOVE_CHECK

  static bool IsObjectRef() { return true; }

  bool operator==(const ObjectRef<T> &object) const { return id_ == object.id_; }

  const std::string &ID() const { return id_; }

  std::shared_ptr<T> Get() const { return Get(-1); }

  std::shared_ptr<T> Get(const int &timeout_ms) const {
    const auto &entry = internal::ResolveEntry(entry_, timeout_ms);
    if (const void *value = entry.TypedValue(typeid(T))) {
      return std::make_shared<T>(*static_cast<const T *>(value));
    }
    return internal::Serializer::DeserializeOnHeap<T>(entry.Bytes());
  }

  MSGPACK_DEFINE(id_);

 private:
  friend struct internal::ObjectRefAccess;
  explicit ObjectRef(std::shared_ptr<internal::ObjectEntry> entry)
      : id_(entry->Id()), entry_(std::move(entry)) {}

  std::string id_;
  std::shared_ptr<internal::ObjectEntry> entry_;
};

namespace internal {

template <typename T>
std::shared_ptr<T> ObjectRefAccess::Take(ObjectRef<T> &ref, int timeout_ms) {
  ResolveEntry(ref.entry_, timeout_ms);
  // A use count of one cannot grow behind our back: only this reference could copy it.
  if (ref.entry_.use_count() == 1) {
    if (std::shared_ptr<const void> value = ref.entry_->TakeValue(typeid(T))) {
      // Every stored value is created as a non-const T (ray::Put, PackResult), so the
      // caller may change it, as it may change a copy.
      auto *object = const_cast<T *>(static_cast<const T *>(value.get()));
      return std::shared_ptr<T>(std::move(value), object);
    }
  }
  return ref.Get(timeout_ms);
}

}  // namespace internal

template <>
class ObjectRef<void> {
 public:
  ObjectRef() = default;
  ObjectRef(const std::string &id) : id_(id) {}
  RAYIFY_OBJECT_REF_MOVE_CHECK

  static bool IsObjectRef() { return true; }

  bool operator==(const ObjectRef<void> &object) const { return id_ == object.id_; }

  const std::string &ID() const { return id_; }

  void Get() const { Get(-1); }
  void Get(const int &timeout_ms) const { internal::ResolveEntry(entry_, timeout_ms); }

  MSGPACK_DEFINE(id_);

 private:
  friend struct internal::ObjectRefAccess;
  explicit ObjectRef(std::shared_ptr<internal::ObjectEntry> entry)
      : id_(entry->Id()), entry_(std::move(entry)) {}

  std::string id_;
  std::shared_ptr<internal::ObjectEntry> entry_;
};

}  // namespace ray
