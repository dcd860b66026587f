// Scratch rows every iteration refills before reading them (analysis/CopiedScratch.h):
// each task works on a copy as the loop found it and the last iteration's copy is the
// array after the loop. Each refusal below is a converting program with one hazard
// added, where a copy per task would print something else. Whether a converted
// program still prints the same is checked by e2e.verify_outlined over
// tests/outline/refilled.cpp.
#include <algorithm>

#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::RefusalCase;

const char kPrelude[] =
    "#include <cstdio>\n#include <cstdlib>\n"
    "static int nx = 24, ist = 1, iend = 23;\n"
    "static double field[32][32];\n"
    "static double out[32][32];\n"
    "static double (*flux)[5] = (double (*)[5])malloc(sizeof(double) * 32 * 5);\n"
    "double heavy(double x) { for (int r = 0; r < 100000; ++r) x = x * 0.999 + 1e-3; "
    "return x; }\n";

// The converting fill: rows 0..nx-1, every column.
const char kFill[] =
    "    for (int i = 0; i < nx; i++) {\n"
    "      flux[i][0] = heavy(field[k][i]);\n"
    "      for (int m = 1; m < 5; m++) flux[i][m] = field[k][i] * m;\n"
    "    }\n";

// What reads the rows: from ist - 1 to iend, more than the program proves filled.
const char kUse[] =
    "    for (int i = ist; i < iend; i++)\n"
    "      out[k][i] = flux[i + 1][0] - flux[i - 1][4];\n";

// `pass` holding the loop `body` (helpers before it), and a main that prints what the
// loop leaves in `flux`.
std::string Program(const std::string &body, const std::string &helpers = "") {
  return std::string(kPrelude) + helpers +
         "static void pass() {\n"
         "  for (int k = 1; k < 31; k++) { // LOOP\n" +
         body +
         "  }\n}\n"
         "int main() {\n  nx = 20;\n  iend = nx - 1;\n  pass();\n"
         "  std::printf(\"%f %f\\n\", out[3][3], flux[2][2]);\n}\n";
}

bool Puts(const Finding &decision, const std::string &name) {
  const std::vector<std::string> &put = decision.conversion->put_variables;
  return std::find(put.begin(), put.end(), name) != put.end();
}

TEST(CopiedScratchTest, RowsFilledBeforeEveryUseAreCopiedIntoEachTask) {
  Finding decision = testing::DecisionFor(Program(std::string(kFill) + kUse));
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(Puts(decision, "flux")) << decision.message;
}

TEST(CopiedScratchTest, RewritesWithinTheFilledRowsAndInnerLoopsOfFixedBounds) {
  // The fill sits in an inner loop of bounds the loop never changes, and what follows
  // it rewrites rows ist..nx-1, which the fill covered.
  Finding decision = testing::DecisionFor(
      Program("    for (int j = 0; j < 3; j++) {\n" + std::string(kFill) +
              "      for (int i = ist; i < nx; i++) flux[i][1] = flux[i][1] - "
              "flux[i - 1][1];\n" +
              kUse + "    }\n"));
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
}

TEST(CopiedScratchTest, ALocalArrayOfRowsToo) {
  std::string source = std::string(kPrelude) +
                       "static void pass() {\n"
                       "  double rows[32][2];\n"
                       "  for (int k = 1; k < 31; k++) { // LOOP\n"
                       "    for (int i = 0; i < nx; i++) {\n"
                       "      rows[i][0] = heavy(field[k][i]);\n"
                       "      rows[i][1] = field[k][i];\n"
                       "    }\n"
                       "    for (int i = ist; i < iend; i++)\n"
                       "      out[k][i] = rows[i + 1][0] - rows[i - 1][1];\n"
                       "  }\n}\n"
                       "int main() { pass(); std::printf(\"%f\\n\", out[3][3]); }\n";
  Finding decision = testing::DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(Puts(decision, "rows")) << decision.message;
}

class CopiedScratchRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(CopiedScratchRefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
}

std::vector<RefusalCase> Refusals() {
  const SkipReason kCarried = SkipReason::kLoopCarriedDependency;
  const SkipReason kShape = SkipReason::kUnsupportedShape;
  const char kFluxUpdated[] = "'flux'";
  return {
      // What an iteration reads may be the one before's.
      {"TheFillFollowsTheOuterCounter",
       Program("    for (int i = 0; i < k; i++)\n"
               "      for (int m = 0; m < 5; m++) flux[i][m] = heavy(field[k][i]);\n" +
               std::string(kUse)),
       kCarried, kFluxUpdated},
      // Rows one iteration fills and the next may not: `n` is declared in the body.
      {"TheFillBoundIsALocalOfTheIteration",
       Program("    int n = 20 - k % 4;\n"
               "    for (int i = 0; i < n; i++)\n"
               "      for (int m = 0; m < 5; m++) flux[i][m] = heavy(field[k][i]);\n" +
               std::string(kUse)),
       kCarried, kFluxUpdated},
      {"AColumnIsLeftOut",
       Program("    for (int i = 0; i < nx; i++)\n"
               "      for (int m = 0; m < 4; m++) flux[i][m] = heavy(field[k][i]);\n" +
               std::string(kUse)),
       kCarried, kFluxUpdated},
      {"ARowIsReadBeforeTheFill",
       Program("    out[k][0] = flux[3][0];\n" + std::string(kFill) + kUse), kCarried,
       kFluxUpdated},
      {"TheFillIsConditional",
       Program("    if (k % 2 == 0) {\n" + std::string(kFill) + "    }\n" + kUse), kShape,
       kFluxUpdated},
      {"AValueOfTheFillReadsTheArray",
       Program("    for (int i = 0; i < nx; i++) {\n"
               "      flux[i][0] = heavy(field[k][i]) + flux[i][4];\n"
               "      for (int m = 1; m < 5; m++) flux[i][m] = field[k][i] * m;\n"
               "    }\n" +
               std::string(kUse)),
       kShape, kFluxUpdated},
      // A write past the filled rows would leave a row some iterations change and
      // others do not.
      {"AWritePastTheFilledRows",
       Program(std::string(kFill) + "    flux[nx][0] = heavy(field[k][0]);\n" + kUse),
       kShape, kFluxUpdated},
      // Paths that would skip the fill in some iterations.
      {"AContinueMaySkipTheFill",
       Program("    if (field[k][0] > 5.0) continue;\n" + std::string(kFill) + kUse),
       kShape, kFluxUpdated},
      // A second way to the array than its elements by name.
      {"AFunctionTheLoopCallsReadsTheArray",
       Program(std::string(kFill) + "    out[k][0] = peek();\n" + kUse,
               "static double peek() { return flux[1][1]; }\n"),
       SkipReason::kGlobalRead, "peek() reads 'flux'"},
      {"ARowIsHandedOutElsewhere",
       Program(std::string(kFill) + kUse, "static double *row() { return flux[2]; }\n"),
       kShape, kFluxUpdated},
      {"TheArrayIsVisibleToOtherFiles",
       [] {
         std::string source = Program(std::string(kFill) + kUse);
         std::string from = "static double (*flux)";
         return source.replace(source.find(from), from.size(), "double (*flux)");
       }(),
       kShape, kFluxUpdated},
  };
}

INSTANTIATE_TEST_SUITE_P(Hazards, CopiedScratchRefusalTest,
                         ::testing::ValuesIn(Refusals()), testing::CaseName());

}  // namespace
}  // namespace rayify
