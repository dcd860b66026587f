// A small structured-grid solver written the way the NAS Parallel Benchmarks are:
// its fields live in file-scope arrays, main calls a time step that calls the
// routines whose loops carry the work, a random-number helper writes its seed
// through a pointer, and the run ends by checking its own result.
#include <cmath>
#include <cstdio>

// Converted by rayify from grid_solver.cpp: independent loops run as Ray tasks, stateful
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

#line 8
#define NX 64
#define NY 64
#define NITER 4
#define TERMS 2000

static double u[NX][NY];        // the solution
static double forcing[NX][NY];  // the source term, fixed for the run
static double rhs[NX][NY];      // the right-hand side of the current step
static double row_norms[NX];

// NPB's linear congruential generator: the next number, and the seed moved on.
static double randlc(double *seed, double a) {
  const double r23 = 1.0 / 8388608.0, t23 = 8388608.0;
  const double r46 = r23 * r23, t46 = t23 * t23;
  double a1 = std::floor(r23 * a), a2 = a - t23 * a1;
  double x1 = std::floor(r23 * *seed), x2 = *seed - t23 * x1;
  double t1 = a1 * x2 + a2 * x1;
  double t2 = std::floor(r23 * t1);
  double z = t1 - t23 * t2;
  double t3 = t23 * z + a2 * x2;
  double t4 = std::floor(r46 * t3);
  *seed = t3 - t46 * t4;
  return r46 * *seed;
}

// A truncated series for the forcing at one grid point.
static double source_term(int i, int j) {
  double x = (i + 0.5) / NX, y = (j + 0.5) / NY, s = 0.0;
  for (int k = 1; k <= TERMS; ++k)
    s += std::sin(k * 3.14159265358979 * x) * std::cos(k * 1.5707963267949 * y) / (k * k);
  return s;
}

// The exact solution at a point, written into `out` as NPB's exact() does.
static void exact(int i, int j, double *out) {
  double x = (i + 0.5) / NX, y = (j + 0.5) / NY;
  out[0] = 0.0;
  for (int k = 1; k <= TERMS; ++k) out[0] += std::exp(-k * x) * std::sin(k * y) / k;
}

// 'forcing', a C array, as a task receives it.
struct init_fields_loop_52_forcing_array {
  double value[64][64];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 52 of init_fields() leaves for the driver
// to apply, in iteration order.
struct init_fields_loop_52_result {
  std::vector<double> forcing{};
  int i{};
  MSGPACK_DEFINE(forcing, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(forcing, i); }
};

// One iteration of the loop at line 52 of init_fields(), run as a Ray task.
static init_fields_loop_52_result init_fields_loop_52(int i, const init_fields_loop_52_forcing_array &forcing_sent) {
  init_fields_loop_52_result iteration_result;
  // 'forcing': this iteration's own slice, as the loop found it.
  std::unique_ptr<init_fields_loop_52_forcing_array> forcing_own(new init_fields_loop_52_forcing_array);
  auto &forcing = forcing_own->value;
  std::memcpy(&forcing[i], &forcing_sent.value[i], 512);
  do {
    for (int j = 0; j < NY; ++j) forcing[i][j] = source_term(i, j);
  } while (false);
  iteration_result.forcing.resize(512 / sizeof(double));
  std::memcpy(iteration_result.forcing.data(), &forcing[i], 512);
  iteration_result.i = i;
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 52 of init_fields(), run one after the other
// as one Ray task.
static std::vector<init_fields_loop_52_result> init_fields_loop_52_chunk(int chunk_begin, int chunk_end, const init_fields_loop_52_forcing_array &forcing_sent) {
  std::vector<init_fields_loop_52_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(init_fields_loop_52(i, forcing_sent));
  return chunk_results;
}

#line 48
static void init_fields() {
  double seed = 314159265.0;
  for (int i = 0; i < NX; ++i)
    for (int j = 0; j < NY; ++j) u[i][j] = 0.01 * randlc(&seed, 1220703125.0);
  auto forcing_array = std::make_unique<init_fields_loop_52_forcing_array>();
  std::memcpy(forcing_array->value, forcing, sizeof forcing_array->value);
  auto forcing_ref = ray::Put(*forcing_array);
  std::deque<ray::ObjectRef<std::vector<init_fields_loop_52_result>>> init_fields_loop_52_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int init_fields_loop_52_chunk_size = std::max<int>(
    1, (NX - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int init_fields_loop_52_first = 0; init_fields_loop_52_first < NX; init_fields_loop_52_first += init_fields_loop_52_chunk_size) {
    int init_fields_loop_52_last = NX - init_fields_loop_52_first > init_fields_loop_52_chunk_size ? init_fields_loop_52_first + init_fields_loop_52_chunk_size : NX;
    init_fields_loop_52_refs.push_back(rayify_copy_of(ray::Task(init_fields_loop_52_chunk).SetResource("CPU", 1).Remote(init_fields_loop_52_first, init_fields_loop_52_last, forcing_ref)));
  }
  while (!init_fields_loop_52_refs.empty()) {
    const auto init_fields_loop_52_results = ray::Get(std::move(init_fields_loop_52_refs.front()));
    init_fields_loop_52_refs.pop_front();
    for (const auto &init_fields_loop_52_iteration : *init_fields_loop_52_results) {
      std::memcpy(&forcing[init_fields_loop_52_iteration.i], init_fields_loop_52_iteration.forcing.data(), 512);
    }
  }
}

// 'u', a C array, as a task receives it.
struct compute_rhs_loop_57_u_array {
  double value[64][64];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'forcing', a C array, as a task receives it.
struct compute_rhs_loop_57_forcing_array {
  double value[64][64];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 57 of compute_rhs() leaves for the driver
// to apply, in iteration order.
struct compute_rhs_loop_57_result {
  std::vector<std::tuple<int, int, double>> rhs{};
  MSGPACK_DEFINE(rhs);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(rhs); }
};

// One iteration of the loop at line 57 of compute_rhs(), run as a Ray task.
static compute_rhs_loop_57_result compute_rhs_loop_57(int i, const compute_rhs_loop_57_u_array &u_sent, const compute_rhs_loop_57_forcing_array &forcing_sent_2) {
  compute_rhs_loop_57_result iteration_result_2;
  const auto &u = u_sent.value;
  const auto &forcing = forcing_sent_2.value;
  for (int j = 1; j < NY - 1; ++j) {
    double lap = u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1] - 4.0 * u[i][j];
    double damping = 0.0;
    for (int k = 1; k <= TERMS; ++k) damping += std::exp(-k * std::fabs(u[i][j]));
    rayify_append(iteration_result_2.rhs, i, j, (forcing[i][j] + lap / damping));
  }
  return iteration_result_2;
}

#line 56
static void compute_rhs() {
  auto u_array = std::make_unique<compute_rhs_loop_57_u_array>();
  std::memcpy(u_array->value, u, sizeof u_array->value);
  auto u_ref = ray::Put(*u_array);
  auto forcing_array_2 = std::make_unique<compute_rhs_loop_57_forcing_array>();
  std::memcpy(forcing_array_2->value, forcing, sizeof forcing_array_2->value);
  auto forcing_ref_2 = ray::Put(*forcing_array_2);
  std::deque<ray::ObjectRef<compute_rhs_loop_57_result>> compute_rhs_loop_57_refs;
#line 57
  for (int i = 1; i < NX - 1; ++i) {
    compute_rhs_loop_57_refs.push_back(rayify_copy_of(ray::Task(compute_rhs_loop_57).SetResource("CPU", 1).Remote(i, u_ref, forcing_ref_2)));
  }
  while (!compute_rhs_loop_57_refs.empty()) {
    const auto compute_rhs_loop_57_iteration = ray::Get(std::move(compute_rhs_loop_57_refs.front()));
    compute_rhs_loop_57_refs.pop_front();
    for (const auto &update : compute_rhs_loop_57_iteration->rhs)
      rhs[std::get<0>(update)][std::get<1>(update)] = std::get<2>(update);
  }
}

#line 66
static void relax(double omega) {
  for (int i = 1; i < NX - 1; ++i)
    for (int j = 1; j < NY - 1; ++j) u[i][j] += omega * rhs[i][j];
}

static void adi(double omega) {
  compute_rhs();
  relax(omega);
}

static double error_norm() {
  double temp[1];
  double total = 0.0;
  for (int i = 0; i < NX; ++i) {
    double s = 0.0;
    for (int j = 0; j < NY; ++j) {
      exact(i, j, temp);
      s += (u[i][j] - temp[0]) * (u[i][j] - temp[0]);
    }
    row_norms[i] = s;
  }
  for (int i = 0; i < NX; ++i) total += row_norms[i];
  return std::sqrt(total / (NX * NY));
}

static int rayify_original_main() {
  init_fields();
  for (int step = 1; step <= NITER; ++step) {
    adi(0.2);
    std::printf(" step %2d  u[%d][%d] = %.12e\n", step, NX / 2, NY / 2, u[NX / 2][NY / 2]);
  }
  double norm = error_norm();
  std::printf(" error norm  %.12e\n", norm);
  const double reference = 5.513119368495e-01;
  bool ok = std::fabs(norm - reference) <= 1e-10;
  std::printf(" Verification %s\n", ok ? "SUCCESSFUL" : "UNSUCCESSFUL");
  return 0;
}

RAY_REMOTE(init_fields_loop_52_chunk, compute_rhs_loop_57);

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
