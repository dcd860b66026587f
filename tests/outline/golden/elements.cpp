// Containers each iteration updates only at its own element, reading what it writes:
// `v[i] = f(v[i])` and its relatives, the commonest parallel loop there is. What must
// convert: a value read into scratch and written back, an element updated from itself,
// two vectors at once, rows of a matrix swept in place (run in chunks, the count known
// only at run time), structs of a vector, a std::array, range-fors whose reference
// rewrites the element, a `continue` that leaves some elements as they were, an element
// only some iterations reach, and a body that asks the size. What must not: an element
// read through its neighbour's index, and a pointer to the element.
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

struct Particle {
  double position;
  double velocity;
  MSGPACK_DEFINE(position, velocity);
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

// What one iteration of the loop at line 38 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_38_result {
  double level{};
  int i{};
  MSGPACK_DEFINE(level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(level, i); }
};

// One iteration of the loop at line 38 of main(), run as a Ray task.
static main_loop_38_result main_loop_38(int i, double level_i) {
  main_loop_38_result iteration_result;
  do {
    double scratch = relax(level_i, i);
    level_i = scratch * 2.0 - 1.0;
  } while (false);
  iteration_result.level = std::move(level_i);
  iteration_result.i = i;
  return iteration_result;
}

// What one iteration of the loop at line 43 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_43_result {
  double level{};
  int i{};
  MSGPACK_DEFINE(level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(level, i); }
};

// One iteration of the loop at line 43 of main(), run as a Ray task.
static main_loop_43_result main_loop_43(int i, double level_i_2) {
  main_loop_43_result iteration_result_2;
  do {
    level_i_2 = relax(level_i_2, 3 * i) + level_i_2;
  } while (false);
  iteration_result_2.level = std::move(level_i_2);
  iteration_result_2.i = i;
  return iteration_result_2;
}

// What one iteration of the loop at line 45 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_45_result {
  double slope{};
  double level{};
  int i{};
  MSGPACK_DEFINE(slope, level, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(slope, level, i); }
};

// One iteration of the loop at line 45 of main(), run as a Ray task.
static main_loop_45_result main_loop_45(int i, double slope_i, double level_i_3) {
  main_loop_45_result iteration_result_3;
  do {
    slope_i = relax(level_i_3, 7);
    level_i_3 = slope_i - level_i_3;
  } while (false);
  iteration_result_3.slope = std::move(slope_i);
  iteration_result_3.level = std::move(level_i_3);
  iteration_result_3.i = i;
  return iteration_result_3;
}

// What one iteration of the loop at line 55 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_55_result {
  std::vector<double> grid{};
  unsigned long r{};
  MSGPACK_DEFINE(grid, r);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(grid, r); }
};

// One iteration of the loop at line 55 of main(), run as a Ray task.
static main_loop_55_result main_loop_55(unsigned long r, std::vector<double> grid_r) {
  main_loop_55_result iteration_result_4;
  do {
    for (size_t c = 1; c < grid_r.size(); ++c)
      grid_r[c] = relax(grid_r[c - 1] + 0.01 * r, static_cast<int>(c));
  } while (false);
  iteration_result_4.grid = std::move(grid_r);
  iteration_result_4.r = r;
  return iteration_result_4;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 55 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_55_result> main_loop_55_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<std::vector<double>> grid_chunk) {
  std::vector<main_loop_55_result> chunk_results;
  for (unsigned long r = chunk_begin; r < chunk_end; ++r)
    chunk_results.push_back(main_loop_55(r, std::move(grid_chunk[r - chunk_begin])));
  return chunk_results;
}

// What one iteration of the loop at line 64 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_64_result {
  Particle particles{};
  unsigned long p{};
  MSGPACK_DEFINE(particles, p);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(particles, p); }
};

// One iteration of the loop at line 64 of main(), run as a Ray task.
static main_loop_64_result main_loop_64(unsigned long p, Particle particles_p) {
  main_loop_64_result iteration_result_5;
  do {
    particles_p.velocity = relax(particles_p.velocity, static_cast<int>(p));
    particles_p.position += particles_p.velocity;
  } while (false);
  iteration_result_5.particles = std::move(particles_p);
  iteration_result_5.p = p;
  return iteration_result_5;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 64 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_64_result> main_loop_64_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<Particle> particles_chunk) {
  std::vector<main_loop_64_result> chunk_results;
  for (unsigned long p = chunk_begin; p < chunk_end; ++p)
    chunk_results.push_back(main_loop_64(p, std::move(particles_chunk[p - chunk_begin])));
  return chunk_results;
}

// What one iteration of the loop at line 69 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_69_result {
  double weights{};
  int i{};
  MSGPACK_DEFINE(weights, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(weights, i); }
};

// One iteration of the loop at line 69 of main(), run as a Ray task.
static main_loop_69_result main_loop_69(int i, double weights_i) {
  main_loop_69_result iteration_result_6;
  do {
    weights_i = relax(weights_i + i, i) * 0.5;
  } while (false);
  iteration_result_6.weights = std::move(weights_i);
  iteration_result_6.i = i;
  return iteration_result_6;
}

// What one iteration of the loop at line 71 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_71_result {
  double w{};
  MSGPACK_DEFINE(w);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(w); }
};

// One iteration of the loop at line 71 of main(), run as a Ray task.
static main_loop_71_result main_loop_71(double w) {
  main_loop_71_result iteration_result_7;
  do {
    w = relax(w, 5) - w;
  } while (false);
  iteration_result_7.w = std::move(w);
  return iteration_result_7;
}

// What one iteration of the loop at line 72 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_72_result {
  Particle p{};
  MSGPACK_DEFINE(p);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(p); }
};

// One iteration of the loop at line 72 of main(), run as a Ray task.
static main_loop_72_result main_loop_72(Particle p) {
  main_loop_72_result iteration_result_8;
  do {
    if (p.velocity > 0.9) continue;
    p.position = relax(p.position, 2);
  } while (false);
  iteration_result_8.p = std::move(p);
  return iteration_result_8;
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
static main_loop_83_result main_loop_83(int i, double level_i_4) {
  main_loop_83_result iteration_result_9;
  do {
    if (level_i_4 < 0.0) continue;
    level_i_4 = relax(level_i_4, i);
  } while (false);
  iteration_result_9.level = std::move(level_i_4);
  iteration_result_9.i = i;
  return iteration_result_9;
}

// What one iteration of the loop at line 90 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_90_result {
  double counted{};
  double head{};
  int i{};
  MSGPACK_DEFINE(counted, head, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(counted, head, i); }
};

// One iteration of the loop at line 90 of main(), run as a Ray task.
static main_loop_90_result main_loop_90(int i, double head_i) {
  main_loop_90_result iteration_result_10;
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

// What one iteration of the loop at line 101 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_101_result {
  double slope{};
  unsigned long i{};
  MSGPACK_DEFINE(slope, i);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(slope, i); }
};

// One iteration of the loop at line 101 of main(), run as a Ray task.
static main_loop_101_result main_loop_101(unsigned long i, double slope_i_2, std::size_t slope_size) {
  main_loop_101_result iteration_result_11;
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

// Iterations [chunk_begin, chunk_end) of the loop at line 101 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_101_result> main_loop_101_chunk(unsigned long chunk_begin, unsigned long chunk_end, std::vector<double> slope_chunk_2, std::size_t slope_size) {
  std::vector<main_loop_101_result> chunk_results;
  for (unsigned long i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_101(i, std::move(slope_chunk_2[i - chunk_begin]), slope_size));
  return chunk_results;
}

static int rayify_original_main(int argc, char **) {
  const int n = 48;
  std::vector<double> level(n), slope(n);
  for (int i = 0; i < n; ++i) level[i] = 0.25 * i;

  // Read into scratch, computed on, written back.
  std::deque<ray::ObjectRef<main_loop_38_result>> main_loop_38_refs;
  for (int i = 0; i < n; ++i) {
    main_loop_38_refs.push_back(rayify_copy_of(ray::Task(main_loop_38).SetResource("CPU", 1).Remote(i, level[i])));
  }
  while (!main_loop_38_refs.empty()) {
    const auto main_loop_38_iteration = ray::Get(std::move(main_loop_38_refs.front()));
    main_loop_38_refs.pop_front();
    level[main_loop_38_iteration->i] = main_loop_38_iteration->level;
  }
  // Updated from itself.
  std::deque<ray::ObjectRef<main_loop_43_result>> main_loop_43_refs;
  for (int i = 0; i < n; ++i) {
    main_loop_43_refs.push_back(rayify_copy_of(ray::Task(main_loop_43).SetResource("CPU", 1).Remote(i, level[i])));
  }
  while (!main_loop_43_refs.empty()) {
    const auto main_loop_43_iteration = ray::Get(std::move(main_loop_43_refs.front()));
    main_loop_43_refs.pop_front();
    level[main_loop_43_iteration->i] = main_loop_43_iteration->level;
  }
  // Two vectors, one written before it is read.
  std::deque<ray::ObjectRef<main_loop_45_result>> main_loop_45_refs;
  for (int i = 0; i < n; ++i) {
    main_loop_45_refs.push_back(rayify_copy_of(ray::Task(main_loop_45).SetResource("CPU", 1).Remote(i, slope[i], level[i])));
  }
  while (!main_loop_45_refs.empty()) {
    const auto main_loop_45_iteration = ray::Get(std::move(main_loop_45_refs.front()));
    main_loop_45_refs.pop_front();
    slope[main_loop_45_iteration->i] = main_loop_45_iteration->slope;
    level[main_loop_45_iteration->i] = main_loop_45_iteration->level;
  }
  std::printf("level %.6f slope %.6f\n", checksum(level), checksum(slope));

  // Rows swept in place, each from its own left neighbour; the count comes from
  // the command line, so the rows run in chunks.
  const int rows = 12 + argc;
  std::vector<std::vector<double>> grid(rows, std::vector<double>(24, 1.0));
  std::deque<ray::ObjectRef<std::vector<main_loop_55_result>>> main_loop_55_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_55_chunk_size = std::max<unsigned long>(
    1, (grid.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_55_first = 0; main_loop_55_first < grid.size(); main_loop_55_first += main_loop_55_chunk_size) {
    unsigned long main_loop_55_last = grid.size() - main_loop_55_first > main_loop_55_chunk_size ? main_loop_55_first + main_loop_55_chunk_size : grid.size();
    main_loop_55_refs.push_back(rayify_copy_of(ray::Task(main_loop_55_chunk).SetResource("CPU", 1).Remote(main_loop_55_first, main_loop_55_last,
      std::vector<std::vector<double>>(grid.begin() + main_loop_55_first, grid.begin() + main_loop_55_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_55_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_55_refs[main_loop_55_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_55_refs.empty()) {
    const auto main_loop_55_results = ray::Get(std::move(main_loop_55_refs.front()));
    main_loop_55_refs.pop_front();
    for (const auto &main_loop_55_iteration : *main_loop_55_results) {
      grid[main_loop_55_iteration.r] = main_loop_55_iteration.grid;
    }
  }
  double grid_sum = 0;
  for (const auto &row : grid) grid_sum += checksum(row);
  std::printf("grid %.6f\n", grid_sum);

  std::vector<Particle> particles(20, Particle{1.0, 0.5});
  std::deque<ray::ObjectRef<std::vector<main_loop_64_result>>> main_loop_64_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_64_chunk_size = std::max<unsigned long>(
    1, (particles.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_64_first = 0; main_loop_64_first < particles.size(); main_loop_64_first += main_loop_64_chunk_size) {
    unsigned long main_loop_64_last = particles.size() - main_loop_64_first > main_loop_64_chunk_size ? main_loop_64_first + main_loop_64_chunk_size : particles.size();
    main_loop_64_refs.push_back(rayify_copy_of(ray::Task(main_loop_64_chunk).SetResource("CPU", 1).Remote(main_loop_64_first, main_loop_64_last,
      std::vector<Particle>(particles.begin() + main_loop_64_first, particles.begin() + main_loop_64_last))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_64_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_64_refs[main_loop_64_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_64_refs.empty()) {
    const auto main_loop_64_results = ray::Get(std::move(main_loop_64_refs.front()));
    main_loop_64_refs.pop_front();
    for (const auto &main_loop_64_iteration : *main_loop_64_results) {
      particles[main_loop_64_iteration.p] = main_loop_64_iteration.particles;
    }
  }
  std::array<double, 16> weights{};
  std::deque<ray::ObjectRef<main_loop_69_result>> main_loop_69_refs;
  for (int i = 0; i < 16; ++i) {
    main_loop_69_refs.push_back(rayify_copy_of(ray::Task(main_loop_69).SetResource("CPU", 1).Remote(i, weights[i])));
  }
  while (!main_loop_69_refs.empty()) {
    const auto main_loop_69_iteration = ray::Get(std::move(main_loop_69_refs.front()));
    main_loop_69_refs.pop_front();
    weights[main_loop_69_iteration->i] = main_loop_69_iteration->weights;
  }
  // A range-for's reference rewrites the element it walks.
  std::vector<ray::ObjectRef<main_loop_71_result>> main_loop_71_refs;
  for (double &w : weights) {
    main_loop_71_refs.push_back(rayify_copy_of(ray::Task(main_loop_71).SetResource("CPU", 1).Remote(w)));
  }
  const auto main_loop_71_results = ray::Get(main_loop_71_refs);
  std::size_t main_loop_71_next = 0;
  for (double &w : weights) {
    const auto &main_loop_71_iteration = main_loop_71_results[main_loop_71_next++];
    w = main_loop_71_iteration->w;
  }
  std::vector<ray::ObjectRef<main_loop_72_result>> main_loop_72_refs;
  for (Particle &p : particles) {
    main_loop_72_refs.push_back(rayify_copy_of(ray::Task(main_loop_72).SetResource("CPU", 1).Remote(p)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_72_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_72_refs[main_loop_72_refs.size() - 64]}, 1, -1);
  }
  const auto main_loop_72_results = ray::Get(main_loop_72_refs);
  std::size_t main_loop_72_next = 0;
  for (Particle &p : particles) {
    const auto &main_loop_72_iteration = main_loop_72_results[main_loop_72_next++];
    p = main_loop_72_iteration->p;
  }
  double particle_sum = 0;
  for (const Particle &p : particles) particle_sum += p.position - p.velocity;
  double weight_sum = 0;
  for (double w : weights) weight_sum += w;
  std::printf("particles %.6f weights %.6f\n", particle_sum, weight_sum);

  // Some elements are left as they were.
  std::deque<ray::ObjectRef<main_loop_83_result>> main_loop_83_refs;
  for (int i = 0; i < n; ++i) {
    main_loop_83_refs.push_back(rayify_copy_of(ray::Task(main_loop_83).SetResource("CPU", 1).Remote(i, level[i])));
  }
  while (!main_loop_83_refs.empty()) {
    const auto main_loop_83_iteration = ray::Get(std::move(main_loop_83_refs.front()));
    main_loop_83_refs.pop_front();
    level[main_loop_83_iteration->i] = main_loop_83_iteration->level;
  }
  // Only iterations below 30 reach their element; the rest only count.
  std::vector<double> head(30, 2.0);
  double counted = 0;
  std::deque<ray::ObjectRef<main_loop_90_result>> main_loop_90_refs;
  for (int i = 0; i < n; ++i) {
    main_loop_90_refs.push_back(rayify_copy_of(ray::Task(main_loop_90).SetResource("CPU", 1).Remote(i, (static_cast<std::size_t>(i) < head.size() ? head[i] : double{}))));
  }
  while (!main_loop_90_refs.empty()) {
    const auto main_loop_90_iteration = ray::Get(std::move(main_loop_90_refs.front()));
    main_loop_90_refs.pop_front();
    counted += main_loop_90_iteration->counted;
    if (static_cast<std::size_t>(main_loop_90_iteration->i) < head.size())
      head[main_loop_90_iteration->i] = main_loop_90_iteration->head;
  }
  std::printf("level %.6f head %.6f counted %.6f\n", checksum(level), checksum(head),
              counted);

  // The body asks the size, which storing elements never changes.
  std::deque<ray::ObjectRef<std::vector<main_loop_101_result>>> main_loop_101_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const unsigned long main_loop_101_chunk_size = std::max<unsigned long>(
    1, (slope.size() - 0) / static_cast<unsigned long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (unsigned long main_loop_101_first = 0; main_loop_101_first < slope.size(); main_loop_101_first += main_loop_101_chunk_size) {
    unsigned long main_loop_101_last = slope.size() - main_loop_101_first > main_loop_101_chunk_size ? main_loop_101_first + main_loop_101_chunk_size : slope.size();
    main_loop_101_refs.push_back(rayify_copy_of(ray::Task(main_loop_101_chunk).SetResource("CPU", 1).Remote(main_loop_101_first, main_loop_101_last,
      std::vector<double>(slope.begin() + main_loop_101_first, slope.begin() + main_loop_101_last),
      slope.size())));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (main_loop_101_refs.size() >= 64)
      ray::Wait(std::vector{main_loop_101_refs[main_loop_101_refs.size() - 64]}, 1, -1);
  }
  while (!main_loop_101_refs.empty()) {
    const auto main_loop_101_results = ray::Get(std::move(main_loop_101_refs.front()));
    main_loop_101_refs.pop_front();
    for (const auto &main_loop_101_iteration : *main_loop_101_results) {
      slope[main_loop_101_iteration.i] = main_loop_101_iteration.slope;
    }
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
  return 0;
}

RAY_REMOTE(main_loop_38, main_loop_43, main_loop_45, main_loop_55_chunk, main_loop_64_chunk, main_loop_69, main_loop_71, main_loop_72, main_loop_83, main_loop_90, main_loop_101_chunk);

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

// Flushes the program's output, then disconnects from Ray, once. Runs when the
// original main returns or throws, and from atexit() when it calls std::exit(): Ray
// must shut down before its own static objects are destroyed.
static void rayify_shutdown() {
  static bool done = false;
  if (done) return;
  done = true;
  std::fflush(nullptr);
  ray::Shutdown();
}

// Called while an exception leaves the original main: names the failure when it came
// from Ray. Only the converted code calls Ray, so these mean one of its tasks or actors
// failed or was lost.
static void rayify_explain_failure(const char *program) {
  try {
    throw;
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

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and exceptions. Configured from the environment:
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
  int status;
  try {
    status = rayify_original_main(argc, argv);
  } catch (...) {
    rayify_explain_failure(argv[0]);
    rayify_shutdown();
    throw;
  }
  rayify_shutdown();
  return status;
}
