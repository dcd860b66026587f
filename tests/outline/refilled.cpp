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

// Converts: every line fills rows 0..nx-1 of `flux`, then reads rows ist-1..iend.
static void xi_differences() {
  int i, k, m;
  double u21, q;
  for (k = 1; k < nz - 1; k++) {
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
  }
}

// Converts: the same shape on a local array of rows, filled with an inner loop.
static double local_rows() {
  double rows[NXMAX][3];
  double total[NXMAX];
  for (int k = 0; k < NXMAX; k++) total[k] = 0.0;
  for (int k = 0; k < nz; k++) {
    for (int i = 0; i < nx; i++)
      for (int c = 0; c < 3; c++) rows[i][c] = damp(field[k][i][c]);
    double s = 0.0;
    for (int i = 1; i < iend; i++) s += rows[i - 1][0] * rows[i + 1][2];
    total[k] = s;
  }
  double all = 0.0;
  for (int k = 0; k < nz; k++) all += total[k];
  return all;
}

// Converts, one task per line (a few long lines): every task sends its copy back and
// the driver keeps the last.
static void few_long_lines() {
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < nx; i++)
      for (int m = 0; m < 5; m++) flux[i][m] = heavy_damp(field[k][i][m] + k);
    for (int i = 1; i < iend; i++) change[k][i][2] += flux[i + 1][2] - flux[i - 1][0];
  }
}

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

int main() {
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
