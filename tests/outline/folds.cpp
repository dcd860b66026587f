// Integer sums, minima and maxima updated in an inner loop, as in fannkuch-redux's
// checksum and maximum: each task folds its runs into one value (a sum modulo 2^64,
// the largest or smallest candidate) and the driver replays the statement once on it.
// The unsigned total wraps many times and the char total overflows its type, so the
// converted program prints the same only if the fold wraps exactly as the runs did.
// Some iterations offer no candidate at all. The double sum beside them still goes
// back run by run, to be added in the original order. Maxima and minima of doubles
// fold as well, with NaNs, infinities and signed zeros among the candidates, and so
// do argmax and argmin statements, with ties.
//
// The second loop has many cheap iterations, run in chunks: a statement run once per
// iteration folds across the chunk's iterations, so each chunk sends one result. The
// third has two statements changing one value, which must not be regrouped.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>

// A value in [0, 100000) from a seed, after some work: about 40 µs per call.
long sample(int seed)
{
    double x = 0.5 + seed * 1e-7;
    for (int r = 0; r < 20000; ++r)
        x = std::fmod(x * 3.9999 * (1.0 - x) + 1e-9, 1.0);
    return static_cast<long>(x * 100000.0);
}

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; ++d)
        if (n % d == 0)
            return false;
    return true;
}

static int digit_sum(long n)
{
    int s = 0;
    for (; n > 0; n /= 10)
        s += static_cast<int>(n % 10);
    return s;
}

int main()
{
    long signed_total = -7;
    unsigned wrapped = 4000000000u;
    char small_total = 0;
    int largest = INT_MIN;
    short highest = -1;
    long long lowest = LLONG_MAX;
    int below = 1 << 20;
    long count = 0;
    double mean = 0.0;
    // Maxima and minima of doubles fold too, as the first of the largest: NaNs are
    // never taken, and of +0.0 and -0.0 the earlier stays.
    double peak = -1.0;
    double signed_zero = -1.0;
    float least = std::numeric_limits<float>::infinity();
    double untouched = std::nan("");
    // These two must not fold: `>=` keeps the last of equal values (each task's first
    // zero is +0.0, every other -0.0), and std::max(e, t) takes the NaN that comes last.
    double last_zero = -1.0;
    double kept_nan = -1.0;
    // Argmax and argmin: each task keeps the one run its comparison would have kept
    // last: the first of equal values for `>`, the last for `>=`.
    int first_top = -1, first_top_at = -1, last_top = -1, last_top_at = -1;
    int bottom = 1000, bottom_k = -1, bottom_i = -1;
    double best_x = -1.0;
    int best_x_at = -1;
    bool best_x_seen = false;
    for (int k = 0; k < 24; k++) {
        for (int i = 0; i < k % 5 * 10; i++) {
            long v = sample(k * 50 + i);
            int w = static_cast<int>(v % 977) - 488;
            signed_total -= v - 50000;
            wrapped += static_cast<unsigned>(v) * 2654435761u;
            small_total = small_total + static_cast<char>(w);
            if (w >= largest) largest = w;
            short s = static_cast<short>(w / 3);
            if (highest < s) highest = s;
            lowest = std::min(lowest, static_cast<long long>(v) - 3);
            if (v % 3 == 0) below = std::min(w, below);
            count += v > 50000;
            mean += v * 1e-5;
            double x = v % 89 == 0 ? std::nan("") : (v % 7 == 0 ? -HUGE_VAL : v * 1e-3);
            if (x > peak)
                peak = x;
            double z = v % 2 == 0 ? 0.0 : -0.0;
            signed_zero = std::max(signed_zero, z);
            float f = v % 83 == 0 ? std::nanf("") : static_cast<float>(w) * 0.5f;
            if (least > f)
                least = f;
            untouched = std::min(untouched, x);
            double tie = i == 0 ? 0.0 : -0.0;
            if (tie >= last_zero)
                last_zero = tie;
            double maybe = k == 23 && i == 29 ? std::nan("") : tie;
            kept_nan = std::max(maybe, kept_nan);
            int at = k * 100 + i;
            int level = w / 100;
            if (level > first_top) {
                first_top = level;
                first_top_at = at;
            }
            if (last_top <= level) {
                last_top = level;
                last_top_at = at;
            }
            if (level < bottom) {
                bottom = level;
                bottom_k = k;
                bottom_i = i;
            }
            double y = v % 5 == 0 ? tie : x;
            if (y > best_x) {
                best_x = y;
                best_x_at = at;
                best_x_seen = true;
            }
        }
    }
    std::printf("signed_total = %ld\n", signed_total);
    std::printf("wrapped = %u\n", wrapped);
    std::printf("small_total = %d\n", small_total);
    std::printf("largest = %d, highest = %d\n", largest, highest);
    std::printf("lowest = %lld, below = %d\n", lowest, below);
    std::printf("count = %ld, mean = %.17g\n", count, mean);
    std::printf("peak = %.17g, signed_zero = %g, least = %.9g, untouched = %g\n", peak,
                signed_zero, least, untouched);
    std::printf("last_zero = %g, kept_nan = %g\n", last_zero, kept_nan);
    std::printf("first_top = %d at %d, last_top = %d at %d, bottom = %d at %d/%d\n",
                first_top, first_top_at, last_top, last_top_at, bottom, bottom_k, bottom_i);
    std::printf("best_x = %g at %d (%d)\n", best_x, best_x_at, best_x_seen);

    long primes = 0;
    unsigned short digits = 0;
    int widest = 0;
    for (long n = 0; n < 400000; ++n) {
        if (is_prime(n))
            ++primes;
        int s = digit_sum(n * 7919);
        digits += s;
        if (s > widest)
            widest = s;
    }
    std::printf("primes = %ld, digits = %d, widest = %d\n", primes, digits, widest);

    // Two statements without parts change one value: replayed run by run in order, as
    // tripling and adding one do not commute, so these chunks send every iteration.
    unsigned mixed = 1;
    for (long n = 0; n < 400000; ++n) {
        int s = digit_sum(n * 7919);
        if (s % 3 == 0)
            mixed *= 3;
        if (s % 5 == 0)
            mixed += 1;
    }
    std::printf("mixed = %u\n", mixed);
    return 0;
}
