// Reductions written inline in a loop body: a sum of an expression, a product, a
// maximum and a minimum, the best value with its index, several accumulators at once
// and a histogram. Each accumulator must come out bit-identical to the sequential
// program's, so the driver combines the task results in the original order.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from reductions.cpp: independent loops run as Ray tasks, stateful
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
// A damped oscillator integrated with many small steps: about a millisecond per call.
double settle(int seed)
{
    double x = 1.0 + seed * 0.01, v = 0.0;
    for (int step = 0; step < 200000; ++step) {
        double a = -x * (1.0 + 0.001 * seed) - 0.01 * v;
        v += a * 1e-4;
        x += v * 1e-4;
    }
    return x;
}

// What one iteration of the loop at line 31 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_31_result {
    double total{};
    double product{};
    double highest{};
    double lowest{};
    std::tuple<double, int> best{};
    unsigned long long positives{};
    int histogram{};
    MSGPACK_DEFINE(total, product, highest, lowest, best, positives, histogram);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(total, product, highest, lowest, best, positives, histogram); }
};

// One iteration of the loop at line 31 of main(), run as a Ray task.
static main_loop_31_result main_loop_31(int i) {
    main_loop_31_result iteration_result;
    double x = settle(i);
    iteration_result.total = (x * x - 0.5 * x);
    iteration_result.product = (1.0 + x / 64.0);
    iteration_result.highest = x;
    iteration_result.lowest = x;
    iteration_result.best = std::make_tuple(x, i);
    if (x > 0)
        ++iteration_result.positives;
    int bucket = static_cast<int>(std::fabs(x) * 8.0) % 8;
    iteration_result.histogram = bucket;
    return iteration_result;
}

static int rayify_original_main()
{
#line 24
    const int n = 48;
    double total = 0.0, product = 1.0;
    double highest = -1e300, lowest = 1e300;
    double best = -1e300;
    int best_at = -1;
    long positives = 0;
    std::vector<int> histogram(8, 0);
    std::deque<ray::ObjectRef<main_loop_31_result>> main_loop_31_refs;
#line 31
    for (int i = 0; i < n; ++i) {
        main_loop_31_refs.push_back(rayify_copy_of(ray::Task(main_loop_31).SetResource("CPU", 1).Remote(i)));
    }
    while (!main_loop_31_refs.empty()) {
        const auto main_loop_31_iteration = ray::Get(std::move(main_loop_31_refs.front()));
        main_loop_31_refs.pop_front();
        total += main_loop_31_iteration->total;
        product *= main_loop_31_iteration->product;
        highest = std::max(highest, main_loop_31_iteration->highest);
        lowest = std::min(main_loop_31_iteration->lowest, lowest);
        if (std::get<0>(main_loop_31_iteration->best) > best) {
            best = std::get<0>(main_loop_31_iteration->best);
            best_at = std::get<1>(main_loop_31_iteration->best);
        }
        for (unsigned long long times = 0; times < main_loop_31_iteration->positives; ++times)
            ++positives;
        histogram[main_loop_31_iteration->histogram] += 1;
    }
#line 46
    std::printf("total %.17g\nproduct %.17g\n", total, product);
    std::printf("range [%.17g, %.17g]\n", lowest, highest);
    std::printf("best %.17g at %d, %ld positive\n", best, best_at, positives);
    for (int b = 0; b < 8; ++b)
        std::printf("bucket %d: %d\n", b, histogram[b]);
    return 0;
}

RAY_REMOTE(main_loop_31);

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
