// Arrays the C way: local pointers to blocks whose size comes from the command line
// (`malloc(sizeof(float) * size)`, `new double[n]`, `calloc`), some declared first
// and set once later. What must convert: a loop reading one block and storing into
// another, a loop updating each iteration's own element, a scatter through an index
// block, and a helper reading through a const pointer; each block the tasks read is
// sent once, its size taken where it was made. What must not: a block reached under
// a second name, one a helper writes through, one set twice, and a loop reading the
// element another iteration stores.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// Converted by rayify from local_blocks.cpp: independent loops run as Ray tasks, stateful
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
#include <cstddef>
#include <deque>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 14
static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

static double smoothed(const float *image, int size, int i) {
  double left = image[i > 0 ? i - 1 : i], right = image[i + 1 < size ? i + 1 : i];
  return series((left + image[i] + right) / 3, 30000);
}

static void blur_into(float *out, const float *in, int i) { out[i] = in[i] * 0.5f; }

// What one iteration of the loop at line 34 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_34_result {
  std::tuple<int, double> energy{};
  MSGPACK_DEFINE(energy);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(energy); }
};

// One iteration of the loop at line 34 of main(), run as a Ray task.
static main_loop_34_result main_loop_34(int i, const std::vector<float> &image_sent) {
  main_loop_34_result iteration_result;
  float *image = const_cast<float *>(image_sent.data());
  iteration_result.energy = std::make_tuple(i, (series(image[i], 30000) + image[i]));
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 34 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_34_result> main_loop_34_chunk(int chunk_begin, int chunk_end, const std::vector<float> &image_sent) {
  std::vector<main_loop_34_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_34(i, image_sent));
  return chunk_results;
}

// What one iteration of the loop at line 37 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_37_result {
  double energy{};
  int i{};
  MSGPACK_DEFINE(energy, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(energy, i); }
};

// One iteration of the loop at line 37 of main(), run as a Ray task.
static main_loop_37_result main_loop_37(int i, double energy_i) {
  main_loop_37_result iteration_result_2;
  do {
    energy_i = series(energy_i * 1e-2, 30000) - energy_i;
  } while (false);
  iteration_result_2.energy = std::move(energy_i);
  iteration_result_2.i = i;
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 37 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_37_result> main_loop_37_chunk(int chunk_begin, int chunk_end, std::vector<double> energy_chunk) {
  std::vector<main_loop_37_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_37(i, std::move(energy_chunk[i - chunk_begin])));
  return chunk_results;
}

// What one iteration of the loop at line 44 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_44_result {
  std::tuple<int, double> tally{};
  MSGPACK_DEFINE(tally);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(tally); }
};

// One iteration of the loop at line 44 of main(), run as a Ray task.
static main_loop_44_result main_loop_44(int i, const std::vector<int> &bin_sent, const std::vector<float> &image_sent_2) {
  main_loop_44_result iteration_result_3;
  int *bin = const_cast<int *>(bin_sent.data());
  float *image = const_cast<float *>(image_sent_2.data());
  iteration_result_3.tally = std::make_tuple(bin[i], series(image[i] + bin[i], 30000));
  return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 44 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_44_result> main_loop_44_chunk(int chunk_begin, int chunk_end, const std::vector<int> &bin_sent, const std::vector<float> &image_sent_2) {
  std::vector<main_loop_44_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_44(i, bin_sent, image_sent_2));
  return chunk_results;
}

// What one iteration of the loop at line 48 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_48_result {
  double total{};
  MSGPACK_DEFINE(total);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(total); }
};

// One iteration of the loop at line 48 of main(), run as a Ray task.
static main_loop_48_result main_loop_48(int i, const std::vector<float> &image_sent_3, int size) {
  main_loop_48_result iteration_result_4;
  float *image = const_cast<float *>(image_sent_3.data());
  iteration_result_4.total = smoothed(image, size, i);
  return iteration_result_4;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 48 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_48_result> main_loop_48_chunk(int chunk_begin, int chunk_end, const std::vector<float> &image_sent_3, int size) {
  std::vector<main_loop_48_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_48(i, image_sent_3, size));
  return chunk_results;
}

static int rayify_original_main(int argc, char **argv) {
#line 28
  int size = argc > 1 ? std::atoi(argv[1]) : 48;
  float *image = (float *)malloc(sizeof(float) * size);
  // How many elements 'image' holds: its tasks are sent a copy of them.
  const std::size_t image_count = static_cast<std::size_t>((sizeof(float) * size) / sizeof(float));
#line 30
  for (int i = 0; i < size; i++) image[i] = std::sin(i * 0.1f);

  // Reads one block, stores into another: the image is sent once.
  double *energy = new double[size];
  auto image_ref = ray::Put(std::vector<float>(image, image + image_count));
  std::deque<ray::ObjectRef<std::vector<main_loop_34_result>>> main_loop_34_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_34_chunk_size = std::max<int>(
    1, (size - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_34_first = 0; main_loop_34_first < size; main_loop_34_first += main_loop_34_chunk_size) {
    int main_loop_34_last = size - main_loop_34_first > main_loop_34_chunk_size ? main_loop_34_first + main_loop_34_chunk_size : size;
    main_loop_34_refs.push_back(rayify_copy_of(ray::Task(main_loop_34_chunk).SetResource("CPU", 1).Remote(main_loop_34_first, main_loop_34_last, image_ref)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_34_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_34_refs[main_loop_34_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_34_refs.empty()) {
    const auto main_loop_34_results = ray::Get(std::move(main_loop_34_refs.front()));
    main_loop_34_refs.pop_front();
    for (const auto &main_loop_34_iteration : *main_loop_34_results) {
      energy[std::get<0>(main_loop_34_iteration.energy)] = std::get<1>(main_loop_34_iteration.energy);
    }
  }

#line 36
  // Each iteration's own element, read and written.
  std::deque<ray::ObjectRef<std::vector<main_loop_37_result>>> main_loop_37_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_37_chunk_size = std::max<int>(
    1, (size - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_37_first = 0; main_loop_37_first < size; main_loop_37_first += main_loop_37_chunk_size) {
    int main_loop_37_last = size - main_loop_37_first > main_loop_37_chunk_size ? main_loop_37_first + main_loop_37_chunk_size : size;
    main_loop_37_refs.push_back(rayify_copy_of(ray::Task(main_loop_37_chunk).SetResource("CPU", 1).Remote(main_loop_37_first, main_loop_37_last,
      std::vector<double>(energy + main_loop_37_first, energy + main_loop_37_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_37_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_37_refs[main_loop_37_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_37_refs.empty()) {
    const auto main_loop_37_results = ray::Get(std::move(main_loop_37_refs.front()));
    main_loop_37_refs.pop_front();
    for (const auto &main_loop_37_iteration : *main_loop_37_results) {
      energy[main_loop_37_iteration.i] = main_loop_37_iteration.energy;
    }
  }

#line 39
  // Declared first, set once: scattered to through an index block, in order.
  int *bin;
  bin = (int *)calloc(size, sizeof(int));
  // How many elements 'bin' holds: its tasks are sent a copy of them.
  const std::size_t bin_count = static_cast<std::size_t>(size * sizeof(int) / sizeof(int));
#line 42
  for (int i = 0; i < size; i++) bin[i] = (i * 7) % 5;
  double *tally = new double[5]();
  auto bin_ref = ray::Put(std::vector<int>(bin, bin + bin_count));
  auto image_ref_2 = ray::Put(std::vector<float>(image, image + image_count));
  std::deque<ray::ObjectRef<std::vector<main_loop_44_result>>> main_loop_44_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_44_chunk_size = std::max<int>(
    1, (size - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_44_first = 0; main_loop_44_first < size; main_loop_44_first += main_loop_44_chunk_size) {
    int main_loop_44_last = size - main_loop_44_first > main_loop_44_chunk_size ? main_loop_44_first + main_loop_44_chunk_size : size;
    main_loop_44_refs.push_back(rayify_copy_of(ray::Task(main_loop_44_chunk).SetResource("CPU", 1).Remote(main_loop_44_first, main_loop_44_last, bin_ref, image_ref_2)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_44_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_44_refs[main_loop_44_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_44_refs.empty()) {
    const auto main_loop_44_results = ray::Get(std::move(main_loop_44_refs.front()));
    main_loop_44_refs.pop_front();
    for (const auto &main_loop_44_iteration : *main_loop_44_results) {
      tally[std::get<0>(main_loop_44_iteration.tally)] = std::get<1>(main_loop_44_iteration.tally);
    }
  }

#line 46
  // A helper reading through a const pointer runs in the task, on its copy.
  double total = 0;
  auto image_ref_3 = ray::Put(std::vector<float>(image, image + image_count));
  std::deque<ray::ObjectRef<std::vector<main_loop_48_result>>> main_loop_48_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_48_chunk_size = std::max<int>(
    1, (size - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int main_loop_48_first = 0; main_loop_48_first < size; main_loop_48_first += main_loop_48_chunk_size) {
    int main_loop_48_last = size - main_loop_48_first > main_loop_48_chunk_size ? main_loop_48_first + main_loop_48_chunk_size : size;
    main_loop_48_refs.push_back(rayify_copy_of(ray::Task(main_loop_48_chunk).SetResource("CPU", 1).Remote(main_loop_48_first, main_loop_48_last, image_ref_3, size)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_48_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_48_refs[main_loop_48_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_48_refs.empty()) {
    const auto main_loop_48_results = ray::Get(std::move(main_loop_48_refs.front()));
    main_loop_48_refs.pop_front();
    for (const auto &main_loop_48_iteration : *main_loop_48_results) {
      total += main_loop_48_iteration.total;
    }
  }

#line 50
  // Sequential: a second name for the block the loop stores into.
  double *alias = energy;
  for (int i = 0; i < size - 1; i++) energy[i] = series(alias[i + 1], 30000);

  // Sequential: a helper writes through the pointer it is given.
  float *blurred = new float[size];
  for (int i = 0; i < size; i++) blur_into(blurred, image, i);

  // Sequential: set twice, so no one block stands behind the pointer.
  double *twice = new double[size];
  std::memcpy(twice, energy, sizeof(double) * size);
  delete[] twice;
  twice = new double[size];
  for (int i = 0; i < size; i++) twice[i] = series(i, 30000);

  // Sequential: each iteration reads the element the one before stored.
  double *chain = new double[size];
  chain[0] = 1;
  for (int i = 1; i < size; i++) chain[i] = series(chain[i - 1], 30000);

  double sum = 0;
  for (int i = 0; i < size; i++) sum += energy[i] + blurred[i] + twice[i] + chain[i];
  std::printf("total %.9f sum %.9f\n", total, sum);
  for (int b = 0; b < 5; b++) std::printf("tally[%d] = %.9f\n", b, tally[b]);
  free(image);
  free(bin);
  delete[] energy;
  delete[] tally;
  delete[] blurred;
  delete[] twice;
  delete[] chain;
  return 0;
}

RAY_REMOTE(main_loop_34_chunk, main_loop_37_chunk, main_loop_44_chunk, main_loop_48_chunk);

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
