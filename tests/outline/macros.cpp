// Statistics of a data matrix in the PolyBench style: the arithmetic goes through
// macros (SCALAR_VAL, SQRT_FUN, the loop bounds), and each column's mean and
// deviation are several statements updating the column's own element. What must
// convert: the mean and deviation loops over columns, whose update statements hold
// whole macro invocations. What must not: a loop whose update a macro writes.
#include <cmath>
#include <cstdio>

#define N 600
#define M 240
#define DATA_TYPE double
#define SCALAR_VAL(x) x
#define SQRT_FUN(x) sqrt(x)
#define _PB_N N
#define _PB_M M
#define PLUS_SQUARE(v) + (v) * (v)
#define ACCUMULATE(t, v) t += (v)

static DATA_TYPE data[N][M];
static DATA_TYPE mean[M];
static DATA_TYPE stddev[M];

static DATA_TYPE weight(int i, int j) {
  DATA_TYPE w = SCALAR_VAL(0.0);
  for (int k = 0; k < 200; ++k) w += SQRT_FUN((DATA_TYPE)(i * k + j + 1)) / (k + 1);
  return w;
}

static DATA_TYPE heavy(int j) {
  DATA_TYPE h = SCALAR_VAL(0.0);
  for (int k = 0; k < 20000; ++k) h += SQRT_FUN((DATA_TYPE)(k + j)) / (k + 7);
  return h;
}

int main() {
  for (int i = 0; i < _PB_N; i++)
    for (int j = 0; j < _PB_M; j++) data[i][j] = (DATA_TYPE)(i * j % 97) / M + i;
  DATA_TYPE float_n = (DATA_TYPE)N;
  DATA_TYPE eps = SCALAR_VAL(0.1);

  for (int j = 0; j < _PB_M; j++) {
    mean[j] = SCALAR_VAL(0.0);
    for (int i = 0; i < _PB_N; i++) mean[j] += data[i][j] * weight(i, j);
    mean[j] /= float_n;
  }

  for (int j = 0; j < _PB_M; j++) {
    stddev[j] = SCALAR_VAL(0.0);
    for (int i = 0; i < _PB_N; i++)
      stddev[j] += (data[i][j] - mean[j]) * (data[i][j] - mean[j]) * weight(j, i);
    stddev[j] /= float_n;
    stddev[j] = SQRT_FUN(stddev[j]);
    stddev[j] = stddev[j] <= eps ? SCALAR_VAL(1.0) : stddev[j];
  }

  DATA_TYPE total = SCALAR_VAL(0.0);
  for (int j = 0; j < _PB_M; j++) {
    DATA_TYPE x = heavy(j);
    total += x PLUS_SQUARE(mean[j]);
  }

  DATA_TYPE spread = SCALAR_VAL(0.0);
  for (int j = 0; j < _PB_M; j++) {
    DATA_TYPE x = heavy(2 * j);
    ACCUMULATE(spread, x * stddev[j]);
  }

  for (int j = 0; j < _PB_M; j += 40) std::printf("%d %.10f %.10f\n", j, mean[j], stddev[j]);
  std::printf("total %.10f spread %.10f\n", total, spread);
  return 0;
}
