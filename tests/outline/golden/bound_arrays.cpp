// Arrays handed to helpers as pointers, the way C-style solvers pass their fields: a
// sparse matrix in compressed rows multiplied by a vector, a relaxation and a
// smoothing pass over a field of rows of five, all in static functions that every
// call gives the same file-scope arrays (two of them blocks from malloc). What must
// convert: the multiply, its matrix and vector sent as the arrays the pointers stand
// for; the relaxation, each row of the field and of the weights rewritten in place and
// copied back through the parameters; and the smoothing pass. What must not: the pass
// that also reads the field it writes by the field's own name, and the helper that two
// calls give different arrays.
#include <cmath>
#include <cstdio>
#include <cstdlib>

// Converted by rayify from bound_arrays.cpp: independent loops run as Ray tasks, stateful
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

#line 14
#define ROWS 600
#define PER_ROW 48
#define NONZEROS (ROWS * PER_ROW)

static int row_start[ROWS + 1];
static int column[NONZEROS];
static double *value = (double *)malloc(sizeof(double) * NONZEROS);
static double x[ROWS], y[ROWS];
static double field[ROWS][5], smoothed[ROWS][5];
static double left[ROWS], right[ROWS];
static double *weights = (double *)malloc(sizeof(double) * ROWS);

// 'starts', a C array, as a task receives it.
struct multiply_loop_30_starts_array {
  int value[601];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'values', a C array, as a task receives it.
struct multiply_loop_30_values_array {
  double value[28800];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'in', a C array, as a task receives it.
struct multiply_loop_30_in_array {
  double value[600];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'columns', a C array, as a task receives it.
struct multiply_loop_30_columns_array {
  int value[28800];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 30 of multiply() leaves for the driver
// to apply, in iteration order.
struct multiply_loop_30_result {
  std::tuple<int, double> out{};
  MSGPACK_DEFINE(out);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out); }
};

// One iteration of the loop at line 30 of multiply(), run as a Ray task.
static multiply_loop_30_result multiply_loop_30(int j, const multiply_loop_30_starts_array &starts_sent, const multiply_loop_30_values_array &values_sent, const multiply_loop_30_in_array &in_sent, const multiply_loop_30_columns_array &columns_sent) {
  multiply_loop_30_result iteration_result;
  const auto &starts = starts_sent.value;
  const auto &values = values_sent.value;
  const auto &in = in_sent.value;
  const auto &columns = columns_sent.value;
  double sum{};
  int k{};
  sum = 0.0;
  for (k = starts[j]; k < starts[j + 1]; k++) sum += values[k] * in[columns[k]];
  for (k = 0; k < 400; k++) sum = sum * 0.999 + std::sin(sum + k) * 1e-3;
  iteration_result.out = std::make_tuple(j, sum);
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 30 of multiply(), run one after the other
// as one Ray task.
static std::vector<multiply_loop_30_result> multiply_loop_30_chunk(int chunk_begin, int chunk_end, const multiply_loop_30_starts_array &starts_sent, const multiply_loop_30_values_array &values_sent, const multiply_loop_30_in_array &in_sent, const multiply_loop_30_columns_array &columns_sent) {
  std::vector<multiply_loop_30_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(multiply_loop_30(j, starts_sent, values_sent, in_sent, columns_sent));
  return chunk_results;
}

#line 26
static void multiply(const int starts[], const int columns[], const double values[],
                     const double in[], double out[], int rows) {
  int j, k;
  double sum;
  auto starts_array = std::make_unique<multiply_loop_30_starts_array>();
  std::memcpy(starts_array->value, starts, sizeof starts_array->value);
  auto starts_ref = ray::Put(*starts_array);
  auto values_array = std::make_unique<multiply_loop_30_values_array>();
  std::memcpy(values_array->value, values, sizeof values_array->value);
  auto values_ref = ray::Put(*values_array);
  auto in_array = std::make_unique<multiply_loop_30_in_array>();
  std::memcpy(in_array->value, in, sizeof in_array->value);
  auto in_ref = ray::Put(*in_array);
  auto columns_array = std::make_unique<multiply_loop_30_columns_array>();
  std::memcpy(columns_array->value, columns, sizeof columns_array->value);
  auto columns_ref = ray::Put(*columns_array);
  std::deque<ray::ObjectRef<std::vector<multiply_loop_30_result>>> multiply_loop_30_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int multiply_loop_30_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int multiply_loop_30_first = 0; multiply_loop_30_first < rows; multiply_loop_30_first += multiply_loop_30_chunk_size) {
    int multiply_loop_30_last = rows - multiply_loop_30_first > multiply_loop_30_chunk_size ? multiply_loop_30_first + multiply_loop_30_chunk_size : rows;
    multiply_loop_30_refs.push_back(rayify_copy_of(ray::Task(multiply_loop_30_chunk).SetResource("CPU", 1).Remote(multiply_loop_30_first, multiply_loop_30_last, starts_ref, values_ref, in_ref, columns_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (multiply_loop_30_refs.size() >= 64)
      ray::Wait(std::vector{multiply_loop_30_refs[multiply_loop_30_refs.size() - 64]}, 1, -1);
  }
  while (!multiply_loop_30_refs.empty()) {
    const auto multiply_loop_30_results = ray::Get(std::move(multiply_loop_30_refs.front()));
    multiply_loop_30_refs.pop_front();
    for (const auto &multiply_loop_30_iteration : *multiply_loop_30_results) {
      out[std::get<0>(multiply_loop_30_iteration.out)] = std::get<1>(multiply_loop_30_iteration.out);
    }
  }
  j = std::max<int>(0, rows);
}

// 'from', a C array, as a task receives it.
struct smooth_loop_39_from_array {
  double value[600][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 39 of smooth() leaves for the driver
// to apply, in iteration order.
struct smooth_loop_39_result {
  std::vector<std::tuple<int, int, double>> to{};
  MSGPACK_DEFINE(to);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(to); }
};

// One iteration of the loop at line 39 of smooth(), run as a Ray task.
static smooth_loop_39_result smooth_loop_39(int j, const smooth_loop_39_from_array &from_sent) {
  smooth_loop_39_result iteration_result_2;
  const auto &from = from_sent.value;
  for (int m = 0; m < 5; m++) {
    double s = from[j - 1][m] + from[j][m] + from[j + 1][m];
    for (int k = 0; k < 300; k++) s = s * 0.999 + std::cos(s + k) * 1e-3;
    rayify_append(iteration_result_2.to, j, m, (s / 3.0));
  }
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 39 of smooth(), run one after the other
// as one Ray task.
static std::vector<smooth_loop_39_result> smooth_loop_39_chunk(int chunk_begin, int chunk_end, const smooth_loop_39_from_array &from_sent) {
  std::vector<smooth_loop_39_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(smooth_loop_39(j, from_sent));
  return chunk_results;
}

#line 38
static void smooth(const double from[][5], double to[][5], int rows) {
  auto from_array = std::make_unique<smooth_loop_39_from_array>();
  std::memcpy(from_array->value, from, sizeof from_array->value);
  auto from_ref = ray::Put(*from_array);
  std::deque<ray::ObjectRef<std::vector<smooth_loop_39_result>>> smooth_loop_39_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int smooth_loop_39_chunk_size = std::max<int>(
    1, ((rows - 1) - 1) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int smooth_loop_39_first = 1; smooth_loop_39_first < (rows - 1); smooth_loop_39_first += smooth_loop_39_chunk_size) {
    int smooth_loop_39_last = (rows - 1) - smooth_loop_39_first > smooth_loop_39_chunk_size ? smooth_loop_39_first + smooth_loop_39_chunk_size : (rows - 1);
    smooth_loop_39_refs.push_back(rayify_copy_of(ray::Task(smooth_loop_39_chunk).SetResource("CPU", 1).Remote(smooth_loop_39_first, smooth_loop_39_last, from_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (smooth_loop_39_refs.size() >= 64)
      ray::Wait(std::vector{smooth_loop_39_refs[smooth_loop_39_refs.size() - 64]}, 1, -1);
  }
  while (!smooth_loop_39_refs.empty()) {
    const auto smooth_loop_39_results = ray::Get(std::move(smooth_loop_39_refs.front()));
    smooth_loop_39_refs.pop_front();
    for (const auto &smooth_loop_39_iteration : *smooth_loop_39_results) {
      for (const auto &update : smooth_loop_39_iteration.to)
        to[std::get<0>(update)][std::get<1>(update)] = std::get<2>(update);
    }
  }
}

// 'f', a C array, as a task receives it.
struct relax_loop_51_f_array {
  double value[600][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'b', a C array, as a task receives it.
struct relax_loop_51_b_array {
  double value[600];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 51 of relax() leaves for the driver
// to apply, in iteration order.
struct relax_loop_51_result {
  std::vector<double> f{};
  std::vector<double> b{};
  int j{};
  MSGPACK_DEFINE(f, b, j);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(f, b, j); }
};

// One iteration of the loop at line 51 of relax(), run as a Ray task.
static relax_loop_51_result relax_loop_51(int j, const relax_loop_51_f_array &f_sent, const relax_loop_51_b_array &b_sent) {
  relax_loop_51_result iteration_result_3;
  // 'f': this iteration's own slice, as the loop found it.
  std::unique_ptr<relax_loop_51_f_array> f_own(new relax_loop_51_f_array);
  auto &f = f_own->value;
  std::memcpy(&f[j], &f_sent.value[j], 40);
  // 'b': this iteration's own slice, as the loop found it.
  std::unique_ptr<relax_loop_51_b_array> b_own(new relax_loop_51_b_array);
  auto &b = b_own->value;
  std::memcpy(&b[j], &b_sent.value[j], 8);
  do {
    double acc = 0;
    for (int m = 0; m < 5; m++) {
      double s = f[j][m];
      for (int k = 0; k < 300; k++) s = s * 0.999 + std::sin(s + k) * 1e-3;
      f[j][m] = s + f[j][(m + 1) % 5] * 0.1;
      acc += f[j][m];
    }
    b[j] = b[j] * 0.5 + acc;
  } while (false);
  iteration_result_3.f.resize(40 / sizeof(double));
  std::memcpy(iteration_result_3.f.data(), &f[j], 40);
  iteration_result_3.b.resize(8 / sizeof(double));
  std::memcpy(iteration_result_3.b.data(), &b[j], 8);
  iteration_result_3.j = j;
  return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 51 of relax(), run one after the other
// as one Ray task.
static std::vector<relax_loop_51_result> relax_loop_51_chunk(int chunk_begin, int chunk_end, const relax_loop_51_f_array &f_sent, const relax_loop_51_b_array &b_sent) {
  std::vector<relax_loop_51_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(relax_loop_51(j, f_sent, b_sent));
  return chunk_results;
}

#line 48
// Each row read and rewritten in place through the parameters: own slices of the
// field and of a malloc'ed block, sent back and copied in through the pointers.
static void relax(double f[][5], double b[], int rows) {
  auto f_array = std::make_unique<relax_loop_51_f_array>();
  std::memcpy(f_array->value, f, sizeof f_array->value);
  auto f_ref = ray::Put(*f_array);
  auto b_array = std::make_unique<relax_loop_51_b_array>();
  std::memcpy(b_array->value, b, sizeof b_array->value);
  auto b_ref = ray::Put(*b_array);
  std::deque<ray::ObjectRef<std::vector<relax_loop_51_result>>> relax_loop_51_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int relax_loop_51_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int relax_loop_51_first = 0; relax_loop_51_first < rows; relax_loop_51_first += relax_loop_51_chunk_size) {
    int relax_loop_51_last = rows - relax_loop_51_first > relax_loop_51_chunk_size ? relax_loop_51_first + relax_loop_51_chunk_size : rows;
    relax_loop_51_refs.push_back(rayify_copy_of(ray::Task(relax_loop_51_chunk).SetResource("CPU", 1).Remote(relax_loop_51_first, relax_loop_51_last, f_ref, b_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (relax_loop_51_refs.size() >= 64)
      ray::Wait(std::vector{relax_loop_51_refs[relax_loop_51_refs.size() - 64]}, 1, -1);
  }
  while (!relax_loop_51_refs.empty()) {
    const auto relax_loop_51_results = ray::Get(std::move(relax_loop_51_refs.front()));
    relax_loop_51_refs.pop_front();
    for (const auto &relax_loop_51_iteration : *relax_loop_51_results) {
      std::memcpy(&f[relax_loop_51_iteration.j], relax_loop_51_iteration.f.data(), 40);
      std::memcpy(&b[relax_loop_51_iteration.j], relax_loop_51_iteration.b.data(), 8);
    }
  }
}

#line 63
// Reads the field it writes through `to` (main passes `field`) by its own name too.
static void smooth_in_place(double to[][5], int rows) {
  for (int j = 1; j < rows - 1; j++) {
    for (int m = 0; m < 5; m++) {
      double s = field[j - 1][m] + field[j + 1][m];
      for (int k = 0; k < 300; k++) s = s * 0.999 + std::cos(s + k) * 1e-3;
      to[j][m] = s / 2.0;
    }
  }
}

// Given `left` by one call and `right` by the other: no one array to send.
static double weigh(const double side[], int rows) {
  double total = 0;
  for (int j = 0; j < rows; j++) {
    double s = side[j];
    for (int k = 0; k < 300; k++) s = s * 0.999 + std::sin(s + k) * 1e-3;
    total += s;
  }
  return total;
}

static int rayify_original_main() {
  row_start[0] = 0;
  for (int j = 0; j < ROWS; ++j) row_start[j + 1] = row_start[j] + PER_ROW;
  for (int k = 0; k < NONZEROS; ++k) {
    column[k] = (k * 7919) % ROWS;
    value[k] = (k % 13) * 0.25;
  }
  for (int j = 0; j < ROWS; ++j) {
    x[j] = 1.0 / (j + 1);
    left[j] = j * 0.01;
    right[j] = 1.0 - j * 0.001;
    for (int m = 0; m < 5; ++m) field[j][m] = std::sin(j * 0.1 + m);
  }
  for (int it = 0; it < 3; ++it) {
    multiply(row_start, column, value, x, y, ROWS);
    for (int j = 0; j < ROWS; ++j) x[j] = y[j] * 1e-3 + x[j] * 0.5;
  }
  for (int j = 0; j < ROWS; ++j) weights[j] = j * 0.5;
  relax(smoothed, weights, ROWS);
  smooth(field, smoothed, ROWS);
  smooth_in_place(field, ROWS);
  double sum_y = 0, sum_s = 0, sum_f = 0;
  for (int j = 0; j < ROWS; ++j) {
    sum_y += y[j] + weights[j];
    for (int m = 0; m < 5; ++m) {
      sum_s += smoothed[j][m] * (m + 1);
      sum_f += field[j][m] * (m + 1);
    }
  }
  std::printf("y: %.12e\nsmoothed: %.12e\nfield: %.12e\n", sum_y, sum_s, sum_f);
  std::printf("weights: %.12e %.12e\n", weigh(left, ROWS), weigh(right, ROWS));
  return 0;
}

RAY_REMOTE(multiply_loop_30_chunk, smooth_loop_39_chunk, relax_loop_51_chunk);

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
