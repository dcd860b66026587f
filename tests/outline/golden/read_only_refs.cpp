// Tables handed around by plain reference, the way benchmark code is written: the
// helpers take `std::array<long, 16> &` and `std::vector<double> &` without const
// and only read through them, so each task reads a copy of its own. The outer loop
// steps by a block size the loop never changes (fannkuch's blocks), and folds a sum
// and a maximum, which the driver replays in order. One helper's work is SSE2
// arithmetic, which every x86-64 compiler has without flags.
#include <array>
#include <cstdio>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>

// Converted by rayify from read_only_refs.cpp: independent loops run as Ray tasks, stateful
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
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <sys/resource.h>
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

// Microseconds of the driver's work since it was made: the wall's time, or the
// thread's CPU time when the scheduler gave the CPU to another thread meanwhile
// (the wall would count that thread's turn too) and this one never waited.
class rayify_driver_clock {
 public:
  rayify_driver_clock()
      : switches_(Switches()), cpu_(CpuNanoseconds()),
        wall_(std::chrono::steady_clock::now()) {}
  double Microseconds() const {
    const std::chrono::duration<double, std::micro> wall =
        std::chrono::steady_clock::now() - wall_;
    const Counts now = Switches();
    if (now.waited != switches_.waited || now.preempted == switches_.preempted)
      return wall.count();
    return (CpuNanoseconds() - cpu_) / 1e3;
  }

 private:
  // Times the thread gave up its CPU to wait, and times another took it.
  struct Counts {
    long waited = 0;
    long preempted = 0;
  };
  static Counts Switches() {
    Counts counts;
#ifdef RUSAGE_THREAD
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    counts.waited = usage.ru_nvcsw;
    counts.preempted = usage.ru_nivcsw;
#endif
    return counts;
  }
  static double CpuNanoseconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
  }

  Counts switches_;
  double cpu_;
  std::chrono::steady_clock::time_point wall_;
};

// Times one iteration of a long loop here, the first after `sent_first` sent to
// the tasks; when it took less than `least_microseconds`, too little work to
// pay for a task, the others run here too. RAYIFY_ALWAYS_TASKS=1 sends them all
// to the tasks.
class rayify_iteration_trial {
 public:
  rayify_iteration_trial(bool long_loop, double least_microseconds, int sent_first)
      : on_(long_loop), least_(least_microseconds), to_send_(sent_first) {
    const char *always = std::getenv("RAYIFY_ALWAYS_TASKS");
    if (always != nullptr && std::strcmp(always, "0") != 0) on_ = false;
  }
  // Whether this iteration runs here: the one tried does, the others after it if
  // it was quick.
  bool Here() {
    if (!on_) return false;
    if (to_send_ > 0) {
      --to_send_;
      return false;
    }
    if (seen_ == 0) {
      seen_ = 1;
      clock_ = rayify_driver_clock();
      return true;
    }
    if (seen_ == 1) {
      seen_ = 2;
      here_ = clock_.Microseconds() < least_;
    }
    return here_;
  }

 private:
  bool on_;
  double least_;
  int to_send_;
  int seen_ = 0;
  bool here_ = false;
  rayify_driver_clock clock_;
};
#line 12
#endif

using Table = std::array<long, 16>;

Table Factorials(int n) {
    Table f{};
    f[0] = 1;
    for (int i = 1; i <= n; ++i) f[i] = f[i - 1] * i;
    return f;
}

// Digits of `index` in the factorial number system, read from the table.
long DigitSum(Table &factorials, long index, int n) {
    long sum = 0;
    for (int i = n - 1; i >= 0; --i) {
        sum += index / factorials[i];
        index %= factorials[i];
    }
    return sum;
}

// Smooths `weights` over many passes, two lanes at a time.
double Smooth(std::vector<double> &weights, long start) {
    double out[2] = {0.0, 0.0};
#if defined(__SSE2__)
    __m128d acc = _mm_set_pd(weights[1], weights[0]);
    const __m128d keep = _mm_set1_pd(0.999), push = _mm_set1_pd(1e-3 * (start % 7));
    for (int k = 0; k < 4000; ++k) acc = _mm_add_pd(_mm_mul_pd(acc, keep), push);
    _mm_storeu_pd(out, acc);
#else
    out[0] = weights[0];
    out[1] = weights[1];
    for (int k = 0; k < 4000; ++k) {
        out[0] = out[0] * 0.999 + 1e-3 * (start % 7);
        out[1] = out[1] * 0.999 + 1e-3 * (start % 7);
    }
#endif
    return out[0] + out[1];
}

// What one iteration of the loop at line 60 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_60_result {
    long checksum{};
    long widest{};
    double smoothed{};
    MSGPACK_DEFINE(checksum, widest, smoothed);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(checksum, widest, smoothed); }
};

// One iteration of the loop at line 60 of main(), run as a Ray task.
static main_loop_60_result main_loop_60(long start, long block, std::array<long, 16> factorials, std::vector<double> weights) {
    main_loop_60_result iteration_result;
    const int n = 9;  // as every run of the loop has it
    long local = 0;
    for (long index = start; index < start + block && index < factorials[n]; ++index)
        local += DigitSum(factorials, index, n) % 5;
    iteration_result.checksum = local;
    iteration_result.widest = local;
    iteration_result.smoothed = Smooth(weights, start);
    return iteration_result;
}

static int rayify_original_main(int argc, char **) {
#line 53
    const int n = 9;
    Table factorials = Factorials(n);
    std::vector<double> weights = {0.25, 0.75};
    const long block = factorials[n] / (20 + argc);  // known only at run time
    long checksum = 0;
    long widest = 0;
    double smoothed = 0.0;
    auto factorials_ref = ray::Put(factorials);
    auto weights_ref = ray::Put(weights);
    std::deque<ray::ObjectRef<main_loop_60_result>> main_loop_60_refs;
    // After 8 tasks, one iteration runs here, timed: the others are tasks
    // only if it took 1000 us or more.
    rayify_iteration_trial main_loop_60_trial(true, 1000, 8);
#line 60
    for (long start = 0; start < factorials[n]; start += block) {
        main_loop_60_refs.push_back(rayify_copy_of(
                main_loop_60_trial.Here()
                        ? ray::Put(main_loop_60(start, block, factorials, weights))
                        : ray::Task(main_loop_60).SetResource("CPU", 1).Remote(start, block, factorials_ref, weights_ref)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_60_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_60_refs[main_loop_60_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_60_refs.empty()) {
        const auto main_loop_60_iteration = ray::Get(std::move(main_loop_60_refs.front()));
        main_loop_60_refs.pop_front();
        checksum += main_loop_60_iteration->checksum;
        if (main_loop_60_iteration->widest > widest) widest = main_loop_60_iteration->widest;
        smoothed += main_loop_60_iteration->smoothed;
    }
#line 68
    std::printf("blocks of %ld: checksum %ld, widest %ld, smoothed %.9f\n", block, checksum,
                widest, smoothed);
    return 0;
}

RAY_REMOTE(main_loop_60);

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
