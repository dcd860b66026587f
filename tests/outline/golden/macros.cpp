// Statistics of a data matrix in the PolyBench style: the arithmetic goes through
// macros (SCALAR_VAL, SQRT_FUN, the loop bounds), and each column's mean and
// deviation are several statements updating the column's own element. What must
// convert: the mean and deviation loops over columns, whose update statements hold
// whole macro invocations. What must not: a loop whose update a macro writes.
#include <cmath>
#include <cstdio>

// Converted by rayify from macros.cpp: independent loops run as Ray tasks, stateful
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
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 9
#define N 600
#define M 240
#define DATA_TYPE double
#define SCALAR_VAL(x) x
#define SQRT_FUN(x) sqrt(x)
#define _PB_N N
#define _PB_M M
#define PLUS_SQUARE(v) + (v) * (v)
#define ACCUMULATE(t, v) t += (v)

static DATA_TYPE data[N][M];
static DATA_TYPE mean[M];
static DATA_TYPE stddev[M];

static DATA_TYPE weight(int i, int j) {
  DATA_TYPE w = SCALAR_VAL(0.0);
  for (int k = 0; k < 200; ++k) w += SQRT_FUN((DATA_TYPE)(i * k + j + 1)) / (k + 1);
  return w;
}

static DATA_TYPE heavy(int j) {
  DATA_TYPE h = SCALAR_VAL(0.0);
  for (int k = 0; k < 20000; ++k) h += SQRT_FUN((DATA_TYPE)(k + j)) / (k + 7);
  return h;
}

// 'data', a C array, as a task receives it.
struct main_loop_41_data_array {
  double value[600][240];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'mean', a C array, as a task receives it.
struct main_loop_41_mean_array {
  double value[240];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 41 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_41_result {
  std::vector<double> mean{};
  int j{};
  MSGPACK_DEFINE(mean, j);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(mean, j); }
};

// One iteration of the loop at line 41 of main(), run as a Ray task.
static main_loop_41_result main_loop_41(int j, const main_loop_41_data_array &data_sent, double float_n, const main_loop_41_mean_array &mean_sent) {
  main_loop_41_result iteration_result;
  const auto &data = data_sent.value;
  // 'mean': this iteration's own slice, as the loop found it.
  std::unique_ptr<main_loop_41_mean_array> mean_own(new main_loop_41_mean_array);
  auto &mean = mean_own->value;
  std::memcpy(&mean[j], &mean_sent.value[j], 8);
  do {
    mean[j] = SCALAR_VAL(0.0);
    for (int i = 0; i < _PB_N; i++) mean[j] += data[i][j] * weight(i, j);
    mean[j] /= float_n;
  } while (false);
  iteration_result.mean.resize(8 / sizeof(double));
  std::memcpy(iteration_result.mean.data(), &mean[j], 8);
  iteration_result.j = j;
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 41 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_41_result> main_loop_41_chunk(int chunk_begin, int chunk_end, const main_loop_41_data_array &data_sent, double float_n, const main_loop_41_mean_array &mean_sent) {
  std::vector<main_loop_41_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(main_loop_41(j, data_sent, float_n, mean_sent));
  return chunk_results;
}

// 'data', a C array, as a task receives it.
struct main_loop_47_data_array {
  double value[600][240];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'mean', a C array, as a task receives it.
struct main_loop_47_mean_array {
  double value[240];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'stddev', a C array, as a task receives it.
struct main_loop_47_stddev_array {
  double value[240];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 47 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_47_result {
  std::vector<double> stddev{};
  int j{};
  MSGPACK_DEFINE(stddev, j);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(stddev, j); }
};

// One iteration of the loop at line 47 of main(), run as a Ray task.
static main_loop_47_result main_loop_47(int j, const main_loop_47_data_array &data_sent_2, const main_loop_47_mean_array &mean_sent_2, double float_n, double eps, const main_loop_47_stddev_array &stddev_sent) {
  main_loop_47_result iteration_result_2;
  const auto &data = data_sent_2.value;
  const auto &mean = mean_sent_2.value;
  // 'stddev': this iteration's own slice, as the loop found it.
  std::unique_ptr<main_loop_47_stddev_array> stddev_own(new main_loop_47_stddev_array);
  auto &stddev = stddev_own->value;
  std::memcpy(&stddev[j], &stddev_sent.value[j], 8);
  do {
    stddev[j] = SCALAR_VAL(0.0);
    for (int i = 0; i < _PB_N; i++)
      stddev[j] += (data[i][j] - mean[j]) * (data[i][j] - mean[j]) * weight(j, i);
    stddev[j] /= float_n;
    stddev[j] = SQRT_FUN(stddev[j]);
    stddev[j] = stddev[j] <= eps ? SCALAR_VAL(1.0) : stddev[j];
  } while (false);
  iteration_result_2.stddev.resize(8 / sizeof(double));
  std::memcpy(iteration_result_2.stddev.data(), &stddev[j], 8);
  iteration_result_2.j = j;
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 47 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_47_result> main_loop_47_chunk(int chunk_begin, int chunk_end, const main_loop_47_data_array &data_sent_2, const main_loop_47_mean_array &mean_sent_2, double float_n, double eps, const main_loop_47_stddev_array &stddev_sent) {
  std::vector<main_loop_47_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(main_loop_47(j, data_sent_2, mean_sent_2, float_n, eps, stddev_sent));
  return chunk_results;
}

// 'mean', a C array, as a task receives it.
struct main_loop_57_mean_array {
  double value[240];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 57 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_57_result {
  double total{};
  MSGPACK_DEFINE(total);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(total); }
};

// One iteration of the loop at line 57 of main(), run as a Ray task.
static main_loop_57_result main_loop_57(int j, const main_loop_57_mean_array &mean_sent_3) {
  main_loop_57_result iteration_result_3;
  const auto &mean = mean_sent_3.value;
  DATA_TYPE x = heavy(j);
  iteration_result_3.total = (x PLUS_SQUARE(mean[j]));
  return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 57 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_57_result> main_loop_57_chunk(int chunk_begin, int chunk_end, const main_loop_57_mean_array &mean_sent_3) {
  std::vector<main_loop_57_result> chunk_results;
  for (int j = chunk_begin; j < chunk_end; ++j)
    chunk_results.push_back(main_loop_57(j, mean_sent_3));
  return chunk_results;
}

static int rayify_original_main() {
#line 36
  for (int i = 0; i < _PB_N; i++)
    for (int j = 0; j < _PB_M; j++) data[i][j] = (DATA_TYPE)(i * j % 97) / M + i;
  DATA_TYPE float_n = (DATA_TYPE)N;
  DATA_TYPE eps = SCALAR_VAL(0.1);

  auto data_array = std::make_unique<main_loop_41_data_array>();
  std::memcpy(data_array->value, data, sizeof data_array->value);
  auto data_ref = ray::Put(*data_array);
  auto mean_array = std::make_unique<main_loop_41_mean_array>();
  std::memcpy(mean_array->value, mean, sizeof mean_array->value);
  auto mean_ref = ray::Put(*mean_array);
  std::deque<ray::ObjectRef<std::vector<main_loop_41_result>>> main_loop_41_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_41_chunk_size = std::max<int>(
    1, (_PB_M - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_41_first = 0; main_loop_41_first < _PB_M; main_loop_41_first += main_loop_41_chunk_size) {
    int main_loop_41_last = _PB_M - main_loop_41_first > main_loop_41_chunk_size ? main_loop_41_first + main_loop_41_chunk_size : _PB_M;
    main_loop_41_refs.push_back(rayify_copy_of(ray::Task(main_loop_41_chunk).SetResource("CPU", 1).Remote(main_loop_41_first, main_loop_41_last, data_ref, float_n, mean_ref)));
  }
  while (!main_loop_41_refs.empty()) {
    const auto main_loop_41_results = ray::Get(std::move(main_loop_41_refs.front()));
    main_loop_41_refs.pop_front();
    for (const auto &main_loop_41_iteration : *main_loop_41_results) {
      std::memcpy(&mean[main_loop_41_iteration.j], main_loop_41_iteration.mean.data(), 8);
    }
  }

  auto data_array_2 = std::make_unique<main_loop_47_data_array>();
  std::memcpy(data_array_2->value, data, sizeof data_array_2->value);
  auto data_ref_2 = ray::Put(*data_array_2);
  auto mean_array_2 = std::make_unique<main_loop_47_mean_array>();
  std::memcpy(mean_array_2->value, mean, sizeof mean_array_2->value);
  auto mean_ref_2 = ray::Put(*mean_array_2);
  auto stddev_array = std::make_unique<main_loop_47_stddev_array>();
  std::memcpy(stddev_array->value, stddev, sizeof stddev_array->value);
  auto stddev_ref = ray::Put(*stddev_array);
  std::deque<ray::ObjectRef<std::vector<main_loop_47_result>>> main_loop_47_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_47_chunk_size = std::max<int>(
    1, (_PB_M - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_47_first = 0; main_loop_47_first < _PB_M; main_loop_47_first += main_loop_47_chunk_size) {
    int main_loop_47_last = _PB_M - main_loop_47_first > main_loop_47_chunk_size ? main_loop_47_first + main_loop_47_chunk_size : _PB_M;
    main_loop_47_refs.push_back(rayify_copy_of(ray::Task(main_loop_47_chunk).SetResource("CPU", 1).Remote(main_loop_47_first, main_loop_47_last, data_ref_2, mean_ref_2, float_n, eps, stddev_ref)));
  }
  while (!main_loop_47_refs.empty()) {
    const auto main_loop_47_results = ray::Get(std::move(main_loop_47_refs.front()));
    main_loop_47_refs.pop_front();
    for (const auto &main_loop_47_iteration : *main_loop_47_results) {
      std::memcpy(&stddev[main_loop_47_iteration.j], main_loop_47_iteration.stddev.data(), 8);
    }
  }

#line 56
  DATA_TYPE total = SCALAR_VAL(0.0);
  auto mean_array_3 = std::make_unique<main_loop_57_mean_array>();
  std::memcpy(mean_array_3->value, mean, sizeof mean_array_3->value);
  auto mean_ref_3 = ray::Put(*mean_array_3);
  std::deque<ray::ObjectRef<std::vector<main_loop_57_result>>> main_loop_57_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_57_chunk_size = std::max<int>(
    1, (_PB_M - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_57_first = 0; main_loop_57_first < _PB_M; main_loop_57_first += main_loop_57_chunk_size) {
    int main_loop_57_last = _PB_M - main_loop_57_first > main_loop_57_chunk_size ? main_loop_57_first + main_loop_57_chunk_size : _PB_M;
    main_loop_57_refs.push_back(rayify_copy_of(ray::Task(main_loop_57_chunk).SetResource("CPU", 1).Remote(main_loop_57_first, main_loop_57_last, mean_ref_3)));
  }
  while (!main_loop_57_refs.empty()) {
    const auto main_loop_57_results = ray::Get(std::move(main_loop_57_refs.front()));
    main_loop_57_refs.pop_front();
    for (const auto &main_loop_57_iteration : *main_loop_57_results) {
      total += main_loop_57_iteration.total;
    }
  }

#line 62
  DATA_TYPE spread = SCALAR_VAL(0.0);
  for (int j = 0; j < _PB_M; j++) {
    DATA_TYPE x = heavy(2 * j);
    ACCUMULATE(spread, x * stddev[j]);
  }

  for (int j = 0; j < _PB_M; j += 40) std::printf("%d %.10f %.10f\n", j, mean[j], stddev[j]);
  std::printf("total %.10f spread %.10f\n", total, spread);
  return 0;
}

RAY_REMOTE(main_loop_41_chunk, main_loop_47_chunk, main_loop_57_chunk);

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
