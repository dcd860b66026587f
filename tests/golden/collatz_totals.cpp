// Total and longest Collatz trajectories over consecutive ranges of starting values.
// The totals are reductions: each range is summed on its own, then the partial sums
// are added in range order.
#include <cstdint>
#include <cstdio>

// Converted by rayify from collatz_totals.cpp: independent loops run as Ray tasks.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdlib>
#include <utility>
#include <vector>

// total number of Collatz steps for every start in [lo, hi)
long long steps_in_range(long long lo, long long hi)
{
    long long total = 0;
    for (long long start = lo; start < hi; ++start) {
        uint64_t n = static_cast<uint64_t>(start);
        while (n != 1) {
            n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
            ++total;
        }
    }
    return total;
}

// mean trajectory length in [lo, hi), as a floating-point value
double mean_steps(long long lo, long long hi)
{
    return static_cast<double>(steps_in_range(lo, hi)) / static_cast<double>(hi - lo);
}

static int rayify_original_main()
{
    const long long block = 90000;
    const int blocks = 16;

    long long total_steps = 0;
    std::vector<ray::ObjectRef<long long>> total_steps_refs;
    for (int b = 0; b < blocks; ++b)
        total_steps_refs.push_back(ray::Task(steps_in_range).Remote(1 + b * block, 1 + (b + 1) * block));
    for (auto &total_steps_term : ray::Get(total_steps_refs))
        total_steps += *total_steps_term;

    double sum_of_means = 0.0;
    std::vector<ray::ObjectRef<double>> sum_of_means_refs;
    for (int b = 0; b < blocks; ++b)
        sum_of_means_refs.push_back(ray::Task(mean_steps).Remote(1 + b * block, 1 + (b + 1) * block));
    for (auto &sum_of_means_term : ray::Get(sum_of_means_refs))
        sum_of_means += *sum_of_means_term;

    std::printf("starts 1..%lld: %lld Collatz steps in total\n", blocks * block, total_steps);
    std::printf("mean of the block means: %.12f\n", sum_of_means / blocks);
    return 0;
}

RAY_REMOTE(steps_in_range, mean_steps);

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
