// Total and longest Collatz trajectories over consecutive ranges of starting values.
// The totals are reductions: each range is summed on its own, then the partial sums
// are added in range order.
#include <cstdint>
#include <cstdio>

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

int main()
{
    const long long block = 90000;
    const int blocks = 16;

    long long total_steps = 0;
    for (int b = 0; b < blocks; ++b)
        total_steps += steps_in_range(1 + b * block, 1 + (b + 1) * block);

    double sum_of_means = 0.0;
    for (int b = 0; b < blocks; ++b)
        sum_of_means += mean_steps(1 + b * block, 1 + (b + 1) * block);

    std::printf("starts 1..%lld: %lld Collatz steps in total\n", blocks * block, total_steps);
    std::printf("mean of the block means: %.12f\n", sum_of_means / blocks);
    return 0;
}
