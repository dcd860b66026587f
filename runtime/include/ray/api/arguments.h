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
#include <cstring>
#include <memory>
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

/// One unpacked argument for a parameter of type `Param`. A `const T&` parameter
/// passed an ObjectRef reads the object's shared decoded value (decoded once for all
/// tasks); every other parameter gets its own copy, as on a cluster.
template <typename Param>
class ArgumentHolder {
 public:
  using Value = std::remove_cv_t<std::remove_reference_t<Param>>;

  ArgumentHolder(const ArgumentView &view) {
    if (kShared && view.entry != nullptr) {
      shared_ = std::static_pointer_cast<const Value>(
          view.entry->Decoded(typeid(Value), &DecodeShared));
    } else if (const void *value = view.entry != nullptr
                                       ? view.entry->TypedValue(typeid(Value))
                                       : nullptr) {
      owned_ = std::make_shared<Value>(*static_cast<const Value *>(value));
    } else {
      owned_ = Serializer::DeserializeOnHeap<Value>(view.Bytes());
    }
  }

  decltype(auto) Pass() {
    if constexpr (kShared) {
      return static_cast<const Value &>(shared_ ? *shared_ : *owned_);
    } else if constexpr (std::is_lvalue_reference_v<Param>) {
      return static_cast<Value &>(*owned_);
    } else {
      return static_cast<Value &&>(*owned_);
    }
  }

 private:
  static constexpr bool kShared = std::is_lvalue_reference_v<Param> &&
                                  std::is_const_v<std::remove_reference_t<Param>>;

  static std::shared_ptr<const void> DecodeShared(const std::string &bytes) {
    return Serializer::DeserializeOnHeap<Value>(bytes);
  }

  // On the heap: the holders of a call's arguments live on its thread's stack, which
  // a C array of a few megabytes would overflow.
  std::shared_ptr<Value> owned_;
  std::shared_ptr<const Value> shared_;
};

/// The result of `call`: a string, vector, array or pair of numbers as the value itself
/// (moved, not encoded: the driver's Get copies it once, or takes it when it holds
/// the last reference), anything else encoded.
/// Numbers cost less to encode than a value of their own would cost to allocate.
template <typename R, typename Call>
CallResult PackResult(Call &&call) {
  using Value = std::decay_t<R>;
  if constexpr (std::is_void_v<R>) {
    call();
    return Serializer::Serialize(msgpack::type::nil_t());
  } else if constexpr (CopiesExactly<Value>::value && !std::is_arithmetic_v<Value>) {
    CallResult result;
    // Non-const, so that a Get holding the last reference may take it (TakeValue).
    result.value = std::make_shared<Value>(call());
    result.type = typeid(Value);
    result.encode = [](const void *value) {
      return Serializer::Serialize(*static_cast<const Value *>(value));
    };
    return result;
  } else {
    return Serializer::Serialize<R>(call());
  }
}

/// Unpacks the arguments as F's parameter types and calls f with them.
template <typename F, size_t... I>
decltype(auto) CallUnpacked(const F &f, const ArgumentBytes &args,
                            std::index_sequence<I...>) {
  using Params = boost::callable_traits::args_t<F>;
  // Braced initialization unpacks the arguments left to right.
  std::tuple<ArgumentHolder<std::tuple_element_t<I, Params>>...> holders{args[I]...};
  (void)holders;
  return f(std::get<I>(holders).Pass()...);
}

template <typename F, size_t... I>
decltype(auto) CallMemberUnpacked(const F &f, void *self, const ArgumentBytes &args,
                                  std::index_sequence<I...>) {
  using Params = RemoveFirst_t<boost::callable_traits::args_t<F>>;
  std::tuple<ArgumentHolder<std::tuple_element_t<I, Params>>...> holders{args[I]...};
  (void)holders;
  auto *object = static_cast<boost::callable_traits::class_of_t<F> *>(self);
  return (object->*f)(std::get<I>(holders).Pass()...);
}

template <typename F>
constexpr size_t ArityOf() {
  return std::tuple_size_v<boost::callable_traits::args_t<F>>;
}

/// Calls a task function and returns its result.
template <typename F>
CallResult InvokeFunction(const F &f, const ArgumentBytes &args) {
  return PackResult<boost::callable_traits::return_type_t<F>>([&]() -> decltype(auto) {
    return CallUnpacked(f, args, std::make_index_sequence<ArityOf<F>()>{});
  });
}

/// InvokeFunction for a worker process: the function pointer arrives as bytes.
template <typename F>
std::string InvokeErased(const std::string &callable, const ArgumentBytes &args) {
  static_assert(std::is_trivially_copyable_v<F>, "a function pointer travels as bytes");
  F f;
  std::memcpy(&f, callable.data(), sizeof f);
  return InvokeFunction(f, args).TakeBytes();
}

/// An IsolatedCall of `f` through `trampoline`.
template <typename F>
IsolatedCall MakeIsolatedCall(std::string (*trampoline)(const std::string &,
                                                        const ArgumentBytes &),
                              const F &f) {
  IsolatedCall call;
  static_assert(sizeof f <= sizeof call.callable, "a callable this large cannot travel");
  call.trampoline = trampoline;
  std::memcpy(call.callable.data(), &f, sizeof f);
  call.callable_size = sizeof f;
  return call;
}

/// Calls an actor method and returns its result.
template <typename F>
CallResult InvokeMember(const F &f, void *self, const ArgumentBytes &args) {
  return PackResult<boost::callable_traits::return_type_t<F>>([&]() -> decltype(auto) {
    return CallMemberUnpacked(f, self, args,
                              std::make_index_sequence<ArityOf<F>() - 1>{});
  });
}

/// InvokeMember in an actor's own process: the method pointer arrives as bytes and
/// runs on the object that process holds.
template <typename F>
std::string InvokeMemberErased(const std::string &callable, const ArgumentBytes &args) {
  static_assert(std::is_trivially_copyable_v<F>, "a method pointer travels as bytes");
  F f;
  std::memcpy(&f, callable.data(), sizeof f);
  return InvokeMember(f, IsolatedActorObject().get(), args).TakeBytes();
}

}  // namespace internal
}  // namespace ray
