// Forces computed into out-parameters, the way n-body codes write them: `force_on`
// stores three components into the numbers it is given by reference, and the loop
// gives it each body's own elements (`ax[i]`). What must convert: that loop, each
// task sent its elements and sending them back. What must not: the same call given a
// neighbour's element (`ay[i - 1]`), whose value an earlier iteration stores, and a
// callee that hands its parameter on to another function.
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from out_params.cpp: independent loops run as Ray tasks, stateful
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

#line 11
struct Body {
  double x, y, m;
  MSGPACK_DEFINE(x, y, m);
  auto rayify_fields() { return std::tie(x, y, m); }  // for rayify's runtime
};

#line 15
static void force_on(const std::vector<Body> &bodies, std::size_t i, double &ax,
                     double &ay) {
  ax = ay = 0;
  for (std::size_t j = 0; j < bodies.size(); ++j) {
    if (j == i) continue;
    double dx = bodies[j].x - bodies[i].x, dy = bodies[j].y - bodies[i].y;
    double r2 = dx * dx + dy * dy + 1e-9;
    double inv = bodies[j].m / (r2 * std::sqrt(r2));
    ax += dx * inv;
    ay += dy * inv;
  }
}

static void store(double &to, double value) { to = value; }

static void damped(const std::vector<Body> &bodies, std::size_t i, double &ax) {
  double sum = 0;
  for (const Body &b : bodies) sum += b.m / (1.0 + std::fabs(b.x - bodies[i].x));
  store(ax, sum);
}

// What one iteration of the loop at line 42 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_42_result {
  double ax{};
  double ay{};
  int i{};
  MSGPACK_DEFINE(ax, ay, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(ax, ay, i); }
};

// One iteration of the loop at line 42 of main(), run as a Ray task.
static main_loop_42_result main_loop_42(int i, const std::vector<Body> &bodies, double ax_i, double ay_i) {
  main_loop_42_result iteration_result;
  do {
    force_on(bodies, i, ax_i, ay_i);
  } while (false);
  iteration_result.ax = std::move(ax_i);
  iteration_result.ay = std::move(ay_i);
  iteration_result.i = i;
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 42 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_42_result> main_loop_42_chunk(int chunk_begin, int chunk_end, const std::vector<Body> &bodies, std::vector<double> ax_chunk, std::vector<double> ay_chunk) {
  std::vector<main_loop_42_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_42(i, bodies, std::move(ax_chunk[i - chunk_begin]), std::move(ay_chunk[i - chunk_begin])));
  return chunk_results;
}

static int rayify_original_main() {
#line 37
  const int n = 1200;
  std::vector<Body> bodies(n);
  for (int i = 0; i < n; ++i)
    bodies[i] = {std::cos(i * 0.1) * i, std::sin(i * 0.1) * i, 1.0 + i % 3};
  std::vector<double> ax(n), ay(n);
  auto bodies_ref = ray::Put(bodies);
  std::deque<ray::ObjectRef<std::vector<main_loop_42_result>>> main_loop_42_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_42_chunk_size = std::max<int>(
    1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_42_first = 0; main_loop_42_first < n; main_loop_42_first += main_loop_42_chunk_size) {
    int main_loop_42_last = n - main_loop_42_first > main_loop_42_chunk_size ? main_loop_42_first + main_loop_42_chunk_size : n;
    main_loop_42_refs.push_back(rayify_copy_of(ray::Task(main_loop_42_chunk).SetResource("CPU", 1).Remote(main_loop_42_first, main_loop_42_last, bodies_ref,
      std::vector<double>(ax.begin() + main_loop_42_first, ax.begin() + main_loop_42_last),
      std::vector<double>(ay.begin() + main_loop_42_first, ay.begin() + main_loop_42_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_42_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_42_refs[main_loop_42_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_42_refs.empty()) {
    const auto main_loop_42_results = ray::Get(std::move(main_loop_42_refs.front()));
    main_loop_42_refs.pop_front();
    for (const auto &main_loop_42_iteration : *main_loop_42_results) {
      ax[main_loop_42_iteration.i] = main_loop_42_iteration.ax;
      ay[main_loop_42_iteration.i] = main_loop_42_iteration.ay;
    }
  }

#line 44
  std::vector<double> bx(n), by(n);
  for (int i = 1; i < n; ++i) force_on(bodies, i, bx[i], by[i - 1]);

  std::vector<double> cx(n);
  for (int i = 0; i < n; ++i) damped(bodies, i, cx[i]);

  double sx = 0, sy = 0, tx = 0, ty = 0, c = 0;
  for (int i = 0; i < n; ++i) {
    sx += ax[i] * (i % 7);
    sy += ay[i] * (i % 5);
    tx += bx[i] * (i % 3);
    ty += by[i] * (i % 2);
    c += cx[i];
  }
  std::printf("forces: %.9e %.9e\n", sx, sy);
  std::printf("shifted: %.9e %.9e\n", tx, ty);
  std::printf("damped: %.9e\n", c);
  return 0;
}

RAY_REMOTE(main_loop_42_chunk);

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
