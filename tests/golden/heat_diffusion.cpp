// Explicit finite-difference simulation of heat diffusion along a rod, for several
// materials. Each material is simulated independently, and its final temperature
// profile is stored at the material's index.
#include <cstdio>
#include <vector>

// Converted by rayify from heat_diffusion.cpp: independent loops run as Ray tasks, stateful
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

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 7
struct Material {
    const char* name;
    double diffusivity;  // m^2/s
};

struct Profile {
    double peak;
    double mean;
    double at_quarter;
    MSGPACK_DEFINE(peak, mean, at_quarter);
    auto rayify_fields() { return std::tie(peak, mean, at_quarter); }  // for rayify's runtime
};

#line 18
Profile simulate_rod(double diffusivity, int cells, int steps)
{
    const double dx = 1.0 / cells;
    const double dt = 0.4 * dx * dx / diffusivity;  // stable explicit step
    std::vector<double> temp(cells, 20.0), next(cells);
    temp[cells / 2] = 500.0;
    for (int s = 0; s < steps; ++s) {
        for (int c = 1; c + 1 < cells; ++c)
            next[c] = temp[c] + diffusivity * dt / (dx * dx) * (temp[c - 1] - 2.0 * temp[c] + temp[c + 1]);
        next[0] = 20.0;
        next[cells - 1] = 20.0;
        temp.swap(next);
    }
    Profile p{0.0, 0.0, temp[cells / 4]};
    for (double t : temp) {
        p.peak = t > p.peak ? t : p.peak;
        p.mean += t / cells;
    }
    return p;
}

static int rayify_original_main()
{
    const Material materials[] = {
        {"copper", 1.11e-4}, {"aluminium", 9.7e-5}, {"steel", 1.2e-5}, {"glass", 3.4e-7},
        {"brick", 5.2e-7},   {"water", 1.43e-7},    {"air", 1.9e-5},   {"gold", 1.27e-4},
    };
    const int count = sizeof(materials) / sizeof(materials[0]);

    std::vector<Profile> profiles(count);
    std::vector<std::pair<int, ray::ObjectRef<Profile>>> profiles_refs;
#line 48
    for (int m = 0; m < count; ++m)
        profiles_refs.emplace_back(m, rayify_copy_of(ray::Task(simulate_rod).SetResource("CPU", 1).Remote(materials[m].diffusivity, 600, 100000)));
    for (auto &[profiles_index, profiles_ref] : profiles_refs)
        profiles[profiles_index] = std::move(*ray::Get(profiles_ref));

#line 51
    std::printf("%-10s %10s %10s %10s\n", "material", "peak", "mean", "x=0.25");
    for (int m = 0; m < count; ++m)
        std::printf("%-10s %10.4f %10.4f %10.4f\n", materials[m].name, profiles[m].peak,
                    profiles[m].mean, profiles[m].at_quarter);
    return 0;
}

RAY_REMOTE(simulate_rod);

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
