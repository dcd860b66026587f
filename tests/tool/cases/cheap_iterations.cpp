// Loops with a task per iteration whose length the driver cannot ask before they run
// (a counter stepped by two, a while loop, a range-for giving each element back), and
// whose work the cost model cannot bound (their callee walks a container sized at run
// time), for the command-line tests: each sends 8 iterations to the tasks, then times
// one in the driver. With no argument an iteration is a few operations and the rest
// stay in the driver; with one it is milliseconds and the rest go to tasks.
#include <cstdio>
#include <vector>

static double weigh(const std::vector<double> &weights, int i) {
    double sum = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) sum += weights[k] * (i % 7 + k % 3);
    return sum;
}

int main(int argc, char **) {
    const int n = argc > 0 ? 48 : 0;  // known only at run time
    std::vector<double> weights(argc > 1 ? 2000000 : 4, 0.5);
    std::vector<double> stepped(n);
    for (int i = 0; i < n; i += 2) stepped[i] = weigh(weights, i);
    std::vector<double> counted(n / 2);
    int j = 0;
    while (j < n / 2) {
        counted[j] = weigh(weights, j) - j;
        ++j;
    }
    std::vector<double> walked(n / 2, 1.0);
    for (double &x : walked) x = weigh(weights, static_cast<int>(x) + 1);
    double total = 0;
    for (double x : stepped) total += x;
    for (double x : counted) total += x;
    for (double x : walked) total += x;
    std::printf("%.3f\n", total);
    return 0;
}
