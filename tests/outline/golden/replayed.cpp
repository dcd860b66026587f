// Calls that only keep the program's books, the way NPB times its phases: a timer
// started and stopped around each batch under a flag, and a trace of the batches
// worth noting, both in globals. The clock is a tick counter, so the times printed
// at the end come out the same only if the driver replays every call, and in the
// original order. What must convert: the first loop, its timer and trace calls
// replayed on the driver, and the last, whose trace call's argument reads a timer
// no call of that loop changes. What must not: the loops that read the count the
// trace keeps, in the work or in the trace call's own argument.
#include <cmath>
#include <cstdio>

// Converted by rayify from replayed.cpp: independent loops run as Ray tasks, stateful
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
#include <cstring>
#include <deque>
#include <memory>
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
static long ticks = 0;
static double started[4];
static double elapsed[4];
static int trace_log[64];
static int traced = 0;

static double now() { return static_cast<double>(++ticks); }

void timer_start(int n) { started[n] = now(); }

void timer_stop(int n) { elapsed[n] += now() - started[n]; }

void note(int batch, int kind) {
    if (traced < 64) trace_log[traced++] = batch * 10 + kind;
}

static double batch_mean(int batch) {
    double sum = 0.0;
    for (int step = 0; step < 300000; step++) sum += std::sin(0.0001 * step + batch);
    return sum / 300000.0;
}

// What one iteration of the loop at line 37 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_37_result {
    unsigned long long timer_start{};
    double total{};
    std::vector<int> note{};
    std::vector<int> note_2{};
    unsigned long long timer_stop{};
    MSGPACK_DEFINE(timer_start, total, note, note_2, timer_stop);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(timer_start, total, note, note_2, timer_stop); }
};

// One iteration of the loop at line 37 of main(), run as a Ray task.
static main_loop_37_result main_loop_37(int batch, bool timed) {
    main_loop_37_result iteration_result;
    if (timed) ++iteration_result.timer_start;
    double mean = batch_mean(batch);
    iteration_result.total = mean;
    if (mean > 0.0) {
        rayify_append(iteration_result.note, batch);
    } else {
        rayify_append(iteration_result.note_2, batch);
    }
    if (timed) ++iteration_result.timer_stop;
    return iteration_result;
}

// 'elapsed', a C array, as a task receives it.
struct main_loop_66_elapsed_array {
    double value[4];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 66 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_66_result {
    double total{};
    std::tuple<int, int> note{};
    MSGPACK_DEFINE(total, note);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(total, note); }
};

// One iteration of the loop at line 66 of main(), run as a Ray task.
static main_loop_66_result main_loop_66(int batch, const main_loop_66_elapsed_array &elapsed_sent) {
    main_loop_66_result iteration_result_2;
    const auto &elapsed = elapsed_sent.value;
    iteration_result_2.total = batch_mean(batch);
    iteration_result_2.note = std::make_tuple(batch, (static_cast<int>(elapsed[1]) % 7));
    return iteration_result_2;
}

static int rayify_original_main(int argc, char **argv) {
#line 35
    bool timed = argc > 0;
    double total = 0.0;
    std::deque<ray::ObjectRef<main_loop_37_result>> main_loop_37_refs;
#line 37
    for (int batch = 0; batch < 32; batch++) {
        main_loop_37_refs.push_back(rayify_copy_of(ray::Task(main_loop_37).SetResource("CPU", 1).Remote(batch, timed)));
    }
    while (!main_loop_37_refs.empty()) {
        const auto main_loop_37_iteration = ray::Get(std::move(main_loop_37_refs.front()));
        main_loop_37_refs.pop_front();
        for (unsigned long long times = 0; times < main_loop_37_iteration->timer_start; ++times)
            timer_start(1);
        total = total + main_loop_37_iteration->total;
        for (const auto &update : main_loop_37_iteration->note)
            note(update, 1);
        for (const auto &update_2 : main_loop_37_iteration->note_2)
            note(update_2, 2);
        for (unsigned long long times_2 = 0; times_2 < main_loop_37_iteration->timer_stop; ++times_2)
            timer_stop(1);
    }
#line 48
    timer_start(2);
    std::printf("total %.15e\n", total);
    std::printf("timer 1: %.0f ticks, clock at %ld\n", elapsed[1], ticks);
    for (int i = 0; i < traced; i++) std::printf("%d%c", trace_log[i], i % 16 == 15 ? '\n' : ' ');

    double weighted = 0.0;
    for (int batch = 0; batch < 8; batch++) {
        note(batch, 3);
        weighted += batch_mean(batch) * traced;
    }
    std::printf("weighted %.12f\n", weighted);

    for (int batch = 0; batch < 8; batch++) {
        total += batch_mean(batch);
        note(batch, traced % 7);
    }
    std::printf("total %.12f, %d notes\n", total, traced);

    auto elapsed_array = std::make_unique<main_loop_66_elapsed_array>();
    std::memcpy(elapsed_array->value, elapsed, sizeof elapsed_array->value);
    auto elapsed_ref = ray::Put(*elapsed_array);
    std::deque<ray::ObjectRef<main_loop_66_result>> main_loop_66_refs;
#line 66
    for (int batch = 0; batch < 8; batch++) {
        main_loop_66_refs.push_back(rayify_copy_of(ray::Task(main_loop_66).SetResource("CPU", 1).Remote(batch, elapsed_ref)));
    }
    while (!main_loop_66_refs.empty()) {
        const auto main_loop_66_iteration = ray::Get(std::move(main_loop_66_refs.front()));
        main_loop_66_refs.pop_front();
        total += main_loop_66_iteration->total;
        note(std::get<0>(main_loop_66_iteration->note), std::get<1>(main_loop_66_iteration->note));
    }
#line 70
    std::printf("total %.12f, last note %d\n", total, trace_log[traced - 1]);
    return 0;
}

RAY_REMOTE(main_loop_37, main_loop_66);

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
