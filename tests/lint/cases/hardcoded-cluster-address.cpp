// hardcoded-cluster-address: a literal address in RayConfig.
#include <ray/api.h>

#include <cstdlib>

int main(int argc, char **argv) {
  ray::RayConfig config;
  config.address = "192.168.1.20:6379";  // expect: hardcoded-cluster-address
  if (argc > 3) config.address = "ray-head.internal:6379";  // expect: hardcoded-cluster-address

  // Near misses: the environment, and the empty address (a local cluster).
  ray::RayConfig from_env;
  const char *address = std::getenv("RAY_ADDRESS");
  from_env.address = address != nullptr ? address : "";
  ray::RayConfig local;
  local.address = "";
  ray::Init(from_env, argc, argv);
  ray::Shutdown();
  return 0;
}
