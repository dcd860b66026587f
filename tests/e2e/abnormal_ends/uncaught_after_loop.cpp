// A converted loop, then an exception nothing catches. The original ends in
// std::terminate(): the destructor of 'report' never runs and the buffered total is
// lost. The converted program must not print either.
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

struct Report {
  ~Report() { std::printf("report closed\n"); }
};

static double Settle(int i) {
  double level = 0;
  for (int k = 1; k < 300000; ++k) level += std::sin(i * 0.01 + k * 1e-6) / k;
  return level;
}

int main() {
  Report report;
  std::vector<double> levels(16);
  for (int i = 0; i < 16; ++i) levels[i] = Settle(i);
  double total = 0;
  for (double level : levels) total += level;
  std::printf("total %.6f\n", total);
  if (total > 0) throw std::runtime_error("the total must not be positive");
  return 0;
}
