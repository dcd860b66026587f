// A loop whose callee fails an assert at one iteration. The original aborts there,
// and what it printed is still in stdout's buffer, so it is lost; the converted
// program's task aborts instead, and its driver must end the same way.
#include <cassert>
#include <cmath>
#include <cstdio>
#include <vector>

static double Settle(int i) {
  double level = 0;
  for (int k = 1; k < 300000; ++k) level += std::sin(i * 0.01 + k * 1e-6) / k;
  assert(i != 11 && "sample 11 is out of range");
  return level;
}

int main() {
  std::printf("settling 16 samples\n");
  std::vector<double> levels(16);
  for (int i = 0; i < 16; ++i) levels[i] = Settle(i);
  double total = 0;
  for (double level : levels) total += level;
  std::printf("total %.6f\n", total);
}
