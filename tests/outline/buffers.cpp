// Helpers that read one vector and fill another, both by reference, the way stencil
// codes swap two buffers. What must convert: the smoothing step, which every call
// gives two different vectors (`smooth(a, b)`, then `smooth(b, a)`), and the scaling
// pass, whose outlined body reads a vector the calls never pass as its output. What
// must not: the shift, which one call gives the same vector twice (each task would
// read what the loop found, not its neighbour's new value), and the offset pass, given
// an element of the vector it fills.
#include <cstdio>
#include <vector>

static double relax(double v, int steps) {
  double x = v;
  for (int k = 0; k < steps; ++k) x = 0.5 * x + 0.25 * (k % 7);
  return x;
}

static void smooth(const std::vector<double> &cur, std::vector<double> &next) {
  for (std::size_t i = 1; i + 1 < next.size(); ++i)
    next[i] = relax(cur[i - 1] + cur[i + 1], 400000);
}

static void scale(const std::vector<double> &weights, std::vector<double> &out) {
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = relax(weights[i], 400000) * 2.0 + 1.0;
}

static void shift(const std::vector<double> &in, std::vector<double> &out) {
  for (std::size_t i = 1; i < out.size(); ++i) out[i] = relax(in[i - 1], 400000);
}

static void offset(std::vector<double> &out, const double &by) {
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = relax(1.0 * i, 400000) + by;
}

int main() {
  std::vector<double> a(12, 1.0), b(12, 0.0), w(12, 3.0);
  for (int t = 0; t < 2; ++t) {
    smooth(a, b);
    smooth(b, a);
  }
  scale(w, b);
  shift(a, b);
  shift(b, b);
  offset(a, a[3]);
  for (std::size_t i = 0; i < a.size(); ++i) std::printf("%zu %.6f %.6f\n", i, a[i], b[i]);
  return 0;
}
