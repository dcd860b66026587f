// Two warehouses (the class is in warehouse.h) take deliveries and orders, then
// audit their movement logs. Each warehouse keeps its own state: each becomes a
// Ray actor, and the two audits run side by side.
#include <cstdio>
#include <string>

#include "warehouse.h"

// Converted by rayify from warehouse_audit.cpp: independent loops run as Ray tasks, stateful
// classes as Ray actors.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

static int rayify_original_main() {
#line 10
  const int rounds = 400000;
  ray::ActorHandle<Warehouse> north = ray::Actor(CreateWarehouse).Remote("north", 12);
  ray::ActorHandle<Warehouse> south = ray::Actor(CreateWarehouse).Remote("south", 8);

  const char *items[] = {"bolts", "nuts", "gears", "springs"};
  for (int day = 0; day < 30; ++day) {
    std::string item = items[day % 4];
    north.Task(&Warehouse::restock).Remote(item, 10 + day);
    south.Task(&Warehouse::restock).Remote(item, 5 + 2 * day);
    if (!*ray::Get(north.Task(&Warehouse::ship).Remote(item, 7 + day % 9))) std::printf("day %d: north short of %s\n", day, item.c_str());
    if (!*ray::Get(south.Task(&Warehouse::ship).Remote(item, 12 + day % 5))) std::printf("day %d: south short of %s\n", day, item.c_str());
  }

  ray::ObjectRef<std::string> south_site = south.Task(&Warehouse::site).Remote();
  ray::ObjectRef<int> south_units = south.Task(&Warehouse::units).Remote();
#line 23
  std::printf("%s holds %d units\n", (*ray::Get(north.Task(&Warehouse::site).Remote())).c_str(), *ray::Get(north.Task(&Warehouse::units).Remote()));
  ray::ObjectRef<uint64_t> north_audit = north.Task(&Warehouse::audit).Remote(rounds);
#line 24
  std::printf("%s holds %d units\n", (*ray::Get(south_site)).c_str(), *ray::Get(south_units));
  ray::ObjectRef<uint64_t> south_audit = south.Task(&Warehouse::audit).Remote(rounds);
#line 25
  std::printf("north audit %016llx\n", static_cast<unsigned long long>(*ray::Get(std::vector{north_audit}).front()));
  std::printf("south audit %016llx\n", static_cast<unsigned long long>(*ray::Get(std::vector{south_audit}).front()));
  return 0;
}

RAY_REMOTE(CreateWarehouse, &Warehouse::restock, &Warehouse::ship, &Warehouse::site, &Warehouse::units, &Warehouse::audit);

// Ray's C++ driver sends a token only in token mode, and it reads RAY_AUTH_MODE when
// the program loads, before main runs. When joining a cluster with a token at hand
// (RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token) and token mode off, turn
// it on and report that the program must start again to see it. A cluster without
// authentication accepts a token too.
static bool rayify_enable_token_auth() {
  const char *address = std::getenv("RAY_ADDRESS");
  if (address == nullptr || *address == '\0' || std::getenv("RAY_AUTH_MODE")) return false;
  const char *home = std::getenv("HOME");
  std::string default_token = std::string(home != nullptr ? home : "") + "/.ray/auth_token";
  if (!std::getenv("RAY_AUTH_TOKEN") && !std::getenv("RAY_AUTH_TOKEN_PATH")) {
    if (home == nullptr || !std::ifstream(default_token).good()) return false;
    setenv("RAY_AUTH_TOKEN_PATH", default_token.c_str(), 1);
  }
  setenv("RAY_AUTH_MODE", "token", 1);
  return true;
}

// Disconnects from Ray, once. Runs when the original main returns, from atexit() when
// it calls std::exit(), and from std::terminate(): Ray must shut down before its own
// static objects are destroyed.
static void rayify_disconnect() {
  static bool done = false;
  if (done) return;
  done = true;
  ray::Shutdown();
}

static void rayify_shutdown() {
  std::fflush(nullptr);
  rayify_disconnect();
}

// Names the failure that ends the program when it came from Ray. Only the converted
// code calls Ray, so these mean one of its tasks or actors failed or was lost (a task
// that aborted, as a failed assert does, included).
static void rayify_explain_failure(const char *program, std::exception_ptr failure) {
  if (failure == nullptr) return;
  try {
    std::rethrow_exception(failure);
  } catch (const ray::internal::RayException &error) {
    std::fprintf(stderr, "%s: a Ray task or actor failed, so the program stops: %s\n",
                 program, error.what());
  } catch (const msgpack::type_error &) {
    // Ray's C++ API decodes the error left by an actor or a node that died as if it were
    // the result, which fails here (unless the program uses msgpack itself).
    std::fprintf(stderr,
                 "%s: a result from Ray could not be read: the task or actor computing it "
                 "was most likely lost with its worker or node; `ray list tasks --filter "
                 "state=FAILED` names it\n",
                 program);
  } catch (...) {
    // the program's own exception: it goes on unchanged
  }
}

// An exception leaving the original main ended it in std::terminate(): no destructor
// ran and unflushed output was lost. Main catches nothing so that the converted program
// ends the same way, a task that failed included; this handler only adds the reason and
// disconnects before the default handler aborts.
static const char *rayify_program = "";
static std::terminate_handler rayify_default_terminate = nullptr;
[[noreturn]] static void rayify_terminate() {
  rayify_explain_failure(rayify_program, std::current_exception());
  try {
    rayify_disconnect();
  } catch (...) {
    // Ray could not disconnect cleanly: the program ends anyway
  }
  if (rayify_default_terminate != nullptr) rayify_default_terminate();
  std::abort();
}

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and std::terminate(). Configured from the environment:
//   RAY_ADDRESS      cluster to join (empty, "auto" or "local": run locally)
//   RAY_NAMESPACE    namespace for named actors
//   RAY_RUNTIME_ENV  runtime environment as JSON, e.g. {"env_vars": {"A": "1"}}
//   RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH  token of a cluster with token authentication
//                    (default: ~/.ray/auth_token, from `ray get-auth-token --generate`)
int main(int argc, char **argv) {
  if (rayify_enable_token_auth()) execv("/proc/self/exe", argv);

  ray::RayConfig config;
  if (const char *address = std::getenv("RAY_ADDRESS")) config.address = address;
  if (const char *ray_namespace = std::getenv("RAY_NAMESPACE")) {
    config.ray_namespace = ray_namespace;
  }
  try {
    if (const char *runtime_env = std::getenv("RAY_RUNTIME_ENV")) {
      config.runtime_env = ray::RuntimeEnv::Deserialize(runtime_env);
    }
    ray::Init(config, argc, argv);
  } catch (const std::exception &error) {
    std::fprintf(stderr, "%s: cannot start Ray: %s\n", argv[0], error.what());
    return 1;
  }
  std::atexit(rayify_shutdown);
  rayify_program = argv[0];
  rayify_default_terminate = std::set_terminate(rayify_terminate);
  int status = rayify_original_main();
  rayify_shutdown();
  return status;
}
