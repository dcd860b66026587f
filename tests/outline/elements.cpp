// Containers each iteration updates only at its own element, reading what it writes:
// `v[i] = f(v[i])` and its relatives, the commonest parallel loop there is. What must
// convert: a value read into scratch and written back, an element updated from itself,
// two vectors at once, rows of a matrix swept in place (run in chunks, the count known
// only at run time), structs of a vector, a std::array, range-fors whose reference
// rewrites the element, a `continue` that leaves some elements as they were, an element
// only some iterations reach, a body that asks the size, and a helper's vector that
// every call gives a local of main's (walked by reference, at its own element, and in
// chunks of its interior points).
// What must not: an element read through its neighbour's index, a pointer to the
// element, and the helper given one vector twice.
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

struct Particle {
  double position;
  double velocity;
};

// About a million operations per call: each element is worth a task.
static double relax(double x, int salt) {
  double s = x;
  for (int k = 0; k < 40000; ++k) s = 0.5 * s + std::sin(s + 0.001 * salt);
  return s;
}

static double checksum(const std::vector<double> &v) {
  double s = 0;
  for (size_t i = 0; i < v.size(); ++i) s += v[i] * static_cast<double>(i + 1);
  return s;
}

// `v` is a local of main's at every call: its elements travel to the tasks and back.
static void settle(std::vector<double> &v) {
  for (double &x : v) x = relax(x, 3);
}

// Each iteration's own element of a local of main's, read and written.
static void damp(std::vector<double> &out) {
  for (size_t i = 0; i < out.size(); ++i) {
    double t = relax(out[i], 7);
    if (t > 0.5) out[i] = t;
    else out[i] = out[i] - t;
  }
}

// About 75 thousand operations: run in chunks. Interior points only (`i + 1 < n`).
static double nudge(double x) {
  for (int k = 0; k < 3000; ++k) x = 0.5 * x + std::sin(x) * 1e-3;
  return x;
}

static void interior(std::vector<double> &out) {
  for (size_t i = 1; i + 1 < out.size(); ++i) {
    double t = nudge(out[i] + 0.001 * i);
    out[i] = t > 0.25 ? t : out[i] - t;
  }
}

// Sequential where a call gives `out` and `in` one vector: `in[i + 1]` is then the
// element the next iteration stores.
static void lift(std::vector<double> &out, const std::vector<double> &in) {
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    double t = relax(out[i] + in[i + 1], 5);
    if (t > 0.5) out[i] = t;
    else out[i] = out[i] - t;
  }
}

int main(int argc, char **) {
  const int n = 48;
  std::vector<double> level(n), slope(n);
  for (int i = 0; i < n; ++i) level[i] = 0.25 * i;

  // Read into scratch, computed on, written back.
  for (int i = 0; i < n; ++i) {
    double scratch = relax(level[i], i);
    level[i] = scratch * 2.0 - 1.0;
  }
  // Updated from itself.
  for (int i = 0; i < n; ++i) level[i] = relax(level[i], 3 * i) + level[i];
  // Two vectors, one written before it is read.
  for (int i = 0; i < n; ++i) {
    slope[i] = relax(level[i], 7);
    level[i] = slope[i] - level[i];
  }
  std::printf("level %.6f slope %.6f\n", checksum(level), checksum(slope));

  // Rows swept in place, each from its own left neighbour; the count comes from
  // the command line, so the rows run in chunks.
  const int rows = 12 + argc;
  std::vector<std::vector<double>> grid(rows, std::vector<double>(24, 1.0));
  for (size_t r = 0; r < grid.size(); ++r) {
    for (size_t c = 1; c < grid[r].size(); ++c)
      grid[r][c] = relax(grid[r][c - 1] + 0.01 * r, static_cast<int>(c));
  }
  double grid_sum = 0;
  for (const auto &row : grid) grid_sum += checksum(row);
  std::printf("grid %.6f\n", grid_sum);

  std::vector<Particle> particles(20, Particle{1.0, 0.5});
  for (size_t p = 0; p < particles.size(); ++p) {
    particles[p].velocity = relax(particles[p].velocity, static_cast<int>(p));
    particles[p].position += particles[p].velocity;
  }
  std::array<double, 16> weights{};
  for (int i = 0; i < 16; ++i) weights[i] = relax(weights[i] + i, i) * 0.5;
  // A range-for's reference rewrites the element it walks.
  for (double &w : weights) w = relax(w, 5) - w;
  for (Particle &p : particles) {
    if (p.velocity > 0.9) continue;
    p.position = relax(p.position, 2);
  }
  double particle_sum = 0;
  for (const Particle &p : particles) particle_sum += p.position - p.velocity;
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  std::printf("particles %.6f weights %.6f\n", particle_sum, weight_sum);

  // Some elements are left as they were.
  for (int i = 0; i < n; ++i) {
    if (level[i] < 0.0) continue;
    level[i] = relax(level[i], i);
  }
  // Only iterations below 30 reach their element; the rest only count.
  std::vector<double> head(30, 2.0);
  double counted = 0;
  for (int i = 0; i < n; ++i) {
    counted += relax(i, i);
    if (i < 30) {
      double kept = head[i];
      head[i] = relax(kept, i);
    }
  }
  std::printf("level %.6f head %.6f counted %.6f\n", checksum(level), checksum(head),
              counted);

  // The body asks the size, which storing elements never changes.
  for (size_t i = 0; i < slope.size(); ++i) {
    double share =
        relax(slope[i], static_cast<int>(i)) / static_cast<double>(slope.size());
    if (i + 1 < slope.size()) share *= 2.0;
    slope[i] = share;
  }
  std::printf("slope %.6f\n", checksum(slope));

  // Must stay sequential: the element of the next iteration.
  for (int i = 0; i + 1 < n; ++i) {
    int next = i + 1;
    level[i] = relax(level[next], i);
  }
  // Must stay sequential: a pointer to the element reaches its neighbour.
  for (int i = 0; i + 1 < n; ++i) {
    double *at = &slope[i];
    at[1] = relax(*at, i);
  }
  std::printf("level %.6f slope %.6f\n", checksum(level), checksum(slope));

  settle(level);
  damp(slope);
  lift(slope, level);
  lift(level, level);
  std::printf("settled %.6f lifted %.6f\n", checksum(level), checksum(slope));

  // Chunks of interior points; an empty vector runs none (its size less 1 would wrap).
  std::vector<double> none, inner(static_cast<size_t>(argc) * 300, 0.75);
  interior(none);
  interior(inner);
  std::printf("interior %.6f of %zu\n", checksum(inner), none.size());
  return 0;
}
