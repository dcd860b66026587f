// Arrays the PolyBench way: main holds pointers to whole arrays (`double (*A)[N][M]`),
// each set once to a block of its own from the program's allocator (posix_memalign
// inside), and hands them to static kernels as `*A`, whose parameters are arrays
// (`double C[N][M]`). The kernels sit between `#pragma scop` markers, which mark a
// region for polyhedral tools, not the next loop. What must convert: the product's
// rows and the column sums, each sending its arrays once and its rows back. What must
// not: a loop over a block two parameters share (`smooth(*B, *B)`).
#include <cmath>
#include <cstdio>
#include <cstdlib>

// Converted by rayify from blocks.cpp: independent loops run as Ray tasks, stateful
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

#line 12
#define N 240
#define M 200
#define K 260

static void *alloc_block(unsigned long long count, int size) {
  void *block = NULL;
  int failed = posix_memalign(&block, 4096, count * size);
  if (!block || failed) {
    std::fprintf(stderr, "cannot allocate\n");
    std::exit(1);
  }
  return block;
}

static void init(double A[N][K], double B[K][M]) {
  for (int i = 0; i < N; i++)
    for (int k = 0; k < K; k++) A[i][k] = (double)((i * k + 1) % N) / N;
  for (int k = 0; k < K; k++)
    for (int j = 0; j < M; j++) B[k][j] = (double)(k * (j + 1) % M) / M;
}

// 'A', a C array, as a task receives it.
struct product_loop_35_A_array {
  double value[240][260];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'B', a C array, as a task receives it.
struct product_loop_35_B_array {
  double value[260][200];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'C', a C array, as a task receives it.
struct product_loop_35_C_array {
  double value[240][200];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 35 of product() leaves for the driver
// to apply, in iteration order.
struct product_loop_35_result {
  std::vector<double> C{};
  int i{};
  MSGPACK_DEFINE(C, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(C, i); }
};

// One iteration of the loop at line 35 of product(), run as a Ray task.
static product_loop_35_result product_loop_35(int i, double alpha, const product_loop_35_A_array &A_sent, const product_loop_35_B_array &B_sent, const product_loop_35_C_array &C_sent) {
  product_loop_35_result iteration_result;
  const auto &A = A_sent.value;
  const auto &B = B_sent.value;
  // 'C': this iteration's own slice, as the loop found it.
  std::unique_ptr<product_loop_35_C_array> C_own(new product_loop_35_C_array);
  auto &C = C_own->value;
  std::memcpy(&C[i], &C_sent.value[i], 1600);
  do {
    for (int j = 0; j < M; j++) {
      C[i][j] = 0.0;
      for (int k = 0; k < K; k++) C[i][j] += alpha * A[i][k] * std::sqrt(B[k][j] + k);
    }
  } while (false);
  iteration_result.C.resize(1600 / sizeof(double));
  std::memcpy(iteration_result.C.data(), &C[i], 1600);
  iteration_result.i = i;
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 35 of product(), run one after the other
// as one Ray task.
static std::vector<product_loop_35_result> product_loop_35_chunk(int chunk_begin, int chunk_end, double alpha, const product_loop_35_A_array &A_sent, const product_loop_35_B_array &B_sent, const product_loop_35_C_array &C_sent) {
  std::vector<product_loop_35_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(product_loop_35(i, alpha, A_sent, B_sent, C_sent));
  return chunk_results;
}

#line 33
static void product(double alpha, double C[N][M], double A[N][K], double B[K][M]) {
#pragma scop
  auto A_array = std::make_unique<product_loop_35_A_array>();
  std::memcpy(A_array->value, A, sizeof A_array->value);
  auto A_ref = ray::Put(*A_array);
  auto B_array = std::make_unique<product_loop_35_B_array>();
  std::memcpy(B_array->value, B, sizeof B_array->value);
  auto B_ref = ray::Put(*B_array);
  auto C_array = std::make_unique<product_loop_35_C_array>();
  std::memcpy(C_array->value, C, sizeof C_array->value);
  auto C_ref = ray::Put(*C_array);
  std::deque<ray::ObjectRef<std::vector<product_loop_35_result>>> product_loop_35_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int product_loop_35_chunk_size = std::max<int>(
    1, (N - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int product_loop_35_first = 0; product_loop_35_first < N; product_loop_35_first += product_loop_35_chunk_size) {
    int product_loop_35_last = N - product_loop_35_first > product_loop_35_chunk_size ? product_loop_35_first + product_loop_35_chunk_size : N;
    product_loop_35_refs.push_back(rayify_copy_of(ray::Task(product_loop_35_chunk).SetResource("CPU", 1).Remote(product_loop_35_first, product_loop_35_last, alpha, A_ref, B_ref, C_ref)));
  }
  while (!product_loop_35_refs.empty()) {
    const auto product_loop_35_results = ray::Get(std::move(product_loop_35_refs.front()));
    product_loop_35_refs.pop_front();
    for (const auto &product_loop_35_iteration : *product_loop_35_results) {
      std::memcpy(&C[product_loop_35_iteration.i], product_loop_35_iteration.C.data(), 1600);
    }
  }
#line 41
#pragma endscop
}

static void smooth(double out[K][M], double in[K][M]) {
  for (int k = 1; k < K; k++)
    for (int j = 0; j < M; j++) out[k][j] = 0.5 * (in[k - 1][j] + std::sin(in[k][j]));
}

static int rayify_original_main() {
  double (*A)[N][K];
  double (*B)[K][M];
  double (*C)[N][M];
  A = (double (*)[N][K])alloc_block(N * K, sizeof(double));
  B = (double (*)[K][M])alloc_block(K * M, sizeof(double));
  C = (double (*)[N][M])alloc_block(N * M, sizeof(double));
  init(*A, *B);
  product(1.5, *C, *A, *B);
  smooth(*B, *B);
  double total = 0.0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < M; j++) total += (*C)[i][j] * (j + 1);
  std::printf("%.10f %.10f %.10f\n", total, (*C)[7][11], (*B)[K - 1][M - 1]);
  std::free(A);
  std::free(B);
  std::free(C);
  return 0;
}

RAY_REMOTE(product_loop_35_chunk);

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
