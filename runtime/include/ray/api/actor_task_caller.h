// ray::internal::ActorTaskCaller: what handle.Task(&T::Method) returns
// (ray/api/actor_task_caller.h).
#pragma once

#include <ray/api/arguments.h>
#include <ray/api/object_ref.h>
#include <ray/api/static_check.h>
#include <ray/api/task_options.h>

#include <boost/callable_traits.hpp>
#include <string>

namespace ray {
namespace internal {

template <typename F>
class ActorTaskCaller {
 public:
  ActorTaskCaller() = default;
  ActorTaskCaller(F method, std::string actor_id, std::string method_name)
      : method_(method), id_(std::move(actor_id)), method_name_(std::move(method_name)) {}

  // Move-only, as Ray's (its argument buffers cannot be copied). Build a new caller
  // for each Remote() call: on Ray, a reused caller keeps its earlier arguments.
  ActorTaskCaller(ActorTaskCaller &&) = default;
  ActorTaskCaller &operator=(ActorTaskCaller &&) = default;
  ActorTaskCaller(const ActorTaskCaller &) = delete;
  ActorTaskCaller &operator=(const ActorTaskCaller &) = delete;

  template <typename... Args>
  ObjectRef<boost::callable_traits::return_type_t<F>> Remote(Args &&...args);

  ActorTaskCaller &SetName(std::string name) {
    task_options_.name = std::move(name);
    return *this;
  }

  ActorTaskCaller &SetResources(std::unordered_map<std::string, double> resources) {
    task_options_.resources = std::move(resources);
    return *this;
  }

  ActorTaskCaller &SetResource(std::string name, double value) {
    task_options_.resources.emplace(std::move(name), value);
    return *this;
  }

 private:
  F method_{};
  std::string id_;
  std::string method_name_;
  CallOptions task_options_;
};

template <typename F>
template <typename... Args>
ObjectRef<boost::callable_traits::return_type_t<F>> ActorTaskCaller<F>::Remote(
    Args &&...args) {
  CheckTaskOptions(task_options_.resources);
  StaticCheck<F, Args...>();
  constexpr size_t kArity = ArityOf<F>() - 1;  // args_t<F> starts with the class
  static_assert(sizeof...(Args) == kArity, "arguments not match");
  using Params = RemoveReference_t<RemoveFirst_t<boost::callable_traits::args_t<F>>>;

  auto call = std::make_unique<ActorCallSpec>();
  call->method_name = task_options_.name.empty() ? method_name_ : task_options_.name;
  call->args = PackArguments<Params>(std::index_sequence_for<Args...>{},
                                     std::forward<Args>(args)...);
  call->invoke = [method = method_](void *self, const ArgumentBytes &bytes) {
    return InvokeMember(method, self, bytes);
  };
  call->isolated = MakeIsolatedCall(&InvokeMemberErased<F>, method_);
  auto entry = RuntimeCallActor(id_, std::move(call));
  return ObjectRefAccess::Make<boost::callable_traits::return_type_t<F>>(
      std::move(entry));
}

}  // namespace internal
}  // namespace ray
