// Arrays handed to helpers as pointers, the way C-style solvers pass their fields: a
// sparse matrix in compressed rows multiplied by a vector, a relaxation and a
// smoothing pass over a field of rows of five, all in static functions that every
// call gives the same file-scope arrays (two of them blocks from malloc). What must
// convert: the multiply, its matrix and vector sent as the arrays the pointers stand
// for; the relaxation, each row of the field and of the weights rewritten in place and
// copied back through the parameters; and the smoothing pass. What must not: the pass
// that also reads the field it writes by the field's own name, and the helper that two
// calls give different arrays.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#define ROWS 600
#define PER_ROW 48
#define NONZEROS (ROWS * PER_ROW)

static int row_start[ROWS + 1];
static int column[NONZEROS];
static double *value = (double *)malloc(sizeof(double) * NONZEROS);
static double x[ROWS], y[ROWS];
static double field[ROWS][5], smoothed[ROWS][5];
static double left[ROWS], right[ROWS];
static double *weights = (double *)malloc(sizeof(double) * ROWS);

static void multiply(const int starts[], const int columns[], const double values[],
                     const double in[], double out[], int rows) {
  int j, k;
  double sum;
  for (j = 0; j < rows; j++) {
    sum = 0.0;
    for (k = starts[j]; k < starts[j + 1]; k++) sum += values[k] * in[columns[k]];
    for (k = 0; k < 400; k++) sum = sum * 0.999 + std::sin(sum + k) * 1e-3;
    out[j] = sum;
  }
}

static void smooth(const double from[][5], double to[][5], int rows) {
  for (int j = 1; j < rows - 1; j++) {
    for (int m = 0; m < 5; m++) {
      double s = from[j - 1][m] + from[j][m] + from[j + 1][m];
      for (int k = 0; k < 300; k++) s = s * 0.999 + std::cos(s + k) * 1e-3;
      to[j][m] = s / 3.0;
    }
  }
}

// Each row read and rewritten in place through the parameters: own slices of the
// field and of a malloc'ed block, sent back and copied in through the pointers.
static void relax(double f[][5], double b[], int rows) {
  for (int j = 0; j < rows; j++) {
    double acc = 0;
    for (int m = 0; m < 5; m++) {
      double s = f[j][m];
      for (int k = 0; k < 300; k++) s = s * 0.999 + std::sin(s + k) * 1e-3;
      f[j][m] = s + f[j][(m + 1) % 5] * 0.1;
      acc += f[j][m];
    }
    b[j] = b[j] * 0.5 + acc;
  }
}

// Reads the field it writes through `to` (main passes `field`) by its own name too.
static void smooth_in_place(double to[][5], int rows) {
  for (int j = 1; j < rows - 1; j++) {
    for (int m = 0; m < 5; m++) {
      double s = field[j - 1][m] + field[j + 1][m];
      for (int k = 0; k < 300; k++) s = s * 0.999 + std::cos(s + k) * 1e-3;
      to[j][m] = s / 2.0;
    }
  }
}

// Given `left` by one call and `right` by the other: no one array to send.
static double weigh(const double side[], int rows) {
  double total = 0;
  for (int j = 0; j < rows; j++) {
    double s = side[j];
    for (int k = 0; k < 300; k++) s = s * 0.999 + std::sin(s + k) * 1e-3;
    total += s;
  }
  return total;
}

int main() {
  row_start[0] = 0;
  for (int j = 0; j < ROWS; ++j) row_start[j + 1] = row_start[j] + PER_ROW;
  for (int k = 0; k < NONZEROS; ++k) {
    column[k] = (k * 7919) % ROWS;
    value[k] = (k % 13) * 0.25;
  }
  for (int j = 0; j < ROWS; ++j) {
    x[j] = 1.0 / (j + 1);
    left[j] = j * 0.01;
    right[j] = 1.0 - j * 0.001;
    for (int m = 0; m < 5; ++m) field[j][m] = std::sin(j * 0.1 + m);
  }
  for (int it = 0; it < 3; ++it) {
    multiply(row_start, column, value, x, y, ROWS);
    for (int j = 0; j < ROWS; ++j) x[j] = y[j] * 1e-3 + x[j] * 0.5;
  }
  for (int j = 0; j < ROWS; ++j) weights[j] = j * 0.5;
  relax(smoothed, weights, ROWS);
  smooth(field, smoothed, ROWS);
  smooth_in_place(field, ROWS);
  double sum_y = 0, sum_s = 0, sum_f = 0;
  for (int j = 0; j < ROWS; ++j) {
    sum_y += y[j] + weights[j];
    for (int m = 0; m < 5; ++m) {
      sum_s += smoothed[j][m] * (m + 1);
      sum_f += field[j][m] * (m + 1);
    }
  }
  std::printf("y: %.12e\nsmoothed: %.12e\nfield: %.12e\n", sum_y, sum_s, sum_f);
  std::printf("weights: %.12e %.12e\n", weigh(left, ROWS), weigh(right, ROWS));
  return 0;
}
