// Objects the loops call methods on: a model whose const method a loop calls per
// seed (the single-call shape, outlined so that the task is sent the model), a
// functor written on one line with a private field, and classes that declare only
// constructors with parameters (each gets a default one for msgpack). What must not
// convert: an object whose constructor counts instances or whose destructor prints,
// since a task and the driver make and destroy copies the program never made.
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from objects.cpp: independent loops run as Ray tasks, stateful
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
#include <tuple>
#include <utility>

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

class Model {
 public:
  Model(double rate, int terms) : rate_(rate), terms_(terms) {}
  double evaluate(int seed) const { return rate_ * series(seed * 0.01, terms_); }

 private:
  double rate_;
  int terms_;
public:
  Model() = default;  // for msgpack (added by rayify)
  MSGPACK_DEFINE(rate_, terms_);
};

#line 27
class Scale { public: explicit Scale(double f) : f_(f) {} double operator()(int i) const { return f_ * series(i * 0.02, 150000); } private: double f_; public: Scale() = default; MSGPACK_DEFINE(f_); };

static int g_models = 0;

struct Counted {
  Counted() { ++g_models; }
  double evaluate(int seed) const { return series(seed * 0.03, 150000); }
};

struct Loud {
  double k = 2;
  ~Loud() { std::printf("loud model gone\n"); }
  double evaluate(int seed) const { return k * series(seed * 0.04, 150000); }
};

// What one iteration of the loop at line 45 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_45_result {
  std::tuple<int, double> results{};
  MSGPACK_DEFINE(results);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(results); }
};

// One iteration of the loop at line 45 of main(), run as a Ray task.
static main_loop_45_result main_loop_45(int i, const Model &model) {
  main_loop_45_result iteration_result;
  iteration_result.results = std::make_tuple(i, model.evaluate(i));
  return iteration_result;
}

// What one iteration of the loop at line 49 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_49_result {
  std::tuple<int, double> scaled{};
  MSGPACK_DEFINE(scaled);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(scaled); }
};

// One iteration of the loop at line 49 of main(), run as a Ray task.
static main_loop_49_result main_loop_49(int i, const Scale &scale) {
  main_loop_49_result iteration_result_2;
  iteration_result_2.scaled = std::make_tuple(i, scale(i));
  return iteration_result_2;
}

static int rayify_original_main() {
#line 43
  Model model(0.5, 150000);
  std::vector<double> results(12);
  auto model_ref = ray::Put(model);
  std::deque<ray::ObjectRef<main_loop_45_result>> main_loop_45_refs;
#line 45
  for (int i = 0; i < 12; ++i) {
    main_loop_45_refs.push_back(rayify_copy_of(ray::Task(main_loop_45).SetResource("CPU", 1).Remote(i, model_ref)));
  }
  while (!main_loop_45_refs.empty()) {
    const auto main_loop_45_iteration = ray::Get(std::move(main_loop_45_refs.front()));
    main_loop_45_refs.pop_front();
    results[std::get<0>(main_loop_45_iteration->results)] = std::get<1>(main_loop_45_iteration->results);
  }

#line 47
  Scale scale(3.0);
  std::vector<double> scaled(12);
  auto scale_ref = ray::Put(scale);
  std::deque<ray::ObjectRef<main_loop_49_result>> main_loop_49_refs;
#line 49
  for (int i = 0; i < 12; ++i) {
    main_loop_49_refs.push_back(rayify_copy_of(ray::Task(main_loop_49).SetResource("CPU", 1).Remote(i, scale_ref)));
  }
  while (!main_loop_49_refs.empty()) {
    const auto main_loop_49_iteration = ray::Get(std::move(main_loop_49_refs.front()));
    main_loop_49_refs.pop_front();
    scaled[std::get<0>(main_loop_49_iteration->scaled)] = std::get<1>(main_loop_49_iteration->scaled);
  }

#line 51
  Counted counted;
  std::vector<double> counts(12);
  for (int i = 0; i < 12; ++i) counts[i] = counted.evaluate(i);

  std::vector<double> louder(12);
  {
    Loud loud;
    for (int i = 0; i < 12; ++i) louder[i] = loud.evaluate(i);
  }

  for (int i = 0; i < 12; i += 5)
    std::printf("%2d %.9f %.9f %.9f %.9f\n", i, results[i], scaled[i], counts[i],
                louder[i]);
  std::printf("models made: %d\n", g_models);
  return 0;
}

RAY_REMOTE(main_loop_45, main_loop_49);

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
