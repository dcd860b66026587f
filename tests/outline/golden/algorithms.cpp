// Standard algorithms that are loops in disguise: std::transform into a vector and
// through std::back_inserter, with a named function and with a capture-free lambda,
// and std::for_each changing each element in place; and a loop calling a lambda that
// main keeps in a variable, which each task declares again.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <vector>

// Converted by rayify from algorithms.cpp: independent loops run as Ray tasks, stateful
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
// A slowly converging series: about a millisecond per call.
double series(double x)
{
    double sum = 0.0;
    for (int k = 1; k < 200000; ++k)
        sum += 1.0 / (k * (k + x));
    return sum;
}

void refine(double &value)
{
    value = value * 0.5 + series(value);
}

// One element of the std::transform at line 31 of main(), run as a Ray task.
static double main_transform_31(double element) {
    return series(element);
}

// One element of the std::transform at line 34 of main(), run as a Ray task.
static double main_transform_34(double element) {
    return [](double x) { return series(x + 1.0) * 2.0; }(element);
}

// One element of the std::for_each at line 38 of main(), run as a Ray task.
static double main_for_each_38(double element) {
    refine(element);
    return element;
}

// What one iteration of the loop at line 42 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_42_result {
    std::tuple<unsigned long, double> damped_values{};
    MSGPACK_DEFINE(damped_values);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(damped_values); }
};

// One iteration of the loop at line 42 of main(), run as a Ray task.
static main_loop_42_result main_loop_42(unsigned long i, const std::vector<double> &inputs) {
    main_loop_42_result iteration_result;
    auto damped = [](double x) { return series(x * 0.5) - x; };  // as the loop's function has it
    iteration_result.damped_values = std::make_tuple(i, damped(inputs[i]));
    return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 42 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_42_result> main_loop_42_chunk(unsigned long chunk_begin, unsigned long chunk_end, const std::vector<double> &inputs) {
    std::vector<main_loop_42_result> chunk_results;
    for (unsigned long i = chunk_begin; i < chunk_end; ++i)
        chunk_results.push_back(main_loop_42(i, inputs));
    return chunk_results;
}

static int rayify_original_main()
{
#line 26
    std::vector<double> inputs;
    for (int i = 0; i < 24; ++i)
        inputs.push_back(0.25 * i);

    std::vector<double> sums(inputs.size());
    std::vector<ray::ObjectRef<double>> main_transform_31_refs;
    for (const auto &main_transform_31_element : inputs) {
        main_transform_31_refs.push_back(rayify_copy_of(ray::Task(main_transform_31).SetResource("CPU", 1).Remote(main_transform_31_element)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_transform_31_refs.size() >= 64)
            ray::Wait(std::vector{main_transform_31_refs[main_transform_31_refs.size() - 64]}, 1, -1);
    }
    auto main_transform_31_out = sums.begin();
    for (auto &main_transform_31_result : ray::Get(main_transform_31_refs))
        *main_transform_31_out++ = std::move(*main_transform_31_result);

#line 33
    std::vector<double> scaled;
    std::vector<ray::ObjectRef<double>> main_transform_34_refs;
    for (const auto &main_transform_34_element : inputs) {
        main_transform_34_refs.push_back(rayify_copy_of(ray::Task(main_transform_34).SetResource("CPU", 1).Remote(main_transform_34_element)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_transform_34_refs.size() >= 64)
            ray::Wait(std::vector{main_transform_34_refs[main_transform_34_refs.size() - 64]}, 1, -1);
    }
    for (auto &main_transform_34_result : ray::Get(main_transform_34_refs))
        scaled.push_back(std::move(*main_transform_34_result));

#line 37
    std::vector<double> values = inputs;
    std::vector<ray::ObjectRef<double>> main_for_each_38_refs;
    for (const auto &main_for_each_38_element : values) {
        main_for_each_38_refs.push_back(rayify_copy_of(ray::Task(main_for_each_38).SetResource("CPU", 1).Remote(main_for_each_38_element)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_for_each_38_refs.size() >= 64)
            ray::Wait(std::vector{main_for_each_38_refs[main_for_each_38_refs.size() - 64]}, 1, -1);
    }
    auto main_for_each_38_out = values.begin();
    for (auto &main_for_each_38_result : ray::Get(main_for_each_38_refs))
        *main_for_each_38_out++ = std::move(*main_for_each_38_result);

#line 40
    auto damped = [](double x) { return series(x * 0.5) - x; };
    std::vector<double> damped_values(inputs.size());
    auto inputs_ref = ray::Put(inputs);
    std::deque<ray::ObjectRef<std::vector<main_loop_42_result>>> main_loop_42_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const unsigned long main_loop_42_chunk_size = std::max<unsigned long>(
        1, (inputs.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (unsigned long main_loop_42_first = 0; main_loop_42_first < inputs.size(); main_loop_42_first += main_loop_42_chunk_size) {
        unsigned long main_loop_42_last = inputs.size() - main_loop_42_first > main_loop_42_chunk_size ? main_loop_42_first + main_loop_42_chunk_size : inputs.size();
        main_loop_42_refs.push_back(rayify_copy_of(ray::Task(main_loop_42_chunk).SetResource("CPU", 1).Remote(main_loop_42_first, main_loop_42_last, inputs_ref)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (main_loop_42_refs.size() >= 64)
            ray::Wait(std::vector{main_loop_42_refs[main_loop_42_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_42_refs.empty()) {
        const auto main_loop_42_results = ray::Get(std::move(main_loop_42_refs.front()));
        main_loop_42_refs.pop_front();
        for (const auto &main_loop_42_iteration : *main_loop_42_results) {
            damped_values[std::get<0>(main_loop_42_iteration.damped_values)] = std::get<1>(main_loop_42_iteration.damped_values);
        }
    }

#line 45
    std::printf("%.17g %.17g %.17g %.17g\n", sums[3], scaled[20], values[11],
                damped_values[7]);
    double total = 0.0;
    for (double v : values)
        total += v;
    std::printf("total %.17g\n", total);
    return 0;
}

RAY_REMOTE(main_transform_31, main_transform_34, main_for_each_38, main_loop_42_chunk);

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
