// RAY_REMOTE and RAY_FUNC, spelled and used as in Ray (ray/api/ray_remote.h).
#pragma once

#include <ray/api/function_manager.h>

#include <string>
#include <vector>

namespace ray {
namespace internal {

/// Splits the stringized RAY_REMOTE argument list into one name per function. A
/// RAY_FUNC(f, T1, T2) entry keeps its commas, so parentheses are tracked.
inline std::vector<std::string> SplitFunctionNames(const std::string &list) {
  std::vector<std::string> names(1);
  int depth = 0;
  for (char c : list) {
    if (c == '(' || c == '<') ++depth;
    if (c == ')' || c == '>') --depth;
    if (c == ',' && depth == 0) {
      names.emplace_back();
    } else if (!(c == ' ' && names.back().empty())) {
      names.back() += c;
    }
  }
  for (auto &name : names) {
    while (!name.empty() && name.back() == ' ') name.pop_back();
  }
  return names;
}

template <typename... Functions>
inline int RegisterRemoteFunctions(const char *list, Functions... functions) {
  const auto names = SplitFunctionNames(list);
  size_t index = 0;
  (FunctionManager::Instance().RegisterRemoteFunction(names.at(index++), functions), ...);
  return 0;
}

/// Picks one overload of a free or member function by its parameter types.
template <typename... Params>
struct OverloadSelector {
  template <typename R>
  constexpr auto operator()(R (*f)(Params...)) const {
    return f;
  }
  template <typename R, typename C>
  constexpr auto operator()(R (C::*f)(Params...)) const {
    return f;
  }
  template <typename R, typename C>
  constexpr auto operator()(R (C::*f)(Params...) const) const {
    return f;
  }
};

template <typename... Params>
constexpr OverloadSelector<Params...> underload{};

#define RAY_INTERNAL_CONCAT_DIRECT(a, b) a##b
#define RAY_INTERNAL_CONCAT(a, b) RAY_INTERNAL_CONCAT_DIRECT(a, b)

}  // namespace internal

#define RAY_REMOTE(...)                                               \
  inline auto RAY_INTERNAL_CONCAT(ray_remote_registered_, __LINE__) = \
      ray::internal::RegisterRemoteFunctions(#__VA_ARGS__, __VA_ARGS__);

#define RAY_FUNC(f, ...) ray::internal::underload<__VA_ARGS__>(f)

}  // namespace ray
