// Elements updated by what they are handed to: a virtual method called on each
// element of a std::vector of that very class (the element cannot be of a derived
// class, so the method is the one the class defines), std::for_each with a function
// that updates the record it is given field by field, and a loop handing each
// iteration's own record to such a function. What must not convert: the same
// calls through pointers (any override may run), a function that also writes the
// next element, and a loop handing a neighbour's record.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

struct Cell {
  double v = 0;
  int id = 0;
  virtual ~Cell() = default;
  virtual void step() { v = series(v + id * 1e-3, 200000); }
};

struct Hot : Cell {
  void step() override { v += 1.0; }
};

struct Particle {
  double x = 0, v = 1, travelled = 0;
};

static void advance(Particle &p) {
  p.v += series(p.x, 200000) * 1e-3;
  p.x += p.v;
  p.travelled += std::fabs(p.v);
}

// Also pushes the next particle: iterations depend on each other.
static void shove(Particle &p) {
  double before = p.x;
  advance(p);
  if (before < 1.5) (&p + 1)->v += 0.5;
}

static void kick(Particle &p, int i) { p.v = series(p.x + i, 200000); }

int main() {
  const int n = 16;
  std::vector<Cell> cells(n);
  for (int i = 0; i < n; ++i) {
    cells[i].id = i;
    cells[i].v = i * 0.1;
  }
  for (int i = 0; i < n; ++i) cells[i].step();

  Hot hot[4];
  std::vector<Cell *> mixed = {&cells[0], &hot[0], &hot[1], &cells[1]};
  for (std::size_t i = 0; i < mixed.size(); ++i) mixed[i]->step();

  std::vector<Particle> swarm(n), pushed(n), kicked(n);
  for (int i = 0; i < n; ++i) swarm[i].x = pushed[i].x = kicked[i].x = i * 0.1;
  std::for_each(swarm.begin(), swarm.end(), advance);
  std::for_each(pushed.begin(), pushed.end(), shove);
  for (int i = 0; i < n; ++i) kick(kicked[i], i);
  for (int i = 1; i < n; ++i) kick(kicked[i - 1], i);

  for (int i = 0; i < n; ++i)
    std::printf("%2d %.12f %.12f %.12f %.12f\n", i, cells[i].v, swarm[i].travelled,
                pushed[i].x, kicked[i].v);
  std::printf("hot %.3f %.3f\n", hot[0].v, hot[1].v);
  return 0;
}
