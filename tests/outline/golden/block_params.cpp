// C-style kernels over blocks main allocates at a size read from the command line,
// handed to static helpers as pointers: every call of a helper gives it the same
// block of main's, so its loop sends that block (its size kept where main made it),
// stores come back through the pointer, and each iteration's own element travels
// both ways. What must not convert: a helper given two different blocks by its
// calls, and one given the same block for what it reads and what it writes.
#include <cmath>
#include <cstdio>
#include <cstdlib>

// Converted by rayify from block_params.cpp: independent loops run as Ray tasks, stateful
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
#include <cstddef>
#include <deque>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

// How many elements 'in' holds: the tasks of functions main() hands it to are sent a copy.
static std::size_t main_in_count = 0;

// How many elements 'out' holds: the tasks of functions main() hands it to are sent a copy.
static std::size_t main_out_count = 0;

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 11
static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

// What one iteration of the loop at line 18 of transform() leaves for the driver
// to apply, in iteration order.
struct transform_loop_18_result {
  std::tuple<int, double> out{};
  MSGPACK_DEFINE(out);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out); }
};

// One iteration of the loop at line 18 of transform(), run as a Ray task.
static transform_loop_18_result transform_loop_18(int i, const std::vector<double> &in_sent) {
  transform_loop_18_result iteration_result;
  double *in = const_cast<double *>(in_sent.data());
  iteration_result.out = std::make_tuple(i, (series(in[i], 30000) + in[i]));
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 18 of transform(), run one after the other
// as one Ray task.
static std::vector<transform_loop_18_result> transform_loop_18_chunk(int chunk_begin, int chunk_end, const std::vector<double> &in_sent) {
  std::vector<transform_loop_18_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(transform_loop_18(i, in_sent));
  return chunk_results;
}

#line 17
static void transform(double *out, const double *in, int n) {
  auto in_ref = ray::Put(std::vector<double>(in, in + main_in_count));
  std::deque<ray::ObjectRef<std::vector<transform_loop_18_result>>> transform_loop_18_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int transform_loop_18_chunk_size = std::max<int>(
    1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int transform_loop_18_first = 0; transform_loop_18_first < n; transform_loop_18_first += transform_loop_18_chunk_size) {
    int transform_loop_18_last = n - transform_loop_18_first > transform_loop_18_chunk_size ? transform_loop_18_first + transform_loop_18_chunk_size : n;
    transform_loop_18_refs.push_back(rayify_copy_of(ray::Task(transform_loop_18_chunk).SetResource("CPU", 1).Remote(transform_loop_18_first, transform_loop_18_last, in_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (transform_loop_18_refs.size() >= 64)
      ray::Wait(std::vector{transform_loop_18_refs[transform_loop_18_refs.size() - 64]}, 1, -1);
  }
  while (!transform_loop_18_refs.empty()) {
    const auto transform_loop_18_results = ray::Get(std::move(transform_loop_18_refs.front()));
    transform_loop_18_refs.pop_front();
    for (const auto &transform_loop_18_iteration : *transform_loop_18_results) {
      out[std::get<0>(transform_loop_18_iteration.out)] = std::get<1>(transform_loop_18_iteration.out);
    }
  }
}

// What one iteration of the loop at line 22 of refine() leaves for the driver
// to apply, in iteration order.
struct refine_loop_22_result {
  double field{};
  int i{};
  MSGPACK_DEFINE(field, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(field, i); }
};

// One iteration of the loop at line 22 of refine(), run as a Ray task.
static refine_loop_22_result refine_loop_22(int i, double field_i) {
  refine_loop_22_result iteration_result_2;
  do {
    field_i = series(field_i * 0.01, 30000) - field_i;
  } while (false);
  iteration_result_2.field = std::move(field_i);
  iteration_result_2.i = i;
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 22 of refine(), run one after the other
// as one Ray task.
static std::vector<refine_loop_22_result> refine_loop_22_chunk(int chunk_begin, int chunk_end, std::vector<double> field_chunk) {
  std::vector<refine_loop_22_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(refine_loop_22(i, std::move(field_chunk[i - chunk_begin])));
  return chunk_results;
}

#line 21
static void refine(double *field, int n) {
  std::deque<ray::ObjectRef<std::vector<refine_loop_22_result>>> refine_loop_22_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int refine_loop_22_chunk_size = std::max<int>(
    1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int refine_loop_22_first = 0; refine_loop_22_first < n; refine_loop_22_first += refine_loop_22_chunk_size) {
    int refine_loop_22_last = n - refine_loop_22_first > refine_loop_22_chunk_size ? refine_loop_22_first + refine_loop_22_chunk_size : n;
    refine_loop_22_refs.push_back(rayify_copy_of(ray::Task(refine_loop_22_chunk).SetResource("CPU", 1).Remote(refine_loop_22_first, refine_loop_22_last,
      std::vector<double>(field + refine_loop_22_first, field + refine_loop_22_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (refine_loop_22_refs.size() >= 64)
      ray::Wait(std::vector{refine_loop_22_refs[refine_loop_22_refs.size() - 64]}, 1, -1);
  }
  while (!refine_loop_22_refs.empty()) {
    const auto refine_loop_22_results = ray::Get(std::move(refine_loop_22_refs.front()));
    refine_loop_22_refs.pop_front();
    for (const auto &refine_loop_22_iteration : *refine_loop_22_results) {
      field[refine_loop_22_iteration.i] = refine_loop_22_iteration.field;
    }
  }
}

// What one iteration of the loop at line 27 of total() leaves for the driver
// to apply, in iteration order.
struct total_loop_27_result {
  double s{};
  MSGPACK_DEFINE(s);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(s); }
};

// One iteration of the loop at line 27 of total(), run as a Ray task.
static total_loop_27_result total_loop_27(int i, const std::vector<double> &values_sent) {
  total_loop_27_result iteration_result_3;
  double *values = const_cast<double *>(values_sent.data());
  iteration_result_3.s = series(values[i], 30000);
  return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 27 of total(), run one after the other
// as one Ray task.
static std::vector<total_loop_27_result> total_loop_27_chunk(int chunk_begin, int chunk_end, const std::vector<double> &values_sent) {
  std::vector<total_loop_27_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(total_loop_27(i, values_sent));
  return chunk_results;
}

#line 25
static double total(const double *values, int n) {
  double s = 0;
  auto values_ref = ray::Put(std::vector<double>(values, values + main_out_count));
  std::deque<ray::ObjectRef<std::vector<total_loop_27_result>>> total_loop_27_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int total_loop_27_chunk_size = std::max<int>(
    1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int total_loop_27_first = 0; total_loop_27_first < n; total_loop_27_first += total_loop_27_chunk_size) {
    int total_loop_27_last = n - total_loop_27_first > total_loop_27_chunk_size ? total_loop_27_first + total_loop_27_chunk_size : n;
    total_loop_27_refs.push_back(rayify_copy_of(ray::Task(total_loop_27_chunk).SetResource("CPU", 1).Remote(total_loop_27_first, total_loop_27_last, values_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (total_loop_27_refs.size() >= 64)
      ray::Wait(std::vector{total_loop_27_refs[total_loop_27_refs.size() - 64]}, 1, -1);
  }
  while (!total_loop_27_refs.empty()) {
    const auto total_loop_27_results = ray::Get(std::move(total_loop_27_refs.front()));
    total_loop_27_refs.pop_front();
    for (const auto &total_loop_27_iteration : *total_loop_27_results) {
      s += total_loop_27_iteration.s;
    }
  }
#line 28
  return s;
}

// Called with `in` and with `out`: no one block stands behind `values`.
static double spread(const double *values, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += series(values[i] * 0.5, 60000) * values[i];
  return s;
}

// Given the same block twice: it writes what it reads.
static void shift(double *to, const double *from, int n) {
  for (int i = 0; i + 1 < n; i++) to[i] = series(from[i + 1], 30000);
}

static int rayify_original_main(int argc, char **argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 40;
  double *in = (double *)malloc(sizeof(double) * n);
  main_in_count = static_cast<std::size_t>((sizeof(double) * n) / sizeof(double));
#line 46
  double *out;
  out = new double[n];
  main_out_count = static_cast<std::size_t>(n);
#line 48
  for (int i = 0; i < n; i++) in[i] = i * 0.1;
  transform(out, in, n);
  refine(out, n);
  double t = total(out, n);
  double s = spread(in, n) + spread(out, n);
  double *scratch = new double[n];
  for (int i = 0; i < n; i++) scratch[i] = out[i];
  shift(scratch, scratch, n);
  std::printf("%.9f %.9f\n", t, s);
  for (int i = 0; i < n; i += 7) std::printf("%.9f %.9f\n", out[i], scratch[i]);
  free(in);
  delete[] out;
  delete[] scratch;
  return 0;
}

RAY_REMOTE(transform_loop_18_chunk, refine_loop_22_chunk, total_loop_27_chunk);

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
