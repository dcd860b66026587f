// Loops storing into one field of a struct while the header or the tasks read its
// others (since 2026-12-07): a grid's cells filled up to its count `g.n`, up to the
// size of the field itself, and from its scale and weights; a mesh a driver function
// takes by reference. Until then the struct stood for all of itself, and each loop
// was `loop-carried-dependency` ("the loop header reads 'g'").
#include <cmath>
#include <cstdio>
#include <vector>

struct Grid {
  int n = 24;
  double scale = 0.75;
  std::vector<double> cells = std::vector<double>(24);
  std::vector<double> weights = std::vector<double>(24);
};

struct Mesh {
  int count;
  double step;
  std::vector<double> values;
};

static double relax(double x, int sweeps) {
  double s = x;
  for (int k = 0; k < sweeps; ++k) s = 0.5 * s + std::cos(s * 0.001 + k);
  return s;
}

static void smooth(Mesh &m) {
  for (int i = 0; i < m.count; ++i) m.values[i] = relax(i * m.step, 300000) + m.step;
}

int main() {
  Grid g;
  for (int i = 0; i < g.n; ++i) g.weights[i] = 1.0 + 0.125 * i;

  // The header reads `n`, which no iteration changes.
  for (int i = 0; i < g.n; ++i) g.cells[i] = relax(i, 300000);
  std::printf("%.9f %.9f\n", g.cells[0], g.cells[g.n - 1]);

  // Each task reads the scale and its weight; the driver stores each result, reading
  // the neighbour the original read at that point.
  for (std::size_t i = 0; i < g.cells.size(); ++i) {
    double x = relax(i * g.scale, 250000) * g.weights[i];
    g.cells[i] = x + 0.5 * g.cells[(i + 1) % g.cells.size()];
  }
  for (double c : g.cells) std::printf("%.9f\n", c);

  Mesh m{16, 0.25, std::vector<double>(16)};
  smooth(m);
  for (double v : m.values) std::printf("%.9f\n", v);
  return 0;
}
