// C-style kernels over blocks main allocates at a size read from the command line,
// handed to static helpers as pointers: every call of a helper gives it the same
// block of main's, so its loop sends that block (its size kept where main made it),
// stores come back through the pointer, and each iteration's own element travels
// both ways. What must not convert: a helper given two different blocks by its
// calls, and one given the same block for what it reads and what it writes.
#include <cmath>
#include <cstdio>
#include <cstdlib>

static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

static void transform(double *out, const double *in, int n) {
  for (int i = 0; i < n; i++) out[i] = series(in[i], 30000) + in[i];
}

static void refine(double *field, int n) {
  for (int i = 0; i < n; i++) field[i] = series(field[i] * 0.01, 30000) - field[i];
}

static double total(const double *values, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += series(values[i], 30000);
  return s;
}

// Called with `in` and with `out`: no one block stands behind `values`.
static double spread(const double *values, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += series(values[i] * 0.5, 60000) * values[i];
  return s;
}

// Given the same block twice: it writes what it reads.
static void shift(double *to, const double *from, int n) {
  for (int i = 0; i + 1 < n; i++) to[i] = series(from[i + 1], 30000);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 40;
  double *in = (double *)malloc(sizeof(double) * n);
  double *out;
  out = new double[n];
  for (int i = 0; i < n; i++) in[i] = i * 0.1;
  transform(out, in, n);
  refine(out, n);
  double t = total(out, n);
  double s = spread(in, n) + spread(out, n);
  double *scratch = new double[n];
  for (int i = 0; i < n; i++) scratch[i] = out[i];
  shift(scratch, scratch, n);
  std::printf("%.9f %.9f\n", t, s);
  for (int i = 0; i < n; i += 7) std::printf("%.9f %.9f\n", out[i], scratch[i]);
  free(in);
  delete[] out;
  delete[] scratch;
  return 0;
}
