// Loops in member functions that only driver code calls: a const method whose calls
// read the object's fields where the loop stands (a task per call), one whose body is
// outlined into a function before its class (its trip count a field, read by the
// driver), a static method run in chunks, and a method walking a while loop. A body
// that uses the object (a field, a method) or a name of the class's scope stays
// sequential, with its reason. Until 2026-12-06 every loop of a member function was
// `not-driver-code`.
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from methods.cpp: independent loops run as Ray tasks, stateful
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

#line 12
static double relax(double x, int i) {
  double y = x;
  for (int k = 0; k < 100000; ++k) y = std::sin(y + i * 1e-3) * 0.5 + 0.25;
  return y + x;  // the result depends on x: a wrong order of updates shows
}

// What one iteration of the loop at line 33 of Squares() leaves for the driver
// to apply, in iteration order.
struct Profile_Squares_loop_33_result {
  std::tuple<int, double> out{};
  MSGPACK_DEFINE(out);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out); }
};

// One iteration of the loop at line 33 of Squares(), run as a Ray task.
static Profile_Squares_loop_33_result Profile_Squares_loop_33(int i) {
  Profile_Squares_loop_33_result iteration_result;
  double y = relax(0.5, i);
  iteration_result.out = std::make_tuple(i, (y * y));
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 33 of Squares(), run one after the other
// as one Ray task.
static std::vector<Profile_Squares_loop_33_result> Profile_Squares_loop_33_chunk(int chunk_begin, int chunk_end) {
  std::vector<Profile_Squares_loop_33_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(Profile_Squares_loop_33(i));
  return chunk_results;
}

// What one iteration of the loop at line 43 of Walk() leaves for the driver
// to apply, in iteration order.
struct Profile_Walk_loop_43_result {
  double total{};
  MSGPACK_DEFINE(total);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(total); }
};

// One iteration of the loop at line 43 of Walk(), run as a Ray task.
static Profile_Walk_loop_43_result Profile_Walk_loop_43(int i, const std::vector<double> &in) {
  Profile_Walk_loop_43_result iteration_result_2;
  double y = relax(in[i], i);
  iteration_result_2.total = y;
  return iteration_result_2;
}

// What one iteration of the loop at line 73 of Total() leaves for the driver
// to apply, in iteration order.
struct Profile_Total_loop_73_result {
  double total{};
  MSGPACK_DEFINE(total);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(total); }
};

// One iteration of the loop at line 73 of Total(), run as a Ray task.
static Profile_Total_loop_73_result Profile_Total_loop_73(unsigned long i, const std::vector<double> &in) {
  Profile_Total_loop_73_result iteration_result_3;
  double y = relax(in[i], 7);
  iteration_result_3.total = y;
  return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 73 of Total(), run one after the other
// as one Ray task.
static std::vector<Profile_Total_loop_73_result> Profile_Total_loop_73_chunk(unsigned long chunk_begin, unsigned long chunk_end, const std::vector<double> &in) {
  std::vector<Profile_Total_loop_73_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(Profile_Total_loop_73(i, in));
  return chunk_results;
}

#line 18
class Profile {
 public:
  explicit Profile(int n) : n_(n), values_(n), scale_(0.75) {
    for (int i = 0; i < n; ++i) values_[i] = 0.01 * i;
  }

  std::vector<double> Relaxed() const {
    std::vector<double> out(values_.size());
    std::vector<std::pair<std::size_t, ray::ObjectRef<double>>> out_refs;
#line 26
    for (std::size_t i = 0; i < values_.size(); ++i) {
      out_refs.emplace_back(i, rayify_copy_of(ray::Task(relax).SetResource("CPU", 1).Remote(values_[i], static_cast<int>(i))));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (out_refs.size() >= 64)
        ray::Wait(std::vector{out_refs[out_refs.size() - 64].second}, 1, -1);
    }
    for (auto &[out_index, out_ref] : out_refs)
      out[out_index] = std::move(*ray::Get(out_ref));
#line 28
    return out;
  }

  std::vector<double> Squares() const {
    std::vector<double> out(n_);
    std::deque<ray::ObjectRef<std::vector<Profile_Squares_loop_33_result>>> Profile_Squares_loop_33_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int Profile_Squares_loop_33_chunk_size = std::max<int>(
      1, (n_ - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int Profile_Squares_loop_33_first = 0; Profile_Squares_loop_33_first < n_; Profile_Squares_loop_33_first += Profile_Squares_loop_33_chunk_size) {
      int Profile_Squares_loop_33_last = n_ - Profile_Squares_loop_33_first > Profile_Squares_loop_33_chunk_size ? Profile_Squares_loop_33_first + Profile_Squares_loop_33_chunk_size : n_;
      Profile_Squares_loop_33_refs.push_back(rayify_copy_of(ray::Task(Profile_Squares_loop_33_chunk).SetResource("CPU", 1).Remote(Profile_Squares_loop_33_first, Profile_Squares_loop_33_last)));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (Profile_Squares_loop_33_refs.size() >= 64)
        ray::Wait(std::vector{Profile_Squares_loop_33_refs[Profile_Squares_loop_33_refs.size() - 64]}, 1, -1);
    }
    while (!Profile_Squares_loop_33_refs.empty()) {
      const auto Profile_Squares_loop_33_results = ray::Get(std::move(Profile_Squares_loop_33_refs.front()));
      Profile_Squares_loop_33_refs.pop_front();
      for (const auto &Profile_Squares_loop_33_iteration : *Profile_Squares_loop_33_results) {
        out[std::get<0>(Profile_Squares_loop_33_iteration.out)] = std::get<1>(Profile_Squares_loop_33_iteration.out);
      }
    }
#line 37
    return out;
  }

  double Walk(const std::vector<double> &in) const {
    double total = 0;
    int i = 0;
    auto in_ref = ray::Put(in);
    std::deque<ray::ObjectRef<Profile_Walk_loop_43_result>> Profile_Walk_loop_43_refs;
#line 43
    while (i < n_) {
      Profile_Walk_loop_43_refs.push_back(rayify_copy_of(ray::Task(Profile_Walk_loop_43).SetResource("CPU", 1).Remote(i, in_ref)));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (Profile_Walk_loop_43_refs.size() >= 64)
        ray::Wait(std::vector{Profile_Walk_loop_43_refs[Profile_Walk_loop_43_refs.size() - 64]}, 1, -1);
      ++i;
    }
    while (!Profile_Walk_loop_43_refs.empty()) {
      const auto Profile_Walk_loop_43_iteration = ray::Get(std::move(Profile_Walk_loop_43_refs.front()));
      Profile_Walk_loop_43_refs.pop_front();
      total += Profile_Walk_loop_43_iteration->total;
    }
#line 48
    return total;
  }

  // Uses the object in its body: stays sequential.
  std::vector<double> Scaled() const {
    std::vector<double> out(n_);
    for (int i = 0; i < n_; ++i) {
      double y = relax(0.25, i);
      out[i] = y * scale_;
    }
    return out;
  }

  // Names a type of the class's scope: stays sequential.
  std::vector<double> Cells() const {
    std::vector<double> out(n_);
    for (int i = 0; i < n_; ++i) {
      Cell cell{relax(0.125, i)};
      out[i] = cell.value;
    }
    return out;
  }

  static double Total(const std::vector<double> &in) {
    double total = 0;
    auto in_ref_2 = ray::Put(in);
    std::deque<ray::ObjectRef<std::vector<Profile_Total_loop_73_result>>> Profile_Total_loop_73_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const unsigned long Profile_Total_loop_73_chunk_size = std::max<unsigned long>(
      1, (in.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (unsigned long Profile_Total_loop_73_first = 0; Profile_Total_loop_73_first < in.size(); Profile_Total_loop_73_first += Profile_Total_loop_73_chunk_size) {
      unsigned long Profile_Total_loop_73_last = in.size() - Profile_Total_loop_73_first > Profile_Total_loop_73_chunk_size ? Profile_Total_loop_73_first + Profile_Total_loop_73_chunk_size : in.size();
      Profile_Total_loop_73_refs.push_back(rayify_copy_of(ray::Task(Profile_Total_loop_73_chunk).SetResource("CPU", 1).Remote(Profile_Total_loop_73_first, Profile_Total_loop_73_last, in_ref_2)));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (Profile_Total_loop_73_refs.size() >= 64)
        ray::Wait(std::vector{Profile_Total_loop_73_refs[Profile_Total_loop_73_refs.size() - 64]}, 1, -1);
    }
    while (!Profile_Total_loop_73_refs.empty()) {
      const auto Profile_Total_loop_73_results = ray::Get(std::move(Profile_Total_loop_73_refs.front()));
      Profile_Total_loop_73_refs.pop_front();
      for (const auto &Profile_Total_loop_73_iteration : *Profile_Total_loop_73_results) {
        total += Profile_Total_loop_73_iteration.total;
      }
    }
#line 77
    return total;
  }

 private:
  struct Cell {
    double value;
  };
  int n_;
  std::vector<double> values_;
  double scale_;
};

static int rayify_original_main() {
  const Profile profile(24);
  std::vector<double> relaxed = profile.Relaxed();
  std::vector<double> squares = profile.Squares();
  std::vector<double> scaled = profile.Scaled();
  std::vector<double> cells = profile.Cells();
  std::printf("relaxed %.12f %.12f\n", relaxed[0], relaxed[23]);
  std::printf("squares %.12f %.12f\n", squares[1], squares[22]);
  std::printf("scaled %.12f cells %.12f\n", scaled[5], cells[6]);
  std::printf("walk %.12f\n", profile.Walk(relaxed));
  std::printf("total %.12f\n", Profile::Total(squares));
  return 0;
}

RAY_REMOTE(relax, Profile_Squares_loop_33_chunk, Profile_Walk_loop_43, Profile_Total_loop_73_chunk);

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
