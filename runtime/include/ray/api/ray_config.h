// ray::RayConfig with Ray 2.60's field names (ray/api/ray_config.h).
#pragma once

#include <ray/api/ray_exception.h>
#include <ray/api/runtime_env.h>

#include <boost/optional.hpp>
#include <string>
#include <vector>

namespace ray {

enum class ActorLifetime {
  NON_DETACHED,
  DETACHED,
};

class RayConfig {
 public:
  // Cluster address. Empty means: read RAY_ADDRESS. The bundled runtime runs locally
  // when the result is empty, "auto" or "local", and refuses a remote address.
  std::string address = "";

  // Ray runs actors on the caller's thread in local mode; the bundled runtime keeps
  // its real scheduler either way, so the flag changes nothing here.
  bool local_mode = false;

  // Where Ray's workers find user code. Unused by the bundled runtime (one process).
  std::vector<std::string> code_search_path;

  // `ray start` arguments. The bundled runtime reads --num-cpus, --num-gpus, --memory
  // and --resources from them to size the local node.
  std::vector<std::string> head_args = {};

  ActorLifetime default_actor_lifetime = ActorLifetime::NON_DETACHED;

  boost::optional<RuntimeEnv> runtime_env;

  boost::optional<std::string> redis_username_;
  boost::optional<std::string> redis_password_;
  bool is_worker_ = false;

  std::string ray_namespace = "";
};

}  // namespace ray
