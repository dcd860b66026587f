// Helpers that read one vector and fill another, both by reference, the way stencil
// codes swap two buffers. What must convert: the smoothing step, which every call
// gives two different vectors (`smooth(a, b)`, then `smooth(b, a)`), and the scaling
// pass, whose outlined body reads a vector the calls never pass as its output. What
// must not: the shift, which one call gives the same vector twice (each task would
// read what the loop found, not its neighbour's new value), and the offset pass, given
// an element of the vector it fills.
#include <cstdio>
#include <vector>

// Converted by rayify from buffers.cpp: independent loops run as Ray tasks, stateful
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

#line 11
static double relax(double v, int steps) {
  double x = v;
  for (int k = 0; k < steps; ++k) x = 0.5 * x + 0.25 * (k % 7);
  return x;
}

static void smooth(const std::vector<double> &cur, std::vector<double> &next) {
  std::vector<std::pair<std::size_t, ray::ObjectRef<double>>> next_refs;
#line 18
  for (std::size_t i = 1; i + 1 < next.size(); ++i) {
    next_refs.emplace_back(i, rayify_copy_of(ray::Task(relax).SetResource("CPU", 1).Remote(cur[i - 1] + cur[i + 1], 400000)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (next_refs.size() >= 64)
      ray::Wait(std::vector{next_refs[next_refs.size() - 64].second}, 1, -1);
  }
  for (auto &[next_index, next_ref] : next_refs)
    next[next_index] = std::move(*ray::Get(next_ref));
}

// What one iteration of the loop at line 23 of scale() leaves for the driver
// to apply, in iteration order.
struct scale_loop_23_result {
  std::tuple<unsigned long, double> out{};
  MSGPACK_DEFINE(out);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out); }
};

// One iteration of the loop at line 23 of scale(), run as a Ray task.
static scale_loop_23_result scale_loop_23(unsigned long i, const std::vector<double> &weights) {
  scale_loop_23_result iteration_result;
  iteration_result.out = std::make_tuple(i, (relax(weights[i], 400000) * 2.0 + 1.0));
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 23 of scale(), run one after the other
// as one Ray task.
static std::vector<scale_loop_23_result> scale_loop_23_chunk(unsigned long chunk_begin, unsigned long chunk_end, const std::vector<double> &weights) {
  std::vector<scale_loop_23_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(scale_loop_23(i, weights));
  return chunk_results;
}

#line 22
static void scale(const std::vector<double> &weights, std::vector<double> &out) {
  auto weights_ref = ray::Put(weights);
  std::deque<ray::ObjectRef<std::vector<scale_loop_23_result>>> scale_loop_23_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long scale_loop_23_chunk_size = std::max<unsigned long>(
    1, (out.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long scale_loop_23_first = 0; scale_loop_23_first < out.size(); scale_loop_23_first += scale_loop_23_chunk_size) {
    unsigned long scale_loop_23_last = out.size() - scale_loop_23_first > scale_loop_23_chunk_size ? scale_loop_23_first + scale_loop_23_chunk_size : out.size();
    scale_loop_23_refs.push_back(rayify_copy_of(ray::Task(scale_loop_23_chunk).SetResource("CPU", 1).Remote(scale_loop_23_first, scale_loop_23_last, weights_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (scale_loop_23_refs.size() >= 64)
      ray::Wait(std::vector{scale_loop_23_refs[scale_loop_23_refs.size() - 64]}, 1, -1);
  }
  while (!scale_loop_23_refs.empty()) {
    const auto scale_loop_23_results = ray::Get(std::move(scale_loop_23_refs.front()));
    scale_loop_23_refs.pop_front();
    for (const auto &scale_loop_23_iteration : *scale_loop_23_results) {
      out[std::get<0>(scale_loop_23_iteration.out)] = std::get<1>(scale_loop_23_iteration.out);
    }
  }
}

#line 27
static void shift(const std::vector<double> &in, std::vector<double> &out) {
  for (std::size_t i = 1; i < out.size(); ++i) out[i] = relax(in[i - 1], 400000);
}

static void offset(std::vector<double> &out, const double &by) {
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = relax(1.0 * i, 400000) + by;
}

static int rayify_original_main() {
  std::vector<double> a(12, 1.0), b(12, 0.0), w(12, 3.0);
  for (int t = 0; t < 2; ++t) {
    smooth(a, b);
    smooth(b, a);
  }
  scale(w, b);
  shift(a, b);
  shift(b, b);
  offset(a, a[3]);
  for (std::size_t i = 0; i < a.size(); ++i) std::printf("%zu %.6f %.6f\n", i, a[i], b[i]);
  return 0;
}

RAY_REMOTE(relax, scale_loop_23_chunk);

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
