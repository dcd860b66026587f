// Counts log levels and the busiest components over a set of synthetic log shards.
// Shards are counted independently; merging the counts must stay sequential.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
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

int main()
{
    std::vector<std::string> shards;
    for (int s = 0; s < 12; ++s)
        shards.push_back(make_shard(s, 120000));

    std::vector<std::map<std::string, int>> shard_counts;
    for (const auto& shard : shards)
        shard_counts.push_back(count_shard(shard));

    std::map<std::string, int> totals;
    for (const auto& counts : shard_counts)
        for (const auto& [key, n] : counts)
            totals[key] += n;

    for (const auto& [key, n] : totals)
        std::printf("%-22s %8d\n", key.c_str(), n);
    return 0;
}
