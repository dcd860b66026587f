// Constants the program computes once it runs and its helpers read, the way NPB's
// exact_solution() reads `ce`: set_constants() fills `ce` and `scale` from the command
// line, and every iteration of the loops below calls a helper that reads them. A task
// reads its own process's copy of a global, so each task installs the driver's values
// before its iteration runs. What must convert: a field filled through scratch that
// exact() fills whole before anything reads it, declared at the top of the function
// the C way (`exact(..., temp)`: each task keeps its own `temp`), and a loop that
// reads `scale` itself as well as through its helper. What must not: a loop that
// changes `scale` while its helper reads it.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

// Converted by rayify from constants.cpp: independent loops run as Ray tasks, stateful
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
#include <cstring>
#include <deque>
#include <memory>
#include <thread>
#include <tuple>
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 15
#define NX 256
#define NY 48

static double ce[5][13];
static double scale = 1.0;
static double (*u)[NY][5] = (double (*)[NY][5])malloc(sizeof(double) * NX * NY * 5);

static void set_constants(int seed) {
    for (int m = 0; m < 5; ++m)
        for (int n = 0; n < 13; ++n) ce[m][n] = 0.1 * (m + 1) + 0.01 * n + 0.001 * seed;
    scale = 0.5 + 0.25 * seed;
}

static void exact(double xi, double eta, double *out) {
    for (int m = 0; m < 5; ++m) {
        double v = ce[m][0];
        for (int n = 1; n < 13; ++n) v = v * xi + ce[m][n] * std::cos(eta * n);
        out[m] = v * scale;
    }
}

static double settle(int i) {
    double x = 0.25 + 0.5 * ce[i % 5][i % 13] / (1.0 + ce[i % 5][i % 13]);
    for (int k = 0; k < 20000; ++k) x = 3.6 * x * (1.0 - x) * scale / scale;
    return x;
}

// 'ce', a C array, as a task receives it.
struct initialize_loop_45_ce_array {
    double value[5][13];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// 'u', a C array, as a task receives it.
struct initialize_loop_45_u_array {
    double value[256][48][5];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 45 of initialize() leaves for the driver
// to apply, in iteration order.
struct initialize_loop_45_result {
    std::vector<double> u{};
    int i{};
    MSGPACK_DEFINE(u, i);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(u, i); }
};

// One iteration of the loop at line 45 of initialize(), run as a Ray task.
static initialize_loop_45_result initialize_loop_45(int i, const initialize_loop_45_ce_array &ce_sent_2, double scale_sent, const initialize_loop_45_u_array &u_sent) {
    initialize_loop_45_result iteration_result_2;
    // 'u': this iteration's own slice, as the loop found it.
    std::unique_ptr<initialize_loop_45_u_array> u_own(new initialize_loop_45_u_array);
    auto &u = u_own->value;
    std::memcpy(&u[i], &u_sent.value[i], 1920);
    double xi{};
    int j{};
    double temp[5]{};
    int m{};
    do {
        xi = i / (double)(NX - 1);
        for (j = 0; j < NY; j++) {
            exact(xi, j / (double)(NY - 1), temp);
            for (m = 0; m < 5; m++) u[i][j][m] = temp[m];
        }
    } while (false);
    iteration_result_2.u.resize(1920 / sizeof(double));
    std::memcpy(iteration_result_2.u.data(), &u[i], 1920);
    iteration_result_2.i = i;
    return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 45 of initialize(), run one after the other
// as one Ray task.
static std::vector<initialize_loop_45_result> initialize_loop_45_chunk(int chunk_begin, int chunk_end, const initialize_loop_45_ce_array &ce_sent_2, double scale_sent, const initialize_loop_45_u_array &u_sent) {
    // The driver's 'ce', 'scale', which the functions the loop calls read.
    if (std::memcmp(::ce, ce_sent_2.value, sizeof ce_sent_2.value) != 0)
        std::memcpy(::ce, ce_sent_2.value, sizeof ce_sent_2.value);
    if (std::memcmp(&::scale, &scale_sent, sizeof scale_sent) != 0)
        std::memcpy(&::scale, &scale_sent, sizeof scale_sent);
    std::vector<initialize_loop_45_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(initialize_loop_45(i, ce_sent_2, scale_sent, u_sent));
    return chunk_results;
}

#line 42
static void initialize(int nx) {
    int i, j, m;
    double xi, temp[5];
    auto ce_array_2 = std::make_unique<initialize_loop_45_ce_array>();
    std::memcpy(ce_array_2->value, ::ce, sizeof ce_array_2->value);
    auto ce_ref_2 = ray::Put(*ce_array_2);
    auto u_array = std::make_unique<initialize_loop_45_u_array>();
    std::memcpy(u_array->value, u, sizeof u_array->value);
    auto u_ref = ray::Put(*u_array);
    std::deque<ray::ObjectRef<std::vector<initialize_loop_45_result>>> initialize_loop_45_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int initialize_loop_45_chunk_size = std::max<int>(
        1, (nx - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int initialize_loop_45_first = 0; initialize_loop_45_first < nx; initialize_loop_45_first += initialize_loop_45_chunk_size) {
        int initialize_loop_45_last = nx - initialize_loop_45_first > initialize_loop_45_chunk_size ? initialize_loop_45_first + initialize_loop_45_chunk_size : nx;
        initialize_loop_45_refs.push_back(rayify_copy_of(ray::Task(initialize_loop_45_chunk).SetResource("CPU", 1).Remote(initialize_loop_45_first, initialize_loop_45_last, ce_ref_2, ::scale, u_ref)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (initialize_loop_45_refs.size() >= 64)
            ray::Wait(std::vector{initialize_loop_45_refs[initialize_loop_45_refs.size() - 64]}, 1, -1);
    }
    while (!initialize_loop_45_refs.empty()) {
        const auto initialize_loop_45_results = ray::Get(std::move(initialize_loop_45_refs.front()));
        initialize_loop_45_refs.pop_front();
        for (const auto &initialize_loop_45_iteration : *initialize_loop_45_results) {
            std::memcpy(&u[initialize_loop_45_iteration.i], initialize_loop_45_iteration.u.data(), 1920);
        }
    }
    i = std::max<int>(0, nx);
#line 52
    // The scratch is filled again before this reads it: the loop's last is dead.
    exact(0.0, 0.0, temp);
    u[0][0][0] += temp[4];
}

// 'ce', a C array, as a task receives it.
struct main_loop_69_ce_array {
    double value[5][13];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 69 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_69_result {
    std::tuple<int, double> settled{};
    MSGPACK_DEFINE(settled);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(settled); }
};

// One iteration of the loop at line 69 of main(), run as a Ray task.
static main_loop_69_result main_loop_69(int i, double scale, const main_loop_69_ce_array &ce_sent) {
    main_loop_69_result iteration_result;
    iteration_result.settled = std::make_tuple(i, (settle(i) * scale));
    return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 69 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_69_result> main_loop_69_chunk(int chunk_begin, int chunk_end, double scale, const main_loop_69_ce_array &ce_sent) {
    // The driver's 'ce', 'scale', which the functions the loop calls read.
    if (std::memcmp(::ce, ce_sent.value, sizeof ce_sent.value) != 0)
        std::memcpy(::ce, ce_sent.value, sizeof ce_sent.value);
    if (std::memcmp(&::scale, &scale, sizeof scale) != 0)
        std::memcpy(&::scale, &scale, sizeof scale);
    std::vector<main_loop_69_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_69(i, scale, ce_sent));
    return chunk_results;
}

static int rayify_original_main(int argc, char **argv) {
#line 58
    (void)argv;
    set_constants(argc + 1);
    initialize(NX);
    double sums[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i < NX; ++i)
        for (int j = 0; j < NY; ++j)
            for (int m = 0; m < 5; ++m) sums[m] += u[i][j][m];
    for (int m = 0; m < 5; ++m) std::printf("field %d: %.10e\n", m, sums[m]);

    int n = 16 * (argc + 1);
    std::vector<double> settled(n);
    auto ce_array = std::make_unique<main_loop_69_ce_array>();
    std::memcpy(ce_array->value, ::ce, sizeof ce_array->value);
    auto ce_ref = ray::Put(*ce_array);
    std::deque<ray::ObjectRef<std::vector<main_loop_69_result>>> main_loop_69_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int main_loop_69_chunk_size = std::max<int>(
        1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int main_loop_69_first = 0; main_loop_69_first < n; main_loop_69_first += main_loop_69_chunk_size) {
        int main_loop_69_last = n - main_loop_69_first > main_loop_69_chunk_size ? main_loop_69_first + main_loop_69_chunk_size : n;
        main_loop_69_refs.push_back(rayify_copy_of(ray::Task(main_loop_69_chunk).SetResource("CPU", 1).Remote(main_loop_69_first, main_loop_69_last, scale, ce_ref)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_69_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_69_refs[main_loop_69_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_69_refs.empty()) {
        const auto main_loop_69_results = ray::Get(std::move(main_loop_69_refs.front()));
        main_loop_69_refs.pop_front();
        for (const auto &main_loop_69_iteration : *main_loop_69_results) {
            settled[std::get<0>(main_loop_69_iteration.settled)] = std::get<1>(main_loop_69_iteration.settled);
        }
    }
#line 70
    double total = 0;
    for (double x : settled) total += x;
    std::printf("settled: %.12f\n", total);

    std::vector<double> drifting(n);
    for (int i = 0; i < n; ++i) {
        scale = 1.0 + 0.001 * i;
        drifting[i] = settle(i);
    }
    total = 0;
    for (double x : drifting) total += x;
    std::printf("drifting: %.12f\n", total);
    return 0;
}

RAY_REMOTE(main_loop_69_chunk, initialize_loop_45_chunk);

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
