// Constants the program computes once it runs and its helpers read, the way NPB's
// exact_solution() reads `ce`: set_constants() fills `ce` and `scale` from the command
// line, and every iteration of the loops below calls a helper that reads them. A task
// reads its own process's copy of a global, so each task installs the driver's values
// before its iteration runs. What must convert: a field filled through scratch that
// exact() fills whole before anything reads it, declared at the top of the function
// the C way (`exact(..., temp)`: each task keeps its own `temp`), and a loop that
// reads `scale` itself as well as through its helper. What must not: a loop that
// changes `scale` while its helper reads it.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define NX 256
#define NY 48

static double ce[5][13];
static double scale = 1.0;
static double (*u)[NY][5] = (double (*)[NY][5])malloc(sizeof(double) * NX * NY * 5);

static void set_constants(int seed) {
    for (int m = 0; m < 5; ++m)
        for (int n = 0; n < 13; ++n) ce[m][n] = 0.1 * (m + 1) + 0.01 * n + 0.001 * seed;
    scale = 0.5 + 0.25 * seed;
}

static void exact(double xi, double eta, double *out) {
    for (int m = 0; m < 5; ++m) {
        double v = ce[m][0];
        for (int n = 1; n < 13; ++n) v = v * xi + ce[m][n] * std::cos(eta * n);
        out[m] = v * scale;
    }
}

static double settle(int i) {
    double x = 0.25 + 0.5 * ce[i % 5][i % 13] / (1.0 + ce[i % 5][i % 13]);
    for (int k = 0; k < 20000; ++k) x = 3.6 * x * (1.0 - x) * scale / scale;
    return x;
}

static void initialize(int nx) {
    int i, j, m;
    double xi, temp[5];
    for (i = 0; i < nx; i++) {
        xi = i / (double)(NX - 1);
        for (j = 0; j < NY; j++) {
            exact(xi, j / (double)(NY - 1), temp);
            for (m = 0; m < 5; m++) u[i][j][m] = temp[m];
        }
    }
    // The scratch is filled again before this reads it: the loop's last is dead.
    exact(0.0, 0.0, temp);
    u[0][0][0] += temp[4];
}

int main(int argc, char **argv) {
    (void)argv;
    set_constants(argc + 1);
    initialize(NX);
    double sums[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i < NX; ++i)
        for (int j = 0; j < NY; ++j)
            for (int m = 0; m < 5; ++m) sums[m] += u[i][j][m];
    for (int m = 0; m < 5; ++m) std::printf("field %d: %.10e\n", m, sums[m]);

    int n = 16 * (argc + 1);
    std::vector<double> settled(n);
    for (int i = 0; i < n; ++i) settled[i] = settle(i) * scale;
    double total = 0;
    for (double x : settled) total += x;
    std::printf("settled: %.12f\n", total);

    std::vector<double> drifting(n);
    for (int i = 0; i < n; ++i) {
        scale = 1.0 + 0.001 * i;
        drifting[i] = settle(i);
    }
    total = 0;
    for (double x : drifting) total += x;
    std::printf("drifting: %.12f\n", total);
    return 0;
}
