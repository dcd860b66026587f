// ray::internal::TaskCaller: what ray::Task(f) returns (ray/api/task_caller.h).
#pragma once

#include <ray/api/arguments.h>
#include <ray/api/function_manager.h>
#include <ray/api/object_ref.h>
#include <ray/api/static_check.h>
#include <ray/api/task_options.h>

#include <boost/callable_traits.hpp>
#include <string>
#include <unordered_map>

namespace ray {
namespace internal {

template <typename F>
class TaskCaller {
 public:
  TaskCaller() = default;
  TaskCaller(F func, std::string function_name)
      : func_(func), function_name_(std::move(function_name)) {}

  // Move-only, as Ray's (its argument buffers cannot be copied). Build a new caller
  // for each Remote() call: on Ray, a reused caller keeps its earlier arguments.
  TaskCaller(TaskCaller &&) = default;
  TaskCaller &operator=(TaskCaller &&) = default;
  TaskCaller(const TaskCaller &) = delete;
  TaskCaller &operator=(const TaskCaller &) = delete;

  template <typename... Args>
  ObjectRef<boost::callable_traits::return_type_t<F>> Remote(Args &&...args);

  TaskCaller &SetName(std::string name) {
    task_options_.name = std::move(name);
    return *this;
  }

  TaskCaller &SetResources(std::unordered_map<std::string, double> resources) {
    task_options_.resources = std::move(resources);
    return *this;
  }

  TaskCaller &SetResource(std::string name, double value) {
    task_options_.resources.emplace(std::move(name), value);
    return *this;
  }

  TaskCaller &SetPlacementGroup(PlacementGroup group, int bundle_index) {
    task_options_.group = group;
    task_options_.bundle_index = bundle_index;
    return *this;
  }

 private:
  F func_{};
  std::string function_name_;
  CallOptions task_options_;
};

template <typename F>
template <typename... Args>
ObjectRef<boost::callable_traits::return_type_t<F>> TaskCaller<F>::Remote(
    Args &&...args) {
  CheckTaskOptions(task_options_.resources);
  StaticCheck<F, Args...>();
  static_assert(sizeof...(Args) == ArityOf<F>(), "arguments not match");
  using Params = RemoveReference_t<boost::callable_traits::args_t<F>>;

  auto task = RuntimeNewTaskSpec();
  task->function_name = task_options_.name.empty() ? function_name_ : task_options_.name;
  task->resources = task_options_.resources;
  task->args = PackArguments<Params>(std::index_sequence_for<Args...>{},
                                     std::forward<Args>(args)...);
  task->invoke = [func = func_](const ArgumentBytes &bytes) {
    return InvokeFunction(func, bytes);
  };
  task->isolated = MakeIsolatedCall(&InvokeErased<F>, func_);
  auto entry = RuntimeSubmitTask(std::move(task));
  return ObjectRefAccess::Make<boost::callable_traits::return_type_t<F>>(
      std::move(entry));
}

}  // namespace internal
}  // namespace ray
