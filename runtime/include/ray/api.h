// rayify's bundled runtime: a local, in-process implementation of the part of Ray's
// C++ API (ray/api.h, Ray 2.60) that converted programs use. Names, namespaces and
// signatures match Ray's, so the same source builds against real Ray.
#pragma once

#include <ray/api/actor_creator.h>
#include <ray/api/actor_handle.h>
#include <ray/api/actor_task_caller.h>
#include <ray/api/function_manager.h>
#include <ray/api/local_runtime.h>
#include <ray/api/object_ref.h>
#include <ray/api/ray_config.h>
#include <ray/api/ray_exception.h>
#include <ray/api/ray_remote.h>
#include <ray/api/runtime_env.h>
#include <ray/api/task_caller.h>
#include <ray/api/wait_result.h>

#include <boost/callable_traits.hpp>
#include <boost/optional.hpp>
// Ray's api.h brings <iostream> in through its logging header, and programs written
// for Ray use std::cout without including it: so must the bundled runtime.
#include <iostream>
#include <list>
#include <memory>
#include <msgpack.hpp>
#include <string>
#include <vector>

namespace ray {

inline void Init(ray::RayConfig &config, int argc, char **argv) {
  internal::RuntimeInit(config, argc, argv);
}

inline void Init(ray::RayConfig &config) { Init(config, 0, nullptr); }

inline void Init() {
  RayConfig config;
  Init(config);
}

inline bool IsInitialized() { return internal::RuntimeIsInitialized(); }

inline void Shutdown() { internal::RuntimeShutdown(); }

template <typename T>
inline ray::ObjectRef<T> Put(const T &obj) {
  // A value whose copy equals its round trip is kept as it is: one copy here and one
  // per Get, rather than encoding it here and decoding it at every Get.
  if constexpr (internal::CopiesExactly<T>::value) {
    auto encode = [](const void *value) {
      return internal::Serializer::Serialize(*static_cast<const T *>(value));
    };
    // Non-const, so that a Get holding the last reference may hand this object out.
    auto entry = internal::RuntimePut(std::make_shared<T>(obj), typeid(T), encode);
    return internal::ObjectRefAccess::Make<T>(std::move(entry));
  } else {
    auto entry = internal::RuntimePut(internal::Serializer::Serialize(obj));
    return internal::ObjectRefAccess::Make<T>(std::move(entry));
  }
}

template <typename T>
inline std::shared_ptr<T> Get(const ray::ObjectRef<T> &object, const int &timeout_ms) {
  return object.Get(timeout_ms);
}

template <typename T>
inline std::shared_ptr<T> Get(const ray::ObjectRef<T> &object) {
  return object.Get(-1);
}

// Not in Ray's API, and invisible to code written for it: a Get of a temporary
// reference (`ray::Get(ray::Put(v))`, `ray::Get(task.Remote())`) that held the object's
// last reference takes the stored object instead of copying it.
template <typename T>
inline std::shared_ptr<T> Get(ray::ObjectRef<T> &&object, const int &timeout_ms) {
  return internal::ObjectRefAccess::Take(object, timeout_ms);
}

template <typename T>
inline std::shared_ptr<T> Get(ray::ObjectRef<T> &&object) {
  return internal::ObjectRefAccess::Take(object, -1);
}

template <typename T>
inline std::vector<std::shared_ptr<T>> Get(const std::vector<ray::ObjectRef<T>> &objects,
                                           const int &timeout_ms) {
  std::vector<std::shared_ptr<T>> values;
  values.reserve(objects.size());
  for (const auto &object : objects) {
    values.push_back(object.Get(timeout_ms));
  }
  return values;
}

template <typename T>
inline std::vector<std::shared_ptr<T>> Get(
    const std::vector<ray::ObjectRef<T>> &objects) {
  return Get(objects, -1);
}

template <typename T>
inline WaitResult<T> Wait(const std::vector<ray::ObjectRef<T>> &objects, int num_objects,
                          int timeout_ms) {
  if (num_objects < 0 || static_cast<size_t>(num_objects) > objects.size()) {
    throw internal::RayException("ray::Wait: num_objects (" +
                                 std::to_string(num_objects) +
                                 ") must be between 0 and the number of objects (" +
                                 std::to_string(objects.size()) + ").");
  }
  std::vector<std::shared_ptr<internal::ObjectEntry>> entries;
  entries.reserve(objects.size());
  for (const auto &object : objects) {
    entries.push_back(internal::ObjectRefAccess::Entry(object));
  }
  auto ready_flags = internal::RuntimeWaitSome(entries, num_objects, timeout_ms);
  std::list<ray::ObjectRef<T>> ready;
  std::list<ray::ObjectRef<T>> unready;
  for (size_t i = 0; i < objects.size(); ++i) {
    (ready_flags[i] ? ready : unready).push_back(objects[i]);
  }
  return WaitResult<T>(std::move(ready), std::move(unready));
}

template <typename F>
inline ray::internal::TaskCaller<F> Task(F func) {
  static_assert(!std::is_member_function_pointer_v<F>,
                "Incompatible type: member function cannot be called with ray::Task.");
  auto name = internal::FunctionManager::Instance().RequireFunctionName(func, "function");
  return ray::internal::TaskCaller<F>(func, std::move(name));
}

template <typename F>
inline ray::internal::ActorCreator<F> Actor(F create_func) {
  auto name = internal::FunctionManager::Instance().RequireFunctionName(create_func,
                                                                        "actor factory");
  return ray::internal::ActorCreator<F>(create_func, std::move(name));
}

template <typename T>
boost::optional<ActorHandle<T>> GetActor(const std::string &actor_name,
                                         const std::string &ray_namespace) {
  if (actor_name.empty()) {
    return {};
  }
  auto actor_id = internal::RuntimeGetActorId(actor_name, ray_namespace);
  if (actor_id.empty()) {
    return {};
  }
  return ActorHandle<T>(actor_id);
}

template <typename T>
boost::optional<ActorHandle<T>> GetActor(const std::string &actor_name) {
  return GetActor<T>(actor_name, "");
}

inline bool WasCurrentActorRestarted() {
  return internal::RuntimeWasCurrentActorRestarted();
}

inline std::string GetNamespace() { return internal::RuntimeGetNamespace(); }

}  // namespace ray
