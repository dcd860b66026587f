// ray::internal::ActorCreator: what ray::Actor(factory) returns
// (ray/api/actor_creator.h).
#pragma once

#include <ray/api/actor_handle.h>
#include <ray/api/arguments.h>
#include <ray/api/static_check.h>
#include <ray/api/task_options.h>

#include <boost/callable_traits.hpp>
#include <cstring>
#include <memory>
#include <string>

namespace ray {
namespace internal {

template <typename F>
using GetActorType = std::remove_pointer_t<boost::callable_traits::return_type_t<F>>;

/// The factory in an actor's own process (isolated mode): the factory pointer arrives
/// as bytes, and the object it builds is the one that process holds.
template <typename F>
std::string BuildActorErased(const std::string &callable, const ArgumentBytes &args) {
  static_assert(std::is_trivially_copyable_v<F>, "a factory pointer travels as bytes");
  using Actor = GetActorType<F>;
  F factory;
  std::memcpy(&factory, callable.data(), sizeof factory);
  Actor *object = CallUnpacked(factory, args, std::make_index_sequence<ArityOf<F>()>{});
  IsolatedActorObject() =
      std::shared_ptr<void>(object, [](void *p) { delete static_cast<Actor *>(p); });
  return "";
}

template <typename F>
class ActorCreator {
 public:
  ActorCreator() = default;
  ActorCreator(F factory, std::string factory_name)
      : factory_(factory), factory_name_(std::move(factory_name)) {}

  // Move-only, as Ray's (its argument buffers cannot be copied). Build a new caller
  // for each Remote() call: on Ray, a reused caller keeps its earlier arguments.
  ActorCreator(ActorCreator &&) = default;
  ActorCreator &operator=(ActorCreator &&) = default;
  ActorCreator(const ActorCreator &) = delete;
  ActorCreator &operator=(const ActorCreator &) = delete;

  template <typename... Args>
  ray::ActorHandle<GetActorType<F>> Remote(Args &&...args);

  ActorCreator &SetName(std::string name) {
    create_options_.name = std::move(name);
    return *this;
  }

  ActorCreator &SetName(std::string name, std::string ray_namespace) {
    create_options_.name = std::move(name);
    create_options_.ray_namespace = std::move(ray_namespace);
    return *this;
  }

  ActorCreator &SetResources(std::unordered_map<std::string, double> resources) {
    create_options_.resources = std::move(resources);
    return *this;
  }

  ActorCreator &SetResource(std::string name, double value) {
    create_options_.resources.emplace(std::move(name), value);
    return *this;
  }

  ActorCreator &SetMaxRestarts(int max_restarts) {
    create_options_.max_restarts = max_restarts;
    return *this;
  }

  ActorCreator &SetMaxConcurrency(int max_concurrency) {
    create_options_.max_concurrency = max_concurrency;
    return *this;
  }

  ActorCreator &SetPlacementGroup(PlacementGroup group, int bundle_index) {
    create_options_.group = group;
    create_options_.bundle_index = bundle_index;
    return *this;
  }

 private:
  F factory_{};
  std::string factory_name_;
  ActorCreationOptions create_options_{};
};

template <typename F>
template <typename... Args>
ray::ActorHandle<GetActorType<F>> ActorCreator<F>::Remote(Args &&...args) {
  using Actor = GetActorType<F>;
  static_assert(std::is_pointer_v<boost::callable_traits::return_type_t<F>>,
                "An actor factory must return a pointer to a new actor object.");
  CheckTaskOptions(create_options_.resources);
  StaticCheck<F, Args...>();
  static_assert(sizeof...(Args) == ArityOf<F>(), "arguments not match");
  using Params = RemoveReference_t<boost::callable_traits::args_t<F>>;

  auto actor = std::make_unique<ActorSpec>();
  actor->class_name = factory_name_;
  actor->name = create_options_.name;
  actor->ray_namespace = create_options_.ray_namespace;
  actor->resources = create_options_.resources;
  actor->max_restarts = create_options_.max_restarts;
  actor->max_concurrency = create_options_.max_concurrency;
  actor->args = PackArguments<Params>(std::index_sequence_for<Args...>{},
                                      std::forward<Args>(args)...);
  actor->factory = [factory = factory_](const ArgumentBytes &bytes) {
    Actor *object =
        CallUnpacked(factory, bytes, std::make_index_sequence<ArityOf<F>()>{});
    return std::shared_ptr<void>(object, [](void *p) { delete static_cast<Actor *>(p); });
  };
  actor->isolated_factory = MakeIsolatedCall(&BuildActorErased<F>, factory_);
  return ray::ActorHandle<Actor>(RuntimeCreateActor(std::move(actor)));
}

}  // namespace internal
}  // namespace ray
