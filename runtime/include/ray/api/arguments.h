// Packing arguments at submission and unpacking them in the callee. Values are
// converted to the callee's parameter type and msgpack-encoded right away, so later
// changes by the caller are not seen; ObjectRef arguments are passed by reference and
// resolved before the call, as Ray does.
#pragma once

#include <ray/api/local_runtime.h>
#include <ray/api/object_ref.h>
#include <ray/api/serializer.h>
#include <ray/api/type_traits.h>

#include <boost/callable_traits.hpp>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ray {
namespace internal {

template <typename Param, typename Arg>
TaskArgument PackArgument(Arg &&arg) {
  TaskArgument packed;
  if constexpr (is_object_ref_v<std::decay_t<Arg>>) {
    packed.ref = ObjectRefAccess::Entry(arg);
    if (!packed.ref) {
      throw RayException(
          "An ObjectRef argument does not name an object of this process.");
    }
  } else {
    packed.bytes = Serializer::Serialize<Param>(static_cast<const Param &>(arg));
  }
  return packed;
}

/// Packs call arguments against `ParamTuple`, the callee's decayed parameter types.
template <typename ParamTuple, typename... Args, size_t... I>
std::vector<TaskArgument> PackArguments(std::index_sequence<I...>, Args &&...args) {
  std::vector<TaskArgument> packed;
  packed.reserve(sizeof...(Args));
  (packed.push_back(
       PackArgument<std::tuple_element_t<I, ParamTuple>>(std::forward<Args>(args))),
   ...);
  return packed;
}

/// Forwards an unpacked value to a parameter of type `Param`, moving unless the
/// parameter is an lvalue reference.
template <typename Param, typename Value>
decltype(auto) PassAs(Value &value) {
  if constexpr (std::is_lvalue_reference_v<Param>) {
    return static_cast<Value &>(value);
  } else {
    return static_cast<Value &&>(value);
  }
}

template <typename R, typename Call>
std::string PackResult(Call &&call) {
  if constexpr (std::is_void_v<R>) {
    call();
    return Serializer::Serialize(msgpack::type::nil_t());
  } else {
    return Serializer::Serialize<R>(call());
  }
}

/// Unpacks the arguments as F's parameter types and calls f with them.
template <typename F, size_t... I>
decltype(auto) CallUnpacked(const F &f, const ArgumentBytes &args,
                            std::index_sequence<I...>) {
  using Params = boost::callable_traits::args_t<F>;
  using Values = RemoveReference_t<Params>;
  // Braced initialization unpacks the arguments left to right.
  Values values{Serializer::Deserialize<std::tuple_element_t<I, Values>>(*args[I])...};
  (void)values;
  return f(PassAs<std::tuple_element_t<I, Params>>(std::get<I>(values))...);
}

template <typename F, size_t... I>
decltype(auto) CallMemberUnpacked(const F &f, void *self, const ArgumentBytes &args,
                                  std::index_sequence<I...>) {
  using Params = RemoveFirst_t<boost::callable_traits::args_t<F>>;
  using Values = RemoveReference_t<Params>;
  Values values{Serializer::Deserialize<std::tuple_element_t<I, Values>>(*args[I])...};
  (void)values;
  auto *object = static_cast<boost::callable_traits::class_of_t<F> *>(self);
  return (object->*f)(PassAs<std::tuple_element_t<I, Params>>(std::get<I>(values))...);
}

template <typename F>
constexpr size_t ArityOf() {
  return std::tuple_size_v<boost::callable_traits::args_t<F>>;
}

/// Calls a task function and returns its serialized result.
template <typename F>
std::string InvokeFunction(const F &f, const ArgumentBytes &args) {
  return PackResult<boost::callable_traits::return_type_t<F>>([&]() -> decltype(auto) {
    return CallUnpacked(f, args, std::make_index_sequence<ArityOf<F>()>{});
  });
}

/// Calls an actor method and returns its serialized result.
template <typename F>
std::string InvokeMember(const F &f, void *self, const ArgumentBytes &args) {
  return PackResult<boost::callable_traits::return_type_t<F>>([&]() -> decltype(auto) {
    return CallMemberUnpacked(f, self, args,
                              std::make_index_sequence<ArityOf<F>() - 1>{});
  });
}

}  // namespace internal
}  // namespace ray
