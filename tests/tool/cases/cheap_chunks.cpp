// A loop whose work the cost model cannot bound (its callee walks a container sized
// at run time) for the command-line tests: with no argument each iteration is a few
// operations and the driver keeps the loop after trying it; with one it is thousands
// and the chunks go to tasks.
#include <cstdio>
#include <vector>

static double weigh(const std::vector<double> &weights, int i) {
    double sum = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) sum += weights[k] * (i % 7 + k % 3);
    return sum;
}

int main(int argc, char **) {
    const int n = 20000;
    std::vector<double> weights(argc > 1 ? 5000 : 4, 0.5);
    std::vector<double> out(n);
    for (int i = 0; i < n; ++i) out[i] = weigh(weights, i);
    double total = 0;
    for (double x : out) total += x;
    std::printf("%.3f\n", total);
    return 0;
}
