// Loops whose iterations catch what they throw: a try with a catch (...) that stores
// the iteration's own element either way, a handler of the class the body throws, a
// handler of std::exception counting what a function throws (a class deriving from
// std::runtime_error), and one that throws again (which must stay sequential: the
// loop stops at the first failure, and the catch outside prints where).
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
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

struct BadSample : std::runtime_error {
    explicit BadSample(int at) : std::runtime_error("bad sample " + std::to_string(at)) {}
};

// Every seventh seed fails after doing its work.
double measure(int seed)
{
    double x = settle(seed);
    if (seed % 7 == 3) throw BadSample(seed);
    return x;
}

int main(int argc, char **)
{
    const int n = 40 * argc;  // known only at run time: the loops run in chunks
    std::vector<double> levels(n);
    for (int i = 0; i < n; ++i) {
        try {
            levels[i] = measure(i);
        } catch (...) {
            levels[i] = -1.0;
        }
    }

    std::vector<double> scaled(n, 0.0);
    for (int i = 0; i < n; ++i) {
        try {
            double x = settle(i + 100);
            if (x < 0.5) throw BadSample(i);
            scaled[i] = x * 2.0;
        } catch (const std::exception &) {
            scaled[i] = 0.0;
        }
    }

    int failed = 0;
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        try {
            total += measure(i + 200);
        } catch (const std::exception &) {
            ++failed;
        }
    }

    std::vector<double> strict(n, 0.0);
    try {
        for (int i = 0; i < n; ++i) {
            try {
                strict[i] = measure(i + 300);
            } catch (...) {
                strict[i] = -2.0;
                throw;
            }
        }
    } catch (const std::exception &e) {
        std::printf("stopped: %s\n", e.what());
    }

    for (int i = 0; i < n; i += 5)
        std::printf("%d %.9f %.9f %.9f\n", i, levels[i], scaled[i], strict[i]);
    std::printf("failed %d, total %.17g\n", failed, total);
    return 0;
}
