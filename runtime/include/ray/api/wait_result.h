// ray::WaitResult (ray/api/wait_result.h).
#pragma once

#include <ray/api/object_ref.h>

#include <list>

namespace ray {

template <typename T>
class WaitResult {
 public:
  std::list<ObjectRef<T>> ready;
  std::list<ObjectRef<T>> unready;
  WaitResult() {}
  WaitResult(std::list<ObjectRef<T>> &&ready_objects,
             std::list<ObjectRef<T>> &&unready_objects)
      : ready(std::move(ready_objects)), unready(std::move(unready_objects)) {}
};

}  // namespace ray
