// Rows of flattened blocks (analysis/BlockRows.h): C code keeps a grid in one block of
// a run-time size and reaches element (i, j) as `g[i * w + j]`. A loop over i whose
// every mention of a block it writes is an element of row i, j counting from 0 up to
// w by an inner loop, sends each chunk of iterations its rows and copies them back.
// Every way an index could leave its row keeps the loop sequential. Whether converted
// programs still print the same is checked by e2e.verify_outlined over
// tests/outline/block_rows.cpp.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::ConvertSnippet;
using testing::DecisionFor;

const char kPrelude[] =
    "#include <cstdio>\n#include <cstdlib>\n"
    "static double heavy(double x) { double s = 0; for (int k = 0; k < 1000000; ++k) "
    "s += x * k; return s; }\n";

// `body` inside main, after the grid `g` of `rows * w` numbers is made and filled;
// the loop to decide is marked `// LOOP`.
std::string Program(const std::string &body) {
  return std::string(kPrelude) +
         "int main(int argc, char **) {\n  int rows = argc * 8, w = argc * 6, k = 0;\n"
         "  double *g = (double *)malloc(sizeof(double) * rows * w);\n"
         "  for (int q = 0; q < rows * w; q++) g[q] = q;\n" +
         body + "\n  std::printf(\"%f\\n\", g[3]);\n}\n";
}

TEST(BlockRowsTest, RowsReadAndWrittenTravelWithTheirChunk) {
  const char *bodies[] = {
      // srad's shape: an index declared at the top, set before each use
      "  for (int i = 0; i < rows; i++) // LOOP\n"
      "    for (int j = 0; j < w; j++) {\n      k = i * w + j;\n"
      "      g[k] = heavy(g[k]);\n      if (g[k] < 0) g[k] = 0;\n    }",
      // the index spelled in the subscript, either way round, and a local of the step
      "  for (int i = 0; i < rows; i++) // LOOP\n"
      "    for (int j = 1; j < w; j++) {\n      int at = j + w * i;\n"
      "      g[i * w + j] = heavy(g[at]) + g[at];\n    }",
  };
  for (const char *body : bodies) {
    std::string source = Program(body);
    Finding decision = DecisionFor(source);
    ASSERT_TRUE(decision.IsConversion()) << body << ": " << decision.message;
    std::string converted = ConvertSnippet(source).converted;
    // The chunk's rows go out from where the block holds them, and come back there.
    EXPECT_NE(converted.find("rayify_row_start(main_loop_"), std::string::npos)
        << converted;
    EXPECT_NE(converted.find("const rayify_rows<double> g{g_rows.data(), g_first};"),
              std::string::npos)
        << converted;
    EXPECT_NE(converted.find("std::copy("), std::string::npos) << converted;
  }
}

// A loop of a few heavy iterations runs a task each, which is sent its row alone; an
// element to the left, through the local set to the row's sum, stays in the row when
// the inner counter starts at 1.
TEST(BlockRowsTest, ATaskOfOneIterationIsSentItsRow) {
  std::string source = Program(
      "  for (int i = 0; i < 4; i++) // LOOP\n"
      "    for (int j = 1; j < w; j++) {\n      int at = i * w + j;\n"
      "      g[at] = heavy(g[at] + g[at - 1]);\n    }");
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string converted = ConvertSnippet(source).converted;
  EXPECT_NE(converted.find("std::vector<double> g_rows, std::size_t g_first"),
            std::string::npos)
      << converted;
  EXPECT_NE(converted.find("rayify_row_start(i + 1, w, g_count)"), std::string::npos)
      << converted;
  // From j = 0, `at - 1` is the row before's last element.
  Finding from_zero =
      DecisionFor(Program("  for (int i = 1; i < 4; i++) // LOOP\n"
                          "    for (int j = 0; j < w; j++) {\n      int at = i * w + j;\n"
                          "      g[at] = heavy(g[at] + g[at - 1]);\n    }"));
  EXPECT_FALSE(from_zero.IsConversion());
  EXPECT_NE(from_zero.message.find("'g[at - 1]' is not shown"), std::string::npos)
      << from_zero.message;
}

// A static helper main hands its grid and the grid's width (BoundParameters.h).
TEST(BlockRowsTest, AHelpersRowsOfMainsBlock) {
  std::string source = std::string(kPrelude) +
                       "static void sweep(double *grid, int rows, int cols) {\n"
                       "  for (int r = 0; r < rows; r++) // LOOP\n"
                       "    for (int c = 0; c < cols; c++)\n"
                       "      grid[r * cols + c] = heavy(grid[r * cols + c]);\n}\n"
                       "int main(int argc, char **) {\n  int n = argc * 8;\n"
                       "  double *g = new double[n * n];\n"
                       "  for (int q = 0; q < n * n; q++) g[q] = q;\n"
                       "  sweep(g, n, n);\n  std::printf(\"%f\\n\", g[3]);\n}\n";
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(ConvertSnippet(source).converted.find("main_g_count"), std::string::npos);
}

struct Hazard {
  const char *name;
  std::string body;  // the loop, marked `// LOOP`
  std::string message_part;
};

// Each index might leave the iteration's row: the loop reads what another stores.
TEST(BlockRowsTest, IndicesThatMayLeaveTheRowKeepTheLoopSequential) {
  const std::string loop = "  for (int i = 0; i < rows - 1; i++) // LOOP\n";
  const Hazard hazards[] = {
      {"the next row",
       loop + "    for (int j = 0; j < w; j++) g[i * w + j] = "
              "heavy(g[(i + 1) * w + j]);",
       "'g[(i + 1) * w + j]' is not shown"},
      {"an inner bound past the width",
       loop + "    for (int j = 0; j < w + 1; j++) g[i * w + j] = heavy(g[i * w + j]);",
       "'g[i * w + j]' is not shown"},
      {"up to the width included",
       loop + "    for (int j = 0; j <= w; j++) g[i * w + j] = heavy(g[i * w + j]);",
       "'g[i * w + j]' is not shown"},
      {"a start before the row",
       loop + "    for (int j = -1; j < w; j++) g[i * w + j] = heavy(g[i * w + j]);",
       "'g[i * w + j]' is not shown"},
      {"no inner counter", loop + "    g[i * w] = heavy(g[i * w]);", "'g[i * w]' is not"},
      {"an index set twice",
       loop + "    for (int j = 0; j < w; j++) {\n      k = i * w + j;\n"
              "      if (j > 2) k = k + w;\n      g[k] = heavy(g[k]);\n    }",
       "'g[k]' is not shown"},
      {"an index set after its use",
       loop + "    for (int j = 0; j < w; j++) {\n      g[k] = heavy(g[k]);\n"
              "      k = i * w + j;\n    }",
       "'g[k]' is not shown"},
      {"an index set under a condition",
       loop + "    for (int j = 0; j < w; j++) {\n      if (j % 2 == 0) k = i * w + j;\n"
              "      g[k] = heavy(g[k]);\n    }",
       "reads 'k'"},
      {"a case label between the index and its use",
       loop + "    for (int j = 0; j < w; j++) {\n      switch (j % 3) {\n"
              "        case 0: k = i * w + j;\n        case 1: g[k] = heavy(g[k]); "
              "break;\n        default: break;\n      }\n    }",
       "reads 'k'"},
      {"the width changing",
       loop + "  {\n    for (int j = 0; j < w; j++) g[i * w + j] = "
              "heavy(g[i * w + j]);\n    if (i == 2) w = 3;\n  }",
       ""},
      {"the width reached through a pointer",
       "  int *pw = &w;\n" + loop +
           "  {\n    for (int j = 0; j < w; j++) g[i * w + j] = heavy(g[i * w + j]);\n"
           "    *pw = 6;\n  }",
       ""},
      {"the index reached through a pointer",
       "  int *pk = &k;\n" + loop +
           "    for (int j = 0; j < w; j++) {\n      k = i * w + j;\n      *pk += 0;\n"
           "      g[k] = heavy(g[k]);\n    }",
       ""},
      {"an index narrower than the sum",
       loop + "    for (int j = 0; j < w; j++) {\n      short at = i * w + j;\n"
              "      g[at] = heavy(g[at]);\n    }",
       "'g[at]' is not shown"},
      {"an inner counter that may wrap",
       loop +
           "    for (signed char j = 0; j < w; j++) g[i * w + j] = heavy(g[i * w + j]);",
       "is not shown"},
      {"an element's address",
       loop + "    for (int j = 0; j < w; j++) {\n"
              "      double *p = &g[i * w + j];\n"
              "      *p = heavy(*p);\n    }",
       ""},
  };
  for (const Hazard &hazard : hazards) {
    Finding decision = DecisionFor(Program(hazard.body));
    EXPECT_FALSE(decision.IsConversion()) << hazard.name;
    EXPECT_NE(decision.message.find(hazard.message_part), std::string::npos)
        << hazard.name << ": " << decision.message;
  }
}

// Rows cost their bytes both ways: a step of a few operations does not pay for
// moving its element (srad's loops), a heavy one does.
TEST(BlockRowsTest, CheapStepsStaySequential) {
  Finding decision =
      DecisionFor(Program("  double *d = new double[rows * w];\n"
                          "  for (int i = 0; i < rows; i++) // LOOP\n"
                          "    for (int j = 0; j < w; j++) {\n      k = i * w + j;\n"
                          "      d[k] = g[k] * 0.5;\n      g[k] = g[k] + d[k];\n    }"));
  EXPECT_EQ(decision.code, ReasonCode(SkipReason::kTooMuchData)) << decision.message;
  EXPECT_NE(decision.message.find("each element of the rows of 'd', 'g'"),
            std::string::npos)
      << decision.message;
}

// A std::vector of numbers holds a grid as a block does; its rows go out from and come
// back to its data.
std::string VectorProgram(const std::string &body) {
  return std::string(kPrelude) +
         "#include <vector>\n"
         "int main(int argc, char **) {\n  int rows = argc * 8, w = argc * 6;\n"
         "  std::vector<double> g(rows * w);\n"
         "  for (int q = 0; q < rows * w; q++) g[q] = q;\n" +
         body + "\n  std::printf(\"%f\\n\", g[3]);\n}\n";
}

TEST(BlockRowsTest, RowsOfAVectorTravelWithTheirChunk) {
  std::string source = VectorProgram(
      "  for (int i = 0; i < rows; i++) // LOOP\n"
      "    for (int j = 1; j < w; j++)\n"
      "      g[i * w + j] = heavy(g[i * w + j - 1]) + g[i * w + j];");
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string converted = ConvertSnippet(source).converted;
  EXPECT_NE(converted.find("std::vector<double>(g.data() + rayify_row_start("),
            std::string::npos)
      << converted;
  EXPECT_NE(converted.find(".end(), g.data() + main_loop_"), std::string::npos)
      << converted;
  EXPECT_NE(converted.find("const rayify_rows<double> g{g_rows.data(), g_first};"),
            std::string::npos)
      << converted;
}

// What a vector can do that a block cannot (change its size, swap its elements away,
// be reached through a reference) keeps the loop sequential, as does the next row.
TEST(BlockRowsTest, AVectorUsedOtherThanByItsRowsKeepsTheLoopSequential) {
  const char *bodies[] = {
      "  for (int i = 0; i < rows - 1; i++) // LOOP\n"
      "    for (int j = 0; j < w; j++) g[i * w + j] = heavy(g[i * w + j + w]);",
      "  for (int i = 0; i < rows; i++) { // LOOP\n"
      "    for (int j = 0; j < w; j++) g[i * w + j] = heavy(g[i * w + j]);\n"
      "    if (g.size() > 100) g.resize(rows * w);\n  }",
      "  std::vector<double> h(rows * w);\n"
      "  for (int i = 0; i < rows; i++) { // LOOP\n"
      "    for (int j = 0; j < w; j++) g[i * w + j] = heavy(g[i * w + j]);\n"
      "    if (i == 2) g.swap(h);\n  }",
      "  std::vector<double> &d = g;\n"
      "  for (int i = 0; i < rows; i++) // LOOP\n"
      "    for (int j = 0; j < w; j++) d[i * w + j] = heavy(g[((i + 1) % rows) * w + "
      "j]);",
  };
  for (const char *body : bodies) {
    Finding decision = DecisionFor(VectorProgram(body));
    EXPECT_FALSE(decision.IsConversion()) << body;
  }
}

// `sweep(std::vector<double> &c, ...)`, a helper main hands its grid; `calls` are
// main's statements after it made `g` and `h`.
std::string ReferenceProgram(const std::string &reads, const std::string &calls,
                             const std::string &before = "") {
  return std::string(kPrelude) + "#include <vector>\n" + before +
         "static void sweep(std::vector<double> &c, const std::vector<double> &a, int "
         "rows, int w) {\n"
         "  for (int i = 0; i < rows; i++) // LOOP\n"
         "    for (int j = 1; j < w; j++)\n"
         "      c[i * w + j] = heavy(c[i * w + j - 1] + " +
         reads +
         ");\n}\n"
         "int main(int argc, char **) {\n  int rows = argc * 8, w = argc * 6;\n"
         "  std::vector<double> g(rows * w, 1.0), h(rows * w, 2.0);\n" +
         calls + "\n  std::printf(\"%f %f\\n\", g[3], h[3]);\n}\n";
}

// Every call gives the parameter a local of main, each time another vector than the
// one the loop reads: the rows of whichever vector it is travel.
TEST(BlockRowsTest, RowsOfAVectorAReferenceParameterNames) {
  std::string source = ReferenceProgram(
      "a[i * w + j]", "  sweep(g, h, rows, w);\n  sweep(h, g, rows, w);");
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string converted = ConvertSnippet(source).converted;
  EXPECT_NE(converted.find("std::vector<double>(c.data() + rayify_row_start("),
            std::string::npos)
      << converted;
}

// The parameter may be reached otherwise: a call gives both parameters one vector, or
// passes a global the loop also reads by name, a member, or a vector through a
// pointer.
TEST(BlockRowsTest, AReferenceParameterThatMayBeReachedOtherwiseKeepsTheLoopSequential) {
  struct Case {
    const char *reads, *calls, *before;
  } cases[] = {
      {"a[((i + rows - 1) % rows) * w + j]",
       "  sweep(g, h, rows, w);\n  sweep(g, g, rows, w);", ""},
      {"k[((i + rows - 1) % rows) * w + j]",
       "  k.assign(rows * w, 3.0);\n  sweep(k, h, rows, w);",
       "static std::vector<double> k;\n"},
      {"a[i * w + j]", "  Box b{g};\n  sweep(b.v, h, rows, w);",
       "struct Box { std::vector<double> v; };\n"},
      {"a[i * w + j]", "  std::vector<double> *p = &g;\n  sweep(*p, h, rows, w);", ""},
  };
  for (const Case &c : cases) {
    Finding decision = DecisionFor(ReferenceProgram(c.reads, c.calls, c.before));
    EXPECT_FALSE(decision.IsConversion()) << c.calls;
  }
  // Named other than by a call, sweep may run anywhere: not driver code at all.
  std::string converted =
      ConvertSnippet(
          ReferenceProgram("a[i * w + j]",
                           "  void (*f)(std::vector<double> &, const std::vector<double> "
                           "&, int, int) = sweep;\n  sweep(g, h, rows, w);\n"
                           "  f(h, g, rows, w);"))
          .converted;
  EXPECT_EQ(converted.find("rayify_row_start("), std::string::npos) << converted;
}

}  // namespace
}  // namespace rayify
