// Local pointers to blocks of a run-time size (analysis/LocalBlocks.h): C-style code
// keeps its arrays as `double *a = (double *)malloc(sizeof(double) * n)`. A loop that
// reads such a block is sent a copy of it, its count taken right after the block is
// made; stores into it come back as results; each iteration's own element travels
// both ways. Every way the pointer could stand for something else, or the block be
// reached under another name, keeps the loop sequential. Whether converted programs
// still print the same is checked by e2e.verify_outlined over
// tests/outline/local_blocks.cpp.
#include <algorithm>

#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::ConvertSnippet;
using testing::DecisionFor;

const char kPrelude[] =
    "#include <cstdio>\n#include <cstdlib>\n"
    "static double heavy(double x) { double s = 0; for (int k = 0; k < 1000000; ++k) "
    "s += x * k; return s; }\n"
    "static double peek(const double *a, int i) { return heavy(a[i]); }\n"
    "static double poke(double *a, int i) { a[i] = 1; return heavy(i); }\n";

// `body` inside main, after `int n` and before a print of `out[3]`; the loop to
// decide is marked `// LOOP`.
std::string Program(const std::string &body) {
  return std::string(kPrelude) + "int main(int argc, char **) {\n  int n = argc * 64;\n" +
         body + "\n  std::printf(\"%f\\n\", out[3]);\n}\n";
}

bool Puts(const Finding &decision, const std::string &name) {
  const std::vector<std::string> &put = decision.conversion->put_variables;
  return std::find(put.begin(), put.end(), name) != put.end();
}

const char kIn[] =
    "  double *in = (double *)malloc(sizeof(double) * n);\n"
    "  for (int i = 0; i < n; i++) in[i] = i;\n";

TEST(LocalBlockTest, ABlockTheLoopReadsIsSentAndStoresComeBack) {
  std::string source = Program(std::string(kIn) +
                               "  double *out = new double[n];\n"
                               "  for (int i = 0; i < n; i++) // LOOP\n"
                               "    out[i] = heavy(in[i]) + in[i];");
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(Puts(decision, "in"));
  EXPECT_FALSE(Puts(decision, "out"));  // stored into, never read: not sent
  // The count is taken where the block is made, whatever `n` is by the loop.
  std::string converted = ConvertSnippet(source).converted;
  EXPECT_NE(converted.find("const std::size_t in_count = static_cast<std::size_t>("
                           "(sizeof(double) * n) / sizeof(double));"),
            std::string::npos)
      << converted;
  EXPECT_NE(converted.find("ray::Put(std::vector<double>(in, in + in_count))"),
            std::string::npos);
}

TEST(LocalBlockTest, DeclaredFirstAndSetOnceByCallocOrNew) {
  for (const char *made :
       {"in = (double *)calloc(n, sizeof(double));", "in = new double[n];"}) {
    Finding decision = DecisionFor(
        Program(std::string("  double *in;\n  double *out = new double[n];\n  ") + made +
                "\n  for (int i = 0; i < n; i++) // LOOP\n    out[i] = heavy(in[i]);"));
    ASSERT_TRUE(decision.IsConversion()) << made << ": " << decision.message;
    EXPECT_TRUE(Puts(decision, "in")) << made;
  }
}

TEST(LocalBlockTest, EachIterationsOwnElementTravelsBothWays) {
  Finding decision =
      DecisionFor(Program("  double *out = (double *)malloc(n * sizeof(double));\n"
                          "  for (int i = 0; i < n; i++) out[i] = i;\n"
                          "  for (int i = 0; i < n; i++) // LOOP\n"
                          "    out[i] = heavy(out[i]) - out[i];"));
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
}

TEST(LocalBlockTest, AFunctionReadingThroughAConstPointerIsCalledInTheTask) {
  Finding decision =
      DecisionFor(Program(std::string(kIn) + "  double *out = new double[n];\n"
                                             "  double s = 0;\n"
                                             "  for (int i = 0; i < n; i++) // LOOP\n"
                                             "    s += peek(in, i);\n  out[3] = s;"));
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(decision.conversion->outlined);
  EXPECT_TRUE(Puts(decision, "in"));
}

struct Hazard {
  const char *name;
  std::string setup;  // after `in` is made and filled, before the loop
  std::string body;   // the loop's body, over `i`
  SkipReason reason;
};

// Each keeps the loop sequential: the pointer may not hold the block the driver
// would send, or the loop reaches the block under a name the replay does not use.
TEST(LocalBlockTest, HazardsKeepTheLoopSequential) {
  const std::string out = "  double *out = new double[n + 1];\n";
  const Hazard hazards[] = {
      {"set twice", out + "  in = (double *)malloc(sizeof(double) * n);\n",
       "out[i] = heavy(in[i]);", SkipReason::kNonSerializable},
      {"stepped", out + "  ++in;\n", "out[i] = heavy(in[i]);",
       SkipReason::kNonSerializable},
      {"address kept", out + "  double **keep = &in;\n  (*keep)[0] = 2;\n",
       "out[i] = heavy(in[i]);", SkipReason::kNonSerializable},
      {"captured by reference", out + "  auto bump = [&] { in[0] += 1; };\n  bump();\n",
       "out[i] = heavy(in[i]);", SkipReason::kNonSerializable},
      {"made in a branch",
       out + "  double *b = nullptr;\n  if (n > 1) {\n    b = new double[n];\n"
             "    for (int i = 0; i < n; i++) b[i] = i;\n  }\n",
       "out[i] = heavy(b[i]);", SkipReason::kNonSerializable},
      {"written through a view", out + "  double *view = out;\n",
       "view[i] = heavy(in[i]) + out[i + 1];", SkipReason::kUnsupportedShape},
      {"a callee writes through it", out, "out[i] = poke(in, i);",
       SkipReason::kNonConstReference},
      {"reads the element before", out + "  out[0] = 1;\n", "out[i + 1] = heavy(out[i]);",
       SkipReason::kLoopCarriedDependency},
      {"reads the next row", out,
       "for (int j = 0; j < 2; j++) in[i * 2 + j] = heavy(in[(i + 1) * 2 + j]);",
       SkipReason::kLoopCarriedDependency},
      {"only some iterations reach their element", out,
       "if (i % 3 == 0) in[i] = heavy(in[i]);", SkipReason::kUnsupportedShape},
  };
  for (const Hazard &hazard : hazards) {
    Finding decision = DecisionFor(Program(std::string(kIn) + hazard.setup +
                                           "  for (int i = 0; i < n / 2; i++) // LOOP\n"
                                           "    " +
                                           hazard.body));
    EXPECT_FALSE(decision.IsConversion()) << hazard.name;
    EXPECT_EQ(decision.code, ReasonCode(hazard.reason))
        << hazard.name << ": " << decision.message;
  }
}

// A vector of bool packs its elements into bits: a block of bools is no vector's data.
TEST(LocalBlockTest, BlocksOfBoolsAreNotSent) {
  Finding decision = DecisionFor(Program(
      "  bool *mask = (bool *)malloc(sizeof(bool) * n);\n"
      "  for (int i = 0; i < n; i++) mask[i] = i % 2;\n  double *out = new double[n];\n"
      "  for (int i = 0; i < n; i++) // LOOP\n    out[i] = mask[i] ? heavy(i) : 0;"));
  EXPECT_EQ(decision.code, ReasonCode(SkipReason::kNonSerializable)) << decision.message;
}

// main's blocks handed to static helpers (BoundParameters.h): the helper's loop sends
// the block main made, its count kept in a global main sets where it makes it.
std::string HelperProgram(const std::string &helpers, const std::string &calls) {
  return std::string(kPrelude) + helpers +
         "int main(int argc, char **) {\n  int n = argc * 64;\n"
         "  double *in = (double *)malloc(sizeof(double) * n);\n"
         "  double *other = new double[n];\n  double *out = new double[n];\n"
         "  for (int i = 0; i < n; i++) in[i] = other[i] = i;\n" +
         calls + "\n  std::printf(\"%f\\n\", out[3]);\n}\n";
}

const char kHelper[] =
    "static void step(double *to, const double *from, int n) {\n"
    "  for (int i = 0; i < n; i++) // LOOP\n    to[i] = heavy(from[i]);\n}\n";

TEST(LocalBlockTest, AStaticHelperEveryCallGivesMainsBlockSendsIt) {
  std::string source =
      HelperProgram(kHelper, "  step(out, in, n);\n  step(out, in, n / 2);");
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(Puts(decision, "from"));
  std::string converted = ConvertSnippet(source).converted;
  EXPECT_NE(converted.find("static std::size_t main_in_count = 0;"), std::string::npos)
      << converted;
  EXPECT_NE(converted.find("main_in_count = static_cast<std::size_t>("),
            std::string::npos);
  EXPECT_NE(converted.find("std::vector<double>(from, from + main_in_count)"),
            std::string::npos);
}

// A single call handed the bound parameter is made by the outlined task, on its copy.
TEST(LocalBlockTest, AHelpersCallGivenItsBoundBlockIsOutlined) {
  Finding decision = DecisionFor(HelperProgram(
      "static double sum(const double *from, int n) {\n  double s = 0;\n"
      "  for (int i = 0; i < n; i++) // LOOP\n    s += peek(from, i);\n  return s;\n}\n",
      "  out[3] = sum(in, n);"));
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(decision.conversion->outlined);
  EXPECT_TRUE(Puts(decision, "from"));
}

TEST(LocalBlockTest, HelpersNotAlwaysGivenOneOfMainsBlocksKeepTheirLoops) {
  const std::string made_elsewhere =
      "static void run(int n) {\n  double *mine = new double[n];\n"
      "  for (int i = 0; i < n; i++) mine[i] = i;\n  double *to = new double[n];\n"
      "  step(to, mine, n);\n  std::printf(\"%f\\n\", to[1]);\n}\n";
  struct Case {
    const char *name;
    std::string helpers, calls;
  } cases[] = {
      {"two blocks", kHelper, "  step(out, in, n);\n  step(out, other, n);"},
      {"not static",
       "void step(double *to, const double *from, int n) {\n"
       "  for (int i = 0; i < n; i++) // LOOP\n    to[i] = heavy(from[i]);\n}\n",
       "  step(out, in, n);"},
      {"made outside main", std::string(kHelper) + made_elsewhere,
       "  run(n);\n  step(out, in, n);"},
      {"the helper steps it",
       "static void step(double *to, const double *from, int n) {\n  ++from;\n"
       "  for (int i = 0; i < n - 1; i++) // LOOP\n    to[i] = heavy(from[i]);\n}\n",
       "  step(out, in, n);"},
  };
  for (const Case &c : cases) {
    Finding decision = DecisionFor(HelperProgram(c.helpers, c.calls));
    // Unbound, `from` cannot be sent, and `to` may point to it.
    EXPECT_FALSE(decision.IsConversion()) << c.name;
    EXPECT_TRUE(decision.code == ReasonCode(SkipReason::kNonSerializable) ||
                decision.code == ReasonCode(SkipReason::kLoopCarriedDependency))
        << c.name << ": " << decision.message;
  }
  // The same block for both: the helper would write what it reads.
  Finding same = DecisionFor(HelperProgram(kHelper, "  step(in, in, n);"));
  EXPECT_FALSE(same.IsConversion()) << same.message;
}

}  // namespace
}  // namespace rayify
