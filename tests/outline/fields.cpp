// Loops in the style of the NAS Parallel Benchmarks: fields in file-scope C arrays
// that the program changes, counters and scratch declared at the top of each
// function, a generator that writes its seed through a pointer, and the solver's
// routines reached from main through a time step. What must convert: the rows of
// the right-hand side (reading the field, a private inner counter and scratch), the
// per-column forcing seeded afresh each iteration. What must not: the seed carried
// from one iteration to the next, a cheap update, and a scratch array a helper fills.
#include <cmath>
#include <cstdio>

#define NX 24
#define NY 24

static double field[NX][NY];
static double rhs[NX][NY];
static double forcing[NY];
static int steps_taken;

// NPB's generator shape: the next number, and the seed moved on through a pointer.
static double next_random(double *seed, double a) {
    double x = *seed;
    for (int k = 0; k < 2000; ++k)
        x = std::fmod(x * a + 0.123456789, 1.0);
    *seed = x;
    return x;
}

// Fills four values of the exact solution at a point, as NPB's exact() does.
static void exact(int i, int j, double *out) {
    for (int m = 0; m < 4; ++m)
        out[m] = std::sin(0.1 * (i + 1) * (m + 1)) * std::cos(0.07 * (j + 1));
}

static void init_fields() {
    int i, j;
    double seed = 0.314159;
    for (i = 0; i < NX; i++)
        for (j = 0; j < NY; j++)
            field[i][j] = next_random(&seed, 3.7);
    double t;
    for (j = 0; j < NY; j++) {
        t = 0.5 + j * 0.01;
        forcing[j] = next_random(&t, 3.9) + next_random(&t, 3.1);
    }
}

static void compute_rhs() {
    int i, j, m;
    double s;
    for (i = 1; i < NX - 1; i++) {
        for (j = 1; j < NY - 1; j++) {
            s = 0.0;
            for (m = 1; m <= 3000; m++)
                s += std::sin(m * field[i][j]) / m;
            rhs[i][j] = s + field[i - 1][j] + field[i + 1][j] - 2.0 * field[i][j] + forcing[j];
        }
    }
}

static void relax() {
    int i, j;
    for (i = 1; i < NX - 1; i++)
        for (j = 1; j < NY - 1; j++)
            field[i][j] += 0.01 * rhs[i][j];
    steps_taken++;
}

static void time_step() {
    compute_rhs();
    relax();
}

static double error_norm() {
    int i, j;
    double temp[4];
    double total = 0.0;
    for (i = 0; i < NX; i++)
        for (j = 0; j < NY; j++) {
            exact(i, j, temp);
            total += (field[i][j] - temp[0]) * (field[i][j] - temp[0]);
        }
    return std::sqrt(total / (NX * NY));
}

int main() {
    init_fields();
    for (int step = 0; step < 3; step++)
        time_step();
    std::printf("steps %d, field[7][9] = %.12f, rhs[5][5] = %.12f\n", steps_taken, field[7][9],
                rhs[5][5]);
    std::printf("error norm %.12f\n", error_norm());
    return 0;
}
