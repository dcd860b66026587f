// A grid kept the C way: one block of `rows * cols` numbers made at a size read from
// the command line, element (i, j) at `grid[i * cols + j]`. What must convert: a sweep
// whose every iteration reads and writes only its own row, through an index set just
// before its use (`k = i * cols + j;`, srad's way) or spelled in the subscript, a
// static helper main hands the grid and its width, a few heavy rows run a task each,
// and a std::vector holding a grid the same way, in main and in a helper main hands it
// by reference; each chunk's or task's rows go out and come back in place. What must
// not: a sweep reading the next row of what it writes (of a block, and of a vector),
// and one whose inner loop runs one step past the width.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

// Converted by rayify from block_rows.cpp: independent loops run as Ray tasks, stateful
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
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <sys/resource.h>
#include <thread>
#include <utility>
#include <vector>

// How many elements 'image' holds: the tasks of functions main() hands it to are sent a copy.
static std::size_t main_image_count = 0;

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

// Microseconds of the driver's work since it was made: the wall's time, or the
// thread's CPU time when the scheduler gave the CPU to another thread meanwhile
// (the wall would count that thread's turn too) and this one never waited.
class rayify_driver_clock {
 public:
  rayify_driver_clock()
      : switches_(Switches()), cpu_(CpuNanoseconds()),
        wall_(std::chrono::steady_clock::now()) {}
  double Microseconds() const {
    const std::chrono::duration<double, std::micro> wall =
        std::chrono::steady_clock::now() - wall_;
    const Counts now = Switches();
    if (now.waited != switches_.waited || now.preempted == switches_.preempted)
      return wall.count();
    return (CpuNanoseconds() - cpu_) / 1e3;
  }

 private:
  // Times the thread gave up its CPU to wait, and times another took it.
  struct Counts {
    long waited = 0;
    long preempted = 0;
  };
  static Counts Switches() {
    Counts counts;
#ifdef RUSAGE_THREAD
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    counts.waited = usage.ru_nvcsw;
    counts.preempted = usage.ru_nivcsw;
#endif
    return counts;
  }
  static double CpuNanoseconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
  }

  Counts switches_;
  double cpu_;
  std::chrono::steady_clock::time_point wall_;
};

// The rows of a flattened block a task was sent, reached at the block's own
// indices: element k of the block is element k - first of `data`.
template <typename T>
struct rayify_rows {
  T *data;
  std::size_t first;
  T &operator[](long long k) const { return data[k - static_cast<long long>(first)]; }
};

// Where row `row` of `width` elements starts in a block of `count`, within the
// block: the rows of iterations [first, last) are [start(first), start(last)).
static std::size_t rayify_row_start(long long row, long long width, std::size_t count) {
  if (width <= 0 || row <= 0) return 0;
  if (row > static_cast<long long>(count) / width) return count;
  return static_cast<std::size_t>(row * width);
}

// Runs the loop's first iterations here, timed, and the others too when a chunk
// of them would take less than `least_microseconds`: too little work to pay for
// a task. Returns the first iteration left to the tasks (`end` when none is).
// RAYIFY_ALWAYS_TASKS=1 leaves them all to the tasks.
template <typename Counter, typename Here>
static Counter rayify_run_first_here(Counter begin, Counter end, Counter chunk,
                                     double least_microseconds, const Here &here) {
  static const char *const always = std::getenv("RAYIFY_ALWAYS_TASKS");
  if (!(begin < end) || (always != nullptr && std::strcmp(always, "0") != 0))
    return begin;
  const Counter tried = std::min<Counter>(std::max<Counter>(1, chunk / 8), end - begin);
  const rayify_driver_clock clock;
  here(begin, static_cast<Counter>(begin + tried));
  if (clock.Microseconds() / static_cast<double>(tried) * static_cast<double>(chunk) >=
      least_microseconds)
    return static_cast<Counter>(begin + tried);
  here(static_cast<Counter>(begin + tried), end);
  return end;
}

#line 15
static float series(float x, int terms) {
  float s = 0;
  for (int t = 1; t < terms; ++t) s += std::sin(x * t) / t;
  return s;
}

// What one iteration of the loop at line 22 of relax() leaves for the driver
// to apply, in iteration order.
struct relax_loop_22_result {
  std::vector<float> grid_rows{};
  std::size_t grid_first{};
  MSGPACK_DEFINE(grid_rows, grid_first);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(grid_rows, grid_first); }
};

// One iteration of the loop at line 22 of relax(), run as a Ray task.
static relax_loop_22_result relax_loop_22(int r, int cols, std::vector<float> &grid_rows, std::size_t grid_first) {
  relax_loop_22_result iteration_result_5;
  // 'grid': its rows, as the loop found them, at the block's own indices.
  const rayify_rows<float> grid{grid_rows.data(), grid_first};
  do {
    for (int c = 1; c < cols; c++)
      grid[r * cols + c] = series(grid[r * cols + c] + grid[c + cols * r - 1], 400);
  } while (false);
  return iteration_result_5;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 22 of relax(), run one after the other
// as one Ray task.
static std::vector<relax_loop_22_result> relax_loop_22_chunk(int chunk_begin, int chunk_end, int cols, std::vector<float> grid_rows, std::size_t grid_first) {
  std::vector<relax_loop_22_result> chunk_results;
  for (int r = chunk_begin; r < chunk_end; ++r)
    chunk_results.push_back(relax_loop_22(r, cols, grid_rows, grid_first));
  chunk_results.back().grid_rows = std::move(grid_rows);
  chunk_results.back().grid_first = grid_first;
  return chunk_results;
}

#line 21
static void relax(float *grid, int rows, int cols) {
  // The loop as written, for iterations that run here.
  const auto relax_loop_22_here = [&](int relax_loop_22_from, int relax_loop_22_to) {
    for (int r = relax_loop_22_from; r < relax_loop_22_to; ++r)
      for (int c = 1; c < cols; c++)
        grid[r * cols + c] = series(grid[r * cols + c] + grid[c + cols * r - 1], 400);
  };
  // About 8 chunks of iterations per CPU, one task each.
  const int relax_loop_22_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  // A few iterations run here first, timed; the rest are tasks only if a chunk
  // would take 1000 us or more (min-chunk-microseconds), else they run here too.
  const int relax_loop_22_start = rayify_run_first_here<int>(0, rows, relax_loop_22_chunk_size, 1000, relax_loop_22_here);
  if (relax_loop_22_start < rows) {
    std::deque<ray::ObjectRef<std::vector<relax_loop_22_result>>> relax_loop_22_refs;
    for (int relax_loop_22_first = relax_loop_22_start; relax_loop_22_first < rows; relax_loop_22_first += relax_loop_22_chunk_size) {
      int relax_loop_22_last = rows - relax_loop_22_first > relax_loop_22_chunk_size ? relax_loop_22_first + relax_loop_22_chunk_size : rows;
      relax_loop_22_refs.push_back(rayify_copy_of(ray::Task(relax_loop_22_chunk).SetResource("CPU", 1).Remote(relax_loop_22_first, relax_loop_22_last, cols,
        std::vector<float>(grid + rayify_row_start(relax_loop_22_first, cols, main_image_count), grid + rayify_row_start(relax_loop_22_last, cols, main_image_count)),
        rayify_row_start(relax_loop_22_first, cols, main_image_count))));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (relax_loop_22_refs.size() >= 64)
        ray::Wait(std::vector{relax_loop_22_refs[relax_loop_22_refs.size() - 64]}, 1, -1);
    }
    while (!relax_loop_22_refs.empty()) {
      const auto relax_loop_22_results = ray::Get(std::move(relax_loop_22_refs.front()));
      relax_loop_22_refs.pop_front();
      for (const auto &relax_loop_22_iteration : *relax_loop_22_results) {
        if (!relax_loop_22_iteration.grid_rows.empty())
          std::copy(relax_loop_22_iteration.grid_rows.begin(), relax_loop_22_iteration.grid_rows.end(), grid + relax_loop_22_iteration.grid_first);
      }
    }
  }
}

// What one iteration of the loop at line 30 of smooth() leaves for the driver
// to apply, in iteration order.
struct smooth_loop_30_result {
  std::vector<double> grid_rows{};
  std::size_t grid_first{};
  MSGPACK_DEFINE(grid_rows, grid_first);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(grid_rows, grid_first); }
};

// One iteration of the loop at line 30 of smooth(), run as a Ray task.
static smooth_loop_30_result smooth_loop_30(int r, int cols, const std::vector<double> &weight, std::vector<double> &grid_rows_2, std::size_t grid_first_2) {
  smooth_loop_30_result iteration_result_6;
  // 'grid': its rows, as the loop found them, at the block's own indices.
  const rayify_rows<double> grid{grid_rows_2.data(), grid_first_2};
  do {
    for (int c = 1; c < cols; c++)
      grid[r * cols + c] = series(float(grid[r * cols + c - 1] * weight[c]), 300);
  } while (false);
  return iteration_result_6;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 30 of smooth(), run one after the other
// as one Ray task.
static std::vector<smooth_loop_30_result> smooth_loop_30_chunk(int chunk_begin, int chunk_end, int cols, const std::vector<double> &weight, std::vector<double> grid_rows_2, std::size_t grid_first_2) {
  std::vector<smooth_loop_30_result> chunk_results;
  for (int r = chunk_begin; r < chunk_end; ++r)
    chunk_results.push_back(smooth_loop_30(r, cols, weight, grid_rows_2, grid_first_2));
  chunk_results.back().grid_rows = std::move(grid_rows_2);
  chunk_results.back().grid_first = grid_first_2;
  return chunk_results;
}

#line 27
// The rows of whichever vector main hands it, a local of main's at every call.
static void smooth(std::vector<double> &grid, const std::vector<double> &weight, int rows,
                   int cols) {
  // The loop as written, for iterations that run here.
  const auto smooth_loop_30_here = [&](int smooth_loop_30_from, int smooth_loop_30_to) {
    for (int r = smooth_loop_30_from; r < smooth_loop_30_to; ++r)
      for (int c = 1; c < cols; c++)
        grid[r * cols + c] = series(float(grid[r * cols + c - 1] * weight[c]), 300);
  };
  // About 8 chunks of iterations per CPU, one task each.
  const int smooth_loop_30_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  // A few iterations run here first, timed; the rest are tasks only if a chunk
  // would take 1000 us or more (min-chunk-microseconds), else they run here too.
  const int smooth_loop_30_start = rayify_run_first_here<int>(0, rows, smooth_loop_30_chunk_size, 1000, smooth_loop_30_here);
  if (smooth_loop_30_start < rows) {
    auto weight_ref = ray::Put(weight);
    std::deque<ray::ObjectRef<std::vector<smooth_loop_30_result>>> smooth_loop_30_refs;
    for (int smooth_loop_30_first = smooth_loop_30_start; smooth_loop_30_first < rows; smooth_loop_30_first += smooth_loop_30_chunk_size) {
      int smooth_loop_30_last = rows - smooth_loop_30_first > smooth_loop_30_chunk_size ? smooth_loop_30_first + smooth_loop_30_chunk_size : rows;
      smooth_loop_30_refs.push_back(rayify_copy_of(ray::Task(smooth_loop_30_chunk).SetResource("CPU", 1).Remote(smooth_loop_30_first, smooth_loop_30_last, cols, weight_ref,
        std::vector<double>(grid.data() + rayify_row_start(smooth_loop_30_first, cols, grid.size()), grid.data() + rayify_row_start(smooth_loop_30_last, cols, grid.size())),
        rayify_row_start(smooth_loop_30_first, cols, grid.size()))));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (smooth_loop_30_refs.size() >= 64)
        ray::Wait(std::vector{smooth_loop_30_refs[smooth_loop_30_refs.size() - 64]}, 1, -1);
    }
    while (!smooth_loop_30_refs.empty()) {
      const auto smooth_loop_30_results = ray::Get(std::move(smooth_loop_30_refs.front()));
      smooth_loop_30_refs.pop_front();
      for (const auto &smooth_loop_30_iteration : *smooth_loop_30_results) {
        if (!smooth_loop_30_iteration.grid_rows.empty())
          std::copy(smooth_loop_30_iteration.grid_rows.begin(), smooth_loop_30_iteration.grid_rows.end(), grid.data() + smooth_loop_30_iteration.grid_first);
      }
    }
  }
}

// What one iteration of the loop at line 44 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_44_result {
  std::vector<float> coeff_rows{};
  std::size_t coeff_first{};
  MSGPACK_DEFINE(coeff_rows, coeff_first);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(coeff_rows, coeff_first); }
};

// One iteration of the loop at line 44 of main(), run as a Ray task.
static main_loop_44_result main_loop_44(int i, int cols, const std::vector<float> &image_sent, std::vector<float> &coeff_rows, std::size_t coeff_first) {
  main_loop_44_result iteration_result;
  float *image = const_cast<float *>(image_sent.data());
  // 'coeff': its rows, as the loop found them, at the block's own indices.
  const rayify_rows<float> coeff{coeff_rows.data(), coeff_first};
  int k{};
  do {
    for (int j = 0; j < cols; j++) {
      k = i * cols + j;
      float up = image[(i > 0 ? i - 1 : i) * cols + j];
      coeff[k] = series(image[k] + up, 400);
      if (coeff[k] < 0) coeff[k] = -coeff[k];
    }
  } while (false);
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 44 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_44_result> main_loop_44_chunk(int chunk_begin, int chunk_end, int cols, const std::vector<float> &image_sent, std::vector<float> coeff_rows, std::size_t coeff_first) {
  std::vector<main_loop_44_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_44(i, cols, image_sent, coeff_rows, coeff_first));
  chunk_results.back().coeff_rows = std::move(coeff_rows);
  chunk_results.back().coeff_first = coeff_first;
  return chunk_results;
}

// What one iteration of the loop at line 54 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_54_result {
  std::vector<float> image_rows{};
  std::size_t image_first{};
  MSGPACK_DEFINE(image_rows, image_first);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(image_rows, image_first); }
};

// One iteration of the loop at line 54 of main(), run as a Ray task.
static main_loop_54_result main_loop_54(int i, int cols, const std::vector<float> &coeff_sent, std::vector<float> &image_rows, std::size_t image_first) {
  main_loop_54_result iteration_result_2;
  float *coeff = const_cast<float *>(coeff_sent.data());
  // 'image': its rows, as the loop found them, at the block's own indices.
  const rayify_rows<float> image{image_rows.data(), image_first};
  do {
    for (int j = 0; j < cols; j++)
      image[i * cols + j] = series(image[i * cols + j] * coeff[i * cols + j], 400);
  } while (false);
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 54 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_54_result> main_loop_54_chunk(int chunk_begin, int chunk_end, int cols, const std::vector<float> &coeff_sent, std::vector<float> image_rows, std::size_t image_first) {
  std::vector<main_loop_54_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_54(i, cols, coeff_sent, image_rows, image_first));
  chunk_results.back().image_rows = std::move(image_rows);
  chunk_results.back().image_first = image_first;
  return chunk_results;
}

// What one iteration of the loop at line 62 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_62_result {
  std::vector<float> coeff_rows{};
  std::size_t coeff_first{};
  MSGPACK_DEFINE(coeff_rows, coeff_first);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(coeff_rows, coeff_first); }
};

// One iteration of the loop at line 62 of main(), run as a Ray task.
static main_loop_62_result main_loop_62(int i, int cols, std::vector<float> coeff_rows_2, std::size_t coeff_first_2) {
  main_loop_62_result iteration_result_3;
  // 'coeff': its rows, as the loop found them, at the block's own indices.
  const rayify_rows<float> coeff{coeff_rows_2.data(), coeff_first_2};
  do {
    for (int j = 1; j < cols; j++) {
      int at = i * cols + j;
      coeff[at] = series(coeff[at] + coeff[at - 1], 3000);
    }
  } while (false);
  iteration_result_3.coeff_rows = std::move(coeff_rows_2);
  iteration_result_3.coeff_first = coeff_first_2;
  return iteration_result_3;
}

// What one iteration of the loop at line 82 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_82_result {
  std::vector<double> field_rows{};
  std::size_t field_first{};
  MSGPACK_DEFINE(field_rows, field_first);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(field_rows, field_first); }
};

// One iteration of the loop at line 82 of main(), run as a Ray task.
static main_loop_82_result main_loop_82(int i, int cols, std::vector<double> &field_rows, std::size_t field_first) {
  main_loop_82_result iteration_result_4;
  // 'field': its rows, as the loop found them, at the block's own indices.
  const rayify_rows<double> field{field_rows.data(), field_first};
  do {
    for (int j = 1; j < cols; j++)
      field[i * cols + j] = series(float(field[i * cols + j - 1]), 300) + field[i * cols + j];
  } while (false);
  return iteration_result_4;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 82 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_82_result> main_loop_82_chunk(int chunk_begin, int chunk_end, int cols, std::vector<double> field_rows, std::size_t field_first) {
  std::vector<main_loop_82_result> chunk_results;
  for (int i = chunk_begin; i < chunk_end; ++i)
    chunk_results.push_back(main_loop_82(i, cols, field_rows, field_first));
  chunk_results.back().field_rows = std::move(field_rows);
  chunk_results.back().field_first = field_first;
  return chunk_results;
}

static int rayify_original_main(int argc, char **argv) {
#line 36
  int rows = argc > 1 ? std::atoi(argv[1]) : 24;
  int cols = argc > 2 ? std::atoi(argv[2]) : 20;
  int size = rows * cols, k;
  float *image = (float *)malloc(sizeof(float) * size);
  // How many elements 'image' holds: its tasks are sent a copy of them.
  const std::size_t image_count = static_cast<std::size_t>((sizeof(float) * size) / sizeof(float));
  main_image_count = static_cast<std::size_t>((sizeof(float) * size) / sizeof(float));
#line 40
  float *coeff = new float[size];
  // How many elements 'coeff' holds: its tasks are sent a copy of them.
  const std::size_t coeff_count = static_cast<std::size_t>(size);
#line 41
  for (int q = 0; q < size; q++) image[q] = (q % 17) * 0.125f;

  // Own rows through an index set before each use: coeff written, image only read.
  // The loop as written, for iterations that run here.
  const auto main_loop_44_here = [&](int main_loop_44_from, int main_loop_44_to) {
    for (int i = main_loop_44_from; i < main_loop_44_to; ++i) {
      for (int j = 0; j < cols; j++) {
        k = i * cols + j;
        float up = image[(i > 0 ? i - 1 : i) * cols + j];
        coeff[k] = series(image[k] + up, 400);
        if (coeff[k] < 0) coeff[k] = -coeff[k];
      }
    }
  };
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_44_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  // A few iterations run here first, timed; the rest are tasks only if a chunk
  // would take 1000 us or more (min-chunk-microseconds), else they run here too.
  const int main_loop_44_start = rayify_run_first_here<int>(0, rows, main_loop_44_chunk_size, 1000, main_loop_44_here);
  if (main_loop_44_start < rows) {
    auto image_ref = ray::Put(std::vector<float>(image, image + image_count));
    std::deque<ray::ObjectRef<std::vector<main_loop_44_result>>> main_loop_44_refs;
    for (int main_loop_44_first = main_loop_44_start; main_loop_44_first < rows; main_loop_44_first += main_loop_44_chunk_size) {
      int main_loop_44_last = rows - main_loop_44_first > main_loop_44_chunk_size ? main_loop_44_first + main_loop_44_chunk_size : rows;
      main_loop_44_refs.push_back(rayify_copy_of(ray::Task(main_loop_44_chunk).SetResource("CPU", 1).Remote(main_loop_44_first, main_loop_44_last, cols, image_ref,
        std::vector<float>(coeff + rayify_row_start(main_loop_44_first, cols, coeff_count), coeff + rayify_row_start(main_loop_44_last, cols, coeff_count)),
        rayify_row_start(main_loop_44_first, cols, coeff_count))));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (main_loop_44_refs.size() >= 64)
        ray::Wait(std::vector{main_loop_44_refs[main_loop_44_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_44_refs.empty()) {
      const auto main_loop_44_results = ray::Get(std::move(main_loop_44_refs.front()));
      main_loop_44_refs.pop_front();
      for (const auto &main_loop_44_iteration : *main_loop_44_results) {
        if (!main_loop_44_iteration.coeff_rows.empty())
          std::copy(main_loop_44_iteration.coeff_rows.begin(), main_loop_44_iteration.coeff_rows.end(), coeff + main_loop_44_iteration.coeff_first);
      }
    }
  }

#line 53
  // Own rows spelled in the subscript, read and written.
  // The loop as written, for iterations that run here.
  const auto main_loop_54_here = [&](int main_loop_54_from, int main_loop_54_to) {
    for (int i = main_loop_54_from; i < main_loop_54_to; ++i)
      for (int j = 0; j < cols; j++)
        image[i * cols + j] = series(image[i * cols + j] * coeff[i * cols + j], 400);
  };
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_54_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  // A few iterations run here first, timed; the rest are tasks only if a chunk
  // would take 1000 us or more (min-chunk-microseconds), else they run here too.
  const int main_loop_54_start = rayify_run_first_here<int>(0, rows, main_loop_54_chunk_size, 1000, main_loop_54_here);
  if (main_loop_54_start < rows) {
    auto coeff_ref = ray::Put(std::vector<float>(coeff, coeff + coeff_count));
    std::deque<ray::ObjectRef<std::vector<main_loop_54_result>>> main_loop_54_refs;
    for (int main_loop_54_first = main_loop_54_start; main_loop_54_first < rows; main_loop_54_first += main_loop_54_chunk_size) {
      int main_loop_54_last = rows - main_loop_54_first > main_loop_54_chunk_size ? main_loop_54_first + main_loop_54_chunk_size : rows;
      main_loop_54_refs.push_back(rayify_copy_of(ray::Task(main_loop_54_chunk).SetResource("CPU", 1).Remote(main_loop_54_first, main_loop_54_last, cols, coeff_ref,
        std::vector<float>(image + rayify_row_start(main_loop_54_first, cols, image_count), image + rayify_row_start(main_loop_54_last, cols, image_count)),
        rayify_row_start(main_loop_54_first, cols, image_count))));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (main_loop_54_refs.size() >= 64)
        ray::Wait(std::vector{main_loop_54_refs[main_loop_54_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_54_refs.empty()) {
      const auto main_loop_54_results = ray::Get(std::move(main_loop_54_refs.front()));
      main_loop_54_refs.pop_front();
      for (const auto &main_loop_54_iteration : *main_loop_54_results) {
        if (!main_loop_54_iteration.image_rows.empty())
          std::copy(main_loop_54_iteration.image_rows.begin(), main_loop_54_iteration.image_rows.end(), image + main_loop_54_iteration.image_first);
      }
    }
  }

#line 58
  relax(image, rows, cols);

  // A few heavy rows, a task each: each row's elements from the left, through an
  // index set before each use.
  std::deque<ray::ObjectRef<main_loop_62_result>> main_loop_62_refs;
#line 62
  for (int i = 0; i < 6; i++) {
    main_loop_62_refs.push_back(rayify_copy_of(ray::Task(main_loop_62).SetResource("CPU", 1).Remote(i, cols,
      std::vector<float>(coeff + rayify_row_start(i, cols, coeff_count), coeff + rayify_row_start(i + 1, cols, coeff_count)),
      rayify_row_start(i, cols, coeff_count))));
  }
  while (!main_loop_62_refs.empty()) {
    const auto main_loop_62_iteration = ray::Get(std::move(main_loop_62_refs.front()));
    main_loop_62_refs.pop_front();
    if (!main_loop_62_iteration->coeff_rows.empty())
      std::copy(main_loop_62_iteration->coeff_rows.begin(), main_loop_62_iteration->coeff_rows.end(), coeff + main_loop_62_iteration->coeff_first);
  }

#line 69
  // Sequential: each row reads the next one, which a later iteration stores into.
  for (int i = 0; i < rows - 1; i++)
    for (int j = 0; j < cols; j++)
      coeff[i * cols + j] = series(coeff[(i + 1) * cols + j], 400);

  // Sequential: the inner loop's last step is the next row's first element.
  for (int i = 0; i < rows - 1; i++)
    for (int j = 0; j <= cols; j++)
      image[i * cols + j] = series(image[i * cols + j] + 1, 400);

  // A std::vector holds a grid as a block does: each row read from the left.
  std::vector<double> field(size);
  for (int q = 0; q < size; q++) field[q] = image[q] - coeff[q];
  // The loop as written, for iterations that run here.
  const auto main_loop_82_here = [&](int main_loop_82_from, int main_loop_82_to) {
    for (int i = main_loop_82_from; i < main_loop_82_to; ++i)
      for (int j = 1; j < cols; j++)
        field[i * cols + j] = series(float(field[i * cols + j - 1]), 300) + field[i * cols + j];
  };
  // About 8 chunks of iterations per CPU, one task each.
  const int main_loop_82_chunk_size = std::max<int>(
    1, (rows - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  // A few iterations run here first, timed; the rest are tasks only if a chunk
  // would take 1000 us or more (min-chunk-microseconds), else they run here too.
  const int main_loop_82_start = rayify_run_first_here<int>(0, rows, main_loop_82_chunk_size, 1000, main_loop_82_here);
  if (main_loop_82_start < rows) {
    std::deque<ray::ObjectRef<std::vector<main_loop_82_result>>> main_loop_82_refs;
    for (int main_loop_82_first = main_loop_82_start; main_loop_82_first < rows; main_loop_82_first += main_loop_82_chunk_size) {
      int main_loop_82_last = rows - main_loop_82_first > main_loop_82_chunk_size ? main_loop_82_first + main_loop_82_chunk_size : rows;
      main_loop_82_refs.push_back(rayify_copy_of(ray::Task(main_loop_82_chunk).SetResource("CPU", 1).Remote(main_loop_82_first, main_loop_82_last, cols,
        std::vector<double>(field.data() + rayify_row_start(main_loop_82_first, cols, field.size()), field.data() + rayify_row_start(main_loop_82_last, cols, field.size())),
        rayify_row_start(main_loop_82_first, cols, field.size()))));
      // At most 64 tasks in flight: wait for the oldest one first.
      if (main_loop_82_refs.size() >= 64)
        ray::Wait(std::vector{main_loop_82_refs[main_loop_82_refs.size() - 64]}, 1, -1);
    }
    while (!main_loop_82_refs.empty()) {
      const auto main_loop_82_results = ray::Get(std::move(main_loop_82_refs.front()));
      main_loop_82_refs.pop_front();
      for (const auto &main_loop_82_iteration : *main_loop_82_results) {
        if (!main_loop_82_iteration.field_rows.empty())
          std::copy(main_loop_82_iteration.field_rows.begin(), main_loop_82_iteration.field_rows.end(), field.data() + main_loop_82_iteration.field_first);
      }
    }
  }

#line 86
  std::vector<double> weight(cols, 0.75);
  smooth(field, weight, rows, cols);

  // Sequential: each row of the vector reads the next one.
  for (int i = 0; i + 1 < rows; i++)
    for (int j = 0; j < cols; j++)
      field[i * cols + j] = series(float(field[(i + 1) * cols + j]), 300);

  double sum = 0;
  for (int q = 0; q < size; q++) sum += image[q] + 0.5 * coeff[q] + 0.25 * field[q];
  std::printf("sum %.6f\n", sum);
  for (int i = 0; i < rows; i += 5) std::printf("row %d: %.6f\n", i, image[i * cols + 3]);
  free(image);
  delete[] coeff;
  return 0;
}

RAY_REMOTE(main_loop_44_chunk, main_loop_54_chunk, main_loop_62, main_loop_82_chunk, relax_loop_22_chunk, smooth_loop_30_chunk);

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
