// About 20 s of sequential work in 48 independent steps of 0.4 s: the Ray benchmark's
// workload, long enough that a cluster's fixed costs (worker start-up) are a small part.
#include <cmath>
#include <cstdio>
#include <vector>

double Anneal(int seed, long steps) {
  double x = 0.15 + 0.003 * seed;
  for (long k = 0; k < steps; ++k) x = 3.8 * x * (1.0 - x) + 1e-9 * std::sin(x * k);
  return x;
}

int main() {
  std::vector<double> annealed;
  for (int i = 0; i < 48; ++i) annealed.push_back(Anneal(i, 16000000));
  double sum = 0.0;
  for (double value : annealed) sum += value;
  std::printf("48 steps, sum %.12f\n", sum);
  return 0;
}
