// hardcoded-cluster-address: a literal address in RayConfig.
#include <ray/api.h>

#include <cstdlib>

int main(int argc, char **argv) {
  ray::RayConfig config;
  config.address = "192.168.1.20:6379";  // expect: hardcoded-cluster-address
  if (argc > 3) config.address = "ray-head.internal:6379";  // expect: hardcoded-cluster-address
  if (argc > 4) config.address = std::string("10.0.0.7:6379");  // expect: hardcoded-cluster-address
  const std::string kHead = "10.0.0.8:6379";
  if (argc > 5) config.address = kHead;  // expect: hardcoded-cluster-address

  // Near misses: the environment, and the empty address (a local cluster).
  ray::RayConfig from_env;
  const char *address = std::getenv("RAY_ADDRESS");
  from_env.address = address != nullptr ? address : "";
  ray::RayConfig local;
  local.address = "";
  std::string chosen = "10.0.0.9:6379";  // may be replaced before use
  if (argc > 6) chosen = argv[1];
  local.address = chosen;
  ray::Init(from_env, argc, argv);
  ray::Shutdown();
  return 0;
}
