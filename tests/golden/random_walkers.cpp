// Eight groups of random walkers on a torus, each group with its own generator. Every
// epoch advances each group by many steps; the groups never interact, so the loop
// over them runs as an actor pool while the epochs stay in order.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

// Converted by rayify from random_walkers.cpp: independent loops run as Ray tasks, stateful
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

#line 9
class WalkerGroup {
 public:
  WalkerGroup(uint64_t seed, int walkers) : state_(seed), x_(walkers, 0.0), y_(walkers, 0.0) {}

  void advance(int steps) {
    for (int s = 0; s < steps; ++s) {
      for (size_t w = 0; w < x_.size(); ++w) {
        double angle = next() * 6.283185307179586;
        x_[w] = std::fmod(x_[w] + std::cos(angle) + 100.0, 100.0);
        y_[w] = std::fmod(y_[w] + std::sin(angle) + 100.0, 100.0);
      }
    }
  }

  double spread() const {
    double mx = 0.0, my = 0.0;
    for (size_t w = 0; w < x_.size(); ++w) {
      mx += x_[w];
      my += y_[w];
    }
    mx /= static_cast<double>(x_.size());
    my /= static_cast<double>(y_.size());
    double sum = 0.0;
    for (size_t w = 0; w < x_.size(); ++w) sum += (x_[w] - mx) * (x_[w] - mx) + (y_[w] - my) * (y_[w] - my);
    return std::sqrt(sum / static_cast<double>(x_.size()));
  }

 private:
  double next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }

  uint64_t state_;
  std::vector<double> x_, y_;
};

// Ray creates WalkerGroup actors through a registered factory (added by rayify).
WalkerGroup *CreateWalkerGroup(uint64_t seed, int walkers) {
    return new WalkerGroup(seed, walkers);
}

static int rayify_original_main() {
#line 49
  std::vector<ray::ActorHandle<WalkerGroup>> groups;
  for (int g = 0; g < 8; ++g) groups.emplace_back(ray::Actor(CreateWalkerGroup).Remote(1000 + g, 500));

  for (int epoch = 0; epoch < 5; ++epoch) {
    std::vector<ray::ObjectRef<void>> advance_refs;
#line 53
    for (auto &group : groups)
      advance_refs.push_back(rayify_copy_of(group.Task(&WalkerGroup::advance).Remote(120)));
    ray::Wait(advance_refs, static_cast<int>(advance_refs.size()), -1);
#line 55
    std::printf("epoch %d:", epoch);
    std::vector<ray::ObjectRef<double>> spread_refs;
#line 56
    for (auto &group : groups) spread_refs.push_back(rayify_copy_of(group.Task(&WalkerGroup::spread).Remote()));
    for (auto &spread_refs_value : ray::Get(spread_refs)) std::printf(" %.6f", std::move(*spread_refs_value));
#line 57
    std::printf("\n");
  }
  return 0;
}

RAY_REMOTE(CreateWalkerGroup, &WalkerGroup::advance, &WalkerGroup::spread);

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
