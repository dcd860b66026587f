// Scratch filled in part, the way NPB's EP and MG keep it. Each batch seeds a
// generator, has generate() fill the first 2 * PAIRS elements of a global block
// (which holds one more), and tallies the pairs that land in the unit disc: sums in
// order, a histogram by annulus. Each row of a smoothing pass fills a local row over
// a run-time width and reads it one element further along. What must convert: both
// loops, each task keeping its own block and row. What must not: the last loop, which
// reads the element generate() leaves out of another block.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#define PAIRS 4096
#define BLOCK ((2 * PAIRS) + 1)
#define BANDS 8

static double (*block) = (double *)malloc(sizeof(double) * (BLOCK));
static double bands[BANDS];
static double (*spare) = (double *)malloc(sizeof(double) * (BLOCK));

// A multiplicative congruential generator: `n` numbers in [0, 1) from `*seed`.
static void generate(int n, double *seed, double *out) {
    double s = *seed;
    for (int i = 0; i < n; i++) {
        s = std::fmod(s * 16807.0, 2147483647.0);
        out[i] = s / 2147483647.0;
    }
    *seed = s;
}

int main(int argc, char **argv) {
    double seed, x1, x2, r, sx = 0.0, sy = 0.0;
    int i, k, band;
    for (i = 0; i < BLOCK; i++) block[i] = spare[i] = -1.0;
    seed = 1.0;
    generate(0, &seed, block);

    for (k = 0; k < 48; k++) {
        seed = 1.0 + 977.0 * k;
        for (i = 0; i < 20; i++) generate(PAIRS, &seed, block);
        generate(2 * PAIRS, &seed, block);
        for (i = 0; i < PAIRS; i++) {
            x1 = 2.0 * block[2 * i] - 1.0;
            x2 = 2.0 * block[2 * i + 1] - 1.0;
            r = x1 * x1 + x2 * x2;
            if (r <= 1.0) {
                band = (int)(std::sqrt(r) * BANDS);
                bands[band] += 1.0;
                sx = sx + x1 * std::sqrt(-2.0 * std::log(r + 1e-300) / (r + 1e-300));
                sy = sy + x2;
            }
        }
    }
    std::printf("sums %.15e %.15e\n", sx, sy);
    for (band = 0; band < BANDS; band++) std::printf("band %d: %.0f\n", band, bands[band]);

    int width = argc + 62;
    double row[80];
    static double smooth[24][80];
    int i1;
    for (k = 0; k < 24; k++) {
        for (i1 = 0; i1 < width; i1++) {
            double v = 0.0;
            for (int step = 0; step < 4000; step++) v += std::sin(0.001 * (k * 80 + i1) + step);
            row[i1] = v;
        }
        for (i1 = 0; i1 < width - 1; i1++) smooth[k][i1] = 0.5 * (row[i1] + row[i1 + 1]);
    }
    std::printf("smooth %.12f %.12f\n", smooth[3][10], smooth[23][width - 2]);

    double tail = 0.0;
    for (k = 0; k < 16; k++) {
        seed = 5.0 + k;
        for (i = 0; i < 20; i++) generate(PAIRS, &seed, spare);
        generate(2 * PAIRS, &seed, spare);
        tail += spare[2 * PAIRS] + spare[k];
    }
    std::printf("tail %.12f\n", tail);
    return 0;
}
