// The registry behind RAY_REMOTE: which functions and member functions may run
// remotely, and under what name. Ray refuses to call an unregistered function on a
// cluster; the bundled runtime refuses it too, so a program that runs here runs there.
#pragma once

#include <ray/api/ray_exception.h>

#include <boost/callable_traits.hpp>
#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>

namespace ray {
namespace internal {

class FunctionManager {
 public:
  static FunctionManager &Instance() {
    static FunctionManager instance;
    return instance;
  }

  template <typename Function>
  bool RegisterRemoteFunction(std::string const &name, const Function &f) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!names_.emplace(KeyOf(f), name).second) {
      throw RayException("Duplicate RAY_REMOTE function: " + name);
    }
    return true;
  }

  /// The registered name, or "" when `f` was never passed to RAY_REMOTE.
  template <typename Function>
  std::string GetFunctionName(const Function &f) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = names_.find(KeyOf(f));
    return it == names_.end() ? std::string() : it->second;
  }

  /// Like GetFunctionName, but a missing registration is an error that says how to fix
  /// it.
  template <typename Function>
  std::string RequireFunctionName(const Function &f, const char *kind) {
    std::string name = GetFunctionName(f);
    if (name.empty()) {
      throw RayFunctionNotFound(
          std::string("Function not found: this ") + kind +
          " was not registered. Add it to a RAY_REMOTE(...) declaration at namespace "
          "scope, as Ray requires.");
    }
    return name;
  }

 private:
  FunctionManager() = default;

  // A function is identified by its address bytes; member functions also by class,
  // since two classes' member pointers may have equal bytes.
  template <typename Function>
  static std::string KeyOf(Function f) {
    std::string key(sizeof(Function), '\0');
    std::memcpy(&key[0], &f, sizeof(Function));
    if constexpr (std::is_member_function_pointer_v<Function>) {
      key += typeid(boost::callable_traits::class_of_t<Function>).name();
    }
    return key;
  }

  std::mutex mutex_;
  std::unordered_map<std::string, std::string> names_;
};

}  // namespace internal
}  // namespace ray
