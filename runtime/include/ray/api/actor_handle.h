// ray::ActorHandle<T> (ray/api/actor_handle.h). A handle is the actor's id; copies and
// handles passed to tasks all reach the same actor.
#pragma once

#include <ray/api/actor_task_caller.h>
#include <ray/api/function_manager.h>
#include <ray/api/local_runtime.h>

#include <boost/callable_traits.hpp>
#include <msgpack.hpp>
#include <string>
#include <type_traits>

namespace ray {

template <typename ActorType, bool IsXlang = false>
class ActorHandle {
 public:
  ActorHandle() = default;
  ActorHandle(const std::string &id) { id_ = id; }

  static bool IsActorHandle() { return true; }

  const std::string &ID() const { return id_; }

  template <typename F>
  ray::internal::ActorTaskCaller<F> Task(F actor_func) {
    static_assert(std::is_member_function_pointer_v<F>,
                  "Actor method is not a member function of actor class.");
    using Self = boost::callable_traits::class_of_t<F>;
    static_assert(
        std::is_same<ActorType, Self>::value || std::is_base_of<Self, ActorType>::value,
        "Class types must be same.");
    auto name = internal::FunctionManager::Instance().RequireFunctionName(actor_func,
                                                                          "actor method");
    return ray::internal::ActorTaskCaller<F>(actor_func, id_, std::move(name));
  }

  void Kill() { Kill(true); }
  void Kill(bool no_restart) { ray::internal::RuntimeKillActor(id_, no_restart); }

  MSGPACK_DEFINE(id_);

 private:
  std::string id_;
};

}  // namespace ray
