// Reductions written inline in a loop body: a sum of an expression, a product, a
// maximum and a minimum, the best value with its index, several accumulators at once
// and a histogram. Each accumulator must come out bit-identical to the sequential
// program's, so the driver combines the task results in the original order.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

// A damped oscillator integrated with many small steps: about a millisecond per call.
double settle(int seed)
{
    double x = 1.0 + seed * 0.01, v = 0.0;
    for (int step = 0; step < 200000; ++step) {
        double a = -x * (1.0 + 0.001 * seed) - 0.01 * v;
        v += a * 1e-4;
        x += v * 1e-4;
    }
    return x;
}

int main()
{
    const int n = 48;
    double total = 0.0, product = 1.0;
    double highest = -1e300, lowest = 1e300;
    double best = -1e300;
    int best_at = -1;
    long positives = 0;
    std::vector<int> histogram(8, 0);
    for (int i = 0; i < n; ++i) {
        double x = settle(i);
        total += x * x - 0.5 * x;
        product *= 1.0 + x / 64.0;
        highest = std::max(highest, x);
        lowest = std::min(x, lowest);
        if (x > best) {
            best = x;
            best_at = i;
        }
        if (x > 0)
            ++positives;
        int bucket = static_cast<int>(std::fabs(x) * 8.0) % 8;
        histogram[bucket] += 1;
    }
    std::printf("total %.17g\nproduct %.17g\n", total, product);
    std::printf("range [%.17g, %.17g]\n", lowest, highest);
    std::printf("best %.17g at %d, %ld positive\n", best, best_at, positives);
    for (int b = 0; b < 8; ++b)
        std::printf("bucket %d: %d\n", b, histogram[b]);
    return 0;
}
