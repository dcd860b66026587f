// Compile-time check that a remote call's arguments fit the callee, as in Ray's
// ray/api/static_check.h: each argument may be the parameter's value or an ObjectRef
// to it.
#pragma once

#include <ray/api/object_ref.h>

#include <boost/callable_traits.hpp>
#include <type_traits>

namespace ray {
namespace internal {

template <typename T>
struct FilterArgType {
  using type = T;
};
template <typename T>
struct FilterArgType<ObjectRef<T>> {
  using type = T;
};
template <typename T>
struct FilterArgType<ObjectRef<T> &> {
  using type = T;
};
template <typename T>
struct FilterArgType<ObjectRef<T> &&> {
  using type = T;
};
template <typename T>
struct FilterArgType<const ObjectRef<T> &> {
  using type = T;
};

template <typename Function, typename... Args>
inline void StaticCheck() {
  if constexpr (std::is_member_function_pointer_v<Function>) {
    using ActorType = boost::callable_traits::class_of_t<Function>;
    static_assert(std::is_invocable_v<Function, ActorType &,
                                      typename FilterArgType<Args>::type...> ||
                      std::is_invocable_v<Function, ActorType &, Args...>,
                  "arguments not match");
  } else {
    static_assert(std::is_invocable_v<Function, typename FilterArgType<Args>::type...> ||
                      std::is_invocable_v<Function, Args...>,
                  "arguments not match");
  }
}

}  // namespace internal
}  // namespace ray
