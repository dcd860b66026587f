// Type helpers named as in Ray's ray/api/type_traits.h.
#pragma once

#include <tuple>
#include <type_traits>

namespace ray {
namespace internal {

template <typename>
struct RemoveFirst;

template <class First, class... Rest>
struct RemoveFirst<std::tuple<First, Rest...>> {
  using type = std::tuple<Rest...>;
};

template <class Tuple>
using RemoveFirst_t = typename RemoveFirst<Tuple>::type;

template <typename>
struct RemoveReference;

template <class... T>
struct RemoveReference<std::tuple<T...>> {
  using type = std::tuple<std::remove_const_t<std::remove_reference_t<T>>...>;
};

template <class Tuple>
using RemoveReference_t = typename RemoveReference<Tuple>::type;

template <class, class = void>
struct is_object_ref_t : std::false_type {};

template <class T>
struct is_object_ref_t<T, std::void_t<decltype(std::declval<T>().IsObjectRef())>>
    : std::true_type {};

template <typename T>
auto constexpr is_object_ref_v = is_object_ref_t<T>::value;

template <class, class = void>
struct is_actor_handle_t : std::false_type {};

template <class T>
struct is_actor_handle_t<T, std::void_t<decltype(std::declval<T>().IsActorHandle())>>
    : std::true_type {};

template <typename T>
auto constexpr is_actor_handle_v = is_actor_handle_t<T>::value;

}  // namespace internal
}  // namespace ray
