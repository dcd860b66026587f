// Loops whose work the cost model cannot bound (their callee walks a container sized
// at run time) for the command-line tests, one counted and one over a container: with
// no argument each iteration is a few operations and the driver keeps both loops after
// trying them; with one it is thousands and the iterations go to tasks.
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
    std::vector<int> seeds(n / 10, 3);
    std::vector<double> more;
    for (int seed : seeds) more.push_back(weigh(weights, seed));
    double total = 0;
    for (double x : out) total += x;
    for (double x : more) total += x;
    std::printf("%.3f\n", total);
    return 0;
}
