// Rows of matrices held as vectors of vectors, updated under inner loops: a product
// (`c[i][j] += a[i][k] * b[k][j]`), a row scaled by its own norm, and a row computed
// from the row above, which must stay sequential. No iteration reaches its row when
// the inner loops run none, so the rows a chunk is sent must exist for another reason:
// the matrices are made with the loops' own fixed counts and nothing resizes them.
#include <cmath>
#include <cstdio>
#include <vector>

using Matrix = std::vector<std::vector<double>>;

static Matrix Filled(int n, double scale) {
  Matrix m(n, std::vector<double>(n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m[i][j] = ((i * 31 + j * 17) % 13) * scale;
  return m;
}

int main() {
  const int n = 300;
  const Matrix a = Filled(n, 0.5), b = Filled(n, 0.25);
  Matrix c(n, std::vector<double>(n, 0.0));
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j) c[i][j] += a[i][k] * b[k][j];

  // Each row divided by its own norm, computed as it goes.
  for (int i = 0; i < n; ++i) {
    double norm = 0.0;
    for (int j = 0; j < n; ++j)
      for (int r = 0; r < 40; ++r) norm += std::sqrt(c[i][j] * c[i][j] + r);
    for (int j = 0; j < n; ++j) c[i][j] /= norm;
  }

  // Each row from the row above: a dependence, sequential.
  Matrix d(n, std::vector<double>(n, 1.0));
  for (int i = 1; i < n; ++i)
    for (int j = 0; j < n; ++j) d[i][j] = d[i - 1][j] * 0.5 + c[i][j];

  double trace = 0.0, corner = 0.0;
  for (int i = 0; i < n; ++i) trace += c[i][i];
  for (int j = 0; j < n; ++j) corner += d[n - 1][j];
  std::printf("trace %.12f\n", trace);
  std::printf("last row of d %.12f\n", corner);
  return 0;
}
