// Compiles only with -DROUNDS=<n> (rayify --extra-arg), as a program built with
// flags and no compilation database: the flag must reach the parse, the compile check
// and verify's builds alike.
#include <cstdio>
#include <vector>

double work(int seed) {
    double x = seed;
    for (int i = 0; i < ROUNDS; ++i) x = x * 0.999999 + 1e-6 * i;
    return x;
}

int main() {
    std::vector<double> results;
    for (int i = 0; i < 8; ++i)
        results.push_back(work(i));
    for (double r : results) std::printf("%.6f\n", r);
    return 0;
}
