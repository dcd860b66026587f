// A sweep of independent steps of about half a second each: long enough for a test
// to lose a node while some of them run there.
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
  for (int i = 0; i < 24; ++i) settled.push_back(Settle(i, 20000000));
  double sum = 0.0;
  for (int i = 0; i < 24; ++i) {
    std::printf("step %2d: %.12f\n", i, settled[i]);
    sum += settled[i];
  }
  std::printf("sum: %.12f\n", sum);
  return 0;
}
