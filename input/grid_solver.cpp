// A small structured-grid solver written the way the NAS Parallel Benchmarks are:
// its fields live in file-scope arrays, main calls a time step that calls the
// routines whose loops carry the work, a random-number helper writes its seed
// through a pointer, and the run ends by checking its own result.
#include <cmath>
#include <cstdio>

#define NX 64
#define NY 64
#define NITER 4
#define TERMS 2000

static double u[NX][NY];        // the solution
static double forcing[NX][NY];  // the source term, fixed for the run
static double rhs[NX][NY];      // the right-hand side of the current step
static double row_norms[NX];

// NPB's linear congruential generator: the next number, and the seed moved on.
static double randlc(double *seed, double a) {
  const double r23 = 1.0 / 8388608.0, t23 = 8388608.0;
  const double r46 = r23 * r23, t46 = t23 * t23;
  double a1 = std::floor(r23 * a), a2 = a - t23 * a1;
  double x1 = std::floor(r23 * *seed), x2 = *seed - t23 * x1;
  double t1 = a1 * x2 + a2 * x1;
  double t2 = std::floor(r23 * t1);
  double z = t1 - t23 * t2;
  double t3 = t23 * z + a2 * x2;
  double t4 = std::floor(r46 * t3);
  *seed = t3 - t46 * t4;
  return r46 * *seed;
}

// A truncated series for the forcing at one grid point.
static double source_term(int i, int j) {
  double x = (i + 0.5) / NX, y = (j + 0.5) / NY, s = 0.0;
  for (int k = 1; k <= TERMS; ++k)
    s += std::sin(k * 3.14159265358979 * x) * std::cos(k * 1.5707963267949 * y) / (k * k);
  return s;
}

// The exact solution at a point, written into `out` as NPB's exact() does.
static void exact(int i, int j, double *out) {
  double x = (i + 0.5) / NX, y = (j + 0.5) / NY;
  out[0] = 0.0;
  for (int k = 1; k <= TERMS; ++k) out[0] += std::exp(-k * x) * std::sin(k * y) / k;
}

static void init_fields() {
  double seed = 314159265.0;
  for (int i = 0; i < NX; ++i)
    for (int j = 0; j < NY; ++j) u[i][j] = 0.01 * randlc(&seed, 1220703125.0);
  for (int i = 0; i < NX; ++i)
    for (int j = 0; j < NY; ++j) forcing[i][j] = source_term(i, j);
}

static void compute_rhs() {
  for (int i = 1; i < NX - 1; ++i)
    for (int j = 1; j < NY - 1; ++j) {
      double lap = u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1] - 4.0 * u[i][j];
      double damping = 0.0;
      for (int k = 1; k <= TERMS; ++k) damping += std::exp(-k * std::fabs(u[i][j]));
      rhs[i][j] = forcing[i][j] + lap / damping;
    }
}

static void relax(double omega) {
  for (int i = 1; i < NX - 1; ++i)
    for (int j = 1; j < NY - 1; ++j) u[i][j] += omega * rhs[i][j];
}

static void adi(double omega) {
  compute_rhs();
  relax(omega);
}

static double error_norm() {
  double temp[1];
  double total = 0.0;
  for (int i = 0; i < NX; ++i) {
    double s = 0.0;
    for (int j = 0; j < NY; ++j) {
      exact(i, j, temp);
      s += (u[i][j] - temp[0]) * (u[i][j] - temp[0]);
    }
    row_norms[i] = s;
  }
  for (int i = 0; i < NX; ++i) total += row_norms[i];
  return std::sqrt(total / (NX * NY));
}

int main() {
  init_fields();
  for (int step = 1; step <= NITER; ++step) {
    adi(0.2);
    std::printf(" step %2d  u[%d][%d] = %.12e\n", step, NX / 2, NY / 2, u[NX / 2][NY / 2]);
  }
  double norm = error_norm();
  std::printf(" error norm  %.12e\n", norm);
  const double reference = 5.513119368495e-01;
  bool ok = std::fabs(norm - reference) <= 1e-10;
  std::printf(" Verification %s\n", ok ? "SUCCESSFUL" : "UNSUCCESSFUL");
  return 0;
}
