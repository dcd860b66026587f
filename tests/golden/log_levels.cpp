// Counts log levels and the busiest components over a set of synthetic log shards.
// Shards are counted independently; merging the counts must stay sequential.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

// Converted by rayify from log_levels.cpp: independent loops run as Ray tasks.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdlib>
#include <utility>
#include <vector>

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
    for (int s = 0; s < 12; ++s)
        shards_refs.push_back(ray::Task(make_shard).Remote(s, 120000));
    for (auto &shards_value : ray::Get(shards_refs))
        shards.push_back(std::move(*shards_value));

    std::vector<std::map<std::string, int>> shard_counts;
    std::vector<ray::ObjectRef<std::map<std::string, int>>> shard_counts_refs;
    for (const auto& shard : shards) {
        shard_counts_refs.push_back(ray::Task(count_shard).Remote(shard));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (shard_counts_refs.size() >= 64)
            ray::Wait(std::vector{shard_counts_refs[shard_counts_refs.size() - 64]}, 1, -1);
    }
    for (auto &shard_counts_value : ray::Get(shard_counts_refs))
        shard_counts.push_back(std::move(*shard_counts_value));

    std::map<std::string, int> totals;
    for (const auto& counts : shard_counts)
        for (const auto& [key, n] : counts)
            totals[key] += n;

    for (const auto& [key, n] : totals)
        std::printf("%-22s %8d\n", key.c_str(), n);
    return 0;
}

RAY_REMOTE(make_shard, count_shard);

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and exceptions. Configured from the environment:
//   RAY_ADDRESS      cluster to join (empty, "auto" or "local": run locally)
//   RAY_NAMESPACE    namespace for named actors
//   RAY_RUNTIME_ENV  runtime environment as JSON, e.g. {"env_vars": {"A": "1"}}
int main(int argc, char **argv) {
  ray::RayConfig config;
  if (const char *address = std::getenv("RAY_ADDRESS")) config.address = address;
  if (const char *ray_namespace = std::getenv("RAY_NAMESPACE")) {
    config.ray_namespace = ray_namespace;
  }
  if (const char *runtime_env = std::getenv("RAY_RUNTIME_ENV")) {
    config.runtime_env = ray::RuntimeEnv::Deserialize(runtime_env);
  }
  ray::Init(config, argc, argv);
  std::atexit([] { ray::Shutdown(); });
  try {
    return rayify_original_main();
  } catch (...) {
    ray::Shutdown();
    throw;
  }
}
