// Work for a cluster of two one-CPU nodes: a sweep of independent relaxations (tasks),
// then two tallies that each hold a whole CPU for their lifetime (actors). One CPU per
// node means the two tallies can only live on different nodes.
#include <cmath>
#include <cstdio>
#include <vector>

// A deterministic chaotic map, iterated long enough to be worth a task.
double Relax(int seed, long steps) {
  double x = 0.1 + 0.01 * seed;
  for (long k = 0; k < steps; ++k) x = 3.9 * x * (1.0 - x) + 1e-9 * std::sin(x);
  return x;
}

// rayify: resources(CPU=1)
class Tally {
 public:
  explicit Tally(int id) : id_(id) {}
  // Folds `value` in through a long smoothing pass, the work each call stands for.
  void Add(double value, long passes) {
    double smoothed = value;
    for (long k = 0; k < passes; ++k)
      smoothed = 0.5 * (smoothed + value * std::cos(1e-7 * k));
    total_ += smoothed;
    ++count_;
  }
  double Mean() const { return count_ == 0 ? 0.0 : total_ / count_; }
  int Id() const { return id_; }

 private:
  int id_;
  double total_ = 0.0;
  long count_ = 0;
};

int main() {
  std::vector<double> results;
  for (int i = 0; i < 12; ++i) results.push_back(Relax(i, 25000000));
  for (int i = 0; i < 12; ++i) std::printf("relax %2d: %.12f\n", i, results[i]);

  Tally even(0);
  Tally odd(1);
  for (int i = 0; i < 12; ++i) {
    if (i % 2 == 0) {
      even.Add(results[i], 40000000);
    } else {
      odd.Add(results[i], 40000000);
    }
  }
  std::printf("tally %d mean %.12f\n", even.Id(), even.Mean());
  std::printf("tally %d mean %.12f\n", odd.Id(), odd.Mean());
  return 0;
}
