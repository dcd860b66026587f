// A sweep of independent steps of about a second each: long enough for a test to see,
// in Ray's state, one of them running on a node and kill that node while it runs.
#include <cmath>
#include <cstdio>
#include <vector>

double Settle(int seed, long steps) {
  double x = 0.2 + 0.005 * seed;
  for (long k = 0; k < steps; ++k) x = 3.7 * x * (1.0 - x) + 1e-9 * std::cos(x);
  return x;
}

int main() {
  std::vector<double> settled;
  for (int i = 0; i < 16; ++i) settled.push_back(Settle(i, 60000000));
  double sum = 0.0;
  for (int i = 0; i < 16; ++i) {
    std::printf("step %2d: %.12f\n", i, settled[i]);
    sum += settled[i];
  }
  std::printf("sum: %.12f\n", sum);
  return 0;
}
