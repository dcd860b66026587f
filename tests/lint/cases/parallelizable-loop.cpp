// parallelizable-loop: plain C++ loops rayify convert would turn into tasks.
#include <cstdio>
#include <vector>

double simulate(int seed) {
  double x = seed;
  for (int i = 0; i < 100000; ++i) x = x * 0.999 + 1e-3 * i;
  return x;
}

int g_total = 0;
int tally(int x) {
  g_total += x;
  for (int i = 0; i < x; ++i) g_total += i;
  return g_total;
}

int main() {
  std::vector<double> results;
  for (int i = 0; i < 8; ++i) results.push_back(simulate(i));  // expect: parallelizable-loop
  double sum = 0;
  for (int i = 0; i < 8; ++i) sum += simulate(i);  // expect: parallelizable-loop

  // Near misses: a callee changing a global, I/O, a dependence between iterations,
  // and a loop the user asked rayify to leave alone.
  for (int i = 0; i < 8; ++i) tally(i);
  for (double r : results) std::printf("%.3f\n", r);
  double chain = 1;
  for (int i = 0; i < 8; ++i) chain = simulate(static_cast<int>(chain) % 7);
  std::vector<double> kept;
  // rayify: ignore(parallelizable-loop)
  for (int i = 0; i < 8; ++i) kept.push_back(simulate(i));
  std::printf("%.3f %.3f %d\n", sum, chain, g_total);
  return 0;
}
