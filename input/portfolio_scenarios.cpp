// Values a small portfolio under a dozen market scenarios. The portfolio is an
// object with a const method, built from assets whose classes declare only
// constructors with parameters: each scenario's value is independent of the others,
// so the scenario loop is a map over a read-only object.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

class Asset {
 public:
  Asset(std::string name, double weight, double volatility)
      : name_(std::move(name)), weight_(weight), volatility_(volatility) {}

  // One price path from its own linear congruential stream.
  double simulate(unsigned seed, int steps) const {
    double price = 1.0;
    unsigned state = seed * 2654435761u + 1;
    for (int k = 0; k < steps; ++k) {
      state = state * 1664525u + 1013904223u;
      double shock = static_cast<double>(state >> 8) / 16777216.0 - 0.5;
      price *= std::exp(volatility_ * shock * 0.1);
    }
    return price * weight_;
  }

  const std::string &name() const { return name_; }

 private:
  std::string name_;
  double weight_;
  double volatility_;
};

class Portfolio {
  struct Limits {
    double floor = 0.0;
    double cap = 10.0;
  };

 public:
  explicit Portfolio(std::vector<Asset> assets) : assets_(std::move(assets)) {}

  double value(int scenario) const {
    double total = 0;
    for (std::size_t a = 0; a < assets_.size(); ++a)
      total += assets_[a].simulate(static_cast<unsigned>(scenario * 31 + a), 2000000);
    return std::fmin(std::fmax(total, limits_.floor), limits_.cap);
  }

  const std::vector<Asset> &assets() const { return assets_; }

 private:
  std::vector<Asset> assets_;
  Limits limits_;
};

int main() {
  Portfolio portfolio({Asset("bonds", 0.5, 0.2), Asset("stocks", 0.3, 0.9),
                       Asset("gold", 0.2, 0.5)});

  std::vector<double> values(12);
  for (int s = 0; s < 12; ++s) values[s] = portfolio.value(s);

  double sum = 0, worst = values[0], best = values[0];
  for (double v : values) {
    sum += v;
    worst = std::fmin(worst, v);
    best = std::fmax(best, v);
  }
  std::printf("assets:");
  for (const Asset &asset : portfolio.assets()) std::printf(" %s", asset.name().c_str());
  std::printf("\nscenarios %zu  mean %.9f  worst %.9f  best %.9f\n", values.size(),
              sum / values.size(), worst, best);
  return 0;
}
