// Histograms filled in an inner loop, as in NPB EP's acceptance-rejection loop: every
// run on one bin is the same operation (`q[l] += 1.0`, `counts[b]++`), so each task
// returns how many times it ran per bin and the driver repeats the statement that many
// times. A bin of doubles counts far past where adding 1.0 still changes it, so the
// converted program prints the same only if every run is replayed. The sums beside
// them still go back value by value, to be added in the original order.
#include <cmath>
#include <cstdio>

static double q[10];

// A deviate in [0, 1) from a seed, after some work: about 40 µs per call.
double deviate(int seed)
{
    double x = 0.5 + seed * 1e-7;
    for (int r = 0; r < 20000; ++r)
        x = std::fmod(x * 3.9999 * (1.0 - x) + 1e-9, 1.0);
    return x;
}

int main()
{
    int counts[16] = {};
    double sx = 0.0;
    q[2] = 9007199254740990.0;  // 2^53 - 2: past 2^53, adding 1.0 changes nothing
    for (int k = 0; k < 24; k++) {
        for (int i = 0; i < 40; i++) {
            double x = deviate(k * 40 + i);
            int l = static_cast<int>(x * 10.0);
            q[l] += 1.0;
            counts[(k + l) % 16]++;
            sx = sx + x * 0.001;
        }
    }
    for (int l = 0; l < 10; l++)
        std::printf("q[%d] = %.17g\n", l, q[l]);
    for (int b = 0; b < 16; b++)
        std::printf("counts[%d] = %d\n", b, counts[b]);
    std::printf("sx = %.17g\n", sx);
    return 0;
}
