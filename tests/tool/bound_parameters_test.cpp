// Pointer parameters that always stand for one array (analysis/BoundParameters.h):
// C-style helpers take their arrays as pointers, and a loop reading one could send
// nothing until rayify knew which array, of what extent, every call passes. Each way
// the parameter could be another array, or a second name for memory the loop reaches
// otherwise, keeps the loop sequential with its reason. Whether a converted program
// still prints the same is checked by e2e.verify_outlined over
// tests/outline/bound_arrays.cpp.
#include <algorithm>

#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::RefusalCase;

const char kHeavy[] =
    "#include <cstdio>\n#include <cstdlib>\n"
    "double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; "
    "return s; }\n";

// `step` over `arrays` (declarations before it), called from main as `calls` says.
std::string Program(const std::string &arrays, const std::string &step,
                    const std::string &calls) {
  return std::string(kHeavy) + arrays + step + "int main() {\n" + calls +
         "\nstd::printf(\"%f\\n\", q[3]);\n}\n";
}

const char kStep[] =
    "static void step(double out[], const double in[], int n) {\n"
    "  for (int j = 0; j < n; j++) // LOOP\n"
    "    out[j] = heavy(j) + in[j + 1] - in[j];\n}\n";

bool Puts(const Finding &decision, const std::string &name) {
  const std::vector<std::string> &put = decision.conversion->put_variables;
  return std::find(put.begin(), put.end(), name) != put.end();
}

TEST(BoundParameterTest, AGlobalArrayEveryCallPassesIsSentAsThatArray) {
  Finding decision = testing::DecisionFor(Program(
      "static double q[16], src[17];\n", kStep, "step(q, src, 16);\nstep(q, src, 8);"));
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(Puts(decision, "in")) << decision.message;
}

TEST(BoundParameterTest, AFixedBlockAndALocalArrayAreSentToo) {
  Finding block = testing::DecisionFor(
      Program("static double q[16];\n"
              "static double *src = (double *)malloc(sizeof(double) * 17);\n",
              kStep, "step(q, src, 16);"));
  ASSERT_TRUE(block.IsConversion()) << block.message;
  EXPECT_TRUE(Puts(block, "in"));
  Finding local = testing::DecisionFor(Program(
      "static double q[16];\n", kStep, "double src[17] = {1, 2};\nstep(q, src, 16);"));
  ASSERT_TRUE(local.IsConversion()) << local.message;
  EXPECT_TRUE(Puts(local, "in"));
}

// PolyBench's arrays: main's pointers to arrays, each set once to a block of its own
// from an allocator of the program (posix_memalign inside), passed as `*A`.
const char kAllocator[] =
    "static void *alloc_block(unsigned long long n, int size) {\n"
    "  void *ret = NULL;\n  int err = posix_memalign(&ret, 4096, n * size);\n"
    "  if (!ret || err) exit(1);\n  return ret;\n}\n";

// `step` called from main on blocks `q` (16 doubles) and `src` (17), set up by
// `setup`, then as `calls` says.
std::string BlockProgram(const std::string &before, const std::string &setup,
                         const std::string &calls) {
  return std::string(kHeavy) + kAllocator + before + kStep +
         "int main() {\n  double (*q)[16];\n  double (*src)[17];\n" + setup + calls +
         "\n  std::printf(\"%f\\n\", (*q)[3]);\n}\n";
}

const char kBlocks[] =
    "  q = (double (*)[16])alloc_block(16, sizeof(double));\n"
    "  src = (double (*)[17])alloc_block(17, sizeof(double));\n";

TEST(BoundParameterTest, BlocksOfTheirOwnThatMainPointsToAreSentToo) {
  // Freeing a block, or handing the pointer to a function, leaves it where it was.
  Finding block = testing::DecisionFor(
      BlockProgram("", kBlocks, "  step(*q, *src, 16);\n  std::free(src);"));
  ASSERT_TRUE(block.IsConversion()) << block.message;
  EXPECT_TRUE(Puts(block, "in"));
  Finding malloced = testing::DecisionFor(
      BlockProgram("",
                   "  q = (double (*)[16])malloc(16 * sizeof(double));\n"
                   "  src = (double (*)[17])malloc(sizeof(double[17]));\n",
                   "  step(*q, *src, 16);"));
  ASSERT_TRUE(malloced.IsConversion()) << malloced.message;
  EXPECT_TRUE(Puts(malloced, "in"));
}

// A matrix-vector product reads each element of its 122 MiB block once: sending the
// block costs more than the work. The work is known only through `n`, a local of main
// that nothing changes, though main writes through its pointers.
TEST(BoundParameterTest, AMatrixVectorProductOverABlockIsTooMuchData) {
  std::string source =
      std::string(kHeavy) + kAllocator +
      "#define N 4000\n"
      "static void kernel(int n, double x1[N], double y[N], double A[N][N]) {\n"
      "  for (int i = 0; i < n; i++) // LOOP\n"
      "    for (int j = 0; j < n; j++) x1[i] = x1[i] + A[i][j] * y[j];\n}\n"
      "int main() {\n  int n = N;\n  double (*A)[N][N];\n  double (*x1)[N];\n"
      "  double (*y)[N];\n"
      "  A = (double (*)[N][N])alloc_block(N * N, sizeof(double));\n"
      "  x1 = (double (*)[N])alloc_block(N, sizeof(double));\n"
      "  y = (double (*)[N])alloc_block(N, sizeof(double));\n"
      "  for (int i = 0; i < n; i++) {\n    (*x1)[i] = 0;\n    (*y)[i] = i % 7;\n"
      "    for (int j = 0; j < n; j++) (*A)[i][j] = (i + j) % 5;\n  }\n"
      "  kernel(n, *x1, *y, *A);\n  std::printf(\"%f\\n\", (*x1)[17]);\n}\n";
  Finding decision = testing::DecisionFor(source);
  EXPECT_EQ(decision.code, ReasonCode(SkipReason::kTooMuchData)) << decision.message;
  EXPECT_NE(decision.message.find("'A' (122 MiB)"), std::string::npos)
      << decision.message;
}

class BoundParameterRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(BoundParameterRefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
}

std::vector<RefusalCase> Refusals() {
  const SkipReason kPointer = SkipReason::kNonSerializable;
  const char kArrays[] = "static double q[16], src[17], other[17];\n";
  return {
      // A second name for the memory the parameter stands for.
      {"TheLoopNamesTheArrayItself",
       Program(kArrays,
               "static void step(double out[], const double in[], int n) {\n"
               "  for (int j = 0; j < n; j++) // LOOP\n"
               "    out[j] = heavy(j) + in[j] + src[j + 1];\n}\n",
               "step(q, src, 16);"),
       SkipReason::kLoopCarriedDependency, "'in' points to 'src'"},
      // A global pointer to the array, written in the loop: what `in` reads may be
      // what an earlier iteration wrote through it.
      {"TheLoopWritesThroughAGlobalPointerToTheArray",
       Program(std::string(kArrays) + "static double *g_at = src;\n",
               "static void step(double out[], const double in[], int n) {\n"
               "  for (int j = 0; j < n; j++) { // LOOP\n"
               "    out[j] = heavy(j) + in[j + 1];\n    g_at[j + 2] += 1.0;\n  }\n}\n",
               "step(q, src, 16);"),
       SkipReason::kLoopCarriedDependency,
       "writes through 'g_at', which may point to 'in'"},
      {"AFunctionTheLoopCallsNamesTheArray",
       Program(
           std::string(kArrays) + "static double next(int j) { return src[j + 1]; }\n",
           "static void step(double out[], const double in[], int n) {\n"
           "  for (int j = 0; j < n; j++) // LOOP\n"
           "    out[j] = heavy(j) + in[j] + next(j);\n}\n",
           "step(q, src, 16);"),
       SkipReason::kLoopCarriedDependency,
       "'in' points to 'src', which a function the loop calls"},
      {"TheSameArrayForTwoParameters",
       Program(kArrays,
               "static void step(double out[], const double in[], const double "
               "again[], int n) {\n  for (int j = 0; j < n; j++) // LOOP\n"
               "    out[j] = heavy(j) + in[j] + again[j + 1];\n}\n",
               "step(q, src, src, 16);"),
       kPointer, "'in', a pointer"},
      // Another array, or another part of one.
      {"CallsPassingDifferentArrays",
       Program(kArrays, kStep, "step(q, src, 16);\nstep(q, other, 16);"), kPointer,
       "'in', a pointer"},
      {"AnOffsetIntoTheArray", Program(kArrays, kStep, "step(q, src + 1, 15);"), kPointer,
       "'in', a pointer"},
      {"TheFunctionMovesThePointer",
       Program(kArrays,
               "static void step(double out[], const double in[], int n) {\n"
               "  in = in + 1;\n  for (int j = 0; j < n; j++) // LOOP\n"
               "    out[j] = heavy(j) + in[j];\n}\n",
               "step(q, src, 15);"),
       kPointer, "'in', a pointer"},
      {"AReferenceToThePointerMovesIt",
       Program(kArrays,
               "static void step(double out[], const double in[], int n) {\n"
               "  const double *&at = in;\n  at = at + 1;\n"
               "  for (int j = 0; j < n; j++) // LOOP\n"
               "    out[j] = heavy(j) + in[j];\n}\n",
               "step(q, src, 15);"),
       kPointer, "'in', a pointer"},
      // Calls from other units, and a size the array would answer differently. (A
      // function whose address is taken is not driver code at all.)
      {"AFunctionOtherUnitsMayCall",
       Program(kArrays,
               "void step(double out[], const double in[], int n) {\n"
               "  for (int j = 0; j < n; j++) // LOOP\n"
               "    out[j] = heavy(j) + in[j + 1] - in[j];\n}\n",
               "step(q, src, 16);"),
       // Unbound, `out` may point into what `in` reads.
       SkipReason::kLoopCarriedDependency,
       "writes through 'out', which may point to 'in'"},
      // Blocks main points to that may not be two arrays of their sizes.
      {"TheSameBlockForTwoParameters", BlockProgram("", kBlocks, "  step(*q, *q, 16);"),
       SkipReason::kLoopCarriedDependency,
       "writes through 'out', which may point to 'in'"},
      {"APointerSetTwice",
       BlockProgram("", std::string(kBlocks) + "  src = (double (*)[17])(*q - 1);\n",
                    "  step(*q, *src, 16);"),
       kPointer, "'in', a pointer"},
      {"APointerWhoseAddressIsTaken",
       BlockProgram("", std::string(kBlocks) + "  double (**at)[17] = &src;\n",
                    "  step(*q, **at, 16);"),
       kPointer, "'in', a pointer"},
      {"ABlockSmallerThanTheArray",
       BlockProgram("",
                    "  q = (double (*)[16])alloc_block(16, sizeof(double));\n"
                    "  src = (double (*)[17])alloc_block(8, sizeof(double));\n",
                    "  step(*q, *src, 16);"),
       kPointer, "'in', a pointer"},
      // The allocator hands out one buffer: `out` may be what `in` reads.
      {"AnAllocatorReturningItsOwnBuffer",
       BlockProgram("static double g_pool[64];\n"
                    "static void *pooled(unsigned long long n, int size) {\n"
                    "  return g_pool;\n}\n",
                    "  q = (double (*)[16])pooled(16, sizeof(double));\n"
                    "  src = (double (*)[17])pooled(17, sizeof(double));\n",
                    "  step(*q, *src, 16);"),
       SkipReason::kLoopCarriedDependency,
       "writes through 'out', which may point to 'in'"},
      {"TheSizeOfThePointer",
       Program(kArrays,
               "static void step(double out[], const double in[], int n) {\n"
               "  for (int j = 0; j < n; j++) // LOOP\n"
               "    out[j] = heavy(j) + in[j] * sizeof in;\n}\n",
               "step(q, src, 16);"),
       kPointer, "'in', a pointer"},
  };
}

INSTANTIATE_TEST_SUITE_P(Bound, BoundParameterRefusalTest,
                         ::testing::ValuesIn(Refusals()), testing::CaseName());

}  // namespace
}  // namespace rayify
