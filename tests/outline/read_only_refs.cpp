// Tables handed around by plain reference, the way benchmark code is written: the
// helpers take `std::array<long, 16> &` and `std::vector<double> &` without const
// and only read through them, so each task reads a copy of its own. The outer loop
// steps by a block size the loop never changes (fannkuch's blocks), and folds a sum
// and a maximum, which the driver replays in order. One helper's work is SSE2
// arithmetic, which every x86-64 compiler has without flags.
#include <array>
#include <cstdio>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

using Table = std::array<long, 16>;

Table Factorials(int n) {
    Table f{};
    f[0] = 1;
    for (int i = 1; i <= n; ++i) f[i] = f[i - 1] * i;
    return f;
}

// Digits of `index` in the factorial number system, read from the table.
long DigitSum(Table &factorials, long index, int n) {
    long sum = 0;
    for (int i = n - 1; i >= 0; --i) {
        sum += index / factorials[i];
        index %= factorials[i];
    }
    return sum;
}

// Smooths `weights` over many passes, two lanes at a time.
double Smooth(std::vector<double> &weights, long start) {
    double out[2] = {0.0, 0.0};
#if defined(__SSE2__)
    __m128d acc = _mm_set_pd(weights[1], weights[0]);
    const __m128d keep = _mm_set1_pd(0.999), push = _mm_set1_pd(1e-3 * (start % 7));
    for (int k = 0; k < 4000; ++k) acc = _mm_add_pd(_mm_mul_pd(acc, keep), push);
    _mm_storeu_pd(out, acc);
#else
    out[0] = weights[0];
    out[1] = weights[1];
    for (int k = 0; k < 4000; ++k) {
        out[0] = out[0] * 0.999 + 1e-3 * (start % 7);
        out[1] = out[1] * 0.999 + 1e-3 * (start % 7);
    }
#endif
    return out[0] + out[1];
}

int main(int argc, char **) {
    const int n = 9;
    Table factorials = Factorials(n);
    std::vector<double> weights = {0.25, 0.75};
    const long block = factorials[n] / (20 + argc);  // known only at run time
    long checksum = 0;
    long widest = 0;
    double smoothed = 0.0;
    for (long start = 0; start < factorials[n]; start += block) {
        long local = 0;
        for (long index = start; index < start + block && index < factorials[n]; ++index)
            local += DigitSum(factorials, index, n) % 5;
        checksum += local;
        if (local > widest) widest = local;
        smoothed += Smooth(weights, start);
    }
    std::printf("blocks of %ld: checksum %ld, widest %ld, smoothed %.9f\n", block, checksum,
                widest, smoothed);
    return 0;
}
