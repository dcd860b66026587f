// Eight groups of random walkers on a torus, each group with its own generator. Every
// epoch advances each group by many steps; the groups never interact, so the loop
// over them runs as an actor pool while the epochs stay in order.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

class WalkerGroup {
 public:
  WalkerGroup(uint64_t seed, int walkers) : state_(seed), x_(walkers, 0.0), y_(walkers, 0.0) {}

  void advance(int steps) {
    for (int s = 0; s < steps; ++s) {
      for (size_t w = 0; w < x_.size(); ++w) {
        double angle = next() * 6.283185307179586;
        x_[w] = std::fmod(x_[w] + std::cos(angle) + 100.0, 100.0);
        y_[w] = std::fmod(y_[w] + std::sin(angle) + 100.0, 100.0);
      }
    }
  }

  double spread() const {
    double mx = 0.0, my = 0.0;
    for (size_t w = 0; w < x_.size(); ++w) {
      mx += x_[w];
      my += y_[w];
    }
    mx /= static_cast<double>(x_.size());
    my /= static_cast<double>(y_.size());
    double sum = 0.0;
    for (size_t w = 0; w < x_.size(); ++w) sum += (x_[w] - mx) * (x_[w] - mx) + (y_[w] - my) * (y_[w] - my);
    return std::sqrt(sum / static_cast<double>(x_.size()));
  }

 private:
  double next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }

  uint64_t state_;
  std::vector<double> x_, y_;
};

int main() {
  std::vector<WalkerGroup> groups;
  for (int g = 0; g < 8; ++g) groups.emplace_back(1000 + g, 500);

  for (int epoch = 0; epoch < 5; ++epoch) {
    for (auto &group : groups)
      group.advance(120);
    std::printf("epoch %d:", epoch);
    for (const WalkerGroup &group : groups) std::printf(" %.6f", group.spread());
    std::printf("\n");
  }
  return 0;
}
