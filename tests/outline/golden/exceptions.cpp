// Loops whose iterations catch what they throw: a try with a catch (...) that stores
// the iteration's own element either way, a handler of the class the body throws, a
// handler of std::exception counting what a function throws (a class deriving from
// std::runtime_error), and one that throws again (which must stay sequential: the
// loop stops at the first failure, and the catch outside prints where).
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

// Converted by rayify from exceptions.cpp: independent loops run as Ray tasks, stateful
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
#include <algorithm>
#include <deque>
#include <thread>
#include <tuple>
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

#line 12
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

struct BadSample : std::runtime_error {
    explicit BadSample(int at) : std::runtime_error("bad sample " + std::to_string(at)) {}
};

// Every seventh seed fails after doing its work.
double measure(int seed)
{
    double x = settle(seed);
    if (seed % 7 == 3) throw BadSample(seed);
    return x;
}

// What one iteration of the loop at line 40 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_40_result {
    std::vector<std::tuple<int, double>> levels{};
    std::vector<std::tuple<int, double>> levels_2{};
    MSGPACK_DEFINE(levels, levels_2);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(levels, levels_2); }
};

// One iteration of the loop at line 40 of main(), run as a Ray task.
static main_loop_40_result main_loop_40(int i) {
    main_loop_40_result iteration_result;
    try {
        rayify_append(iteration_result.levels, i, measure(i));
    } catch (...) {
        rayify_append(iteration_result.levels_2, i, -1.0);
    }
    return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 40 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_40_result> main_loop_40_chunk(int chunk_begin, int chunk_end) {
    std::vector<main_loop_40_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_40(i));
    return chunk_results;
}

// What one iteration of the loop at line 49 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_49_result {
    std::vector<std::tuple<int, double>> scaled{};
    std::vector<int> scaled_2{};
    MSGPACK_DEFINE(scaled, scaled_2);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(scaled, scaled_2); }
};

// One iteration of the loop at line 49 of main(), run as a Ray task.
static main_loop_49_result main_loop_49(int i) {
    main_loop_49_result iteration_result_2;
    try {
        double x = settle(i + 100);
        if (x < 0.5) throw BadSample(i);
        rayify_append(iteration_result_2.scaled, i, (x * 2.0));
    } catch (const std::exception &) {
        rayify_append(iteration_result_2.scaled_2, i);
    }
    return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 49 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_49_result> main_loop_49_chunk(int chunk_begin, int chunk_end) {
    std::vector<main_loop_49_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_49(i));
    return chunk_results;
}

// What one iteration of the loop at line 61 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_61_result {
    std::vector<double> total{};
    unsigned long long failed{};
    MSGPACK_DEFINE(total, failed);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(total, failed); }
};

// One iteration of the loop at line 61 of main(), run as a Ray task.
static main_loop_61_result main_loop_61(int i) {
    main_loop_61_result iteration_result_3;
    try {
        rayify_append(iteration_result_3.total, measure(i + 200));
    } catch (const std::exception &) {
        ++iteration_result_3.failed;
    }
    return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 61 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_61_result> main_loop_61_chunk(int chunk_begin, int chunk_end) {
    std::vector<main_loop_61_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_61(i));
    return chunk_results;
}

static int rayify_original_main(int argc, char **)
{
#line 38
    const int n = 40 * argc;  // known only at run time: the loops run in chunks
    std::vector<double> levels(n);
    std::deque<ray::ObjectRef<std::vector<main_loop_40_result>>> main_loop_40_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int main_loop_40_chunk_size = std::max<int>(
        1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int main_loop_40_first = 0; main_loop_40_first < n; main_loop_40_first += main_loop_40_chunk_size) {
        int main_loop_40_last = n - main_loop_40_first > main_loop_40_chunk_size ? main_loop_40_first + main_loop_40_chunk_size : n;
        main_loop_40_refs.push_back(rayify_copy_of(ray::Task(main_loop_40_chunk).SetResource("CPU", 1).Remote(main_loop_40_first, main_loop_40_last)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_40_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_40_refs[main_loop_40_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_40_refs.empty()) {
        const auto main_loop_40_results = ray::Get(std::move(main_loop_40_refs.front()));
        main_loop_40_refs.pop_front();
        for (const auto &main_loop_40_iteration : *main_loop_40_results) {
            for (const auto &update : main_loop_40_iteration.levels)
                levels[std::get<0>(update)] = std::get<1>(update);
            for (const auto &update_2 : main_loop_40_iteration.levels_2)
                levels[std::get<0>(update_2)] = std::get<1>(update_2);
        }
    }

#line 48
    std::vector<double> scaled(n, 0.0);
    std::deque<ray::ObjectRef<std::vector<main_loop_49_result>>> main_loop_49_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int main_loop_49_chunk_size = std::max<int>(
        1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int main_loop_49_first = 0; main_loop_49_first < n; main_loop_49_first += main_loop_49_chunk_size) {
        int main_loop_49_last = n - main_loop_49_first > main_loop_49_chunk_size ? main_loop_49_first + main_loop_49_chunk_size : n;
        main_loop_49_refs.push_back(rayify_copy_of(ray::Task(main_loop_49_chunk).SetResource("CPU", 1).Remote(main_loop_49_first, main_loop_49_last)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_49_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_49_refs[main_loop_49_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_49_refs.empty()) {
        const auto main_loop_49_results = ray::Get(std::move(main_loop_49_refs.front()));
        main_loop_49_refs.pop_front();
        for (const auto &main_loop_49_iteration : *main_loop_49_results) {
            for (const auto &update_3 : main_loop_49_iteration.scaled)
                scaled[std::get<0>(update_3)] = std::get<1>(update_3);
            for (const auto &update_4 : main_loop_49_iteration.scaled_2)
                scaled[update_4] = 0.0;
        }
    }

#line 59
    int failed = 0;
    double total = 0.0;
    std::deque<ray::ObjectRef<std::vector<main_loop_61_result>>> main_loop_61_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int main_loop_61_chunk_size = std::max<int>(
        1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int main_loop_61_first = 0; main_loop_61_first < n; main_loop_61_first += main_loop_61_chunk_size) {
        int main_loop_61_last = n - main_loop_61_first > main_loop_61_chunk_size ? main_loop_61_first + main_loop_61_chunk_size : n;
        main_loop_61_refs.push_back(rayify_copy_of(ray::Task(main_loop_61_chunk).SetResource("CPU", 1).Remote(main_loop_61_first, main_loop_61_last)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_61_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_61_refs[main_loop_61_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_61_refs.empty()) {
        const auto main_loop_61_results = ray::Get(std::move(main_loop_61_refs.front()));
        main_loop_61_refs.pop_front();
        for (const auto &main_loop_61_iteration : *main_loop_61_results) {
            for (const auto &update_5 : main_loop_61_iteration.total)
                total += update_5;
            for (unsigned long long times = 0; times < main_loop_61_iteration.failed; ++times)
                ++failed;
        }
    }

#line 69
    std::vector<double> strict(n, 0.0);
    try {
        for (int i = 0; i < n; ++i) {
            try {
                strict[i] = measure(i + 300);
            } catch (...) {
                strict[i] = -2.0;
                throw;
            }
        }
    } catch (const std::exception &e) {
        std::printf("stopped: %s\n", e.what());
    }

    for (int i = 0; i < n; i += 5)
        std::printf("%d %.9f %.9f %.9f\n", i, levels[i], scaled[i], strict[i]);
    std::printf("failed %d, total %.17g\n", failed, total);
    return 0;
}

RAY_REMOTE(main_loop_40_chunk, main_loop_49_chunk, main_loop_61_chunk);

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
  int status = rayify_original_main(argc, argv);
  rayify_shutdown();
  return status;
}
