// Loop bodies of several statements that fill results: scratch declared before the
// loop, an inner counter declared before it, two results per iteration, an
// if-guarded append, a `continue`, a range-for over const references, a running value
// the driver carries, a while loop stepping its counter last, and a grid filled row by
// row in a helper that main calls.
#include <cstdio>
#include <string>
#include <vector>

// Converted by rayify from fills.cpp: independent loops run as Ray tasks, stateful
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
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <sys/resource.h>
#include <thread>
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

// Runs the loop's first iterations here, timed, and the others too when a chunk
// of them would take less than `least_microseconds`: too little work to pay for
// a task. Returns the first iteration left to the tasks (`end` when none is).
// RAYIFY_ALWAYS_TASKS=1 leaves them all to the tasks.
template <typename Counter, typename Here>
static Counter rayify_run_first_here(Counter begin, Counter end, Counter chunk,
                                     double least_microseconds, const Here &here) {
  static const char *const always = std::getenv("RAYIFY_ALWAYS_TASKS");
  if (!(begin < end) || (always != nullptr && std::strcmp(always, "0") != 0))
    return begin;
  const Counter tried = std::min<Counter>(std::max<Counter>(1, chunk / 8), end - begin);
  const rayify_driver_clock clock;
  here(begin, static_cast<Counter>(begin + tried));
  if (clock.Microseconds() / static_cast<double>(tried) * static_cast<double>(chunk) >=
      least_microseconds)
    return static_cast<Counter>(begin + tried);
  here(static_cast<Counter>(begin + tried), end);
  return end;
}

#line 10
struct Sample {
    int id;
    double weight;
    MSGPACK_DEFINE(id, weight);
    auto rayify_fields() { return std::tie(id, weight); }  // for rayify's runtime
};

#line 15
// A small linear-congruential walk: about half a millisecond per call.
double walk(int seed, int steps)
{
    unsigned long long state = 88172645463325252ULL + static_cast<unsigned long long>(seed);
    double position = 0.0;
    for (int s = 0; s < steps; ++s) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        position += static_cast<double>(state >> 40) / 16777216.0 - 0.5;
    }
    return position;
}

double g_drift = 0.0;

// What one iteration of the loop at line 32 of fill_grid() leaves for the driver
// to apply, in iteration order.
struct fill_grid_loop_32_result {
    std::vector<std::tuple<int, int, double>> grid{};
    double g_drift{};
    MSGPACK_DEFINE(grid, g_drift);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(grid, g_drift); }
};

// One iteration of the loop at line 32 of fill_grid(), run as a Ray task.
static fill_grid_loop_32_result fill_grid_loop_32(int i, int cols, int rows) {
    fill_grid_loop_32_result iteration_result_6;
    int j{};
    double row_scale = walk(i, 40000);
    for (j = 0; j < cols; ++j)
        rayify_append(iteration_result_6.grid, i, j, (row_scale * (j + 1)));
    iteration_result_6.g_drift = (row_scale / rows);
    return iteration_result_6;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 32 of fill_grid(), run one after the other
// as one Ray task.
static std::vector<fill_grid_loop_32_result> fill_grid_loop_32_chunk(int chunk_begin, int chunk_end, int cols, int rows) {
    std::vector<fill_grid_loop_32_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(fill_grid_loop_32(i, cols, rows));
    return chunk_results;
}

#line 29
void fill_grid(std::vector<std::vector<double>> &grid, int rows, int cols)
{
    int j;
    // The loop as written, for iterations that run here.
    const auto fill_grid_loop_32_here = [&](int fill_grid_loop_32_from, int fill_grid_loop_32_to) {
        for (int i = fill_grid_loop_32_from; i < fill_grid_loop_32_to; ++i) {
            double row_scale = walk(i, 40000);
            for (j = 0; j < cols; ++j)
                grid[i][j] = row_scale * (j + 1);
            g_drift += row_scale / rows;
        }
    };
    // About 8 chunks of iterations per CPU, one task each.
    const int fill_grid_loop_32_chunk_size = std::max<int>(
        1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    // A few iterations run here first, timed; the rest are tasks only if a chunk
    // would take 1000 us or more (min-chunk-microseconds), else they run here too.
    const int fill_grid_loop_32_start = rayify_run_first_here<int>(0, rows, fill_grid_loop_32_chunk_size, 1000, fill_grid_loop_32_here);
    if (fill_grid_loop_32_start < rows) {
        std::deque<ray::ObjectRef<std::vector<fill_grid_loop_32_result>>> fill_grid_loop_32_refs;
        for (int fill_grid_loop_32_first = fill_grid_loop_32_start; fill_grid_loop_32_first < rows; fill_grid_loop_32_first += fill_grid_loop_32_chunk_size) {
            int fill_grid_loop_32_last = rows - fill_grid_loop_32_first > fill_grid_loop_32_chunk_size ? fill_grid_loop_32_first + fill_grid_loop_32_chunk_size : rows;
            fill_grid_loop_32_refs.push_back(rayify_copy_of(ray::Task(fill_grid_loop_32_chunk).SetResource("CPU", 1).Remote(fill_grid_loop_32_first, fill_grid_loop_32_last, cols, rows)));
            // At most 64 tasks in flight: wait for the oldest one first.
            if (fill_grid_loop_32_refs.size() >= 64)
                ray::Wait(std::vector{fill_grid_loop_32_refs[fill_grid_loop_32_refs.size() - 64]}, 1, -1);
        }
        while (!fill_grid_loop_32_refs.empty()) {
            const auto fill_grid_loop_32_results = ray::Get(std::move(fill_grid_loop_32_refs.front()));
            fill_grid_loop_32_refs.pop_front();
            for (const auto &fill_grid_loop_32_iteration : *fill_grid_loop_32_results) {
                for (const auto &update_3 : fill_grid_loop_32_iteration.grid)
                    grid[std::get<0>(update_3)][std::get<1>(update_3)] = std::get<2>(update_3);
                g_drift += fill_grid_loop_32_iteration.g_drift;
            }
        }
    }
}

// What one iteration of the loop at line 46 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_46_result {
    std::tuple<int, double> ends{};
    std::tuple<int, double> squares{};
    std::vector<int> far{};
    MSGPACK_DEFINE(ends, squares, far);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(ends, squares, far); }
};

// One iteration of the loop at line 46 of main(), run as a Ray task.
static main_loop_46_result main_loop_46(int i) {
    main_loop_46_result iteration_result;
    double scratch{};
    scratch = walk(i, 60000);
    iteration_result.ends = std::make_tuple(i, scratch);
    iteration_result.squares = std::make_tuple(i, (scratch * scratch));
    if (scratch > 20.0 || scratch < -20.0)
        rayify_append(iteration_result.far, i);
    return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 46 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_46_result> main_loop_46_chunk(int chunk_begin, int chunk_end) {
    std::vector<main_loop_46_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_46(i));
    return chunk_results;
}

// What one iteration of the loop at line 55 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_55_result {
    std::vector<std::string> labels{};
    MSGPACK_DEFINE(labels);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(labels); }
};

// One iteration of the loop at line 55 of main(), run as a Ray task.
static main_loop_55_result main_loop_55(int i) {
    main_loop_55_result iteration_result_2;
    if (i % 3 == 1)
        return iteration_result_2;
    double end = walk(1000 + i, 30000);
    rayify_append(iteration_result_2.labels, std::to_string(i) + (end > 0 ? "+" : "-"));
    return iteration_result_2;
}

// What one iteration of the loop at line 66 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_66_result {
    double weighted{};
    MSGPACK_DEFINE(weighted);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(weighted); }
};

// One iteration of the loop at line 66 of main(), run as a Ray task.
static main_loop_66_result main_loop_66(const Sample &s) {
    main_loop_66_result iteration_result_3;
    iteration_result_3.weighted = (walk(s.id, 400000) * s.weight);
    return iteration_result_3;
}

// What one iteration of the loop at line 71 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_71_result {
    std::tuple<int, int, double> running{};
    MSGPACK_DEFINE(running);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(running); }
};

// One iteration of the loop at line 71 of main(), run as a Ray task.
static main_loop_71_result main_loop_71(int i) {
    main_loop_71_result iteration_result_4;
    iteration_result_4.running = std::make_tuple(i, (i - 1), walk(2000 + i, 30000));
    return iteration_result_4;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 71 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_71_result> main_loop_71_chunk(int chunk_begin, int chunk_end) {
    std::vector<main_loop_71_result> chunk_results;
    for (int i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_71(i));
    return chunk_results;
}

// What one iteration of the loop at line 76 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_76_result {
    std::tuple<int, double> strides{};
    MSGPACK_DEFINE(strides);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(strides); }
};

// One iteration of the loop at line 76 of main(), run as a Ray task.
static main_loop_76_result main_loop_76(int k) {
    main_loop_76_result iteration_result_5;
    iteration_result_5.strides = std::make_tuple(k, (walk(3000 + k, 200000) / (k + 1)));
    return iteration_result_5;
}

static int rayify_original_main()
{
#line 42
    const int n = 40;
    std::vector<double> ends(n), squares(n);
    std::vector<int> far;
    double scratch;
    std::deque<ray::ObjectRef<std::vector<main_loop_46_result>>> main_loop_46_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int main_loop_46_chunk_size = std::max<int>(
        1, (n - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int main_loop_46_first = 0; main_loop_46_first < n; main_loop_46_first += main_loop_46_chunk_size) {
        int main_loop_46_last = n - main_loop_46_first > main_loop_46_chunk_size ? main_loop_46_first + main_loop_46_chunk_size : n;
        main_loop_46_refs.push_back(rayify_copy_of(ray::Task(main_loop_46_chunk).SetResource("CPU", 1).Remote(main_loop_46_first, main_loop_46_last)));
    }
    while (!main_loop_46_refs.empty()) {
        const auto main_loop_46_results = ray::Get(std::move(main_loop_46_refs.front()));
        main_loop_46_refs.pop_front();
        for (const auto &main_loop_46_iteration : *main_loop_46_results) {
            ends[std::get<0>(main_loop_46_iteration.ends)] = std::get<1>(main_loop_46_iteration.ends);
            squares[std::get<0>(main_loop_46_iteration.squares)] = std::get<1>(main_loop_46_iteration.squares);
            for (const auto &update : main_loop_46_iteration.far)
                far.push_back(update);
        }
    }

#line 54
    std::vector<std::string> labels;
    std::deque<ray::ObjectRef<main_loop_55_result>> main_loop_55_refs;
#line 55
    for (int i = 0; i < n; ++i) {
        main_loop_55_refs.push_back(rayify_copy_of(ray::Task(main_loop_55).SetResource("CPU", 1).Remote(i)));
    }
    while (!main_loop_55_refs.empty()) {
        const auto main_loop_55_iteration = ray::Get(std::move(main_loop_55_refs.front()));
        main_loop_55_refs.pop_front();
        for (const auto &update_2 : main_loop_55_iteration->labels)
            labels.push_back(update_2);
    }

#line 62
    std::vector<Sample> samples;
    for (int i = 0; i < 24; ++i)
        samples.push_back(Sample{i, 0.5 + i * 0.25});
    std::vector<double> weighted;
    std::deque<ray::ObjectRef<main_loop_66_result>> main_loop_66_refs;
#line 66
    for (const Sample &s : samples) {
        main_loop_66_refs.push_back(rayify_copy_of(ray::Task(main_loop_66).SetResource("CPU", 1).Remote(s)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_66_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_66_refs[main_loop_66_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_66_refs.empty()) {
        const auto main_loop_66_iteration = ray::Get(std::move(main_loop_66_refs.front()));
        main_loop_66_refs.pop_front();
        weighted.push_back(main_loop_66_iteration->weighted);
    }

#line 69
    std::vector<double> running(n);
    running[0] = 0.0;
    std::deque<ray::ObjectRef<std::vector<main_loop_71_result>>> main_loop_71_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int main_loop_71_chunk_size = std::max<int>(
        1, (n - 1) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int main_loop_71_first = 1; main_loop_71_first < n; main_loop_71_first += main_loop_71_chunk_size) {
        int main_loop_71_last = n - main_loop_71_first > main_loop_71_chunk_size ? main_loop_71_first + main_loop_71_chunk_size : n;
        main_loop_71_refs.push_back(rayify_copy_of(ray::Task(main_loop_71_chunk).SetResource("CPU", 1).Remote(main_loop_71_first, main_loop_71_last)));
    }
    while (!main_loop_71_refs.empty()) {
        const auto main_loop_71_results = ray::Get(std::move(main_loop_71_refs.front()));
        main_loop_71_refs.pop_front();
        for (const auto &main_loop_71_iteration : *main_loop_71_results) {
            running[std::get<0>(main_loop_71_iteration.running)] = running[std::get<1>(main_loop_71_iteration.running)] + std::get<2>(main_loop_71_iteration.running);
        }
    }

#line 74
    std::vector<double> strides(n);
    int k = 0;
    std::deque<ray::ObjectRef<main_loop_76_result>> main_loop_76_refs;
#line 76
    while (k < n) {
        main_loop_76_refs.push_back(rayify_copy_of(ray::Task(main_loop_76).SetResource("CPU", 1).Remote(k)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_76_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_76_refs[main_loop_76_refs.size() - 64]}, 1, -1);
        ++k;
    }
    while (!main_loop_76_refs.empty()) {
        const auto main_loop_76_iteration = ray::Get(std::move(main_loop_76_refs.front()));
        main_loop_76_refs.pop_front();
        strides[std::get<0>(main_loop_76_iteration->strides)] = std::get<1>(main_loop_76_iteration->strides);
    }

#line 81
    std::vector<std::vector<double>> grid(16, std::vector<double>(6));
    fill_grid(grid, 16, 6);

    std::printf("end[7] %.17g square[11] %.17g far %zu\n", ends[7], squares[11], far.size());
    for (int i : far)
        std::printf(" far %d", i);
    std::printf("\n");
    for (const std::string &label : labels)
        std::printf("%s ", label.c_str());
    std::printf("\nweighted[5] %.17g running %.17g\n", weighted[5], running[n - 1]);
    std::printf("grid %.17g %.17g drift %.17g\n", grid[3][2], grid[15][5], g_drift);
    std::printf("strides %.17g %.17g after %d\n", strides[0], strides[n - 1], k);
    return 0;
}

RAY_REMOTE(main_loop_46_chunk, main_loop_55, main_loop_66, main_loop_71_chunk, main_loop_76, fill_grid_loop_32_chunk);

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
