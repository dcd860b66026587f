// Rows of matrices held as vectors of vectors, updated under inner loops: a product
// (`c[i][j] += a[i][k] * b[k][j]`), a row scaled by its own norm, and a row computed
// from the row above, which must stay sequential. No iteration reaches its row when
// the inner loops run none, so the rows a chunk is sent must exist for another reason:
// the matrices are made with the loops' own fixed counts and nothing resizes them.
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from matrix_rows.cpp: independent loops run as Ray tasks, stateful
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
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 10
using Matrix = std::vector<std::vector<double>>;

static Matrix Filled(int n, double scale) {
  Matrix m(n, std::vector<double>(n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m[i][j] = ((i * 31 + j * 17) % 13) * scale;
  return m;
}

// What one iteration of the loop at line 23 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_23_result {
  std::vector<double> c{};
  int i{};
  MSGPACK_DEFINE(c, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(c, i); }
};

// One iteration of the loop at line 23 of main(), run as a Ray task.
static main_loop_23_result main_loop_23(int i, const std::vector<std::vector<double>> &a, const std::vector<std::vector<double>> &b, std::vector<double> c_i) {
  main_loop_23_result iteration_result;
  const int n = 300;  // as every run of the loop has it
  do {
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j) c_i[j] += a[i][k] * b[k][j];
  } while (false);
  iteration_result.c = std::move(c_i);
  iteration_result.i = i;
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 23 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_23_result> main_loop_23_chunk(int chunk_begin, int chunk_end, const std::vector<std::vector<double>> &a, const std::vector<std::vector<double>> &b, std::vector<std::vector<double>> c_chunk) {
  std::vector<main_loop_23_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_23(i, a, b, std::move(c_chunk[i - chunk_begin])));
  return chunk_results;
}

// What one iteration of the loop at line 28 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_28_result {
  std::vector<double> c{};
  int i{};
  MSGPACK_DEFINE(c, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(c, i); }
};

// One iteration of the loop at line 28 of main(), run as a Ray task.
static main_loop_28_result main_loop_28(int i, std::vector<double> c_i_2) {
  main_loop_28_result iteration_result_2;
  const int n = 300;  // as every run of the loop has it
  do {
    double norm = 0.0;
    for (int j = 0; j < n; ++j)
      for (int r = 0; r < 40; ++r) norm += std::sqrt(c_i_2[j] * c_i_2[j] + r);
    for (int j = 0; j < n; ++j) c_i_2[j] /= norm;
  } while (false);
  iteration_result_2.c = std::move(c_i_2);
  iteration_result_2.i = i;
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 28 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_28_result> main_loop_28_chunk(int chunk_begin, int chunk_end, std::vector<std::vector<double>> c_chunk_2) {
  std::vector<main_loop_28_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_28(i, std::move(c_chunk_2[i - chunk_begin])));
  return chunk_results;
}

static int rayify_original_main() {
#line 20
  const int n = 300;
  const Matrix a = Filled(n, 0.5), b = Filled(n, 0.25);
  Matrix c(n, std::vector<double>(n, 0.0));
  auto a_ref = ray::Put(a);
  auto b_ref = ray::Put(b);
  std::deque<ray::ObjectRef<std::vector<main_loop_23_result>>> main_loop_23_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_23_chunk_size = std::max<int>(
    1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_23_first = 0; main_loop_23_first < n; main_loop_23_first += main_loop_23_chunk_size) {
    int main_loop_23_last = n - main_loop_23_first > main_loop_23_chunk_size ? main_loop_23_first + main_loop_23_chunk_size : n;
    main_loop_23_refs.push_back(rayify_copy_of(ray::Task(main_loop_23_chunk).SetResource("CPU", 1).Remote(main_loop_23_first, main_loop_23_last, a_ref, b_ref,
      std::vector<std::vector<double>>(c.begin() + main_loop_23_first, c.begin() + main_loop_23_last))));
  }
  while (!main_loop_23_refs.empty()) {
    const auto main_loop_23_results = ray::Get(std::move(main_loop_23_refs.front()));
    main_loop_23_refs.pop_front();
    for (const auto &main_loop_23_iteration : *main_loop_23_results) {
      c[main_loop_23_iteration.i] = main_loop_23_iteration.c;
    }
  }

#line 27
  // Each row divided by its own norm, computed as it goes.
  std::deque<ray::ObjectRef<std::vector<main_loop_28_result>>> main_loop_28_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_28_chunk_size = std::max<int>(
    1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_28_first = 0; main_loop_28_first < n; main_loop_28_first += main_loop_28_chunk_size) {
    int main_loop_28_last = n - main_loop_28_first > main_loop_28_chunk_size ? main_loop_28_first + main_loop_28_chunk_size : n;
    main_loop_28_refs.push_back(rayify_copy_of(ray::Task(main_loop_28_chunk).SetResource("CPU", 1).Remote(main_loop_28_first, main_loop_28_last,
      std::vector<std::vector<double>>(c.begin() + main_loop_28_first, c.begin() + main_loop_28_last))));
  }
  while (!main_loop_28_refs.empty()) {
    const auto main_loop_28_results = ray::Get(std::move(main_loop_28_refs.front()));
    main_loop_28_refs.pop_front();
    for (const auto &main_loop_28_iteration : *main_loop_28_results) {
      c[main_loop_28_iteration.i] = main_loop_28_iteration.c;
    }
  }

#line 35
  // Each row from the row above: a dependence, sequential.
  Matrix d(n, std::vector<double>(n, 1.0));
  for (int i = 1; i < n; ++i)
    for (int j = 0; j < n; ++j) d[i][j] = d[i - 1][j] * 0.5 + c[i][j];

  double trace = 0.0, corner = 0.0;
  for (int i = 0; i < n; ++i) trace += c[i][i];
  for (int j = 0; j < n; ++j) corner += d[n - 1][j];
  std::printf("trace %.12f\n", trace);
  std::printf("last row of d %.12f\n", corner);
  return 0;
}

RAY_REMOTE(main_loop_23_chunk, main_loop_28_chunk);

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
