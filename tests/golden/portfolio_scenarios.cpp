// Values a small portfolio under a dozen market scenarios. The portfolio is an
// object with a const method, built from assets whose classes declare only
// constructors with parameters: each scenario's value is independent of the others,
// so the scenario loop is a map over a read-only object.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

// Converted by rayify from portfolio_scenarios.cpp: independent loops run as Ray tasks, stateful
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
#include <deque>
#include <tuple>
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 10
class Asset {
 public:
  Asset(std::string name, double weight, double volatility)
      : name_(std::move(name)), weight_(weight), volatility_(volatility) {}

  // One price path from its own linear congruential stream.
  double simulate(unsigned seed, int steps) const {
    double price = 1.0;
    unsigned state = seed * 2654435761u + 1;
    for (int k = 0; k < steps; ++k) {
      state = state * 1664525u + 1013904223u;
      double shock = static_cast<double>(state >> 8) / 16777216.0 - 0.5;
      price *= std::exp(volatility_ * shock * 0.1);
    }
    return price * weight_;
  }

  const std::string &name() const { return name_; }

 private:
  std::string name_;
  double weight_;
  double volatility_;
public:
  Asset() = default;  // for msgpack (added by rayify)
  MSGPACK_DEFINE(name_, weight_, volatility_);
};

#line 35
class Portfolio {
  struct Limits {
    double floor = 0.0;
    double cap = 10.0;
    MSGPACK_DEFINE(floor, cap);
    auto rayify_fields() { return std::tie(floor, cap); }  // for rayify's runtime
  };

#line 41
 public:
  explicit Portfolio(std::vector<Asset> assets) : assets_(std::move(assets)) {}

  double value(int scenario) const {
    double total = 0;
    for (std::size_t a = 0; a < assets_.size(); ++a)
      total += assets_[a].simulate(static_cast<unsigned>(scenario * 31 + a), 2000000);
    return std::fmin(std::fmax(total, limits_.floor), limits_.cap);
  }

  const std::vector<Asset> &assets() const { return assets_; }

 private:
  std::vector<Asset> assets_;
  Limits limits_;
public:
  Portfolio() = default;  // for msgpack (added by rayify)
  MSGPACK_DEFINE(assets_, limits_);
};

// What one iteration of the loop at line 63 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_63_result {
  std::tuple<int, double> values{};
  MSGPACK_DEFINE(values);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(values); }
};

// One iteration of the loop at line 63 of main(), run as a Ray task.
static main_loop_63_result main_loop_63(int s, const Portfolio &portfolio) {
  main_loop_63_result iteration_result;
  iteration_result.values = std::make_tuple(s, portfolio.value(s));
  return iteration_result;
}

static int rayify_original_main() {
#line 59
  Portfolio portfolio({Asset("bonds", 0.5, 0.2), Asset("stocks", 0.3, 0.9),
                       Asset("gold", 0.2, 0.5)});

  std::vector<double> values(12);
  auto portfolio_ref = ray::Put(portfolio);
  std::deque<ray::ObjectRef<main_loop_63_result>> main_loop_63_refs;
#line 63
  for (int s = 0; s < 12; ++s) {
    main_loop_63_refs.push_back(rayify_copy_of(ray::Task(main_loop_63).SetResource("CPU", 1).Remote(s, portfolio_ref)));
  }
  while (!main_loop_63_refs.empty()) {
    const auto main_loop_63_iteration = ray::Get(std::move(main_loop_63_refs.front()));
    main_loop_63_refs.pop_front();
    values[std::get<0>(main_loop_63_iteration->values)] = std::get<1>(main_loop_63_iteration->values);
  }

#line 65
  double sum = 0, worst = values[0], best = values[0];
  for (double v : values) {
    sum += v;
    worst = std::fmin(worst, v);
    best = std::fmax(best, v);
  }
  std::printf("assets:");
  for (const Asset &asset : portfolio.assets()) std::printf(" %s", asset.name().c_str());
  std::printf("\nscenarios %zu  mean %.9f  worst %.9f  best %.9f\n", values.size(),
              sum / values.size(), worst, best);
  return 0;
}

RAY_REMOTE(main_loop_63);

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
