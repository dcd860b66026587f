// How the bundled runtime reads ray::RayConfig, the command line and the environment
// into the shape of its one local node.
#pragma once

#include <ray/api/local_runtime.h>
#include <ray/api/ray_config.h>

#include <string>
#include <vector>

namespace ray {
namespace internal {

struct NodeConfig {
  Resources capacity;
  std::string ray_namespace;
};

/// Resolves the cluster address (config, then --ray_address, then RAY_ADDRESS) and the
/// node's resources. Throws RayException for a remote address or a malformed head_args.
NodeConfig ResolveNodeConfig(const RayConfig &config, int argc, char **argv);

/// Applies `ray start`-style arguments (--num-cpus=N, --num-gpus=N, --memory=BYTES,
/// --resources={"name": amount}) to `capacity`.
void ApplyHeadArgs(const std::vector<std::string> &head_args, Resources &capacity);

/// CPU = hardware threads, GPU = 0, memory = 70% of physical memory, as Ray sizes a node.
Resources DefaultCapacity();

}  // namespace internal
}  // namespace ray
