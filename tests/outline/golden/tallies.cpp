// Histograms filled in an inner loop, as in NPB EP's acceptance-rejection loop: every
// run on one bin is the same operation (`q[l] += 1.0`, `counts[b]++`), so each task
// returns how many times it ran per bin and the driver repeats the statement that many
// times. A bin of doubles counts far past where adding 1.0 still changes it, so the
// converted program prints the same only if every run is replayed. The sums beside
// them still go back value by value, to be added in the original order.
#include <cmath>
#include <cstdio>

// Converted by rayify from tallies.cpp: independent loops run as Ray tasks, stateful
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
#include <utility>

// Appends one run of values to what a task returns. Growing the list is out of
// line, taking the values by value, so that a sum computed in a register stays
// there while it is computed; the common case, room left, is a store.
template <typename Results, typename... Values>
__attribute__((noinline)) static void rayify_append_grown(Results &results,
                                                           Values... values) {
  results.emplace_back(std::move(values)...);
}
template <typename Results, typename... Values>
static inline void rayify_append(Results &results, Values... values) {
  if (__builtin_expect(results.size() < results.capacity(), 1))
    results.emplace_back(std::move(values)...);
  else
    rayify_append_grown(results, std::move(values)...);
}

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 10
static double q[10];

// A deviate in [0, 1) from a seed, after some work: about 40 µs per call.
double deviate(int seed)
{
    double x = 0.5 + seed * 1e-7;
    for (int r = 0; r < 20000; ++r)
        x = std::fmod(x * 3.9999 * (1.0 - x) + 1e-9, 1.0);
    return x;
}

// What one iteration of the loop at line 26 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_26_result {
    std::vector<unsigned long long> q{};
    std::vector<unsigned long long> counts{};
    std::vector<double> sx{};
    MSGPACK_DEFINE(q, counts, sx);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(q, counts, sx); }
};

// One iteration of the loop at line 26 of main(), run as a Ray task.
static main_loop_26_result main_loop_26(int k) {
    main_loop_26_result iteration_result;
    // How many times each element of 'q' is updated.
    iteration_result.q.resize(10);
    // How many times each element of 'counts' is updated.
    iteration_result.counts.resize(16);
    for (int i = 0; i < 40; i++) {
        double x = deviate(k * 40 + i);
        int l = static_cast<int>(x * 10.0);
        ++iteration_result.q.at(l);
        ++iteration_result.counts.at((k + l) % 16);
        rayify_append(iteration_result.sx, (x * 0.001));
    }
    return iteration_result;
}

static int rayify_original_main()
{
#line 23
    int counts[16] = {};
    double sx = 0.0;
    q[2] = 9007199254740990.0;  // 2^53 - 2: past 2^53, adding 1.0 changes nothing
    std::deque<ray::ObjectRef<main_loop_26_result>> main_loop_26_refs;
#line 26
    for (int k = 0; k < 24; k++) {
        main_loop_26_refs.push_back(rayify_copy_of(ray::Task(main_loop_26).SetResource("CPU", 1).Remote(k)));
    }
    while (!main_loop_26_refs.empty()) {
        const auto main_loop_26_iteration = ray::Get(std::move(main_loop_26_refs.front()));
        main_loop_26_refs.pop_front();
        for (std::size_t update = 0; update < main_loop_26_iteration->q.size(); ++update)
            for (auto times = main_loop_26_iteration->q[update]; times != 0; --times)
                q[update] += 1.0;
        for (std::size_t update_2 = 0; update_2 < main_loop_26_iteration->counts.size(); ++update_2)
            for (auto times_2 = main_loop_26_iteration->counts[update_2]; times_2 != 0; --times_2)
                counts[update_2]++;
        for (const auto &update_3 : main_loop_26_iteration->sx)
            sx = sx + update_3;
    }
#line 35
    for (int l = 0; l < 10; l++)
        std::printf("q[%d] = %.17g\n", l, q[l]);
    for (int b = 0; b < 16; b++)
        std::printf("counts[%d] = %d\n", b, counts[b]);
    std::printf("sx = %.17g\n", sx);
    return 0;
}

RAY_REMOTE(main_loop_26);

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
