// A sweep of independent steps of about two seconds each: long enough for a test to
// see, in Ray's state, one of them running on a node and kill that node while it runs,
// also on a loaded machine, where the state API's answers take seconds.
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
  for (int i = 0; i < 16; ++i) settled.push_back(Settle(i, 120000000));
  double sum = 0.0;
  for (int i = 0; i < 16; ++i) {
    std::printf("step %2d: %.12f\n", i, settled[i]);
    sum += settled[i];
  }
  std::printf("sum: %.12f\n", sum);
  return 0;
}
