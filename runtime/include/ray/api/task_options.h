// Task and actor options (ray/api/task_options.h).
#pragma once

#include <ray/api/ray_exception.h>

#include <cmath>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ray {
namespace internal {

inline void CheckTaskOptions(const std::unordered_map<std::string, double> &resources) {
  for (auto &pair : resources) {
    if (pair.first.empty() || pair.second <= 0) {
      throw RayException("Resource values should be positive. Specified resource: " +
                         pair.first + " = " + std::to_string(pair.second) + ".");
    }
    // Ray schedules fractions only below one unit: 0.5 CPU is valid, 1.5 is not.
    double whole;
    if (pair.second > 1 && std::modf(pair.second, &whole) != 0.0) {
      throw RayException(
          "A resource value should be an integer if it is greater than 1.0. Specified "
          "resource: " +
          pair.first + " = " + std::to_string(pair.second) + ".");
    }
  }
}

}  // namespace internal

enum class PlacementStrategy {
  PACK = 0,
  SPREAD = 1,
  STRICT_PACK = 2,
  STRICT_SPREAD = 3,
  UNRECOGNIZED = -1
};

enum PlacementGroupState {
  PENDING = 0,
  PREPARED = 1,
  CREATED = 2,
  REMOVED = 3,
  RESCHEDULING = 4,
  UNRECOGNIZED = -1,
};

struct PlacementGroupCreationOptions {
  std::string name;
  std::vector<std::unordered_map<std::string, double>> bundles;
  PlacementStrategy strategy;
};

/// Accepted so that code using placement groups compiles. On one node every bundle is
/// on the same machine, so the bundled runtime schedules such tasks by their own
/// resources and ignores the group.
class PlacementGroup {
 public:
  PlacementGroup() = default;
  PlacementGroup(std::string id, PlacementGroupCreationOptions options,
                 PlacementGroupState state = PlacementGroupState::UNRECOGNIZED)
      : id_(std::move(id)), options_(std::move(options)), state_(state) {}
  std::string GetID() const { return id_; }
  std::string GetName() { return options_.name; }
  std::vector<std::unordered_map<std::string, double>> GetBundles() {
    return options_.bundles;
  }
  ray::PlacementGroupState GetState() { return state_; }
  PlacementStrategy GetStrategy() { return options_.strategy; }
  bool Empty() const { return id_.empty(); }

 private:
  std::string id_;
  PlacementGroupCreationOptions options_;
  PlacementGroupState state_ = PlacementGroupState::UNRECOGNIZED;
};

namespace internal {

struct CallOptions {
  std::string name;
  std::unordered_map<std::string, double> resources;
  PlacementGroup group;
  int bundle_index = -1;
};

struct ActorCreationOptions {
  std::string name;
  std::string ray_namespace;
  std::unordered_map<std::string, double> resources;
  int max_restarts = 0;
  int max_concurrency = 1;
  PlacementGroup group;
  int bundle_index = -1;
};

}  // namespace internal
}  // namespace ray
