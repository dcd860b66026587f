// Six weather stations, each keeping the readings it has been sent. Every station
// takes a day of readings, then each computes a digest of everything it holds: a
// slow smoothing pass over its history. The stations never interact, so the digests
// are asked of all of them at once and collected in station order.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

class Station {
 public:
  Station(std::string name, double bias) : name_(std::move(name)), bias_(bias) {}

  void record(int hour, double reading) {
    readings_.push_back(reading + bias_ * std::sin(hour * 0.2618));
  }

  // A running smoothing of the history, repeated `passes` times.
  double digest(int passes) const {
    double level = 0.0;
    for (int p = 0; p < passes; ++p) {
      for (double r : readings_) level = 0.999 * level + 0.001 * std::tanh(r + level);
    }
    return level;
  }

  std::string name() const { return name_; }

 private:
  std::string name_;
  double bias_;
  std::vector<double> readings_;
};

int main() {
  const char *names[] = {"north", "south", "east", "west", "coast", "summit"};
  std::vector<Station> stations;
  for (int s = 0; s < 6; ++s) stations.emplace_back(names[s], 0.5 + 0.25 * s);

  for (int hour = 0; hour < 24; ++hour)
    for (auto &station : stations) station.record(hour, 10.0 + std::cos(hour * 0.3));

  std::vector<double> digests;
  for (const auto &station : stations) digests.push_back(station.digest(60000));

  double mean = 0.0;
  for (std::size_t s = 0; s < digests.size(); ++s) {
    std::printf("%-7s %.12f\n", stations[s].name().c_str(), digests[s]);
    mean += digests[s];
  }
  std::printf("mean    %.12f\n", mean / static_cast<double>(digests.size()));
  return 0;
}
