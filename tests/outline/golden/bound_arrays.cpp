// Arrays handed to helpers as pointers, the way C-style solvers pass their fields: a
// sparse matrix in compressed rows multiplied by a vector, and a smoothing pass over
// a field of rows of five, both in static functions that every call gives the same
// file-scope arrays (one of them a block from malloc). What must convert: the
// multiply, its matrix and vector sent as the arrays the pointers stand for, and the
// smoothing pass, each row written back through the parameter into the field. What
// must not: the pass that also reads the field by its own name, and the helper that
// two calls give different arrays.
#include <cmath>
#include <cstdio>
#include <cstdlib>

// Converted by rayify from bound_arrays.cpp: independent loops run as Ray tasks, stateful
// classes as Ray actors.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>
#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>
#include <tuple>

#define ROWS 600
#define PER_ROW 48
#define NONZEROS (ROWS * PER_ROW)

static int row_start[ROWS + 1];
static int column[NONZEROS];
static double *value = (double *)malloc(sizeof(double) * NONZEROS);
static double x[ROWS], y[ROWS];
static double field[ROWS][5], smoothed[ROWS][5];
static double left[ROWS], right[ROWS];

// 'starts', a C array, as a task receives it.
struct multiply_loop_28_starts_array {
  int value[601];
  MSGPACK_DEFINE(value);
};

// 'values', a C array, as a task receives it.
struct multiply_loop_28_values_array {
  double value[28800];
  MSGPACK_DEFINE(value);
};

// 'in', a C array, as a task receives it.
struct multiply_loop_28_in_array {
  double value[600];
  MSGPACK_DEFINE(value);
};

// 'columns', a C array, as a task receives it.
struct multiply_loop_28_columns_array {
  int value[28800];
  MSGPACK_DEFINE(value);
};

// What one iteration of the loop at line 28 of multiply() leaves for the driver
// to apply, in iteration order.
struct multiply_loop_28_result {
  std::tuple<int, double> out{};
  MSGPACK_DEFINE(out);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out); }
};

// One iteration of the loop at line 28 of multiply(), run as a Ray task.
static multiply_loop_28_result multiply_loop_28(int j, const multiply_loop_28_starts_array &starts_sent, const multiply_loop_28_values_array &values_sent, const multiply_loop_28_in_array &in_sent, const multiply_loop_28_columns_array &columns_sent) {
  multiply_loop_28_result iteration_result;
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

// Iterations [chunk_begin, chunk_end) of the loop at line 28 of multiply(), run one after the other
// as one Ray task.
static std::vector<multiply_loop_28_result> multiply_loop_28_chunk(int chunk_begin, int chunk_end, const multiply_loop_28_starts_array &starts_sent, const multiply_loop_28_values_array &values_sent, const multiply_loop_28_in_array &in_sent, const multiply_loop_28_columns_array &columns_sent) {
  std::vector<multiply_loop_28_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(multiply_loop_28(j, starts_sent, values_sent, in_sent, columns_sent));
  return chunk_results;
}

static void multiply(const int starts[], const int columns[], const double values[],
                     const double in[], double out[], int rows) {
  int j, k;
  double sum;
  auto starts_array = std::make_unique<multiply_loop_28_starts_array>();
  std::memcpy(starts_array->value, starts, sizeof starts_array->value);
  auto starts_ref = ray::Put(*starts_array);
  auto values_array = std::make_unique<multiply_loop_28_values_array>();
  std::memcpy(values_array->value, values, sizeof values_array->value);
  auto values_ref = ray::Put(*values_array);
  auto in_array = std::make_unique<multiply_loop_28_in_array>();
  std::memcpy(in_array->value, in, sizeof in_array->value);
  auto in_ref = ray::Put(*in_array);
  auto columns_array = std::make_unique<multiply_loop_28_columns_array>();
  std::memcpy(columns_array->value, columns, sizeof columns_array->value);
  auto columns_ref = ray::Put(*columns_array);
  std::vector<ray::ObjectRef<std::vector<multiply_loop_28_result>>> multiply_loop_28_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int multiply_loop_28_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int multiply_loop_28_first = 0; multiply_loop_28_first < rows; multiply_loop_28_first += multiply_loop_28_chunk_size) {
    int multiply_loop_28_last = rows - multiply_loop_28_first > multiply_loop_28_chunk_size ? multiply_loop_28_first + multiply_loop_28_chunk_size : rows;
    multiply_loop_28_refs.push_back(ray::Task(multiply_loop_28_chunk).SetResource("CPU", 1).Remote(multiply_loop_28_first, multiply_loop_28_last, starts_ref, values_ref, in_ref, columns_ref));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (multiply_loop_28_refs.size() >= 64)
      ray::Wait(std::vector{multiply_loop_28_refs[multiply_loop_28_refs.size() - 64]}, 1, -1);
  }
  for (const auto &multiply_loop_28_results : ray::Get(multiply_loop_28_refs))
    for (const auto &multiply_loop_28_iteration : *multiply_loop_28_results) {
      out[std::get<0>(multiply_loop_28_iteration.out)] = std::get<1>(multiply_loop_28_iteration.out);
    }
  j = std::max<int>(0, rows);
}

// 'from', a C array, as a task receives it.
struct smooth_loop_37_from_array {
  double value[600][5];
  MSGPACK_DEFINE(value);
};

// What one iteration of the loop at line 37 of smooth() leaves for the driver
// to apply, in iteration order.
struct smooth_loop_37_result {
  std::vector<std::tuple<int, int, double>> to{};
  MSGPACK_DEFINE(to);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(to); }
};

// One iteration of the loop at line 37 of smooth(), run as a Ray task.
static smooth_loop_37_result smooth_loop_37(int j, const smooth_loop_37_from_array &from_sent) {
  smooth_loop_37_result iteration_result_2;
  const auto &from = from_sent.value;
  for (int m = 0; m < 5; m++) {
    double s = from[j - 1][m] + from[j][m] + from[j + 1][m];
    for (int k = 0; k < 300; k++) s = s * 0.999 + std::cos(s + k) * 1e-3;
    iteration_result_2.to.emplace_back(j, m, (s / 3.0));
  }
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 37 of smooth(), run one after the other
// as one Ray task.
static std::vector<smooth_loop_37_result> smooth_loop_37_chunk(int chunk_begin, int chunk_end, const smooth_loop_37_from_array &from_sent) {
  std::vector<smooth_loop_37_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(smooth_loop_37(j, from_sent));
  return chunk_results;
}

static void smooth(const double from[][5], double to[][5], int rows) {
  auto from_array = std::make_unique<smooth_loop_37_from_array>();
  std::memcpy(from_array->value, from, sizeof from_array->value);
  auto from_ref = ray::Put(*from_array);
  std::vector<ray::ObjectRef<std::vector<smooth_loop_37_result>>> smooth_loop_37_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int smooth_loop_37_chunk_size = std::max<int>(
    1, ((rows - 1) - 1) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int smooth_loop_37_first = 1; smooth_loop_37_first < (rows - 1); smooth_loop_37_first += smooth_loop_37_chunk_size) {
    int smooth_loop_37_last = (rows - 1) - smooth_loop_37_first > smooth_loop_37_chunk_size ? smooth_loop_37_first + smooth_loop_37_chunk_size : (rows - 1);
    smooth_loop_37_refs.push_back(ray::Task(smooth_loop_37_chunk).SetResource("CPU", 1).Remote(smooth_loop_37_first, smooth_loop_37_last, from_ref));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (smooth_loop_37_refs.size() >= 64)
      ray::Wait(std::vector{smooth_loop_37_refs[smooth_loop_37_refs.size() - 64]}, 1, -1);
  }
  for (const auto &smooth_loop_37_results : ray::Get(smooth_loop_37_refs))
    for (const auto &smooth_loop_37_iteration : *smooth_loop_37_results) {
      for (const auto &update : smooth_loop_37_iteration.to)
        to[std::get<0>(update)][std::get<1>(update)] = std::get<2>(update);
    }
}

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
  smooth(field, smoothed, ROWS);
  smooth_in_place(field, ROWS);
  double sum_y = 0, sum_s = 0, sum_f = 0;
  for (int j = 0; j < ROWS; ++j) {
    sum_y += y[j];
    for (int m = 0; m < 5; ++m) {
      sum_s += smoothed[j][m] * (m + 1);
      sum_f += field[j][m] * (m + 1);
    }
  }
  std::printf("y: %.12e\nsmoothed: %.12e\nfield: %.12e\n", sum_y, sum_s, sum_f);
  std::printf("weights: %.12e %.12e\n", weigh(left, ROWS), weigh(right, ROWS));
  return 0;
}

RAY_REMOTE(multiply_loop_28_chunk, smooth_loop_37_chunk);

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

// Flushes the program's output, then disconnects from Ray, once. Runs when the
// original main returns or throws, and from atexit() when it calls std::exit(): Ray
// must shut down before its own static objects are destroyed.
static void rayify_shutdown() {
  static bool done = false;
  if (done) return;
  done = true;
  std::fflush(nullptr);
  ray::Shutdown();
}

// Called while an exception leaves the original main: names the failure when it came
// from Ray. Only the converted code calls Ray, so these mean one of its tasks or actors
// failed or was lost.
static void rayify_explain_failure(const char *program) {
  try {
    throw;
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

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and exceptions. Configured from the environment:
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
  int status;
  try {
    status = rayify_original_main();
  } catch (...) {
    rayify_explain_failure(argv[0]);
    rayify_shutdown();
    throw;
  }
  rayify_shutdown();
  return status;
}
