// Elements updated by what they are handed to: a virtual method called on each
// element of a std::vector of that very class (the element cannot be of a derived
// class, so the method is the one the class defines), std::for_each with a function
// that updates the record it is given field by field, and a loop handing each
// iteration's own record to such a function. What must not convert: the same
// calls through pointers (any override may run), a function that also writes the
// next element, and a loop handing a neighbour's record.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from element_methods.cpp: independent loops run as Ray tasks, stateful
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
#include <deque>
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 13
static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

struct Cell {
  double v = 0;
  int id = 0;
  virtual ~Cell() = default;
  virtual void step() { v = series(v + id * 1e-3, 200000); }
  MSGPACK_DEFINE(v, id);
};

#line 26
struct Hot : Cell {
  void step() override { v += 1.0; }
};

struct Particle {
  double x = 0, v = 1, travelled = 0;
  MSGPACK_DEFINE(x, v, travelled);
  auto rayify_fields() { return std::tie(x, v, travelled); }  // for rayify's runtime
};

#line 34
static void advance(Particle &p) {
  p.v += series(p.x, 200000) * 1e-3;
  p.x += p.v;
  p.travelled += std::fabs(p.v);
}

// Also pushes the next particle: iterations depend on each other.
static void shove(Particle &p) {
  double before = p.x;
  advance(p);
  if (before < 1.5) (&p + 1)->v += 0.5;
}

static void kick(Particle &p, int i) { p.v = series(p.x + i, 200000); }

// What one iteration of the loop at line 56 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_56_result {
  Cell cells{};
  int i{};
  MSGPACK_DEFINE(cells, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(cells, i); }
};

// One iteration of the loop at line 56 of main(), run as a Ray task.
static main_loop_56_result main_loop_56(int i, Cell cells_i) {
  main_loop_56_result iteration_result;
  do {
    cells_i.step();
  } while (false);
  iteration_result.cells = std::move(cells_i);
  iteration_result.i = i;
  return iteration_result;
}

// One element of the std::for_each at line 64 of main(), run as a Ray task.
static Particle main_for_each_64(Particle element) {
  advance(element);
  return element;
}

// What one iteration of the loop at line 66 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_66_result {
  Particle kicked{};
  int i{};
  MSGPACK_DEFINE(kicked, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(kicked, i); }
};

// One iteration of the loop at line 66 of main(), run as a Ray task.
static main_loop_66_result main_loop_66(int i, Particle kicked_i) {
  main_loop_66_result iteration_result_2;
  do {
    kick(kicked_i, i);
  } while (false);
  iteration_result_2.kicked = std::move(kicked_i);
  iteration_result_2.i = i;
  return iteration_result_2;
}

static int rayify_original_main() {
#line 50
  const int n = 16;
  std::vector<Cell> cells(n);
  for (int i = 0; i < n; ++i) {
    cells[i].id = i;
    cells[i].v = i * 0.1;
  }
  std::deque<ray::ObjectRef<main_loop_56_result>> main_loop_56_refs;
#line 56
  for (int i = 0; i < n; ++i) {
    main_loop_56_refs.push_back(rayify_copy_of(ray::Task(main_loop_56).SetResource("CPU", 1).Remote(i, cells[i])));
  }
  while (!main_loop_56_refs.empty()) {
    const auto main_loop_56_iteration = ray::Get(std::move(main_loop_56_refs.front()));
    main_loop_56_refs.pop_front();
    cells[main_loop_56_iteration->i] = main_loop_56_iteration->cells;
  }

#line 58
  Hot hot[4];
  std::vector<Cell *> mixed = {&cells[0], &hot[0], &hot[1], &cells[1]};
  for (std::size_t i = 0; i < mixed.size(); ++i) mixed[i]->step();

  std::vector<Particle> swarm(n), pushed(n), kicked(n);
  for (int i = 0; i < n; ++i) swarm[i].x = pushed[i].x = kicked[i].x = i * 0.1;
  std::vector<ray::ObjectRef<Particle>> main_for_each_64_refs;
  for (const auto &main_for_each_64_element : swarm) {
    main_for_each_64_refs.push_back(rayify_copy_of(ray::Task(main_for_each_64).SetResource("CPU", 1).Remote(main_for_each_64_element)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_for_each_64_refs.size() >= 64)
      ray::Wait(std::vector{main_for_each_64_refs[main_for_each_64_refs.size() - 64]}, 1, -1);
  }
  auto main_for_each_64_out = swarm.begin();
  for (auto &main_for_each_64_result : ray::Get(main_for_each_64_refs))
    *main_for_each_64_out++ = std::move(*main_for_each_64_result);
#line 65
  std::for_each(pushed.begin(), pushed.end(), shove);
  std::deque<ray::ObjectRef<main_loop_66_result>> main_loop_66_refs;
#line 66
  for (int i = 0; i < n; ++i) {
    main_loop_66_refs.push_back(rayify_copy_of(ray::Task(main_loop_66).SetResource("CPU", 1).Remote(i, kicked[i])));
  }
  while (!main_loop_66_refs.empty()) {
    const auto main_loop_66_iteration = ray::Get(std::move(main_loop_66_refs.front()));
    main_loop_66_refs.pop_front();
    kicked[main_loop_66_iteration->i] = main_loop_66_iteration->kicked;
  }
#line 67
  for (int i = 1; i < n; ++i) kick(kicked[i - 1], i);

  for (int i = 0; i < n; ++i)
    std::printf("%2d %.12f %.12f %.12f %.12f\n", i, cells[i].v, swarm[i].travelled,
                pushed[i].x, kicked[i].v);
  std::printf("hot %.3f %.3f\n", hot[0].v, hot[1].v);
  return 0;
}

RAY_REMOTE(main_loop_56, main_for_each_64, main_loop_66);

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
