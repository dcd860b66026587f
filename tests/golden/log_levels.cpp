// Counts log levels and the busiest components over a set of synthetic log shards.
// Shards are counted independently; merging the counts must stay sequential.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

// Converted by rayify from log_levels.cpp: independent loops run as Ray tasks, stateful
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

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 9
uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

std::string make_shard(int shard, int lines)
{
    static const char* const levels[] = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    static const char* const components[] = {"db", "http", "cache", "auth", "queue", "scheduler"};
    std::string text;
    for (int i = 0; i < lines; ++i) {
        uint64_t r = mix(static_cast<uint64_t>(shard) * 1000003 + i);
        text += "2026-11-22T10:00:00 ";
        text += levels[r % 6];
        text += " [";
        text += components[(r >> 8) % 6];
        text += "] request ";
        text += std::to_string(r % 100000);
        text += "\n";
    }
    return text;
}

// level and component counts of one shard, keyed "level:X" and "component:Y"
std::map<std::string, int> count_shard(const std::string& shard)
{
    std::map<std::string, int> counts;
    size_t pos = 0;
    while (pos < shard.size()) {
        size_t end = shard.find('\n', pos);
        size_t level_begin = shard.find(' ', pos) + 1;
        size_t level_end = shard.find(' ', level_begin);
        size_t comp_begin = shard.find('[', level_end) + 1;
        size_t comp_end = shard.find(']', comp_begin);
        ++counts["level:" + shard.substr(level_begin, level_end - level_begin)];
        ++counts["component:" + shard.substr(comp_begin, comp_end - comp_begin)];
        pos = end + 1;
    }
    return counts;
}

static int rayify_original_main()
{
    std::vector<std::string> shards;
    std::vector<ray::ObjectRef<std::string>> shards_refs;
#line 56
    for (int s = 0; s < 12; ++s)
        shards_refs.push_back(rayify_copy_of(ray::Task(make_shard).SetResource("CPU", 1).Remote(s, 120000)));

    std::vector<std::map<std::string, int>> shard_counts;
    std::vector<ray::ObjectRef<std::map<std::string, int>>> shard_counts_refs;
    // Each task gets its 'shard' as the object ref the loop at line 56 made for it:
    // it waits for it on its worker, and the driver does not pass 'shards' on.
#line 60
    for (const auto &shard : shards_refs) {
        shard_counts_refs.push_back(rayify_copy_of(ray::Task(count_shard).SetResource("CPU", 1).Remote(shard)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (shard_counts_refs.size() >= 64)
            ray::Wait(std::vector{shard_counts_refs[shard_counts_refs.size() - 64]}, 1, -1);
    }
    for (auto &shard_counts_value : ray::Get(shard_counts_refs))
        shard_counts.push_back(std::move(*shard_counts_value));

#line 63
    std::map<std::string, int> totals;
    for (const auto& counts : shard_counts)
        for (const auto& [key, n] : counts)
            totals[key] += n;

    for (const auto& [key, n] : totals)
        std::printf("%-22s %8d\n", key.c_str(), n);
    return 0;
}

RAY_REMOTE(make_shard, count_shard);

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
