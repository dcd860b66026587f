// A program whose output names its own source lines, as logging macros do: the
// converted file adds a struct, a task function and a new main above lines that
// print __LINE__, and must print the same numbers. What must convert: the loop;
// every TRACE must print the line it stands on in this file.
#include <cstdio>
#include <vector>

#define TRACE(what) std::printf("line %d: %s\n", __LINE__, what)

static double settle(int seed) {
    double x = seed;
    for (int k = 0; k < 2000000; ++k) x = x * 0.999999 + 1e-6 * (k % 7);
    return x;
}

int main(int argc, char **) {
    TRACE("start");
    int n = 24 * argc;
    std::vector<double> totals(n);
    for (int i = 0; i < n; ++i) {
        double a = settle(i);
        totals[i] = a * a;
    }
    TRACE("settled");
    double sum = 0;
    for (double t : totals) sum += t;
    std::printf("%.6f\n", sum);
    TRACE("done");
    return 0;
}
