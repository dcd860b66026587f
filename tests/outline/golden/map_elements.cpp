// Loops over the elements of maps, std::pair<const K, V>, whose bodies are outlined:
// each task is sent its element as std::pair<K, V> (msgpack cannot decode into a const
// key). A map keyed by name with one series each, summed in the driver's order; an
// unordered map whose results go into a vector by position; a loop binding names to
// each element (`const auto &[name, xs]`), whose task takes each name; loops
// rewriting each mapped value through its reference or a bound name (since
// 2026-12-07). Until
// 2026-12-06 the task took the element's own type, the converted file did not
// compile, and the file was left unconverted whole; the loop binding names stayed
// sequential.
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

// Converted by rayify from map_elements.cpp: independent loops run as Ray tasks, stateful
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
#include <tuple>
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

#line 18
static double energy(const std::vector<double> &xs, int terms) {
  double e = 0;
  for (int t = 0; t < terms; ++t)
    for (double x : xs) e += std::sin(x * (t + 1)) / (t + 1);
  return e;
}

// What one iteration of the loop at line 27 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_27_result {
  std::tuple<std::string, std::vector<double>> series{};
  MSGPACK_DEFINE(series);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(series); }
};

// One iteration of the loop at line 27 of main(), run as a Ray task.
static main_loop_27_result main_loop_27(int s) {
  main_loop_27_result iteration_result;
  std::vector<double> xs(200);
  for (int k = 0; k < 200; ++k) xs[k] = 0.01 * k + s;
  iteration_result.series = std::make_tuple("series-" + std::to_string(s), xs);
  return iteration_result;
}

// What one iteration of the loop at line 33 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_33_result {
  double total{};
  MSGPACK_DEFINE(total);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(total); }
};

// One iteration of the loop at line 33 of main(), run as a Ray task.
static main_loop_33_result main_loop_33(const std::pair<std::string, std::vector<double>> &named) {
  main_loop_33_result iteration_result_2;
  double e = energy(named.second, 3000);
  iteration_result_2.total = (e * static_cast<double>(named.first.size()));
  return iteration_result_2;
}

// What one iteration of the loop at line 41 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_41_result {
  double weighted{};
  MSGPACK_DEFINE(weighted);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(weighted); }
};

// One iteration of the loop at line 41 of main(), run as a Ray task.
static main_loop_41_result main_loop_41(const std::string &name, const std::vector<double> &xs) {
  main_loop_41_result iteration_result_3;
  double e = energy(xs, 2000);
  iteration_result_3.weighted = (e / static_cast<double>(name.size()));
  return iteration_result_3;
}

// What one iteration of the loop at line 50 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_50_result {
  std::tuple<unsigned long, double> scores{};
  MSGPACK_DEFINE(scores);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(scores); }
};

// One iteration of the loop at line 50 of main(), run as a Ray task.
static main_loop_50_result main_loop_50(const std::pair<int, std::vector<double>> &entry) {
  main_loop_50_result iteration_result_4;
  double e = energy(entry.second, 2500);
  iteration_result_4.scores = std::make_tuple(static_cast<std::size_t>(entry.first), (e - entry.first));
  return iteration_result_4;
}

// What one iteration of the loop at line 58 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_58_result {
  std::pair<int, std::vector<double>> entry{};
  MSGPACK_DEFINE(entry);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(entry); }
};

// One iteration of the loop at line 58 of main(), run as a Ray task.
static main_loop_58_result main_loop_58(std::pair<int, std::vector<double>> entry) {
  main_loop_58_result iteration_result_5;
  do {
    entry.second[0] = energy(entry.second, 1500);
    entry.second.push_back(static_cast<double>(entry.first));
  } while (false);
  iteration_result_5.entry = std::move(entry);
  return iteration_result_5;
}

// What one iteration of the loop at line 67 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_67_result {
  std::vector<double> xs{};
  MSGPACK_DEFINE(xs);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(xs); }
};

// One iteration of the loop at line 67 of main(), run as a Ray task.
static main_loop_67_result main_loop_67(std::string name, std::vector<double> xs) {
  main_loop_67_result iteration_result_6;
  do {
    xs[1] = energy(xs, 1200) + static_cast<double>(name.size());
  } while (false);
  iteration_result_6.xs = std::move(xs);
  return iteration_result_6;
}

static int rayify_original_main() {
#line 26
  std::map<std::string, std::vector<double>> series;
  std::deque<ray::ObjectRef<main_loop_27_result>> main_loop_27_refs;
#line 27
  for (int s = 0; s < 10; ++s) {
    main_loop_27_refs.push_back(rayify_copy_of(ray::Task(main_loop_27).SetResource("CPU", 1).Remote(s)));
  }
  while (!main_loop_27_refs.empty()) {
    const auto main_loop_27_iteration = ray::Get(std::move(main_loop_27_refs.front()));
    main_loop_27_refs.pop_front();
    series[std::get<0>(main_loop_27_iteration->series)] = std::get<1>(main_loop_27_iteration->series);
  }
#line 32
  double total = 0;
  std::deque<ray::ObjectRef<main_loop_33_result>> main_loop_33_refs;
  // The first element runs here, timed: the others are tasks only if it took 1000 us or more.
  rayify_iteration_trial main_loop_33_trial(series.size() > 64, 1000, 0);
#line 33
  for (const auto &named : series) {
    if (main_loop_33_trial.Here()) {
      double e = energy(named.second, 3000);
      total += e * static_cast<double>(named.first.size());
    } else {
      main_loop_33_refs.push_back(rayify_copy_of(ray::Task(main_loop_33).SetResource("CPU", 1).Remote(named)));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (main_loop_33_refs.size() >= 64)
        ray::Wait(std::vector{main_loop_33_refs[main_loop_33_refs.size() - 64]}, 1, -1);
    }
  }
  while (!main_loop_33_refs.empty()) {
    const auto main_loop_33_iteration = ray::Get(std::move(main_loop_33_refs.front()));
    main_loop_33_refs.pop_front();
    total += main_loop_33_iteration->total;
  }
#line 37
  std::printf("total %.9f\n", total);

  // Names bound to each element: the task takes each as a parameter of its own.
  double weighted = 0;
  std::deque<ray::ObjectRef<main_loop_41_result>> main_loop_41_refs;
  // The first element runs here, timed: the others are tasks only if it took 1000 us or more.
  rayify_iteration_trial main_loop_41_trial(series.size() > 64, 1000, 0);
#line 41
  for (const auto &[name, xs] : series) {
    if (main_loop_41_trial.Here()) {
      double e = energy(xs, 2000);
      weighted += e / static_cast<double>(name.size());
    } else {
      main_loop_41_refs.push_back(rayify_copy_of(ray::Task(main_loop_41).SetResource("CPU", 1).Remote(name, xs)));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (main_loop_41_refs.size() >= 64)
        ray::Wait(std::vector{main_loop_41_refs[main_loop_41_refs.size() - 64]}, 1, -1);
    }
  }
  while (!main_loop_41_refs.empty()) {
    const auto main_loop_41_iteration = ray::Get(std::move(main_loop_41_refs.front()));
    main_loop_41_refs.pop_front();
    weighted += main_loop_41_iteration->weighted;
  }
#line 45
  std::printf("weighted %.9f\n", weighted);

  std::unordered_map<int, std::vector<double>> by_id;
  for (int id = 0; id < 8; ++id) by_id[id] = std::vector<double>(150, 0.5 + id);
  std::vector<double> scores(8);
  std::deque<ray::ObjectRef<main_loop_50_result>> main_loop_50_refs;
  // The first element runs here, timed: the others are tasks only if it took 1000 us or more.
  rayify_iteration_trial main_loop_50_trial(by_id.size() > 64, 1000, 0);
#line 50
  for (const auto &entry : by_id) {
    if (main_loop_50_trial.Here()) {
      double e = energy(entry.second, 2500);
      scores[static_cast<std::size_t>(entry.first)] = e - entry.first;
    } else {
      main_loop_50_refs.push_back(rayify_copy_of(ray::Task(main_loop_50).SetResource("CPU", 1).Remote(entry)));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (main_loop_50_refs.size() >= 64)
        ray::Wait(std::vector{main_loop_50_refs[main_loop_50_refs.size() - 64]}, 1, -1);
    }
  }
  while (!main_loop_50_refs.empty()) {
    const auto main_loop_50_iteration = ray::Get(std::move(main_loop_50_refs.front()));
    main_loop_50_refs.pop_front();
    scores[std::get<0>(main_loop_50_iteration->scores)] = std::get<1>(main_loop_50_iteration->scores);
  }
#line 54
  for (std::size_t i = 0; i < scores.size(); ++i) std::printf("%zu %.9f\n", i, scores[i]);

  // Each mapped value rewritten through the loop's reference: the task sends its
  // element back, and the driver, walking the map again, stores the mapped value.
  std::vector<ray::ObjectRef<main_loop_58_result>> main_loop_58_refs;
  // After 8 tasks, one iteration runs here, timed: the others are tasks
  // only if it took 1000 us or more.
  rayify_iteration_trial main_loop_58_trial(true, 1000, 8);
#line 58
  for (auto &entry : by_id) {
    main_loop_58_refs.push_back(rayify_copy_of(
        main_loop_58_trial.Here()
            ? ray::Put(main_loop_58(entry))
            : ray::Task(main_loop_58).SetResource("CPU", 1).Remote(entry)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_58_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_58_refs[main_loop_58_refs.size() - 64]}, 1, -1);
  }
  const auto main_loop_58_results = ray::Get(main_loop_58_refs);
  std::size_t main_loop_58_next = 0;
  for (auto &entry : by_id) {
    const auto &main_loop_58_iteration = main_loop_58_results[main_loop_58_next++];
    entry.second = main_loop_58_iteration->entry.second;
  }
#line 62
  for (int id = 0; id < 8; ++id)
    std::printf("%d %.9f %zu\n", id, by_id[id][0], by_id[id].size());

  // The same through names bound to each element: the task takes each name and
  // returns the mapped value; the driver stores it back through the same name.
  std::vector<ray::ObjectRef<main_loop_67_result>> main_loop_67_refs;
  // After 8 tasks, one iteration runs here, timed: the others are tasks
  // only if it took 1000 us or more.
  rayify_iteration_trial main_loop_67_trial(true, 1000, 8);
#line 67
  for (auto &[name, xs] : series) {
    main_loop_67_refs.push_back(rayify_copy_of(
        main_loop_67_trial.Here()
            ? ray::Put(main_loop_67(name, xs))
            : ray::Task(main_loop_67).SetResource("CPU", 1).Remote(name, xs)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_67_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_67_refs[main_loop_67_refs.size() - 64]}, 1, -1);
  }
  const auto main_loop_67_results = ray::Get(main_loop_67_refs);
  std::size_t main_loop_67_next = 0;
  for (auto &[name, xs] : series) {
    const auto &main_loop_67_iteration = main_loop_67_results[main_loop_67_next++];
    xs = main_loop_67_iteration->xs;
  }
#line 70
  for (const auto &[name, xs] : series) std::printf("%s %.9f\n", name.c_str(), xs[1]);
  return 0;
}

RAY_REMOTE(main_loop_27, main_loop_33, main_loop_41, main_loop_50, main_loop_58, main_loop_67);

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
