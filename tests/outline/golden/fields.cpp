// Loops in the style of the NAS Parallel Benchmarks: fields in file-scope C arrays
// that the program changes, counters and scratch declared at the top of each
// function, a generator that writes its seed through a pointer, and the solver's
// routines reached from main through a time step. What must convert: the rows of
// the right-hand side (reading the field, a private inner counter and scratch), the
// per-column forcing seeded afresh each iteration. What must not: the seed carried
// from one iteration to the next, a cheap update, and a scratch array a helper fills.
#include <cmath>
#include <cstdio>

// Converted by rayify from fields.cpp: independent loops run as Ray tasks, stateful
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
#include <cstring>
#include <deque>
#include <memory>
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

#line 11
#define NX 24
#define NY 24

static double field[NX][NY];
static double rhs[NX][NY];
static double forcing[NY];
static int steps_taken;

// NPB's generator shape: the next number, and the seed moved on through a pointer.
static double next_random(double *seed, double a) {
    double x = *seed;
    for (int k = 0; k < 2000; ++k)
        x = std::fmod(x * a + 0.123456789, 1.0);
    *seed = x;
    return x;
}

// Fills four values of the exact solution at a point, as NPB's exact() does.
static void exact(int i, int j, double *out) {
    for (int m = 0; m < 4; ++m)
        out[m] = std::sin(0.1 * (i + 1) * (m + 1)) * std::cos(0.07 * (j + 1));
}

// What one iteration of the loop at line 41 of init_fields() leaves for the driver
// to apply, in iteration order.
struct init_fields_loop_41_result {
    std::tuple<int, double> forcing{};
    MSGPACK_DEFINE(forcing);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(forcing); }
};

// One iteration of the loop at line 41 of init_fields(), run as a Ray task.
static init_fields_loop_41_result init_fields_loop_41(int j) {
    init_fields_loop_41_result iteration_result;
    double t{};
    t = 0.5 + j * 0.01;
    iteration_result.forcing = std::make_tuple(j, (next_random(&t, 3.9) + next_random(&t, 3.1)));
    return iteration_result;
}

#line 34
static void init_fields() {
    int i, j;
    double seed = 0.314159;
    for (i = 0; i < NX; i++)
        for (j = 0; j < NY; j++)
            field[i][j] = next_random(&seed, 3.7);
    double t;
    std::deque<ray::ObjectRef<init_fields_loop_41_result>> init_fields_loop_41_refs;
#line 41
    for (j = 0; j < NY; j++) {
        init_fields_loop_41_refs.push_back(rayify_copy_of(ray::Task(init_fields_loop_41).SetResource("CPU", 1).Remote(j)));
    }
    while (!init_fields_loop_41_refs.empty()) {
        const auto init_fields_loop_41_iteration = ray::Get(std::move(init_fields_loop_41_refs.front()));
        init_fields_loop_41_refs.pop_front();
        forcing[std::get<0>(init_fields_loop_41_iteration->forcing)] = std::get<1>(init_fields_loop_41_iteration->forcing);
    }
}

// 'field', a C array, as a task receives it.
struct compute_rhs_loop_50_field_array {
    double value[24][24];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// 'forcing', a C array, as a task receives it.
struct compute_rhs_loop_50_forcing_array {
    double value[24];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 50 of compute_rhs() leaves for the driver
// to apply, in iteration order.
struct compute_rhs_loop_50_result {
    std::vector<std::tuple<int, int, double>> rhs{};
    MSGPACK_DEFINE(rhs);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(rhs); }
};

// One iteration of the loop at line 50 of compute_rhs(), run as a Ray task.
static compute_rhs_loop_50_result compute_rhs_loop_50(int i, const compute_rhs_loop_50_field_array &field_sent, const compute_rhs_loop_50_forcing_array &forcing_sent) {
    compute_rhs_loop_50_result iteration_result_2;
    const auto &field = field_sent.value;
    const auto &forcing = forcing_sent.value;
    int j{};
    double s{};
    int m{};
    for (j = 1; j < NY - 1; j++) {
        s = 0.0;
        for (m = 1; m <= 3000; m++)
            s += std::sin(m * field[i][j]) / m;
        rayify_append(iteration_result_2.rhs, i, j, (s + field[i - 1][j] + field[i + 1][j] - 2.0 * field[i][j] + forcing[j]));
    }
    return iteration_result_2;
}

#line 47
static void compute_rhs() {
    int i, j, m;
    double s;
    auto field_array = std::make_unique<compute_rhs_loop_50_field_array>();
    std::memcpy(field_array->value, field, sizeof field_array->value);
    auto field_ref = ray::Put(*field_array);
    auto forcing_array = std::make_unique<compute_rhs_loop_50_forcing_array>();
    std::memcpy(forcing_array->value, forcing, sizeof forcing_array->value);
    auto forcing_ref = ray::Put(*forcing_array);
    std::deque<ray::ObjectRef<compute_rhs_loop_50_result>> compute_rhs_loop_50_refs;
#line 50
    for (i = 1; i < NX - 1; i++) {
        compute_rhs_loop_50_refs.push_back(rayify_copy_of(ray::Task(compute_rhs_loop_50).SetResource("CPU", 1).Remote(i, field_ref, forcing_ref)));
    }
    while (!compute_rhs_loop_50_refs.empty()) {
        const auto compute_rhs_loop_50_iteration = ray::Get(std::move(compute_rhs_loop_50_refs.front()));
        compute_rhs_loop_50_refs.pop_front();
        for (const auto &update : compute_rhs_loop_50_iteration->rhs)
            rhs[std::get<0>(update)][std::get<1>(update)] = std::get<2>(update);
    }
}

#line 60
static void relax() {
    int i, j;
    for (i = 1; i < NX - 1; i++)
        for (j = 1; j < NY - 1; j++)
            field[i][j] += 0.01 * rhs[i][j];
    steps_taken++;
}

static void time_step() {
    compute_rhs();
    relax();
}

static double error_norm() {
    int i, j;
    double temp[4];
    double total = 0.0;
    for (i = 0; i < NX; i++)
        for (j = 0; j < NY; j++) {
            exact(i, j, temp);
            total += (field[i][j] - temp[0]) * (field[i][j] - temp[0]);
        }
    return std::sqrt(total / (NX * NY));
}

static int rayify_original_main() {
    init_fields();
    for (int step = 0; step < 3; step++)
        time_step();
    std::printf("steps %d, field[7][9] = %.12f, rhs[5][5] = %.12f\n", steps_taken, field[7][9],
                rhs[5][5]);
    std::printf("error norm %.12f\n", error_norm());
    return 0;
}

RAY_REMOTE(init_fields_loop_41, compute_rhs_loop_50);

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
