// Six weather stations, each keeping the readings it has been sent. Every station
// takes a day of readings, then each computes a digest of everything it holds: a
// slow smoothing pass over its history. The stations never interact, so the digests
// are asked of all of them at once and collected in station order.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

// Converted by rayify from station_digests.cpp: independent loops run as Ray tasks, stateful
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

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 10
class Station {
 public:
  Station(std::string name, double bias) : name_(std::move(name)), bias_(bias) {}

  void record(int hour, double reading) {
    readings_.push_back(reading + bias_ * std::sin(hour * 0.2618));
  }

  // A running smoothing of the history, repeated `passes` times.
  double digest(int passes) const {
    double level = 0.0;
    for (int p = 0; p < passes; ++p) {
      for (double r : readings_) level = 0.999 * level + 0.001 * std::tanh(r + level);
    }
    return level;
  }

  std::string name() const { return name_; }

 private:
  std::string name_;
  double bias_;
  std::vector<double> readings_;
};

// Ray creates Station actors through a registered factory (added by rayify).
Station *CreateStation(std::string name, double bias) {
    return new Station(name, bias);
}

static int rayify_original_main() {
#line 36
  const char *names[] = {"north", "south", "east", "west", "coast", "summit"};
  std::vector<ray::ActorHandle<Station>> stations;
  for (int s = 0; s < 6; ++s) stations.emplace_back(ray::Actor(CreateStation).Remote(names[s], 0.5 + 0.25 * s));

  for (int hour = 0; hour < 24; ++hour) {
    std::vector<ray::ObjectRef<void>> record_refs;
#line 41
    for (auto &station : stations) record_refs.push_back(rayify_copy_of(station.Task(&Station::record).Remote(hour, 10.0 + std::cos(hour * 0.3))));
    ray::Wait(record_refs, static_cast<int>(record_refs.size()), -1);
  }

#line 43
  std::vector<double> digests;
  std::vector<ray::ObjectRef<double>> digest_refs;
#line 44
  for (auto &station : stations) digest_refs.push_back(rayify_copy_of(station.Task(&Station::digest).Remote(60000)));
  for (auto &digest_refs_value : ray::Get(digest_refs)) digests.push_back(std::move(*digest_refs_value));

#line 46
  double mean = 0.0;
  for (std::size_t s = 0; s < digests.size(); ++s) {
    std::printf("%-7s %.12f\n", (*ray::Get(stations[s].Task(&Station::name).Remote())).c_str(), digests[s]);
    mean += digests[s];
  }
  std::printf("mean    %.12f\n", mean / static_cast<double>(digests.size()));
  return 0;
}

RAY_REMOTE(CreateStation, &Station::record, &Station::digest, &Station::name);

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
