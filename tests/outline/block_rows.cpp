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

static float series(float x, int terms) {
  float s = 0;
  for (int t = 1; t < terms; ++t) s += std::sin(x * t) / t;
  return s;
}

static void relax(float *grid, int rows, int cols) {
  for (int r = 0; r < rows; r++)
    for (int c = 1; c < cols; c++)
      grid[r * cols + c] = series(grid[r * cols + c] + grid[c + cols * r - 1], 400);
}

// The rows of whichever vector main hands it, a local of main's at every call.
static void smooth(std::vector<double> &grid, const std::vector<double> &weight, int rows,
                   int cols) {
  for (int r = 0; r < rows; r++)
    for (int c = 1; c < cols; c++)
      grid[r * cols + c] = series(float(grid[r * cols + c - 1] * weight[c]), 300);
}

int main(int argc, char **argv) {
  int rows = argc > 1 ? std::atoi(argv[1]) : 24;
  int cols = argc > 2 ? std::atoi(argv[2]) : 20;
  int size = rows * cols, k;
  float *image = (float *)malloc(sizeof(float) * size);
  float *coeff = new float[size];
  for (int q = 0; q < size; q++) image[q] = (q % 17) * 0.125f;

  // Own rows through an index set before each use: coeff written, image only read.
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < cols; j++) {
      k = i * cols + j;
      float up = image[(i > 0 ? i - 1 : i) * cols + j];
      coeff[k] = series(image[k] + up, 400);
      if (coeff[k] < 0) coeff[k] = -coeff[k];
    }
  }

  // Own rows spelled in the subscript, read and written.
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++)
      image[i * cols + j] = series(image[i * cols + j] * coeff[i * cols + j], 400);

  relax(image, rows, cols);

  // A few heavy rows, a task each: each row's elements from the left, through an
  // index set before each use.
  for (int i = 0; i < 6; i++) {
    for (int j = 1; j < cols; j++) {
      int at = i * cols + j;
      coeff[at] = series(coeff[at] + coeff[at - 1], 3000);
    }
  }

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
  for (int i = 0; i < rows; i++)
    for (int j = 1; j < cols; j++)
      field[i * cols + j] = series(float(field[i * cols + j - 1]), 300) + field[i * cols + j];

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
