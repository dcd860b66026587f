// Loops storing into one field of a struct while the header or the tasks read its
// others (since 2026-12-07): a grid's cells filled up to its count `g.n`, up to the
// size of the field itself, and from its scale and weights; a mesh a driver function
// takes by reference. Until then the struct stood for all of itself, and each loop
// was `loop-carried-dependency` ("the loop header reads 'g'").
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from struct_fields.cpp: independent loops run as Ray tasks, stateful
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

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 10
struct Grid {
  int n = 24;
  double scale = 0.75;
  std::vector<double> cells = std::vector<double>(24);
  std::vector<double> weights = std::vector<double>(24);
  MSGPACK_DEFINE(n, scale, cells, weights);
  auto rayify_fields() { return std::tie(n, scale, cells, weights); }  // for rayify's runtime
};

#line 17
struct Mesh {
  int count;
  double step;
  std::vector<double> values;
  MSGPACK_DEFINE(count, step, values);
  auto rayify_fields() { return std::tie(count, step, values); }  // for rayify's runtime
};

#line 23
static double relax(double x, int sweeps) {
  double s = x;
  for (int k = 0; k < sweeps; ++k) s = 0.5 * s + std::cos(s * 0.001 + k);
  return s;
}

// What one iteration of the loop at line 30 of smooth() leaves for the driver
// to apply, in iteration order.
struct smooth_loop_30_result {
  std::tuple<int, double> m{};
  MSGPACK_DEFINE(m);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(m); }
};

// One iteration of the loop at line 30 of smooth(), run as a Ray task.
static smooth_loop_30_result smooth_loop_30(int i, const Mesh &m) {
  smooth_loop_30_result iteration_result_3;
  iteration_result_3.m = std::make_tuple(i, (relax(i * m.step, 300000) + m.step));
  return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 30 of smooth(), run one after the other
// as one Ray task.
static std::vector<smooth_loop_30_result> smooth_loop_30_chunk(int chunk_begin, int chunk_end, const Mesh &m) {
  std::vector<smooth_loop_30_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(smooth_loop_30(i, m));
  return chunk_results;
}

#line 29
static void smooth(Mesh &m) {
  auto m_ref = ray::Put(m);
  std::deque<ray::ObjectRef<std::vector<smooth_loop_30_result>>> smooth_loop_30_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int smooth_loop_30_chunk_size = std::max<int>(
    1, (m.count - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int smooth_loop_30_first = 0; smooth_loop_30_first < m.count; smooth_loop_30_first += smooth_loop_30_chunk_size) {
    int smooth_loop_30_last = m.count - smooth_loop_30_first > smooth_loop_30_chunk_size ? smooth_loop_30_first + smooth_loop_30_chunk_size : m.count;
    smooth_loop_30_refs.push_back(rayify_copy_of(ray::Task(smooth_loop_30_chunk).SetResource("CPU", 1).Remote(smooth_loop_30_first, smooth_loop_30_last, m_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (smooth_loop_30_refs.size() >= 64)
      ray::Wait(std::vector{smooth_loop_30_refs[smooth_loop_30_refs.size() - 64]}, 1, -1);
  }
  while (!smooth_loop_30_refs.empty()) {
    const auto smooth_loop_30_results = ray::Get(std::move(smooth_loop_30_refs.front()));
    smooth_loop_30_refs.pop_front();
    for (const auto &smooth_loop_30_iteration : *smooth_loop_30_results) {
      m.values[std::get<0>(smooth_loop_30_iteration.m)] = std::get<1>(smooth_loop_30_iteration.m);
    }
  }
}

// What one iteration of the loop at line 38 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_38_result {
  std::tuple<int, double> g{};
  MSGPACK_DEFINE(g);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(g); }
};

// One iteration of the loop at line 38 of main(), run as a Ray task.
static main_loop_38_result main_loop_38(int i) {
  main_loop_38_result iteration_result;
  iteration_result.g = std::make_tuple(i, relax(i, 300000));
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 38 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_38_result> main_loop_38_chunk(int chunk_begin, int chunk_end) {
  std::vector<main_loop_38_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_38(i));
  return chunk_results;
}

// What one iteration of the loop at line 43 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_43_result {
  std::tuple<unsigned long, double, unsigned long> g{};
  MSGPACK_DEFINE(g);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(g); }
};

// One iteration of the loop at line 43 of main(), run as a Ray task.
static main_loop_43_result main_loop_43(unsigned long i, const Grid &g) {
  main_loop_43_result iteration_result_2;
  double x = relax(i * g.scale, 250000) * g.weights[i];
  iteration_result_2.g = std::make_tuple(i, x, ((i + 1) % g.cells.size()));
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 43 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_43_result> main_loop_43_chunk(unsigned long chunk_begin, unsigned long chunk_end, const Grid &g) {
  std::vector<main_loop_43_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_43(i, g));
  return chunk_results;
}

static int rayify_original_main() {
#line 34
  Grid g;
  for (int i = 0; i < g.n; ++i) g.weights[i] = 1.0 + 0.125 * i;

  // The header reads `n`, which no iteration changes.
  std::deque<ray::ObjectRef<std::vector<main_loop_38_result>>> main_loop_38_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_38_chunk_size = std::max<int>(
    1, (g.n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_38_first = 0; main_loop_38_first < g.n; main_loop_38_first += main_loop_38_chunk_size) {
    int main_loop_38_last = g.n - main_loop_38_first > main_loop_38_chunk_size ? main_loop_38_first + main_loop_38_chunk_size : g.n;
    main_loop_38_refs.push_back(rayify_copy_of(ray::Task(main_loop_38_chunk).SetResource("CPU", 1).Remote(main_loop_38_first, main_loop_38_last)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_38_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_38_refs[main_loop_38_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_38_refs.empty()) {
    const auto main_loop_38_results = ray::Get(std::move(main_loop_38_refs.front()));
    main_loop_38_refs.pop_front();
    for (const auto &main_loop_38_iteration : *main_loop_38_results) {
      g.cells[std::get<0>(main_loop_38_iteration.g)] = std::get<1>(main_loop_38_iteration.g);
    }
  }
#line 39
  std::printf("%.9f %.9f\n", g.cells[0], g.cells[g.n - 1]);

  // Each task reads the scale and its weight; the driver stores each result, reading
  // the neighbour the original read at that point.
  auto g_ref = ray::Put(g);
  std::deque<ray::ObjectRef<std::vector<main_loop_43_result>>> main_loop_43_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_43_chunk_size = std::max<unsigned long>(
    1, (g.cells.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_43_first = 0; main_loop_43_first < g.cells.size(); main_loop_43_first += main_loop_43_chunk_size) {
    unsigned long main_loop_43_last = g.cells.size() - main_loop_43_first > main_loop_43_chunk_size ? main_loop_43_first + main_loop_43_chunk_size : g.cells.size();
    main_loop_43_refs.push_back(rayify_copy_of(ray::Task(main_loop_43_chunk).SetResource("CPU", 1).Remote(main_loop_43_first, main_loop_43_last, g_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_43_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_43_refs[main_loop_43_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_43_refs.empty()) {
    const auto main_loop_43_results = ray::Get(std::move(main_loop_43_refs.front()));
    main_loop_43_refs.pop_front();
    for (const auto &main_loop_43_iteration : *main_loop_43_results) {
      g.cells[std::get<0>(main_loop_43_iteration.g)] = std::get<1>(main_loop_43_iteration.g) + 0.5 * g.cells[std::get<2>(main_loop_43_iteration.g)];
    }
  }
#line 47
  for (double c : g.cells) std::printf("%.9f\n", c);

  Mesh m{16, 0.25, std::vector<double>(16)};
  smooth(m);
  for (double v : m.values) std::printf("%.9f\n", v);
  return 0;
}

RAY_REMOTE(main_loop_38_chunk, main_loop_43_chunk, smooth_loop_30_chunk);

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
