// Arrays the C way: local pointers to blocks whose size comes from the command line
// (`malloc(sizeof(float) * size)`, `new double[n]`, `calloc`), some declared first
// and set once later. What must convert: a loop reading one block and storing into
// another, a loop updating each iteration's own element, a scatter through an index
// block, and a helper reading through a const pointer; each block the tasks read is
// sent once, its size taken where it was made. What must not: a block reached under
// a second name, one a helper writes through, one set twice, and a loop reading the
// element another iteration stores.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static double series(double x, int terms) {
  double s = 0;
  for (int k = 1; k < terms; ++k) s += std::sin(x * k) / k;
  return s;
}

static double smoothed(const float *image, int size, int i) {
  double left = image[i > 0 ? i - 1 : i], right = image[i + 1 < size ? i + 1 : i];
  return series((left + image[i] + right) / 3, 30000);
}

static void blur_into(float *out, const float *in, int i) { out[i] = in[i] * 0.5f; }

int main(int argc, char **argv) {
  int size = argc > 1 ? std::atoi(argv[1]) : 48;
  float *image = (float *)malloc(sizeof(float) * size);
  for (int i = 0; i < size; i++) image[i] = std::sin(i * 0.1f);

  // Reads one block, stores into another: the image is sent once.
  double *energy = new double[size];
  for (int i = 0; i < size; i++) energy[i] = series(image[i], 30000) + image[i];

  // Each iteration's own element, read and written.
  for (int i = 0; i < size; i++) energy[i] = series(energy[i] * 1e-2, 30000) - energy[i];

  // Declared first, set once: scattered to through an index block, in order.
  int *bin;
  bin = (int *)calloc(size, sizeof(int));
  for (int i = 0; i < size; i++) bin[i] = (i * 7) % 5;
  double *tally = new double[5]();
  for (int i = 0; i < size; i++) tally[bin[i]] = series(image[i] + bin[i], 30000);

  // A helper reading through a const pointer runs in the task, on its copy.
  double total = 0;
  for (int i = 0; i < size; i++) total += smoothed(image, size, i);

  // Sequential: a second name for the block the loop stores into.
  double *alias = energy;
  for (int i = 0; i < size - 1; i++) energy[i] = series(alias[i + 1], 30000);

  // Sequential: a helper writes through the pointer it is given.
  float *blurred = new float[size];
  for (int i = 0; i < size; i++) blur_into(blurred, image, i);

  // Sequential: set twice, so no one block stands behind the pointer.
  double *twice = new double[size];
  std::memcpy(twice, energy, sizeof(double) * size);
  delete[] twice;
  twice = new double[size];
  for (int i = 0; i < size; i++) twice[i] = series(i, 30000);

  // Sequential: each iteration reads the element the one before stored.
  double *chain = new double[size];
  chain[0] = 1;
  for (int i = 1; i < size; i++) chain[i] = series(chain[i - 1], 30000);

  double sum = 0;
  for (int i = 0; i < size; i++) sum += energy[i] + blurred[i] + twice[i] + chain[i];
  std::printf("total %.9f sum %.9f\n", total, sum);
  for (int b = 0; b < 5; b++) std::printf("tally[%d] = %.9f\n", b, tally[b]);
  free(image);
  free(bin);
  delete[] energy;
  delete[] tally;
  delete[] blurred;
  delete[] twice;
  delete[] chain;
  return 0;
}
