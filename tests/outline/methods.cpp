// Loops in member functions that only driver code calls: a const method whose calls
// read the object's fields where the loop stands (a task per call), one whose body is
// outlined into a function before its class (its trip count a field, read by the
// driver), a static method run in chunks, and a method walking a while loop. A body
// that uses the object (a field, a method) or a name of the class's scope stays
// sequential, with its reason. Until 2026-12-06 every loop of a member function was
// `not-driver-code`.
#include <cmath>
#include <cstdio>
#include <vector>

static double relax(double x, int i) {
  double y = x;
  for (int k = 0; k < 100000; ++k) y = std::sin(y + i * 1e-3) * 0.5 + 0.25;
  return y + x;  // the result depends on x: a wrong order of updates shows
}

class Profile {
 public:
  explicit Profile(int n) : n_(n), values_(n), scale_(0.75) {
    for (int i = 0; i < n; ++i) values_[i] = 0.01 * i;
  }

  std::vector<double> Relaxed() const {
    std::vector<double> out(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i)
      out[i] = relax(values_[i], static_cast<int>(i));
    return out;
  }

  std::vector<double> Squares() const {
    std::vector<double> out(n_);
    for (int i = 0; i < n_; ++i) {
      double y = relax(0.5, i);
      out[i] = y * y;
    }
    return out;
  }

  double Walk(const std::vector<double> &in) const {
    double total = 0;
    int i = 0;
    while (i < n_) {
      double y = relax(in[i], i);
      total += y;
      ++i;
    }
    return total;
  }

  // Uses the object in its body: stays sequential.
  std::vector<double> Scaled() const {
    std::vector<double> out(n_);
    for (int i = 0; i < n_; ++i) {
      double y = relax(0.25, i);
      out[i] = y * scale_;
    }
    return out;
  }

  // Names a type of the class's scope: stays sequential.
  std::vector<double> Cells() const {
    std::vector<double> out(n_);
    for (int i = 0; i < n_; ++i) {
      Cell cell{relax(0.125, i)};
      out[i] = cell.value;
    }
    return out;
  }

  static double Total(const std::vector<double> &in) {
    double total = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      double y = relax(in[i], 7);
      total += y;
    }
    return total;
  }

 private:
  struct Cell {
    double value;
  };
  int n_;
  std::vector<double> values_;
  double scale_;
};

int main() {
  const Profile profile(24);
  std::vector<double> relaxed = profile.Relaxed();
  std::vector<double> squares = profile.Squares();
  std::vector<double> scaled = profile.Scaled();
  std::vector<double> cells = profile.Cells();
  std::printf("relaxed %.12f %.12f\n", relaxed[0], relaxed[23]);
  std::printf("squares %.12f %.12f\n", squares[1], squares[22]);
  std::printf("scaled %.12f cells %.12f\n", scaled[5], cells[6]);
  std::printf("walk %.12f\n", profile.Walk(relaxed));
  std::printf("total %.12f\n", Profile::Total(squares));
  return 0;
}
