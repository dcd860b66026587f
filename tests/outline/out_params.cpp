// Forces computed into out-parameters, the way n-body codes write them: `force_on`
// stores three components into the numbers it is given by reference, and the loop
// gives it each body's own elements (`ax[i]`). What must convert: that loop, each
// task sent its elements and sending them back. What must not: the same call given a
// neighbour's element (`ay[i - 1]`), whose value an earlier iteration stores, and a
// callee that hands its parameter on to another function.
#include <cmath>
#include <cstdio>
#include <vector>

struct Body {
  double x, y, m;
};

static void force_on(const std::vector<Body> &bodies, std::size_t i, double &ax,
                     double &ay) {
  ax = ay = 0;
  for (std::size_t j = 0; j < bodies.size(); ++j) {
    if (j == i) continue;
    double dx = bodies[j].x - bodies[i].x, dy = bodies[j].y - bodies[i].y;
    double r2 = dx * dx + dy * dy + 1e-9;
    double inv = bodies[j].m / (r2 * std::sqrt(r2));
    ax += dx * inv;
    ay += dy * inv;
  }
}

static void store(double &to, double value) { to = value; }

static void damped(const std::vector<Body> &bodies, std::size_t i, double &ax) {
  double sum = 0;
  for (const Body &b : bodies) sum += b.m / (1.0 + std::fabs(b.x - bodies[i].x));
  store(ax, sum);
}

int main() {
  const int n = 1200;
  std::vector<Body> bodies(n);
  for (int i = 0; i < n; ++i)
    bodies[i] = {std::cos(i * 0.1) * i, std::sin(i * 0.1) * i, 1.0 + i % 3};
  std::vector<double> ax(n), ay(n);
  for (int i = 0; i < n; ++i) force_on(bodies, i, ax[i], ay[i]);

  std::vector<double> bx(n), by(n);
  for (int i = 1; i < n; ++i) force_on(bodies, i, bx[i], by[i - 1]);

  std::vector<double> cx(n);
  for (int i = 0; i < n; ++i) damped(bodies, i, cx[i]);

  double sx = 0, sy = 0, tx = 0, ty = 0, c = 0;
  for (int i = 0; i < n; ++i) {
    sx += ax[i] * (i % 7);
    sy += ay[i] * (i % 5);
    tx += bx[i] * (i % 3);
    ty += by[i] * (i % 2);
    c += cx[i];
  }
  std::printf("forces: %.9e %.9e\n", sx, sy);
  std::printf("shifted: %.9e %.9e\n", tx, ty);
  std::printf("damped: %.9e\n", c);
  return 0;
}
