// Scratch filled in part, the way NPB's EP and MG keep it. Each batch seeds a
// generator, has generate() fill the first 2 * PAIRS elements of a global block
// (which holds one more), and tallies the pairs that land in the unit disc: sums in
// order, a histogram by annulus. Each row of a smoothing pass fills a local row over
// a run-time width and reads it one element further along. What must convert: both
// loops, each task keeping its own block and row. What must not: the last loop, which
// reads the element generate() leaves out of another block.
#include <cmath>
#include <cstdio>
#include <cstdlib>

// Converted by rayify from scratch.cpp: independent loops run as Ray tasks, stateful
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

#line 12
#define PAIRS 4096
#define BLOCK ((2 * PAIRS) + 1)
#define BANDS 8

static double (*block) = (double *)malloc(sizeof(double) * (BLOCK));
static double bands[BANDS];
static double (*spare) = (double *)malloc(sizeof(double) * (BLOCK));

// A multiplicative congruential generator: `n` numbers in [0, 1) from `*seed`.
static void generate(int n, double *seed, double *out) {
    double s = *seed;
    for (int i = 0; i < n; i++) {
        s = std::fmod(s * 16807.0, 2147483647.0);
        out[i] = s / 2147483647.0;
    }
    *seed = s;
}

// What one iteration of the loop at line 37 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_37_result {
    std::vector<unsigned long long> bands{};
    std::vector<double> sx{};
    std::vector<double> sy{};
    MSGPACK_DEFINE(bands, sx, sy);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(bands, sx, sy); }
};

// One iteration of the loop at line 37 of main(), run as a Ray task.
static main_loop_37_result main_loop_37(int k) {
    main_loop_37_result iteration_result;
    // How many times each element of 'bands' is updated.
    iteration_result.bands.resize(8);
    double seed{};
    int i{};
    std::unique_ptr<double[][8193]> block_own(new double[1][8193]);
    auto &block = block_own[0];
    double x1{};
    double x2{};
    double r{};
    int band{};
    seed = 1.0 + 977.0 * k;
    for (i = 0; i < 20; i++) generate(PAIRS, &seed, block);
    generate(2 * PAIRS, &seed, block);
    for (i = 0; i < PAIRS; i++) {
        x1 = 2.0 * block[2 * i] - 1.0;
        x2 = 2.0 * block[2 * i + 1] - 1.0;
        r = x1 * x1 + x2 * x2;
        if (r <= 1.0) {
            band = (int)(std::sqrt(r) * BANDS);
            ++iteration_result.bands.at(band);
            rayify_append(iteration_result.sx, (x1 * std::sqrt(-2.0 * std::log(r + 1e-300) / (r + 1e-300))));
            rayify_append(iteration_result.sy, x2);
        }
    }
    return iteration_result;
}

// What one iteration of the loop at line 60 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_60_result {
    std::vector<std::tuple<int, int, double>> smooth{};
    MSGPACK_DEFINE(smooth);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(smooth); }
};

// One iteration of the loop at line 60 of main(), run as a Ray task.
static main_loop_60_result main_loop_60(int k, int width) {
    main_loop_60_result iteration_result_2;
    int i1{};
    double row[80]{};
    for (i1 = 0; i1 < width; i1++) {
        double v = 0.0;
        for (int step = 0; step < 4000; step++) v += std::sin(0.001 * (k * 80 + i1) + step);
        row[i1] = v;
    }
    for (i1 = 0; i1 < width - 1; i1++) rayify_append(iteration_result_2.smooth, k, i1, (0.5 * (row[i1] + row[i1 + 1])));
    return iteration_result_2;
}

static int rayify_original_main(int argc, char **argv) {
#line 31
    double seed, x1, x2, r, sx = 0.0, sy = 0.0;
    int i, k, band;
    for (i = 0; i < BLOCK; i++) block[i] = spare[i] = -1.0;
    seed = 1.0;
    generate(0, &seed, block);

    std::deque<ray::ObjectRef<main_loop_37_result>> main_loop_37_refs;
#line 37
    for (k = 0; k < 48; k++) {
        main_loop_37_refs.push_back(rayify_copy_of(ray::Task(main_loop_37).SetResource("CPU", 1).Remote(k)));
    }
    while (!main_loop_37_refs.empty()) {
        const auto main_loop_37_iteration = ray::Get(std::move(main_loop_37_refs.front()));
        main_loop_37_refs.pop_front();
        for (std::size_t update = 0; update < main_loop_37_iteration->bands.size(); ++update)
            for (auto times = main_loop_37_iteration->bands[update]; times != 0; --times)
                bands[update] += 1.0;
        for (const auto &update_2 : main_loop_37_iteration->sx)
            sx = sx + update_2;
        for (const auto &update_3 : main_loop_37_iteration->sy)
            sy = sy + update_3;
    }
#line 53
    std::printf("sums %.15e %.15e\n", sx, sy);
    for (band = 0; band < BANDS; band++) std::printf("band %d: %.0f\n", band, bands[band]);

    int width = argc + 62;
    double row[80];
    static double smooth[24][80];
    int i1;
    std::deque<ray::ObjectRef<main_loop_60_result>> main_loop_60_refs;
#line 60
    for (k = 0; k < 24; k++) {
        main_loop_60_refs.push_back(rayify_copy_of(ray::Task(main_loop_60).SetResource("CPU", 1).Remote(k, width)));
    }
    while (!main_loop_60_refs.empty()) {
        const auto main_loop_60_iteration = ray::Get(std::move(main_loop_60_refs.front()));
        main_loop_60_refs.pop_front();
        for (const auto &update_4 : main_loop_60_iteration->smooth)
            smooth[std::get<0>(update_4)][std::get<1>(update_4)] = std::get<2>(update_4);
    }
#line 68
    std::printf("smooth %.12f %.12f\n", smooth[3][10], smooth[23][width - 2]);

    double tail = 0.0;
    for (k = 0; k < 16; k++) {
        seed = 5.0 + k;
        for (i = 0; i < 20; i++) generate(PAIRS, &seed, spare);
        generate(2 * PAIRS, &seed, spare);
        tail += spare[2 * PAIRS] + spare[k];
    }
    std::printf("tail %.12f\n", tail);
    return 0;
}

RAY_REMOTE(main_loop_37, main_loop_60);

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
  int status = rayify_original_main(argc, argv);
  rayify_shutdown();
  return status;
}
