// A small map loop for the command-line tests.
#include <cstdio>
#include <vector>

double work(int seed) {
    double x = seed;
    for (int i = 0; i < 200000; ++i) x = x * 0.999999 + 1e-6 * i;
    return x;
}

int main() {
    std::vector<double> results;
    for (int i = 0; i < 8; ++i)
        results.push_back(work(i));
    for (double r : results) std::printf("%.6f\n", r);
    return 0;
}
