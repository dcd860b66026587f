// Renders a Mandelbrot image in tiles and prints a coarse ASCII preview with the
// escape-time histogram. Rendering a tile is heavy and asks for a whole CPU and some
// memory, which the annotation passes on to Ray's scheduler.
#include <cstdio>
#include <vector>

// Converted by rayify from mandelbrot_tiles.cpp: independent loops run as Ray tasks, stateful
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
#include <sys/resource.h>

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

#line 7
struct Tile {
    int row;
    int col;
    int size;
    MSGPACK_DEFINE(row, col, size);
    auto rayify_fields() { return std::tie(row, col, size); }  // for rayify's runtime
};

#line 13
// rayify: resources(CPU=1, memory=64MB)
std::vector<int> render_tile(const Tile& tile, int width, int height, int max_iter)
{
    std::vector<int> counts(tile.size * tile.size);
    for (int y = 0; y < tile.size; ++y) {
        for (int x = 0; x < tile.size; ++x) {
            double cr = -2.2 + 3.2 * (tile.col * tile.size + x) / width;
            double ci = -1.2 + 2.4 * (tile.row * tile.size + y) / height;
            double zr = 0.0, zi = 0.0;
            int n = 0;
            while (n < max_iter && zr * zr + zi * zi < 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                ++n;
            }
            counts[y * tile.size + x] = n;
        }
    }
    return counts;
}

static int rayify_original_main()
{
    const int tile_size = 128, rows = 4, cols = 6, max_iter = 1500;
    const int width = cols * tile_size, height = rows * tile_size;

    std::vector<Tile> tiles;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            tiles.push_back(Tile{r, c, tile_size});

    std::vector<std::vector<int>> rendered;
    std::vector<ray::ObjectRef<std::vector<int>>> rendered_refs;
    // The first element runs here, timed: the others are tasks only if it took 1000 us or more.
    rayify_iteration_trial rendered_trial(tiles.size() > 64, 1000, 0);
#line 46
    for (const Tile& tile : tiles) {
        if (rendered_trial.Here()) rendered.push_back(render_tile(tile, width, height, max_iter)); else rendered_refs.push_back(rayify_copy_of(ray::Task(render_tile).SetResource("CPU", 1).SetResource("memory", 67108864).Remote(tile, width, height, max_iter)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (rendered_refs.size() >= 64)
            ray::Wait(std::vector{rendered_refs[rendered_refs.size() - 64]}, 1, -1);
    }
    for (auto &rendered_value : ray::Get(rendered_refs))
        rendered.push_back(std::move(*rendered_value));

#line 49
    long long histogram[4] = {0, 0, 0, 0};
    for (size_t t = 0; t < tiles.size(); ++t)
        for (int n : rendered[t])
            ++histogram[n >= max_iter ? 3 : n > 50 ? 2 : n > 10 ? 1 : 0];

    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const std::vector<int>& counts = rendered[r * cols + c];
            long long inside = 0;
            for (int n : counts)
                inside += n >= max_iter;
            std::printf("%c", inside > tile_size * tile_size / 4 ? '#' : inside > 0 ? '+' : '.');
        }
        std::printf("\n");
    }
    std::printf("escape-time histogram: fast %lld, medium %lld, slow %lld, inside %lld\n", histogram[0],
                histogram[1], histogram[2], histogram[3]);
    return 0;
}

RAY_REMOTE(render_tile);

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
