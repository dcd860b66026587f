// Arrays the PolyBench way: main holds pointers to whole arrays (`double (*A)[N][M]`),
// each set once to a block of its own from the program's allocator (posix_memalign
// inside), and hands them to static kernels as `*A`, whose parameters are arrays
// (`double C[N][M]`). The kernels sit between `#pragma scop` markers, which mark a
// region for polyhedral tools, not the next loop. What must convert: the product's
// rows and the column sums, each sending its arrays once and its rows back. What must
// not: a loop over a block two parameters share (`smooth(*B, *B)`).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#define N 240
#define M 200
#define K 260

static void *alloc_block(unsigned long long count, int size) {
  void *block = NULL;
  int failed = posix_memalign(&block, 4096, count * size);
  if (!block || failed) {
    std::fprintf(stderr, "cannot allocate\n");
    std::exit(1);
  }
  return block;
}

static void init(double A[N][K], double B[K][M]) {
  for (int i = 0; i < N; i++)
    for (int k = 0; k < K; k++) A[i][k] = (double)((i * k + 1) % N) / N;
  for (int k = 0; k < K; k++)
    for (int j = 0; j < M; j++) B[k][j] = (double)(k * (j + 1) % M) / M;
}

static void product(double alpha, double C[N][M], double A[N][K], double B[K][M]) {
#pragma scop
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < M; j++) {
      C[i][j] = 0.0;
      for (int k = 0; k < K; k++) C[i][j] += alpha * A[i][k] * std::sqrt(B[k][j] + k);
    }
  }
#pragma endscop
}

static void smooth(double out[K][M], double in[K][M]) {
  for (int k = 1; k < K; k++)
    for (int j = 0; j < M; j++) out[k][j] = 0.5 * (in[k - 1][j] + std::sin(in[k][j]));
}

int main() {
  double (*A)[N][K];
  double (*B)[K][M];
  double (*C)[N][M];
  A = (double (*)[N][K])alloc_block(N * K, sizeof(double));
  B = (double (*)[K][M])alloc_block(K * M, sizeof(double));
  C = (double (*)[N][M])alloc_block(N * M, sizeof(double));
  init(*A, *B);
  product(1.5, *C, *A, *B);
  smooth(*B, *B);
  double total = 0.0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < M; j++) total += (*C)[i][j] * (j + 1);
  std::printf("%.10f %.10f %.10f\n", total, (*C)[7][11], (*B)[K - 1][M - 1]);
  std::free(A);
  std::free(B);
  std::free(C);
  return 0;
}
