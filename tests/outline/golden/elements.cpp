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

// Converted by rayify from elements.cpp: independent loops run as Ray tasks, stateful
// classes as Ray actors.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>
#include <algorithm>
#include <deque>
#include <thread>
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 17
struct Particle {
  double position;
  double velocity;
  MSGPACK_DEFINE(position, velocity);
  auto rayify_fields() { return std::tie(position, velocity); }  // for rayify's runtime
};

#line 22
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

// What one iteration of the loop at line 37 of settle() leaves for the driver
// to apply, in iteration order.
struct settle_loop_37_result {
  double x{};
  MSGPACK_DEFINE(x);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(x); }
};

// One iteration of the loop at line 37 of settle(), run as a Ray task.
static settle_loop_37_result settle_loop_37(double x) {
  settle_loop_37_result iteration_result_12;
  do {
    x = relax(x, 3);
  } while (false);
  iteration_result_12.x = std::move(x);
  return iteration_result_12;
}

#line 35
// `v` is a local of main's at every call: its elements travel to the tasks and back.
static void settle(std::vector<double> &v) {
  std::vector<ray::ObjectRef<settle_loop_37_result>> settle_loop_37_refs;
#line 37
  for (double &x : v) {
    settle_loop_37_refs.push_back(rayify_copy_of(ray::Task(settle_loop_37).SetResource("CPU", 1).Remote(x)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (settle_loop_37_refs.size() >= 64)
      ray::Wait(std::vector{settle_loop_37_refs[settle_loop_37_refs.size() - 64]}, 1, -1);
  }
  const auto settle_loop_37_results = ray::Get(settle_loop_37_refs);
  std::size_t settle_loop_37_next = 0;
  for (double &x : v) {
    const auto &settle_loop_37_iteration = settle_loop_37_results[settle_loop_37_next++];
    x = settle_loop_37_iteration->x;
  }
}

// What one iteration of the loop at line 42 of damp() leaves for the driver
// to apply, in iteration order.
struct damp_loop_42_result {
  double out{};
  unsigned long i{};
  MSGPACK_DEFINE(out, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out, i); }
};

// One iteration of the loop at line 42 of damp(), run as a Ray task.
static damp_loop_42_result damp_loop_42(unsigned long i, double out_i) {
  damp_loop_42_result iteration_result_13;
  do {
    double t = relax(out_i, 7);
    if (t > 0.5) out_i = t;
    else out_i = out_i - t;
  } while (false);
  iteration_result_13.out = std::move(out_i);
  iteration_result_13.i = i;
  return iteration_result_13;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 42 of damp(), run one after the other
// as one Ray task.
static std::vector<damp_loop_42_result> damp_loop_42_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<double> out_chunk) {
  std::vector<damp_loop_42_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(damp_loop_42(i, std::move(out_chunk[i - chunk_begin])));
  return chunk_results;
}

#line 40
// Each iteration's own element of a local of main's, read and written.
static void damp(std::vector<double> &out) {
  std::deque<ray::ObjectRef<std::vector<damp_loop_42_result>>> damp_loop_42_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long damp_loop_42_chunk_size = std::max<unsigned long>(
    1, (out.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long damp_loop_42_first = 0; damp_loop_42_first < out.size(); damp_loop_42_first += damp_loop_42_chunk_size) {
    unsigned long damp_loop_42_last = out.size() - damp_loop_42_first > damp_loop_42_chunk_size ? damp_loop_42_first + damp_loop_42_chunk_size : out.size();
    damp_loop_42_refs.push_back(rayify_copy_of(ray::Task(damp_loop_42_chunk).SetResource("CPU", 1).Remote(damp_loop_42_first, damp_loop_42_last,
      std::vector<double>(out.begin() + damp_loop_42_first, out.begin() + damp_loop_42_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (damp_loop_42_refs.size() >= 64)
      ray::Wait(std::vector{damp_loop_42_refs[damp_loop_42_refs.size() - 64]}, 1, -1);
  }
  while (!damp_loop_42_refs.empty()) {
    const auto damp_loop_42_results = ray::Get(std::move(damp_loop_42_refs.front()));
    damp_loop_42_refs.pop_front();
    for (const auto &damp_loop_42_iteration : *damp_loop_42_results) {
      out[damp_loop_42_iteration.i] = damp_loop_42_iteration.out;
    }
  }
}

#line 49
// About 75 thousand operations: run in chunks. Interior points only (`i + 1 < n`).
static double nudge(double x) {
  for (int k = 0; k < 3000; ++k) x = 0.5 * x + std::sin(x) * 1e-3;
  return x;
}

// What one iteration of the loop at line 56 of interior() leaves for the driver
// to apply, in iteration order.
struct interior_loop_56_result {
  double out{};
  unsigned long i{};
  MSGPACK_DEFINE(out, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(out, i); }
};

// One iteration of the loop at line 56 of interior(), run as a Ray task.
static interior_loop_56_result interior_loop_56(unsigned long i, double out_i_2) {
  interior_loop_56_result iteration_result_14;
  do {
    double t = nudge(out_i_2 + 0.001 * i);
    out_i_2 = t > 0.25 ? t : out_i_2 - t;
  } while (false);
  iteration_result_14.out = std::move(out_i_2);
  iteration_result_14.i = i;
  return iteration_result_14;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 56 of interior(), run one after the other
// as one Ray task.
static std::vector<interior_loop_56_result> interior_loop_56_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<double> out_chunk_2) {
  std::vector<interior_loop_56_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(interior_loop_56(i, std::move(out_chunk_2[i - chunk_begin])));
  return chunk_results;
}

#line 55
static void interior(std::vector<double> &out) {
  std::deque<ray::ObjectRef<std::vector<interior_loop_56_result>>> interior_loop_56_refs;
  const unsigned long interior_loop_56_end = static_cast<unsigned long>(1 + 1 < out.size() ? out.size() - 1 : 1);
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long interior_loop_56_chunk_size = std::max<unsigned long>(
    1, (interior_loop_56_end - 1) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long interior_loop_56_first = 1; interior_loop_56_first < interior_loop_56_end; interior_loop_56_first += interior_loop_56_chunk_size) {
    unsigned long interior_loop_56_last = interior_loop_56_end - interior_loop_56_first > interior_loop_56_chunk_size ? interior_loop_56_first + interior_loop_56_chunk_size : interior_loop_56_end;
    interior_loop_56_refs.push_back(rayify_copy_of(ray::Task(interior_loop_56_chunk).SetResource("CPU", 1).Remote(interior_loop_56_first, interior_loop_56_last,
      std::vector<double>(out.begin() + interior_loop_56_first, out.begin() + interior_loop_56_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (interior_loop_56_refs.size() >= 64)
      ray::Wait(std::vector{interior_loop_56_refs[interior_loop_56_refs.size() - 64]}, 1, -1);
  }
  while (!interior_loop_56_refs.empty()) {
    const auto interior_loop_56_results = ray::Get(std::move(interior_loop_56_refs.front()));
    interior_loop_56_refs.pop_front();
    for (const auto &interior_loop_56_iteration : *interior_loop_56_results) {
      out[interior_loop_56_iteration.i] = interior_loop_56_iteration.out;
    }
  }
}

#line 62
// Sequential where a call gives `out` and `in` one vector: `in[i + 1]` is then the
// element the next iteration stores.
static void lift(std::vector<double> &out, const std::vector<double> &in) {
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    double t = relax(out[i] + in[i + 1], 5);
    if (t > 0.5) out[i] = t;
    else out[i] = out[i] - t;
  }
}

// What one iteration of the loop at line 78 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_78_result {
  double level{};
  int i{};
  MSGPACK_DEFINE(level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(level, i); }
};

// One iteration of the loop at line 78 of main(), run as a Ray task.
static main_loop_78_result main_loop_78(int i, double level_i) {
  main_loop_78_result iteration_result;
  do {
    double scratch = relax(level_i, i);
    level_i = scratch * 2.0 - 1.0;
  } while (false);
  iteration_result.level = std::move(level_i);
  iteration_result.i = i;
  return iteration_result;
}

// What one iteration of the loop at line 83 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_83_result {
  double level{};
  int i{};
  MSGPACK_DEFINE(level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(level, i); }
};

// One iteration of the loop at line 83 of main(), run as a Ray task.
static main_loop_83_result main_loop_83(int i, double level_i_2) {
  main_loop_83_result iteration_result_2;
  do {
    level_i_2 = relax(level_i_2, 3 * i) + level_i_2;
  } while (false);
  iteration_result_2.level = std::move(level_i_2);
  iteration_result_2.i = i;
  return iteration_result_2;
}

// What one iteration of the loop at line 85 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_85_result {
  double slope{};
  double level{};
  int i{};
  MSGPACK_DEFINE(slope, level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(slope, level, i); }
};

// One iteration of the loop at line 85 of main(), run as a Ray task.
static main_loop_85_result main_loop_85(int i, double slope_i, double level_i_3) {
  main_loop_85_result iteration_result_3;
  do {
    slope_i = relax(level_i_3, 7);
    level_i_3 = slope_i - level_i_3;
  } while (false);
  iteration_result_3.slope = std::move(slope_i);
  iteration_result_3.level = std::move(level_i_3);
  iteration_result_3.i = i;
  return iteration_result_3;
}

// What one iteration of the loop at line 95 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_95_result {
  std::vector<double> grid{};
  unsigned long r{};
  MSGPACK_DEFINE(grid, r);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(grid, r); }
};

// One iteration of the loop at line 95 of main(), run as a Ray task.
static main_loop_95_result main_loop_95(unsigned long r, std::vector<double> grid_r) {
  main_loop_95_result iteration_result_4;
  do {
    for (size_t c = 1; c < grid_r.size(); ++c)
      grid_r[c] = relax(grid_r[c - 1] + 0.01 * r, static_cast<int>(c));
  } while (false);
  iteration_result_4.grid = std::move(grid_r);
  iteration_result_4.r = r;
  return iteration_result_4;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 95 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_95_result> main_loop_95_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<std::vector<double>> grid_chunk) {
  std::vector<main_loop_95_result> chunk_results;
  for (unsigned long r = chunk_begin; r < chunk_end; ++r)
    chunk_results.push_back(main_loop_95(r, std::move(grid_chunk[r - chunk_begin])));
  return chunk_results;
}

// What one iteration of the loop at line 104 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_104_result {
  Particle particles{};
  unsigned long p{};
  MSGPACK_DEFINE(particles, p);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(particles, p); }
};

// One iteration of the loop at line 104 of main(), run as a Ray task.
static main_loop_104_result main_loop_104(unsigned long p, Particle particles_p) {
  main_loop_104_result iteration_result_5;
  do {
    particles_p.velocity = relax(particles_p.velocity, static_cast<int>(p));
    particles_p.position += particles_p.velocity;
  } while (false);
  iteration_result_5.particles = std::move(particles_p);
  iteration_result_5.p = p;
  return iteration_result_5;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 104 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_104_result> main_loop_104_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<Particle> particles_chunk) {
  std::vector<main_loop_104_result> chunk_results;
  for (unsigned long p = chunk_begin; p < chunk_end; ++p)
    chunk_results.push_back(main_loop_104(p, std::move(particles_chunk[p - chunk_begin])));
  return chunk_results;
}

// What one iteration of the loop at line 109 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_109_result {
  double weights{};
  int i{};
  MSGPACK_DEFINE(weights, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(weights, i); }
};

// One iteration of the loop at line 109 of main(), run as a Ray task.
static main_loop_109_result main_loop_109(int i, double weights_i) {
  main_loop_109_result iteration_result_6;
  do {
    weights_i = relax(weights_i + i, i) * 0.5;
  } while (false);
  iteration_result_6.weights = std::move(weights_i);
  iteration_result_6.i = i;
  return iteration_result_6;
}

// What one iteration of the loop at line 111 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_111_result {
  double w{};
  MSGPACK_DEFINE(w);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(w); }
};

// One iteration of the loop at line 111 of main(), run as a Ray task.
static main_loop_111_result main_loop_111(double w) {
  main_loop_111_result iteration_result_7;
  do {
    w = relax(w, 5) - w;
  } while (false);
  iteration_result_7.w = std::move(w);
  return iteration_result_7;
}

// What one iteration of the loop at line 112 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_112_result {
  Particle p{};
  MSGPACK_DEFINE(p);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(p); }
};

// One iteration of the loop at line 112 of main(), run as a Ray task.
static main_loop_112_result main_loop_112(Particle p) {
  main_loop_112_result iteration_result_8;
  do {
    if (p.velocity > 0.9) continue;
    p.position = relax(p.position, 2);
  } while (false);
  iteration_result_8.p = std::move(p);
  return iteration_result_8;
}

// What one iteration of the loop at line 123 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_123_result {
  double level{};
  int i{};
  MSGPACK_DEFINE(level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(level, i); }
};

// One iteration of the loop at line 123 of main(), run as a Ray task.
static main_loop_123_result main_loop_123(int i, double level_i_4) {
  main_loop_123_result iteration_result_9;
  do {
    if (level_i_4 < 0.0) continue;
    level_i_4 = relax(level_i_4, i);
  } while (false);
  iteration_result_9.level = std::move(level_i_4);
  iteration_result_9.i = i;
  return iteration_result_9;
}

// What one iteration of the loop at line 130 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_130_result {
  double counted{};
  double head{};
  int i{};
  MSGPACK_DEFINE(counted, head, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(counted, head, i); }
};

// One iteration of the loop at line 130 of main(), run as a Ray task.
static main_loop_130_result main_loop_130(int i, double head_i) {
  main_loop_130_result iteration_result_10;
  do {
    iteration_result_10.counted = relax(i, i);
    if (i < 30) {
      double kept = head_i;
      head_i = relax(kept, i);
    }
  } while (false);
  iteration_result_10.head = std::move(head_i);
  iteration_result_10.i = i;
  return iteration_result_10;
}

// What one iteration of the loop at line 141 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_141_result {
  double slope{};
  unsigned long i{};
  MSGPACK_DEFINE(slope, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(slope, i); }
};

// One iteration of the loop at line 141 of main(), run as a Ray task.
static main_loop_141_result main_loop_141(unsigned long i, double slope_i_2, std::size_t slope_size) {
  main_loop_141_result iteration_result_11;
  do {
    double share =
        relax(slope_i_2, static_cast<int>(i)) / static_cast<double>(slope_size);
    if (i + 1 < slope_size) share *= 2.0;
    slope_i_2 = share;
  } while (false);
  iteration_result_11.slope = std::move(slope_i_2);
  iteration_result_11.i = i;
  return iteration_result_11;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 141 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_141_result> main_loop_141_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<double> slope_chunk_2, std::size_t slope_size) {
  std::vector<main_loop_141_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_141(i, std::move(slope_chunk_2[i - chunk_begin]), slope_size));
  return chunk_results;
}

static int rayify_original_main(int argc, char **) {
#line 73
  const int n = 48;
  std::vector<double> level(n), slope(n);
  for (int i = 0; i < n; ++i) level[i] = 0.25 * i;

  // Read into scratch, computed on, written back.
  std::deque<ray::ObjectRef<main_loop_78_result>> main_loop_78_refs;
#line 78
  for (int i = 0; i < n; ++i) {
    main_loop_78_refs.push_back(rayify_copy_of(ray::Task(main_loop_78).SetResource("CPU", 1).Remote(i, level[i])));
  }
  while (!main_loop_78_refs.empty()) {
    const auto main_loop_78_iteration = ray::Get(std::move(main_loop_78_refs.front()));
    main_loop_78_refs.pop_front();
    level[main_loop_78_iteration->i] = main_loop_78_iteration->level;
  }
#line 82
  // Updated from itself.
  std::deque<ray::ObjectRef<main_loop_83_result>> main_loop_83_refs;
#line 83
  for (int i = 0; i < n; ++i) {
    main_loop_83_refs.push_back(rayify_copy_of(ray::Task(main_loop_83).SetResource("CPU", 1).Remote(i, level[i])));
  }
  while (!main_loop_83_refs.empty()) {
    const auto main_loop_83_iteration = ray::Get(std::move(main_loop_83_refs.front()));
    main_loop_83_refs.pop_front();
    level[main_loop_83_iteration->i] = main_loop_83_iteration->level;
  }
#line 84
  // Two vectors, one written before it is read.
  std::deque<ray::ObjectRef<main_loop_85_result>> main_loop_85_refs;
#line 85
  for (int i = 0; i < n; ++i) {
    main_loop_85_refs.push_back(rayify_copy_of(ray::Task(main_loop_85).SetResource("CPU", 1).Remote(i, slope[i], level[i])));
  }
  while (!main_loop_85_refs.empty()) {
    const auto main_loop_85_iteration = ray::Get(std::move(main_loop_85_refs.front()));
    main_loop_85_refs.pop_front();
    slope[main_loop_85_iteration->i] = main_loop_85_iteration->slope;
    level[main_loop_85_iteration->i] = main_loop_85_iteration->level;
  }
#line 89
  std::printf("level %.6f slope %.6f\n", checksum(level), checksum(slope));

  // Rows swept in place, each from its own left neighbour; the count comes from
  // the command line, so the rows run in chunks.
  const int rows = 12 + argc;
  std::vector<std::vector<double>> grid(rows, std::vector<double>(24, 1.0));
  std::deque<ray::ObjectRef<std::vector<main_loop_95_result>>> main_loop_95_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_95_chunk_size = std::max<unsigned long>(
    1, (grid.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_95_first = 0; main_loop_95_first < grid.size(); main_loop_95_first += main_loop_95_chunk_size) {
    unsigned long main_loop_95_last = grid.size() - main_loop_95_first > main_loop_95_chunk_size ? main_loop_95_first + main_loop_95_chunk_size : grid.size();
    main_loop_95_refs.push_back(rayify_copy_of(ray::Task(main_loop_95_chunk).SetResource("CPU", 1).Remote(main_loop_95_first, main_loop_95_last,
      std::vector<std::vector<double>>(grid.begin() + main_loop_95_first, grid.begin() + main_loop_95_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_95_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_95_refs[main_loop_95_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_95_refs.empty()) {
    const auto main_loop_95_results = ray::Get(std::move(main_loop_95_refs.front()));
    main_loop_95_refs.pop_front();
    for (const auto &main_loop_95_iteration : *main_loop_95_results) {
      grid[main_loop_95_iteration.r] = main_loop_95_iteration.grid;
    }
  }
#line 99
  double grid_sum = 0;
  for (const auto &row : grid) grid_sum += checksum(row);
  std::printf("grid %.6f\n", grid_sum);

  std::vector<Particle> particles(20, Particle{1.0, 0.5});
  std::deque<ray::ObjectRef<std::vector<main_loop_104_result>>> main_loop_104_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_104_chunk_size = std::max<unsigned long>(
    1, (particles.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_104_first = 0; main_loop_104_first < particles.size(); main_loop_104_first += main_loop_104_chunk_size) {
    unsigned long main_loop_104_last = particles.size() - main_loop_104_first > main_loop_104_chunk_size ? main_loop_104_first + main_loop_104_chunk_size : particles.size();
    main_loop_104_refs.push_back(rayify_copy_of(ray::Task(main_loop_104_chunk).SetResource("CPU", 1).Remote(main_loop_104_first, main_loop_104_last,
      std::vector<Particle>(particles.begin() + main_loop_104_first, particles.begin() + main_loop_104_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_104_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_104_refs[main_loop_104_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_104_refs.empty()) {
    const auto main_loop_104_results = ray::Get(std::move(main_loop_104_refs.front()));
    main_loop_104_refs.pop_front();
    for (const auto &main_loop_104_iteration : *main_loop_104_results) {
      particles[main_loop_104_iteration.p] = main_loop_104_iteration.particles;
    }
  }
#line 108
  std::array<double, 16> weights{};
  std::deque<ray::ObjectRef<main_loop_109_result>> main_loop_109_refs;
#line 109
  for (int i = 0; i < 16; ++i) {
    main_loop_109_refs.push_back(rayify_copy_of(ray::Task(main_loop_109).SetResource("CPU", 1).Remote(i, weights[i])));
  }
  while (!main_loop_109_refs.empty()) {
    const auto main_loop_109_iteration = ray::Get(std::move(main_loop_109_refs.front()));
    main_loop_109_refs.pop_front();
    weights[main_loop_109_iteration->i] = main_loop_109_iteration->weights;
  }
#line 110
  // A range-for's reference rewrites the element it walks.
  std::vector<ray::ObjectRef<main_loop_111_result>> main_loop_111_refs;
#line 111
  for (double &w : weights) {
    main_loop_111_refs.push_back(rayify_copy_of(ray::Task(main_loop_111).SetResource("CPU", 1).Remote(w)));
  }
  const auto main_loop_111_results = ray::Get(main_loop_111_refs);
  std::size_t main_loop_111_next = 0;
  for (double &w : weights) {
    const auto &main_loop_111_iteration = main_loop_111_results[main_loop_111_next++];
    w = main_loop_111_iteration->w;
  }
  std::vector<ray::ObjectRef<main_loop_112_result>> main_loop_112_refs;
#line 112
  for (Particle &p : particles) {
    main_loop_112_refs.push_back(rayify_copy_of(ray::Task(main_loop_112).SetResource("CPU", 1).Remote(p)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_112_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_112_refs[main_loop_112_refs.size() - 64]}, 1, -1);
  }
  const auto main_loop_112_results = ray::Get(main_loop_112_refs);
  std::size_t main_loop_112_next = 0;
  for (Particle &p : particles) {
    const auto &main_loop_112_iteration = main_loop_112_results[main_loop_112_next++];
    p = main_loop_112_iteration->p;
  }
#line 116
  double particle_sum = 0;
  for (const Particle &p : particles) particle_sum += p.position - p.velocity;
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  std::printf("particles %.6f weights %.6f\n", particle_sum, weight_sum);

  // Some elements are left as they were.
  std::deque<ray::ObjectRef<main_loop_123_result>> main_loop_123_refs;
#line 123
  for (int i = 0; i < n; ++i) {
    main_loop_123_refs.push_back(rayify_copy_of(ray::Task(main_loop_123).SetResource("CPU", 1).Remote(i, level[i])));
  }
  while (!main_loop_123_refs.empty()) {
    const auto main_loop_123_iteration = ray::Get(std::move(main_loop_123_refs.front()));
    main_loop_123_refs.pop_front();
    level[main_loop_123_iteration->i] = main_loop_123_iteration->level;
  }
#line 127
  // Only iterations below 30 reach their element; the rest only count.
  std::vector<double> head(30, 2.0);
  double counted = 0;
  std::deque<ray::ObjectRef<main_loop_130_result>> main_loop_130_refs;
#line 130
  for (int i = 0; i < n; ++i) {
    main_loop_130_refs.push_back(rayify_copy_of(ray::Task(main_loop_130).SetResource("CPU", 1).Remote(i, (static_cast<std::size_t>(i) < head.size() ? head[i] : double{}))));
  }
  while (!main_loop_130_refs.empty()) {
    const auto main_loop_130_iteration = ray::Get(std::move(main_loop_130_refs.front()));
    main_loop_130_refs.pop_front();
    counted += main_loop_130_iteration->counted;
    if (static_cast<std::size_t>(main_loop_130_iteration->i) < head.size())
      head[main_loop_130_iteration->i] = main_loop_130_iteration->head;
  }
#line 137
  std::printf("level %.6f head %.6f counted %.6f\n", checksum(level), checksum(head),
              counted);

  // The body asks the size, which storing elements never changes.
  std::deque<ray::ObjectRef<std::vector<main_loop_141_result>>> main_loop_141_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_141_chunk_size = std::max<unsigned long>(
    1, (slope.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_141_first = 0; main_loop_141_first < slope.size(); main_loop_141_first += main_loop_141_chunk_size) {
    unsigned long main_loop_141_last = slope.size() - main_loop_141_first > main_loop_141_chunk_size ? main_loop_141_first + main_loop_141_chunk_size : slope.size();
    main_loop_141_refs.push_back(rayify_copy_of(ray::Task(main_loop_141_chunk).SetResource("CPU", 1).Remote(main_loop_141_first, main_loop_141_last,
      std::vector<double>(slope.begin() + main_loop_141_first, slope.begin() + main_loop_141_last),
      slope.size())));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_141_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_141_refs[main_loop_141_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_141_refs.empty()) {
    const auto main_loop_141_results = ray::Get(std::move(main_loop_141_refs.front()));
    main_loop_141_refs.pop_front();
    for (const auto &main_loop_141_iteration : *main_loop_141_results) {
      slope[main_loop_141_iteration.i] = main_loop_141_iteration.slope;
    }
  }
#line 147
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

RAY_REMOTE(main_loop_78, main_loop_83, main_loop_85, main_loop_95_chunk, main_loop_104_chunk, main_loop_109, main_loop_111, main_loop_112, main_loop_123, main_loop_130, main_loop_141_chunk, settle_loop_37, damp_loop_42_chunk, interior_loop_56_chunk);

// Ray's C++ driver sends a token only in token mode, and it reads RAY_AUTH_MODE when
// the program loads, before main runs. When joining a cluster with a token at hand
// (RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token) and token mode off, turn
// it on and report that the program must start again to see it. A cluster without
// authentication accepts a token too.
static bool rayify_enable_token_auth() {
  const char *address = std::getenv("RAY_ADDRESS");
  if (address == nullptr || *address == '\0' || std::getenv("RAY_AUTH_MODE")) return false;
  const char *home = std::getenv("HOME");
  std::string default_token = std::string(home != nullptr ? home : "") + "/.ray/auth_token";
  if (!std::getenv("RAY_AUTH_TOKEN") && !std::getenv("RAY_AUTH_TOKEN_PATH")) {
    if (home == nullptr || !std::ifstream(default_token).good()) return false;
    setenv("RAY_AUTH_TOKEN_PATH", default_token.c_str(), 1);
  }
  setenv("RAY_AUTH_MODE", "token", 1);
  return true;
}

// Disconnects from Ray, once. Runs when the original main returns, from atexit() when
// it calls std::exit(), and from std::terminate(): Ray must shut down before its own
// static objects are destroyed.
static void rayify_disconnect() {
  static bool done = false;
  if (done) return;
  done = true;
  ray::Shutdown();
}

static void rayify_shutdown() {
  std::fflush(nullptr);
  rayify_disconnect();
}

// Names the failure that ends the program when it came from Ray. Only the converted
// code calls Ray, so these mean one of its tasks or actors failed or was lost (a task
// that aborted, as a failed assert does, included).
static void rayify_explain_failure(const char *program, std::exception_ptr failure) {
  if (failure == nullptr) return;
  try {
    std::rethrow_exception(failure);
  } catch (const ray::internal::RayException &error) {
    std::fprintf(stderr, "%s: a Ray task or actor failed, so the program stops: %s\n",
                 program, error.what());
  } catch (const msgpack::type_error &) {
    // Ray's C++ API decodes the error left by an actor or a node that died as if it were
    // the result, which fails here (unless the program uses msgpack itself).
    std::fprintf(stderr,
                 "%s: a result from Ray could not be read: the task or actor computing it "
                 "was most likely lost with its worker or node; `ray list tasks --filter "
                 "state=FAILED` names it\n",
                 program);
  } catch (...) {
    // the program's own exception: it goes on unchanged
  }
}

// An exception leaving the original main ended it in std::terminate(): no destructor
// ran and unflushed output was lost. Main catches nothing so that the converted program
// ends the same way, a task that failed included; this handler only adds the reason and
// disconnects before the default handler aborts.
static const char *rayify_program = "";
static std::terminate_handler rayify_default_terminate = nullptr;
[[noreturn]] static void rayify_terminate() {
  rayify_explain_failure(rayify_program, std::current_exception());
  try {
    rayify_disconnect();
  } catch (...) {
    // Ray could not disconnect cleanly: the program ends anyway
  }
  if (rayify_default_terminate != nullptr) rayify_default_terminate();
  std::abort();
}

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and std::terminate(). Configured from the environment:
//   RAY_ADDRESS      cluster to join (empty, "auto" or "local": run locally)
//   RAY_NAMESPACE    namespace for named actors
//   RAY_RUNTIME_ENV  runtime environment as JSON, e.g. {"env_vars": {"A": "1"}}
//   RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH  token of a cluster with token authentication
//                    (default: ~/.ray/auth_token, from `ray get-auth-token --generate`)
int main(int argc, char **argv) {
  if (rayify_enable_token_auth()) execv("/proc/self/exe", argv);

  ray::RayConfig config;
  if (const char *address = std::getenv("RAY_ADDRESS")) config.address = address;
  if (const char *ray_namespace = std::getenv("RAY_NAMESPACE")) {
    config.ray_namespace = ray_namespace;
  }
  try {
    if (const char *runtime_env = std::getenv("RAY_RUNTIME_ENV")) {
      config.runtime_env = ray::RuntimeEnv::Deserialize(runtime_env);
    }
    ray::Init(config, argc, argv);
  } catch (const std::exception &error) {
    std::fprintf(stderr, "%s: cannot start Ray: %s\n", argv[0], error.what());
    return 1;
  }
  std::atexit(rayify_shutdown);
  rayify_program = argv[0];
  rayify_default_terminate = std::set_terminate(rayify_terminate);
  int status = rayify_original_main(argc, argv);
  rayify_shutdown();
  return status;
}
