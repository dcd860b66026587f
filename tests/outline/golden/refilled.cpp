// Scratch rows a solver refills on every line, in the style of NPB LU's flux
// differences: a file-scope block of rows of five that each line fills for i < nx
// and then reads from ist - 1 to iend, bounds kept in globals a setup function
// assigns. Nothing in the program says iend < nx, so the reads cannot be proven to
// stay in what was filled; every line writes the same rows before reading them, so
// each task may work on a copy as the loop found it, and the last line's copy is the
// block after the loop (the program prints it, rows the fill never reaches included).
// What must convert: the xi pass over the global block, the same pass over a local
// array of rows, and a pass of a few long lines run one task each (every task sends
// its copy back, the driver keeps the last). What must not: a fill whose extent
// follows the outer counter, a write past the filled rows, a helper that reads the
// block by name, a fill that leaves a column out.
#include <cmath>
#include <cstdio>
#include <cstdlib>

// Converted by rayify from refilled.cpp: independent loops run as Ray tasks, stateful
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
#include <cstring>
#include <deque>
#include <memory>
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
#define NXMAX 40

static int nx, nz, ist, iend;
static double (*field)[NXMAX][5] =
    (double (*)[NXMAX][5])malloc(sizeof(double) * NXMAX * NXMAX * 5);
static double (*change)[NXMAX][5] =
    (double (*)[NXMAX][5])malloc(sizeof(double) * NXMAX * NXMAX * 5);
static double (*flux)[5] = (double (*)[5])malloc(sizeof(double) * NXMAX * 5);

static void setup(int n) {
  nx = n;
  nz = n;
  ist = 1;
  iend = nx - 1;
  for (int k = 0; k < NXMAX; k++)
    for (int i = 0; i < NXMAX; i++)
      for (int m = 0; m < 5; m++) {
        field[k][i][m] = 1.0 + 0.01 * k + 0.001 * i + 0.1 * m;
        change[k][i][m] = 0.0;
      }
  for (int i = 0; i < NXMAX; i++)
    for (int m = 0; m < 5; m++) flux[i][m] = -1.0 - i - 0.5 * m;
}

static double damp(double v) {
  for (int r = 0; r < 200; r++) v = v * 0.999 + std::sin(v + r) * 1e-4;
  return v;
}

static double heavy_damp(double v) {
  for (int r = 0; r < 200; r++) v = damp(v);
  return v;
}

static double sum_flux() {
  double s = 0.0;
  for (int i = 0; i < NXMAX; i++)
    for (int m = 0; m < 5; m++) s += flux[i][m] * (i + 1);
  return s;
}

// 'flux', a C array, as a task receives it.
struct xi_differences_loop_62_flux_array {
  double value[40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'field', a C array, as a task receives it.
struct xi_differences_loop_62_field_array {
  double value[40][40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'change', a C array, as a task receives it.
struct xi_differences_loop_62_change_array {
  double value[40][40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 62 of xi_differences() leaves for the driver
// to apply, in iteration order.
struct xi_differences_loop_62_result {
  std::vector<double> flux_last{};
  std::vector<double> change{};
  int k{};
  MSGPACK_DEFINE(flux_last, change, k);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(flux_last, change, k); }
};

// One iteration of the loop at line 62 of xi_differences(), run as a Ray task.
static xi_differences_loop_62_result xi_differences_loop_62(int k, int nx, const xi_differences_loop_62_flux_array &flux_sent, const xi_differences_loop_62_field_array &field_sent, int ist, int iend, const xi_differences_loop_62_change_array &change_sent, bool keep_last) {
  xi_differences_loop_62_result iteration_result;
  // 'flux': this task's own copy, as the loop found it.
  std::unique_ptr<xi_differences_loop_62_flux_array> flux_own(new xi_differences_loop_62_flux_array(flux_sent));
  auto &flux = flux_own->value;
  const auto &field = field_sent.value;
  // 'change': this iteration's own slice, as the loop found it.
  std::unique_ptr<xi_differences_loop_62_change_array> change_own(new xi_differences_loop_62_change_array);
  auto &change = change_own->value;
  std::memcpy(&change[k], &change_sent.value[k], 1600);
  int i{};
  double u21{};
  double q{};
  int m{};
  do {
    for (i = 0; i < nx; i++) {
      flux[i][0] = field[k][i][1];
      u21 = field[k][i][1] / field[k][i][0];
      q = 0.5 * (field[k][i][1] * field[k][i][1] + field[k][i][2] * field[k][i][2]) /
          field[k][i][0];
      flux[i][1] = field[k][i][1] * u21 + 0.4 * (field[k][i][4] - q);
      flux[i][2] = field[k][i][2] * u21;
      flux[i][3] = field[k][i][3] * u21;
      flux[i][4] = damp(field[k][i][4] - q) * u21;
    }
    for (i = ist; i < iend; i++)
      for (m = 0; m < 5; m++)
        change[k][i][m] = change[k][i][m] - 0.5 * (flux[i + 1][m] - flux[i - 1][m]);
    for (i = ist; i < nx; i++) flux[i][1] = damp(flux[i][1] - flux[i - 1][1]);
    for (i = ist; i < iend; i++) change[k][i][1] += flux[i + 1][1] - flux[i][1];
  } while (false);
  iteration_result.change.resize(1600 / sizeof(double));
  std::memcpy(iteration_result.change.data(), &change[k], 1600);
  if (keep_last) {
    iteration_result.flux_last.resize(sizeof flux / sizeof(double));
    std::memcpy(iteration_result.flux_last.data(), &flux, sizeof flux);
  }
  iteration_result.k = k;
  return iteration_result;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 62 of xi_differences(), run one after the other
// as one Ray task.
static std::vector<xi_differences_loop_62_result> xi_differences_loop_62_chunk(int chunk_begin, int chunk_end, int nx, const xi_differences_loop_62_flux_array &flux_sent, const xi_differences_loop_62_field_array &field_sent, int ist, int iend, const xi_differences_loop_62_change_array &change_sent, bool keep_last) {
  std::vector<xi_differences_loop_62_result> chunk_results;
  for (int k = chunk_begin; k < chunk_end; ++k)
    chunk_results.push_back(xi_differences_loop_62(k, nx, flux_sent, field_sent, ist, iend, change_sent, keep_last && k + 1 == chunk_end));
  return chunk_results;
}

#line 58
// Converts: every line fills rows 0..nx-1 of `flux`, then reads rows ist-1..iend.
static void xi_differences() {
  int i, k, m;
  double u21, q;
  auto flux_array = std::make_unique<xi_differences_loop_62_flux_array>();
  std::memcpy(flux_array->value, flux, sizeof flux_array->value);
  auto flux_ref = ray::Put(*flux_array);
  auto field_array = std::make_unique<xi_differences_loop_62_field_array>();
  std::memcpy(field_array->value, field, sizeof field_array->value);
  auto field_ref = ray::Put(*field_array);
  auto change_array = std::make_unique<xi_differences_loop_62_change_array>();
  std::memcpy(change_array->value, change, sizeof change_array->value);
  auto change_ref = ray::Put(*change_array);
  std::deque<ray::ObjectRef<std::vector<xi_differences_loop_62_result>>> xi_differences_loop_62_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int xi_differences_loop_62_chunk_size = std::max<int>(
    1, ((nz - 1) - 1) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int xi_differences_loop_62_first = 1; xi_differences_loop_62_first < (nz - 1); xi_differences_loop_62_first += xi_differences_loop_62_chunk_size) {
    int xi_differences_loop_62_last = (nz - 1) - xi_differences_loop_62_first > xi_differences_loop_62_chunk_size ? xi_differences_loop_62_first + xi_differences_loop_62_chunk_size : (nz - 1);
    xi_differences_loop_62_refs.push_back(rayify_copy_of(ray::Task(xi_differences_loop_62_chunk).SetResource("CPU", 1).Remote(xi_differences_loop_62_first, xi_differences_loop_62_last, nx, flux_ref, field_ref, ist, iend, change_ref, xi_differences_loop_62_last == (nz - 1))));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (xi_differences_loop_62_refs.size() >= 64)
      ray::Wait(std::vector{xi_differences_loop_62_refs[xi_differences_loop_62_refs.size() - 64]}, 1, -1);
  }
  while (!xi_differences_loop_62_refs.empty()) {
    const auto xi_differences_loop_62_results = ray::Get(std::move(xi_differences_loop_62_refs.front()));
    xi_differences_loop_62_refs.pop_front();
    for (const auto &xi_differences_loop_62_iteration : *xi_differences_loop_62_results) {
      std::memcpy(&change[xi_differences_loop_62_iteration.k], xi_differences_loop_62_iteration.change.data(), 1600);
      if (!xi_differences_loop_62_iteration.flux_last.empty())
        std::memcpy(flux, xi_differences_loop_62_iteration.flux_last.data(), xi_differences_loop_62_iteration.flux_last.size() * sizeof(double));
    }
  }
  k = std::max<int>(1, (nz - 1));
}

// 'rows', a C array, as a task receives it.
struct local_rows_loop_86_rows_array {
  double value[40][3];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'field', a C array, as a task receives it.
struct local_rows_loop_86_field_array {
  double value[40][40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'total', a C array, as a task receives it.
struct local_rows_loop_86_total_array {
  double value[40];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 86 of local_rows() leaves for the driver
// to apply, in iteration order.
struct local_rows_loop_86_result {
  std::vector<double> rows_last{};
  std::vector<double> total{};
  int k{};
  MSGPACK_DEFINE(rows_last, total, k);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(rows_last, total, k); }
};

// One iteration of the loop at line 86 of local_rows(), run as a Ray task.
static local_rows_loop_86_result local_rows_loop_86(int k, int nx, const local_rows_loop_86_rows_array &rows_sent, const local_rows_loop_86_field_array &field_sent_2, int iend, const local_rows_loop_86_total_array &total_sent, bool keep_last_2) {
  local_rows_loop_86_result iteration_result_2;
  // 'rows': this task's own copy, as the loop found it.
  std::unique_ptr<local_rows_loop_86_rows_array> rows_own(new local_rows_loop_86_rows_array(rows_sent));
  auto &rows = rows_own->value;
  const auto &field = field_sent_2.value;
  // 'total': this iteration's own slice, as the loop found it.
  std::unique_ptr<local_rows_loop_86_total_array> total_own(new local_rows_loop_86_total_array);
  auto &total = total_own->value;
  std::memcpy(&total[k], &total_sent.value[k], 8);
  do {
    for (int i = 0; i < nx; i++)
      for (int c = 0; c < 3; c++) rows[i][c] = damp(field[k][i][c]);
    double s = 0.0;
    for (int i = 1; i < iend; i++) s += rows[i - 1][0] * rows[i + 1][2];
    total[k] = s;
  } while (false);
  iteration_result_2.total.resize(8 / sizeof(double));
  std::memcpy(iteration_result_2.total.data(), &total[k], 8);
  if (keep_last_2) {
    iteration_result_2.rows_last.resize(sizeof rows / sizeof(double));
    std::memcpy(iteration_result_2.rows_last.data(), &rows, sizeof rows);
  }
  iteration_result_2.k = k;
  return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 86 of local_rows(), run one after the other
// as one Ray task.
static std::vector<local_rows_loop_86_result> local_rows_loop_86_chunk(int chunk_begin, int chunk_end, int nx, const local_rows_loop_86_rows_array &rows_sent, const local_rows_loop_86_field_array &field_sent_2, int iend, const local_rows_loop_86_total_array &total_sent, bool keep_last_2) {
  std::vector<local_rows_loop_86_result> chunk_results;
  for (int k = chunk_begin; k < chunk_end; ++k)
    chunk_results.push_back(local_rows_loop_86(k, nx, rows_sent, field_sent_2, iend, total_sent, keep_last_2 && k + 1 == chunk_end));
  return chunk_results;
}

#line 81
// Converts: the same shape on a local array of rows, filled with an inner loop.
static double local_rows() {
  double rows[NXMAX][3];
  double total[NXMAX];
  for (int k = 0; k < NXMAX; k++) total[k] = 0.0;
  auto rows_array = std::make_unique<local_rows_loop_86_rows_array>();
  std::memcpy(rows_array->value, rows, sizeof rows_array->value);
  auto rows_ref = ray::Put(*rows_array);
  auto field_array_2 = std::make_unique<local_rows_loop_86_field_array>();
  std::memcpy(field_array_2->value, field, sizeof field_array_2->value);
  auto field_ref_2 = ray::Put(*field_array_2);
  auto total_array = std::make_unique<local_rows_loop_86_total_array>();
  std::memcpy(total_array->value, total, sizeof total_array->value);
  auto total_ref = ray::Put(*total_array);
  std::deque<ray::ObjectRef<std::vector<local_rows_loop_86_result>>> local_rows_loop_86_refs;
  // About 8 chunks of iterations per CPU, one task each.
  const int local_rows_loop_86_chunk_size = std::max<int>(
    1, (nz - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
  for (int local_rows_loop_86_first = 0; local_rows_loop_86_first < nz; local_rows_loop_86_first += local_rows_loop_86_chunk_size) {
    int local_rows_loop_86_last = nz - local_rows_loop_86_first > local_rows_loop_86_chunk_size ? local_rows_loop_86_first + local_rows_loop_86_chunk_size : nz;
    local_rows_loop_86_refs.push_back(rayify_copy_of(ray::Task(local_rows_loop_86_chunk).SetResource("CPU", 1).Remote(local_rows_loop_86_first, local_rows_loop_86_last, nx, rows_ref, field_ref_2, iend, total_ref, local_rows_loop_86_last == nz)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (local_rows_loop_86_refs.size() >= 64)
      ray::Wait(std::vector{local_rows_loop_86_refs[local_rows_loop_86_refs.size() - 64]}, 1, -1);
  }
  while (!local_rows_loop_86_refs.empty()) {
    const auto local_rows_loop_86_results = ray::Get(std::move(local_rows_loop_86_refs.front()));
    local_rows_loop_86_refs.pop_front();
    for (const auto &local_rows_loop_86_iteration : *local_rows_loop_86_results) {
      std::memcpy(&total[local_rows_loop_86_iteration.k], local_rows_loop_86_iteration.total.data(), 8);
      if (!local_rows_loop_86_iteration.rows_last.empty())
        std::memcpy(rows, local_rows_loop_86_iteration.rows_last.data(), local_rows_loop_86_iteration.rows_last.size() * sizeof(double));
    }
  }
#line 93
  double all = 0.0;
  for (int k = 0; k < nz; k++) all += total[k];
  return all;
}

// 'flux', a C array, as a task receives it.
struct few_long_lines_loop_101_flux_array {
  double value[40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'field', a C array, as a task receives it.
struct few_long_lines_loop_101_field_array {
  double value[40][40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// 'change', a C array, as a task receives it.
struct few_long_lines_loop_101_change_array {
  double value[40][40][5];
  MSGPACK_DEFINE(value);
  // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
  auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 101 of few_long_lines() leaves for the driver
// to apply, in iteration order.
struct few_long_lines_loop_101_result {
  std::vector<double> flux_last{};
  std::vector<double> change{};
  int k{};
  MSGPACK_DEFINE(flux_last, change, k);
  // Every field, as encoded (lets rayify's runtime skip msgpack objects).
  auto rayify_fields() { return std::tie(flux_last, change, k); }
};

// One iteration of the loop at line 101 of few_long_lines(), run as a Ray task.
static few_long_lines_loop_101_result few_long_lines_loop_101(int k, int nx, const few_long_lines_loop_101_flux_array &flux_sent_2, const few_long_lines_loop_101_field_array &field_sent_3, int iend, const few_long_lines_loop_101_change_array &change_sent_2, bool keep_last_3) {
  few_long_lines_loop_101_result iteration_result_3;
  // 'flux': this task's own copy, as the loop found it.
  std::unique_ptr<few_long_lines_loop_101_flux_array> flux_own_2(new few_long_lines_loop_101_flux_array(flux_sent_2));
  auto &flux = flux_own_2->value;
  const auto &field = field_sent_3.value;
  // 'change': this iteration's own slice, as the loop found it.
  std::unique_ptr<few_long_lines_loop_101_change_array> change_own_2(new few_long_lines_loop_101_change_array);
  auto &change = change_own_2->value;
  std::memcpy(&change[k], &change_sent_2.value[k], 1600);
  do {
    for (int i = 0; i < nx; i++)
      for (int m = 0; m < 5; m++) flux[i][m] = heavy_damp(field[k][i][m] + k);
    for (int i = 1; i < iend; i++) change[k][i][2] += flux[i + 1][2] - flux[i - 1][0];
  } while (false);
  iteration_result_3.change.resize(1600 / sizeof(double));
  std::memcpy(iteration_result_3.change.data(), &change[k], 1600);
  if (keep_last_3) {
    iteration_result_3.flux_last.resize(sizeof flux / sizeof(double));
    std::memcpy(iteration_result_3.flux_last.data(), &flux, sizeof flux);
  }
  iteration_result_3.k = k;
  return iteration_result_3;
}

#line 98
// Converts, one task per line (a few long lines): every task sends its copy back and
// the driver keeps the last.
static void few_long_lines() {
  auto flux_array_2 = std::make_unique<few_long_lines_loop_101_flux_array>();
  std::memcpy(flux_array_2->value, flux, sizeof flux_array_2->value);
  auto flux_ref_2 = ray::Put(*flux_array_2);
  auto field_array_3 = std::make_unique<few_long_lines_loop_101_field_array>();
  std::memcpy(field_array_3->value, field, sizeof field_array_3->value);
  auto field_ref_3 = ray::Put(*field_array_3);
  auto change_array_2 = std::make_unique<few_long_lines_loop_101_change_array>();
  std::memcpy(change_array_2->value, change, sizeof change_array_2->value);
  auto change_ref_2 = ray::Put(*change_array_2);
  std::deque<ray::ObjectRef<few_long_lines_loop_101_result>> few_long_lines_loop_101_refs;
#line 101
  for (int k = 0; k < 4; k++) {
    few_long_lines_loop_101_refs.push_back(rayify_copy_of(ray::Task(few_long_lines_loop_101).SetResource("CPU", 1).Remote(k, nx, flux_ref_2, field_ref_3, iend, change_ref_2, true)));
  }
  while (!few_long_lines_loop_101_refs.empty()) {
    const auto few_long_lines_loop_101_iteration = ray::Get(std::move(few_long_lines_loop_101_refs.front()));
    few_long_lines_loop_101_refs.pop_front();
    std::memcpy(&change[few_long_lines_loop_101_iteration->k], few_long_lines_loop_101_iteration->change.data(), 1600);
    if (!few_long_lines_loop_101_iteration->flux_last.empty())
      std::memcpy(flux, few_long_lines_loop_101_iteration->flux_last.data(), few_long_lines_loop_101_iteration->flux_last.size() * sizeof(double));
  }
}

#line 108
// Must not convert: line k fills only k rows, so the rows a line reads past them
// hold what the line before wrote.
static void growing_fill() {
  for (int k = 1; k < nz - 1; k++) {
    for (int i = 0; i < k; i++)
      for (int m = 0; m < 5; m++) flux[i][m] = damp(field[k][i][m]);
    for (int i = 1; i < nx - 1; i++) change[k][i][0] += flux[i + 1][0] - flux[i - 1][0];
  }
}

// Must not convert: the last row written lies past the filled ones.
static void write_past_fill() {
  for (int k = 1; k < nz - 1; k++) {
    for (int i = 0; i < nx - 1; i++)
      for (int m = 0; m < 5; m++) flux[i][m] = damp(field[k][i][m]);
    flux[nx - 1][0] = flux[nx - 1][0] + 1.0;
    for (int i = 1; i < nx - 1; i++) change[k][i][0] += flux[i][0];
  }
}

// Must not convert: sum_flux() reads the block by name.
static void helper_reads() {
  for (int k = 1; k < nz - 1; k++) {
    for (int i = 0; i < nx; i++)
      for (int m = 0; m < 5; m++) flux[i][m] = damp(field[k][i][m]);
    change[k][0][0] = sum_flux();
  }
}

// Must not convert: column 4 is never filled, so a line reads the one before.
static void column_left_out() {
  for (int k = 1; k < nz - 1; k++) {
    for (int i = 0; i < nx; i++)
      for (int m = 0; m < 4; m++) flux[i][m] = damp(field[k][i][m]);
    for (int i = 1; i < nx - 1; i++) {
      change[k][i][0] += flux[i][4];
      flux[i][4] = flux[i][0];
    }
  }
}

static double sum_change() {
  double s = 0.0;
  for (int k = 0; k < NXMAX; k++)
    for (int i = 0; i < NXMAX; i++)
      for (int m = 0; m < 5; m++) s += change[k][i][m] * (1 + (k + i + m) % 7);
  return s;
}

static int rayify_original_main() {
  setup(24);
  xi_differences();
  std::printf("xi: change %.10e flux %.10e\n", sum_change(), sum_flux());
  std::printf("local rows: %.10e\n", local_rows());
  few_long_lines();
  std::printf("long lines: change %.10e flux %.10e\n", sum_change(), sum_flux());
  growing_fill();
  std::printf("growing: change %.10e flux %.10e\n", sum_change(), sum_flux());
  write_past_fill();
  std::printf("past: change %.10e flux %.10e\n", sum_change(), sum_flux());
  helper_reads();
  std::printf("helper: change %.10e flux %.10e\n", sum_change(), sum_flux());
  column_left_out();
  std::printf("column: change %.10e flux %.10e\n", sum_change(), sum_flux());
  return 0;
}

RAY_REMOTE(xi_differences_loop_62_chunk, local_rows_loop_86_chunk, few_long_lines_loop_101);

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
  int status = rayify_original_main();
  rayify_shutdown();
  return status;
}
