// Outlined loop bodies: each shape becomes a generated task function whose results the
// driver applies in order, and each hazard to that keeps the loop sequential with its
// real reason. Whether the converted programs print what the originals did is checked
// by e2e.verify_outlined over tests/outline/.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::ConvertSnippet;
using testing::Decisions;
using testing::LineOf;

const char kPrelude[] = R"(#include <algorithm>
#include <cstdio>
#include <vector>
double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; return s; }
)";

std::string Program(const std::string &before_main, const std::string &main_body) {
  return std::string(kPrelude) + before_main + "\nint main() {\n" + main_body + "\n}\n";
}

// A program whose main fills `std::vector<double> out(9)` with `body`.
std::string FillsOut(const std::string &body) {
  return Program("", "std::vector<double> out(9);\n" + body);
}

struct OutlineCase {
  const char *name;
  std::string source;
  /// What the driver's replay of the results must contain.
  const char *replayed;
};

void PrintTo(const OutlineCase &c, std::ostream *out) { *out << c.name; }

class OutlineTest : public ::testing::TestWithParam<OutlineCase> {};

TEST_P(OutlineTest, BodyBecomesATaskAndItsUpdatesAreReplayed) {
  const OutlineCase &c = GetParam();
  FileConversion file = ConvertSnippet(c.source);
  unsigned line = LineOf(c.source, "// LOOP");
  const Finding *decision = nullptr;
  for (const Finding *finding : file.LoopDecisions()) {
    if (finding->Line() == line) decision = finding;
  }
  ASSERT_NE(decision, nullptr);
  ASSERT_TRUE(decision->IsConversion()) << decision->code << ": " << decision->message;
  std::string task = "main_loop_" + std::to_string(line);
  EXPECT_EQ(decision->conversion->function, task);
  EXPECT_NE(file.converted.find("static " + task + "_result " + task + "("),
            std::string::npos)
      << file.converted;
  EXPECT_NE(
      file.converted.find("ray::Task(" + task + ").SetResource(\"CPU\", 1).Remote("),
      std::string::npos);
  EXPECT_NE(file.converted.find("RAY_REMOTE(" + task + ")"), std::string::npos);
  EXPECT_NE(file.converted.find(c.replayed), std::string::npos) << file.converted;
}

std::vector<OutlineCase> Shapes() {
  return {
      {"TwoResultsPerIteration",
       Program("",
               "std::vector<double> a, b;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  a.push_back(heavy(i)); b.push_back(heavy(i + 1)); }"),
       "b.push_back(main_loop_"},
      {"ScratchScalarIsPrivate",
       FillsOut("double t;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  t = heavy(i); out[i] = t * 2; }"),
       "double t{};"},
      // The last statement shares its line with the '}' and the first line holds only
      // a comment: both stay in the task.
      {"AStatementOnTheClosingBracesLineStaysInTheTask",
       FillsOut("for (int i = 0; i < 9; ++i) { // LOOP\n"
                "  double t = heavy(i); out[i] = t * 2; }"),
       "  // LOOP\n  double t = heavy(i); iteration_result.out = "},
      {"ContainerClearedEachIterationIsPrivate",
       FillsOut(
           "std::vector<double> buf;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
           "  buf.clear();\n  for (int j = 0; j < 3; ++j) buf.push_back(heavy(i + j));\n"
           "  out[i] = buf[0] + buf[2]; }"),
       "std::vector<double> buf{};"},
      {"AContainerKeptAfterTheLoopIsReplayed",
       FillsOut("std::vector<double> buf;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  buf.clear();\n  buf.push_back(heavy(i));\n  out[i] = buf[0]; }\n"
                "return static_cast<int>(buf.size());"),
       "buf.push_back(main_loop_"},
      {"InnerCounterDeclaredOutsideIsPrivate",
       FillsOut("int j;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  double s = 0;\n"
                "  for (j = 0; j < 9; ++j) s += heavy(i + j);\n"
                "  out[i] = s; }"),
       "int j{};"},
      {"AccumulatorResetEachRowIsPrivate",
       FillsOut("double sum;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  sum = 0;\n"
                "  for (int k = 0; k < i; ++k) sum += heavy(k);\n"
                "  out[i] = sum; }"),
       "out[std::get<0>("},
      {"BreakOfAnInnerLoopIsNotAnEarlyExit",
       Program("",
               "double t = 0;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
               "  for (int j = 0; j < 9; ++j) { if (j > i) break; t += heavy(j); }"),
       "t += update"},
      // `#pragma scop` marks a region for polyhedral tools, not the loop below it.
      {"ARegionMarkerAboveTheLoopStaysWhereItIs",
       FillsOut("#pragma scop\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  double t = heavy(i); out[i] = t * 2; }\n#pragma endscop"),
       "#pragma scop\n"},
      // Macro invocations inside a statement are copied whole: the task computes
      // `SCALED(x)`, the driver replays the statement with `ZERO` kept as written.
      {"MacroInvocationsInsideUpdates",
       Program("#define SCALED(v) ((v) * 2.0)\n#define ZERO 0.0",
               "std::vector<double> out(9);\ndouble total = ZERO;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n  out[i] = ZERO;\n  out[i] += SCALED(x);\n"
               "  total += SCALED(x) - ZERO; }"),
       "total += main_loop_"},
      // The part `x + (x) * 2` is the file's text `x PLUS_TWICE(x)`.
      {"APartAMacroInvocationEnds",
       Program("#define PLUS_TWICE(v) + (v) * 2",
               "double total = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n  total += x PLUS_TWICE(x); }"),
       "total += main_loop_"},
      {"SumOfAnyExpression",
       Program("",
               "double total = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n  total += x * x - 1; }"),
       "total += main_loop_"},
      {"ProductAndMaxAndMin",
       Program("",
               "double p = 1, hi = -1e300, lo = 1e300;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n  p *= x;\n  hi = std::max(hi, x);\n"
               "  lo = std::min(x, lo); }"),
       "hi = std::max(hi, main_loop_"},
      {"BestWithItsIndex",
       Program("",
               "double best = -1;\nint at = -1;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n  if (x > best) { best = x; at = i; } }"),
       "at = std::get<1>("},
      {"BestElementOfAVectorReadOnce",
       Program("",
               "std::vector<double> w(9, 2.0);\ndouble best = -1;\nint at = -1;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n"
               "  if (w[i] * x > best) { best = w[i] * x; at = i; } }"),
       "{ best = std::get<0>("},
      {"Histogram",
       Program("",
               "std::vector<int> h(10);\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  int b = static_cast<int>(heavy(i)) % 10;\n  h[b] += 1; }"),
       "h[main_loop_"},
      {"GuardedAppendKeepsOrder",
       Program("",
               "std::vector<int> kept;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  if (heavy(i) > 100) kept.push_back(i); }"),
       "for (const auto &update : main_loop_"},
      {"RangeForByConstReference",
       Program("",
               "std::vector<int> in{1, 2, 3};\nstd::vector<double> out;\n"
               "for (const int &x : in) // LOOP\n  out.push_back(heavy(x) + x);"),
       "out.push_back(main_loop_9_iteration->out)"},
      {"ATemplateElementTypeIsSpelledInFull",
       "#include <string>\n" +
           Program("",
                   "std::vector<std::vector<std::string>> words{{\"a\"}, {\"b\"}};\n"
                   "std::vector<double> out(2);\nint k = 0;\n"
                   "for (auto &w : words) { // LOOP\n"
                   "  out[k] = heavy(static_cast<int>(w[0].size()));\n  k++; }"),
       "(const std::vector<std::string> &w)"},
      {"ContinueReturnsFromTheTask",
       Program("",
               "std::vector<double> out;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  if (i % 2) continue;\n  out.push_back(heavy(i)); }"),
       "return iteration_result;"},
      {"ARecurrenceOnTheDriverSide",
       FillsOut("for (int i = 1; i < 9; ++i) { // LOOP\n"
                "  out[i] = out[i - 1] + heavy(i); out[i] *= 2; }"),
       "out[std::get<0>("},
      {"AScalarCarriedOnTheDriverSide",
       FillsOut("double prev = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  out[i] = prev + heavy(i); prev = out[i]; }"),
       "prev = out["},
      {"WhileLoopWithAPlainCounter",
       FillsOut(
           "int i = 0;\nwhile (i < 9) { // LOOP\n  out[i] = heavy(i) * 2;\n  ++i;\n}\n"
           "return i;"),
       "out[std::get<0>(main_loop_"},
      {"CountersAndScratchDeclaredAtTheTopOfTheFunctionArePrivate",
       Program("double g_grid[9][9];",
               "int j, m;\ndouble s;\n"
               "for (int k = 0; k < 9; k++) // LOOP\n"
               "  for (j = 0; j < 9; j++) {\n    s = 0.0;\n"
               "    for (m = 0; m < 3; m++) s += heavy(k + j + m);\n"
               "    g_grid[k][j] = s; }\n"
               "for (j = 0; j < 9; j++) g_grid[j][j] += 1;  // sets j afresh\n"
               "return static_cast<int>(g_grid[2][3]);"),
       "  int j{};\n  double s{};\n  int m{};"},
      {"ScratchAFunctionWritesThroughAPointerIsPrivate",
       Program("double advance(double *seed) { *seed = heavy(static_cast<int>(*seed)); "
               "return *seed; }",
               "std::vector<double> out(9);\ndouble t;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  t = i + 0.5;\n  out[i] = advance(&t) + advance(&t); }"),
       "double t{};"},
      {"AGlobalTheProgramChangesIsSentWithTheTasks",
       Program("std::vector<double> g_scale(9);",
               "for (int i = 0; i < 9; ++i) g_scale[i] = i;\n"
               "std::vector<double> out(9);\nfor (int i = 0; i < 9; ++i) // LOOP\n"
               "  out[i] = heavy(i) * g_scale[i];"),
       "auto g_scale_ref = ray::Put(g_scale);"},
      {"AScalarGlobalTheProgramChangesIsSentByValue",
       Program("double g_scale = 1;",
               "g_scale = 2;\nstd::vector<double> out(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = heavy(i) * g_scale;"),
       ".Remote(i, g_scale)"},
      // A later block sets the counter again before reading it (NPB's `j = 1;` before
      // a loop over k and i): the value the nest leaves is never read.
      {"ACounterSetAgainAfterTheLoopIsPrivate",
       Program("double g_grid[9][9];",
               "int j;\nfor (int k = 0; k < 9; k++) // LOOP\n"
               "  for (j = 0; j < 9; j++) g_grid[k][j] = heavy(k + j);\n"
               "j = 1;\nfor (int k = 0; k < 9; k++) g_grid[k][j] += 1;\n"
               "return static_cast<int>(g_grid[2][j]);"),
       "  int j{};"},
      // The loop around sets the scratch first in each of its rounds too.
      {"ScratchOfALoopInsideAnotherIsPrivate",
       FillsOut("double t;\nfor (int r = 0; r < 2; ++r) {\n"
                "  std::printf(\"round %d\\n\", r);\n"
                "  for (int i = 0; i < 9; ++i) { // LOOP\n"
                "    t = heavy(i + r); out[i] += t; }\n}"),
       "double t{};"},
      // Another function reads the global after the loop: its last value is replayed.
      {"GlobalScratchIsReplayedNotPrivate",
       Program("double g_last;\nvoid show() { std::printf(\"%f\\n\", g_last); }",
               "std::vector<double> out(9);\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  g_last = heavy(i); out[i] = g_last * 2; }\nshow();"),
       "g_last = main_loop_"},
      // A pointer taken before the loop reads the scratch after it.
      {"ScratchReachedThroughAPointerIsReplayed",
       FillsOut("double t = 0;\ndouble *seen = &t;\n"
                "for (int i = 0; i < 9; ++i) { // LOOP\n"
                "  t = heavy(i); out[i] = t * 2; }\nreturn static_cast<int>(*seen);"),
       "t = main_loop_"},
      // So does a lambda that captured it by reference.
      {"ScratchALambdaCapturedIsReplayed",
       FillsOut("double t = 0;\nauto last = [&] { return t; };\n"
                "for (int i = 0; i < 9; ++i) { // LOOP\n"
                "  t = heavy(i); out[i] = t * 2; }\nreturn static_cast<int>(last());"),
       "t = main_loop_"},
      // Only some paths set it again: the value the loop leaves may be read.
      {"ScratchSetAgainOnlyOnOnePathIsReplayed",
       FillsOut("double t = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  t = heavy(i); out[i] = t * 2; }\n"
                "if (out[0] > 1) t = 0;\nreturn static_cast<int>(t);"),
       "t = main_loop_"},
      // Each iteration reads and rewrites its own row: the task works on a copy of
      // the row and returns it whole.
      {"ARowReadAndRewrittenInPlaceIsTheIterationsOwnSlice",
       Program("double g_rows[9][4];",
               "for (int i = 0; i < 9; ++i) { // LOOP\n  double r = g_rows[i][0];\n"
               "  for (int j = 0; j < 4; ++j) g_rows[i][j] = r + heavy(i + j); }"),
       "std::memcpy(&g_rows[i], &g_rows_sent.value[i], 32);"},
      // Kept component first: the iteration's slice is one element of every row.
      {"AColumnOfAComponentFirstFieldIsItsOwnSlice",
       Program("double g_cols[3][9];",
               "for (int j = 0; j < 9; ++j) { // LOOP\n  double base = g_cols[0][j];\n"
               "  for (int m = 0; m < 3; ++m) g_cols[m][j] = base * 2 + heavy(m + j); }"),
       "slice_row < 3; ++slice_row)"},
      // A `continue` ends the iteration; its slice still goes back.
      {"AContinueInASlicedBodyEndsTheIteration",
       Program("double g_rows[9][4];",
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  if (g_rows[i][0] > 5) continue;\n"
               "  g_rows[i][1] = g_rows[i][0] + heavy(i); }"),
       "  do {\n    // LOOP\n    if (g_rows[i][0] > 5) continue;"},
      // NPB allocates its fields: a static pointer to a block of a fixed size that
      // nothing points elsewhere is sent as the array the block holds.
      {"AGlobalPointerToAFixedBlockIsSentAsItsArray",
       Program("#include <cstdlib>\nstatic double (*g_field)[4] = "
               "(double (*)[4])malloc(sizeof(double) * 9 * 4);",
               "for (int i = 0; i < 9; ++i)\n  for (int j = 0; j < 4; ++j) g_field[i][j] "
               "= i + j;\n"
               "std::vector<double> out(9);\nfor (int i = 0; i < 9; ++i) // LOOP\n"
               "  out[i] = heavy(i) * g_field[i][1];"),
       "  double value[9][4];\n"},
      {"AFixedBlockUpdatedSliceBySlice",
       Program("#include <cstdlib>\nstatic double (*g_field)[4] = "
               "(double (*)[4])calloc(9 * 4, sizeof(double));",
               "for (int i = 0; i < 9; ++i) { // LOOP\n  double r = g_field[i][0];\n"
               "  for (int j = 0; j < 4; ++j) g_field[i][j] = r + heavy(i + j); }"),
       "std::memcpy(&g_field[i], &g_field_sent.value[i], 32);"},
      {"AGlobalUpdatedInPlace",
       Program("double g_total = 0;",
               "for (int i = 0; i < 9; ++i) // LOOP\n  g_total += heavy(i) / 2;"),
       "g_total += main_loop_"},
  };
}

INSTANTIATE_TEST_SUITE_P(Shapes, OutlineTest, ::testing::ValuesIn(Shapes()),
                         testing::CaseName());

// Generated code goes just before the function holding the loop; when that function
// follows the last include directly, the Ray include must still come first.
TEST(OutlinePlacementTest, CodeBeforeAFunctionRightAfterTheIncludesFollowsTheRayInclude) {
  std::string source =
      "#include <cmath>\n#include <vector>\nint main() {\n"
      "  std::vector<double> out(8);\n"
      "  for (int i = 0; i < 8; ++i) { // LOOP\n"
      "    double s = 0;\n"
      "    for (int k = 0; k < 2000000; ++k) s += std::sin(i + k);\n"
      "    out[i] = s;\n  }\n  return out[3] > 0;\n}\n";
  ASSERT_TRUE(testing::DecisionFor(source).IsConversion());
  FileConversion file = ConvertSnippet(source);
  size_t include = file.converted.find("#include <ray/api.h>");
  size_t generated = file.converted.find("struct main_loop_");
  ASSERT_NE(generated, std::string::npos) << file.converted;
  EXPECT_LT(include, generated) << file.converted;
}

// Scientific code keeps its fields in C arrays at file scope: the loop's tasks get a
// copy taken where the loop starts, and their parameter stands in for the global.
TEST(OutlineGlobalsTest, AGlobalCArrayTravelsInAStructOfItsOwn) {
  std::string source = Program("double g_field[9][4];",
                               "for (int i = 0; i < 9; ++i) g_field[i][1] = i;\n"
                               "std::vector<double> out(9);\n"
                               "for (int i = 0; i < 9; ++i) // LOOP\n"
                               "  out[i] = heavy(i) + g_field[i][1];");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  ASSERT_FALSE(Decisions(file).empty());
  ASSERT_TRUE(Decisions(file).back().IsConversion()) << Decisions(file).back().message;
  const std::string box = task + "_g_field_array";
  for (const std::string &part :
       {"struct " + box + " {\n  double value[9][4];\n  MSGPACK_DEFINE(value);\n",
        std::string("auto rayify_fields() { return std::tie(value); }\n};"),
        "(int i, const " + box + " &g_field_sent)",
        std::string("const auto &g_field = g_field_sent.value;"),
        "auto g_field_array = std::make_unique<" + box + ">();",
        std::string("std::memcpy(g_field_array->value, g_field, sizeof "
                    "g_field_array->value);"),
        std::string("auto g_field_ref = ray::Put(*g_field_array);"),
        std::string("#include <cstring>")}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
  // The report says what goes out with the tasks: 9 x 4 doubles.
  EXPECT_EQ(Decisions(file).back().conversion->sent_bytes.at("g_field"),
            static_cast<long long>(9 * 4 * sizeof(double)));
}

// A global the program changes (here only through its address) that the loop's
// callee reads: a task's process has its own copy, so each task installs the driver's
// value before the iteration, whether a scalar, a C array or read by the body too.
TEST(OutlineGlobalsTest, GlobalsTheCalleesReadAreInstalledByEachTask) {
  std::string source = Program(
      "double g_scale = 1;\ndouble g_table[3][4];\nvoid set(double *p) { *p = 2; }\n"
      "double scaled(int x) { return heavy(x) * g_scale + g_table[x % 3][1]; }",
      "set(&g_scale);\ng_table[1][1] = 5;\nstd::vector<double> v(9);\n"
      "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = scaled(i) + g_table[i % 3][2];");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  ASSERT_FALSE(Decisions(file).empty());
  ASSERT_TRUE(Decisions(file).back().IsConversion()) << Decisions(file).back().message;
  for (const std::string &part :
       {"(int i, const " + task + "_g_table_array &g_table_sent, double g_scale_sent)",
        std::string("if (std::memcmp(&::g_scale, &g_scale_sent, sizeof g_scale_sent) "
                    "!= 0)\n    std::memcpy(&::g_scale, &g_scale_sent, sizeof "
                    "g_scale_sent);"),
        std::string("std::memcpy(::g_table, g_table_sent.value, sizeof "
                    "g_table_sent.value);"),
        std::string("const auto &g_table = g_table_sent.value;"),
        std::string(".Remote(i, g_table_ref, ::g_scale)")}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
  // The restore comes before anything the iteration runs.
  EXPECT_LT(file.converted.find("std::memcpy(&::g_scale"),
            file.converted.find("scaled(i)", file.converted.find(task + "(int i")));
}

// Each iteration reads and rewrites its own row: the task copies its row in, works
// on it, and sends it back as one block, which the driver copies into place.
TEST(OutlineSlicesTest, EachIterationSendsItsRowBackAsOneBlock) {
  const std::string source = Program("double g_rows[9][4];",
                                     "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                     "  double r = g_rows[i][0];\n"
                                     "  for (int j = 0; j < 4; ++j)\n"
                                     "    g_rows[i][j] = r + heavy(i + j); }\n"
                                     "std::printf(\"%f\\n\", g_rows[8][3]);");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  const Finding &decision = decisions.back();
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  const std::string box = task + "_g_rows_array";
  const std::string iteration = task + "_iteration->";
  for (const std::string &part :
       {std::string(
            "  std::vector<double> g_rows{};\n  int i{};\n  MSGPACK_DEFINE(g_rows, i);"),
        "std::unique_ptr<" + box + "> g_rows_own(new " + box + ");",
        std::string("auto &g_rows = g_rows_own->value;"),
        std::string("  do {\n    // LOOP\n    double r = g_rows[i][0];"),
        std::string("iteration_result.g_rows.resize(32 / sizeof(double));"),
        std::string("std::memcpy(iteration_result.g_rows.data(), &g_rows[i], 32);"),
        std::string("iteration_result.i = i;"),
        "std::memcpy(&g_rows[" + iteration + "i], " + iteration +
            "g_rows.data(), 32);"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
  EXPECT_EQ(decision.conversion->slice_bytes.at("g_rows"), 32);
  EXPECT_EQ(decision.conversion->sent_bytes.at("g_rows"), 9 * 32);
}

// Elements stored one by one come back as their indices and values: (int, int,
// double), 16 bytes, twice per iteration.
TEST(OutlineSlicesTest, ElementsSentBackAreCountedWithTheirIndices) {
  std::vector<Finding> decisions =
      Decisions(ConvertSnippet(Program("double g_out[9][4];",
                                       "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                       "  int j = i % 2;\n"
                                       "  g_out[i][j] = heavy(i);\n"
                                       "  g_out[i][j + 2] = heavy(i + 3);\n}\n"
                                       "std::printf(\"%f\\n\", g_out[8][3]);")));
  ASSERT_FALSE(decisions.empty());
  const Finding &decision = decisions.back();
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(decision.conversion->slice_bytes.empty());
  EXPECT_EQ(decision.conversion->returned_bytes.at("g_out"), 2 * 16);
}

// Stored at every step of an inner loop, the same elements travel as the iteration's
// slice, there and back as one block of four doubles, not as four (i, j, value)s.
TEST(OutlineSlicesTest, ElementsStoredAlongAnInnerLoopTravelAsTheSlice) {
  std::vector<Finding> decisions =
      Decisions(ConvertSnippet(Program("double g_out[9][4];",
                                       "for (int i = 0; i < 9; ++i) // LOOP\n"
                                       "  for (int j = 0; j < 4; ++j)\n"
                                       "    g_out[i][j] = heavy(i + j);\n"
                                       "std::printf(\"%f\\n\", g_out[8][3]);")));
  ASSERT_FALSE(decisions.empty());
  const Finding &decision = decisions.back();
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(decision.conversion->returned_bytes.empty());
  EXPECT_EQ(decision.conversion->slice_bytes.at("g_out"), 4 * 8);
}

// Converts `source`, whose last loop must convert, and expects each of `parts` in the
// converted file.
void ExpectLastLoopConvertedWith(const std::string &source,
                                 const std::vector<std::string> &parts) {
  FileConversion file = ConvertSnippet(source);
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  for (const std::string &part : parts) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
}

// Sizes main fixes and hands down (PolyBench's `kernel(ni, ...)` with `int ni = NI;`)
// are constants in each task, as they are in the original once the kernel is inlined:
// the compiler then knows its loops' counts. A size two calls give differently, or
// that main reads in, is sent.
std::string Scaled(const std::string &main_body) {
  return Program(
      "static void scale(int n, int m, std::vector<double> &out) {\n"
      "  for (int i = 0; i < 9; ++i) { // LOOP\n"
      "    double s = 0;\n    for (int k = 0; k < n * m; ++k) s += heavy(k);\n"
      "    out[i] = s; }\n}\n",
      "std::vector<double> out(9);\n" + main_body + "\nstd::printf(\"%f\\n\", out[3]);");
}

TEST(FixedSizeTest, SizesTheSourceFixesAreConstantsInTheTask) {
  std::string task = "static scale_loop_6_result scale_loop_6(int i";
  ExpectLastLoopConvertedWith(
      Scaled("int n = 40;\nconst int m = n / 4;\nscale(n, m, out);"),
      {task + ") {", "const int n = 40;  // as every run of the loop has it",
       "const int m = 10;  // as every run of the loop has it"});
  // Two calls giving `m` 10 and 20: `m` is sent, `n` still fixed. `n` read in: sent.
  ExpectLastLoopConvertedWith(
      Scaled("int n = 40;\nscale(n, 10, out);\nscale(n, 20, out);"),
      {task + ", int m) {", "const int n = 40;"});
  ExpectLastLoopConvertedWith(
      Scaled("int n = 40;\nstd::scanf(\"%d\", &n);\nscale(n, 10, out);"),
      {task + ", int n) {", "const int m = 10;"});
}

// A histogram filled in an inner loop (NPB EP's `q[l] += 1.0`): every run on one bin is
// the same operation, so a task counts runs per bin, 8 bytes a bin, instead of sending
// every index, and the driver repeats the statement that many times on each bin.
std::string Histogram(const std::string &declared, const std::string &update) {
  return Program("double g_q[10];",
                 declared +
                     "for (int k = 0; k < 9; ++k) // LOOP\n"
                     "  for (int i = 0; i < 1000; ++i) {\n"
                     "    int l = static_cast<int>(heavy(k + i)) % 10;\n"
                     "    " +
                     update +
                     ";\n  }\n"
                     "std::printf(\"%f\\n\", g_q[3]);");
}

TEST(TallyTest, AHistogramOfAFixedExtentComesBackAsCountsPerBin) {
  ExpectLastLoopConvertedWith(
      Histogram("", "g_q[l] += 1.0"),
      {"std::vector<unsigned long long> g_q{};", "iteration_result.g_q.resize(10);",
       "++iteration_result.g_q.at(l);", "g_q[update] += 1.0;"});
  ExpectLastLoopConvertedWith(
      Histogram("int counts[16] = {};\n", "counts[l + 2]--"),
      {"++iteration_result.counts.at(l + 2);", "counts[update]--;"});
  std::vector<Finding> decisions =
      Decisions(ConvertSnippet(Histogram("", "g_q[l] += 1.0")));
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  EXPECT_EQ(decisions.back().conversion->returned_bytes.at("g_q"), 10 * 8);
}

// What is not one operation repeated, or could be many bins, still sends every run.
TEST(TallyTest, OtherUpdatesOfElementsSendEveryRun) {
  ExpectLastLoopConvertedWith(Histogram("", "g_q[l] += l * 0.5"),
                              {"rayify_append(iteration_result.g_q, l, (l * 0.5));"});
  ExpectLastLoopConvertedWith(Histogram("std::vector<double> v(10);\n", "v[l] += 1.0"),
                              {"rayify_append(iteration_result.v, l);"});
  ExpectLastLoopConvertedWith(Histogram("double big[4096] = {};\n", "big[l] += 1.0"),
                              {"rayify_append(iteration_result.big, l);"});
}

// Appends go through one helper taking the values by value, growing out of line (GCC
// keeps a sum passed by reference to a growing vector in memory through the loop
// computing it); a file with several appending loops defines it once.
TEST(AppendTest, TasksAppendThroughOneHelperTakingValues) {
  FileConversion file = ConvertSnippet(
      Program("",
              "std::vector<int> kept, odd;\n"
              "for (int i = 0; i < 9; ++i) { if (heavy(i) > 100) kept.push_back(i); }\n"
              "for (int i = 0; i < 9; ++i) { double s = heavy(i);\n"
              "  if (i % 2) odd.push_back(i * 2); }\n"
              "std::printf(\"%zu %zu\\n\", kept.size(), odd.size());"));
  const std::string &code = file.converted;
  const std::string definition =
      "static inline void rayify_append(Results &results, Values... values)";
  size_t at = code.find(definition);
  ASSERT_NE(at, std::string::npos) << code;
  EXPECT_EQ(code.find(definition, at + 1), std::string::npos) << code;
  EXPECT_NE(code.find("rayify_append(iteration_result.kept, i);"), std::string::npos)
      << code;
  EXPECT_NE(code.find("rayify_append(iteration_result_2.odd, (i * 2));"),
            std::string::npos)
      << code;
  EXPECT_LT(at, code.find("rayify_append(iteration_result.kept")) << code;
}

// An integer updated in an inner loop (`declared` before the loop, `update` in it,
// with `long v` and `int w` in scope), printed after it.
std::string Folded(const std::string &declared, const std::string &update) {
  return Program("", declared +
                         "for (int k = 0; k < 9; ++k) // LOOP\n"
                         "  for (int i = 0; i < 1000; ++i) {\n"
                         "    long v = static_cast<long>(heavy(k + i)) % 1000 - 400;\n"
                         "    int w = static_cast<int>(v);\n"
                         "    " +
                         update + "\n  }\n");
}

// Integer sums in an inner loop fold into one unsigned long long per task: wrapping
// addition leaves the target where the runs one by one would. The driver replays the
// statement once on the fold, whatever its form.
TEST(FoldTest, IntegerSumsComeBackAsOneValuePerIteration) {
  const std::string fold = "iteration_result.t += static_cast<unsigned long long>(";
  for (const auto &[update, replayed] : std::vector<std::pair<std::string, std::string>>{
           {"t += v;", "t += main_loop_"},
           {"t -= v * 3;", "t -= main_loop_"},
           {"t = t + v;", "t = t + main_loop_"},
           {"t = w + t;", "t = main_loop_"},
           {"t = t - w;", "t = t - main_loop_"},
           {"if (v > 0) t += v;", "t += main_loop_"},
           {"t += v > 100;", "t += main_loop_"}}) {
    for (const std::string type : {"long", "int", "unsigned", "char"}) {
      std::string source = Folded(type + " t = 0;\n", update);
      FileConversion file = ConvertSnippet(source);
      std::vector<Finding> decisions = Decisions(file);
      ASSERT_FALSE(decisions.empty());
      ASSERT_TRUE(decisions.back().IsConversion()) << update << decisions.back().message;
      EXPECT_NE(file.converted.find("unsigned long long t{};"), std::string::npos)
          << type << " " << update << "\n"
          << file.converted;
      EXPECT_NE(file.converted.find(fold), std::string::npos) << update;
      EXPECT_NE(file.converted.find(replayed), std::string::npos) << update;
      EXPECT_EQ(file.converted.find("for (const auto &"), std::string::npos) << update;
      EXPECT_EQ(decisions.back().conversion->returned_bytes.at("t"), 8) << update;
    }
  }
}

// Minima and maxima of integers fold too, starting from a value the replay ignores.
TEST(FoldTest, IntegerMinimaAndMaximaComeBackAsOneValuePerIteration) {
  for (const auto &[update, kept] : std::vector<std::pair<std::string, std::string>>{
           {"t = std::max(t, w);", "std::max<int>(iteration_result.t, w)"},
           {"t = std::max(w, t);", "std::max<int>(iteration_result.t, w)"},
           {"if (w > t) t = w;", "std::max<int>(iteration_result.t, w)"},
           {"if (t <= w) { t = w; }", "std::max<int>(iteration_result.t, w)"},
           {"t = std::min(t, w);", "std::min<int>(iteration_result.t, w)"},
           {"if (w < t) t = w;", "std::min<int>(iteration_result.t, w)"},
           {"if (t >= w) t = w;", "std::min<int>(iteration_result.t, w)"}}) {
    std::string source = Folded("int t = 7;\n", update);
    FileConversion file = ConvertSnippet(source);
    std::vector<Finding> decisions = Decisions(file);
    ASSERT_FALSE(decisions.empty());
    ASSERT_TRUE(decisions.back().IsConversion()) << update << decisions.back().message;
    bool max = kept.find("max") != std::string::npos;
    for (const std::string &part :
         {std::string("  int t{};"), "iteration_result.t = " + kept,
          std::string("iteration_result.t = std::numeric_limits<int>::") +
              (max ? "lowest();" : "max();")}) {
      EXPECT_NE(file.converted.find(part), std::string::npos) << update << "\n"
                                                              << file.converted;
    }
    EXPECT_EQ(decisions.back().conversion->returned_bytes.at("t"), 4) << update;
  }
  // A candidate computed in place is a temporary bound to std::min's reference.
  ExpectLastLoopConvertedWith(
      Folded("long long t = 7;\n", "t = std::min(t, static_cast<long long>(v) - 3);"),
      {"iteration_result.t = std::min<long long>(iteration_result.t, "
       "(static_cast<long long>(v) - 3));"});
}

// A floating-point maximum or minimum folds as the first of the largest (smallest),
// NaNs never taken: strict comparisons and std::max(t, e), from -/+ infinity. `>=`
// (the last of equal values: -0.0 after +0.0) and std::max(e, t) (which takes a NaN)
// send every run.
TEST(FoldTest, FloatingMaximaFoldOnlyAsTheFirstOfTheLargest) {
  for (const auto &[update, kept] : std::vector<std::pair<std::string, std::string>>{
           {"if (d > t) t = d;", "std::max<double>(iteration_result.t, d)"},
           {"if (t < d) t = d;", "std::max<double>(iteration_result.t, d)"},
           {"t = std::max(t, d);", "std::max<double>(iteration_result.t, d)"},
           {"if (d < t) t = d;", "std::min<double>(iteration_result.t, d)"},
           {"t = std::min(t, d);", "std::min<double>(iteration_result.t, d)"}}) {
    std::string source = Folded("double t = 0;\n", "double d = v * 0.5;\n" + update);
    FileConversion file = ConvertSnippet(source);
    std::vector<Finding> decisions = Decisions(file);
    ASSERT_FALSE(decisions.empty());
    ASSERT_TRUE(decisions.back().IsConversion()) << update << decisions.back().message;
    bool max = kept.find("max") != std::string::npos;
    for (const std::string &part :
         {"iteration_result.t = " + kept,
          std::string("iteration_result.t = ") + (max ? "-" : "") +
              "std::numeric_limits<double>::infinity();"}) {
      EXPECT_NE(file.converted.find(part), std::string::npos) << update << "\n"
                                                              << file.converted;
    }
  }
  for (const std::string update :
       {"if (d >= t) t = d;", "if (t <= d) t = d;", "t = std::max(d, t);",
        "t = std::min(d, t);", "if (d <= t) t = d;", "t += d;"}) {
    std::string source = Folded("double t = 0;\n", "double d = v * 0.5;\n" + update);
    FileConversion file = ConvertSnippet(source);
    std::vector<Finding> decisions = Decisions(file);
    ASSERT_FALSE(decisions.empty());
    ASSERT_TRUE(decisions.back().IsConversion()) << update << decisions.back().message;
    EXPECT_NE(file.converted.find("std::vector<double> t{};"), std::string::npos)
        << update << "\n"
        << file.converted;
    EXPECT_EQ(file.converted.find("infinity()"), std::string::npos) << update;
  }
}

// An argmax or argmin keeps the one run its own comparison would have kept last,
// with the values it assigns, in a list of at most one entry.
TEST(FoldTest, ArgmaxKeepsOneRunByItsOwnComparison) {
  for (const auto &[update, kept] : std::vector<std::pair<std::string, std::string>>{
           {"if (w > t) { t = w; at = i; }",
            "if (w > (iteration_result.t.empty() ? std::numeric_limits<int>::lowest() : "
            "std::get<0>(iteration_result.t.front()))) iteration_result.t.assign(1, "
            "std::make_tuple(w, i));"},
           {"if (t <= w) { at = i; t = w; }",
            "if (w >= (iteration_result.t.empty() ? std::numeric_limits<int>::lowest() : "
            "std::get<0>(iteration_result.t.front()))) iteration_result.t.assign(1, "
            "std::make_tuple(w, i));"},
           {"if (w < t) { t = w; at = 3; }",
            "if (w < (iteration_result.t.empty() ? std::numeric_limits<int>::max() : "
            "iteration_result.t.front())) iteration_result.t.assign(1, w);"},
           {"if (d > u) { u = d; at = i; }",
            "if (d > (iteration_result.u.empty() ? "
            "-std::numeric_limits<double>::infinity() "
            ": std::get<0>(iteration_result.u.front()))) iteration_result.u.assign(1, "
            "std::make_tuple(d, i));"}}) {
    std::string source =
        Folded("int t = 0, at = -1;\ndouble u = 0;\n", "double d = v * 0.5;\n" + update);
    FileConversion file = ConvertSnippet(source);
    std::vector<Finding> decisions = Decisions(file);
    ASSERT_FALSE(decisions.empty());
    ASSERT_TRUE(decisions.back().IsConversion()) << update << decisions.back().message;
    EXPECT_NE(file.converted.find(kept), std::string::npos) << update << "\n"
                                                            << file.converted;
  }
  // Still every run: `>=` on doubles, a branch reading a target or assigning one
  // twice, an else, and a target another statement mentions.
  for (const std::string update :
       {"if (d >= u) { u = d; at = i; }", "if (w > t) { t = w; at = t; }",
        "if (w > t) { t = w; at = i; at = 2; }",
        "if (w > t) { t = w; at = i; } else at = 0;",
        "if (w > t) { t = w; at = i; }\n if (w == 7) at = 0;"}) {
    std::string source =
        Folded("int t = 0, at = -1;\ndouble u = 0;\n", "double d = v * 0.5;\n" + update);
    FileConversion file = ConvertSnippet(source);
    EXPECT_EQ(file.converted.find(".assign(1, "), std::string::npos) << update << "\n"
                                                                     << file.converted;
  }
}

// What folding could change still goes back run by run: floating-point sums (their
// order matters), a candidate of another type than the target, a target another
// statement also mentions, and operations other than these.
TEST(FoldTest, WhatFoldingCouldChangeSendsEveryRun) {
  for (const auto &[declared, update] : std::vector<std::pair<std::string, std::string>>{
           {"double t = 0;", "t += v;"},
           {"float t = 0;", "if (w > t) t = w;"},
           {"int t = 0;", "if (v > t) t = v;"},
           {"short t = 0;", "t = std::max<short>(t, w);"},
           {"int t = 0;", "if (w > t) t = w; else t = 0;"},
           {"int t = 0;", "t = t * w;"},
           {"int t = 0;", "t = w - t;"},
           {"bool t = false;", "t += w > 0;"}}) {
    std::string source = Folded(declared + "\n", update);
    FileConversion file = ConvertSnippet(source);
    std::vector<Finding> decisions = Decisions(file);
    ASSERT_FALSE(decisions.empty());
    ASSERT_TRUE(decisions.back().IsConversion()) << update << decisions.back().message;
    EXPECT_EQ(file.converted.find("static_cast<unsigned long long>("), std::string::npos)
        << update << "\n"
        << file.converted;
    EXPECT_EQ(file.converted.find("std::numeric_limits"), std::string::npos)
        << update << "\n"
        << file.converted;
  }
  // Two statements under conditions, each run at most once, update one total: their
  // runs interleave, so neither folds.
  const std::string source =
      Program("",
              "long t = 0;\nfor (int k = 0; k < 9; ++k) { // LOOP\n"
              "  long v = static_cast<long>(heavy(k)) % 1000 - 400;\n"
              "  if (v > 0) t += v;\n  if (v < -100) t -= 2 * v;\n}\n");
  FileConversion file = ConvertSnippet(source);
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  EXPECT_EQ(file.converted.find("static_cast<unsigned long long>("), std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("std::vector<long> t{};"), std::string::npos)
      << file.converted;
}

// Each iteration reads and rewrites its own element of a std::vector: the task is
// sent the element, works on it in place of `v[i]`, and sends it back to be stored.
TEST(OutlineElementsTest, EachIterationIsSentItsElementAndSendsItBack) {
  const std::string source = FillsOut(
      "for (int i = 0; i < 9; ++i) { // LOOP\n"
      "  double kept = heavy((int)out[i]);\n  out[i] = kept + out[i]; }\n"
      "std::printf(\"%f\\n\", out[8]);");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  const Finding &decision = decisions.back();
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  const std::string iteration = task + "_iteration->";
  for (const std::string &part :
       {"static " + task + "_result " + task + "(int i, double out_i) {",
        std::string("    double kept = heavy((int)out_i);\n    out_i = kept + out_i;"),
        std::string("iteration_result.out = std::move(out_i);"),
        std::string(".Remote(i, out[i])));"),
        "out[" + iteration + "i] = " + iteration + "out;"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
  EXPECT_EQ(file.converted.find("ray::Put(out)"), std::string::npos);
  EXPECT_EQ(decision.conversion->slice_bytes.at("out"), 8);
}

// Rows swept in place over `r < grid.size()`: every row exists, so chunks of them are
// sent whole and come back row by row.
TEST(OutlineElementsTest, RowsOfARunTimeCountTravelWithTheirChunk) {
  const std::string source =
      Program("",
              "std::vector<std::vector<double>> grid(5, std::vector<double>(4));\n"
              "for (size_t r = 0; r < grid.size(); ++r) // LOOP\n"
              "  for (size_t c = 1; c < grid[r].size(); ++c)\n"
              "    grid[r][c] = heavy((int)grid[r][c - 1]);\n"
              "std::printf(\"%f\\n\", grid[4][3]);");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  for (const std::string &part :
       {std::string("std::vector<double> grid_r) {"),
        std::string("grid_r[c] = heavy((int)grid_r[c - 1]);"),
        std::string("std::vector<std::vector<double>> grid_chunk) {"),
        task + "(r, std::move(grid_chunk[r - chunk_begin]))",
        "std::vector<std::vector<double>>(grid.begin() + " + task +
            "_first, grid.begin() + " + task + "_last)",
        "grid[" + task + "_iteration.r] = " + task + "_iteration.grid;"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
}

// An element only some iterations reach may not exist for the others: the driver
// sends a default one in its place and stores back only elements that exist.
TEST(OutlineElementsTest, AnElementSomeIterationsMissIsCheckedAgainstTheSize) {
  const std::string source =
      Program("",
              "std::vector<double> v(5);\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
              "  if (i < 5) {\n    double x = v[i];\n    v[i] = heavy((int)x); } }\n"
              "std::printf(\"%f\\n\", v[4]);");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  for (const std::string &part :
       {std::string(".Remote(i, (static_cast<std::size_t>(i) < v.size() ? v[i] : "
                    "double{}))));"),
        "if (static_cast<std::size_t>(" + task + "_iteration->i) < v.size())\n    v[" +
            task + "_iteration->i] = " + task + "_iteration->v;"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
}

// A matrix product's rows, `c[i][j] += ...` under inner loops: no iteration reaches
// `c[i]` when the inner loops run none, yet a container made with the loop's own fixed
// count, whose size nothing changes, holds every row a chunk is sent.
// `inner` bounds the loop over k: with `n` it surely runs, so every iteration reaches
// its row; with `w.size()`, which the source does not fix, it may run none.
std::string RowsOfAProduct(const std::string &made, const std::string &after,
                           const std::string &helpers = "",
                           const std::string &inner = "n") {
  return Program(helpers,
                 "const int n = 400;\n"
                 "std::vector<std::vector<double>> c" +
                     made + ";\n" +
                     "std::vector<double> w(n, 0.5);\n"
                     "for (int i = 0; i < n; ++i) { // LOOP\n"
                     "  for (int k = 0; k < " +
                     inner +
                     "; ++k)\n"
                     "    for (int j = 0; j < n; ++j) c[i][j] += w[k] * (i + j); }\n" +
                     after + "std::printf(\"%f\\n\", c[n - 1][0]);");
}

const char kUnfixedInnerBound[] = "static_cast<int>(w.size())";

TEST(OutlineElementsTest, ChunksAreSentRowsOfAContainerMadeWithTheLoopsCount) {
  const std::string source = RowsOfAProduct("(n, std::vector<double>(n))", "");
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  ExpectLastLoopConvertedWith(source,
                              {task + "_chunk(int chunk_begin, int chunk_end",
                               "std::vector<std::vector<double>>(c.begin() + " + task +
                                   "_first, c.begin() + " + task + "_last)"});
  // An unsigned counter compared with the int count: the count converts unchanged.
  std::string unsigned_counter = source;
  unsigned_counter.replace(unsigned_counter.find("for (int i = 0;"), 15,
                           "for (std::size_t i = 0;");
  ExpectLastLoopConvertedWith(unsigned_counter,
                              {"std::vector<std::vector<double>>(c.begin() + "});
}

// A grid step written as people write it: `next` is swapped with `grid` after the
// loop, so no size is fixed, yet each row of it is reached by every iteration, in
// the inner loop over x that surely runs (its bound is a constant of 300), after a
// `continue` that only skips a step of the loops over the neighbours. The rows travel
// as blocks rather than each cell as (y, x, value).
TEST(OutlineElementsTest, RowsStoredAlongALoopThatSurelyRunsTravelAsRows) {
  const std::string source =
      Program("",
              "const int n = 300;\n"
              "std::vector<std::vector<int>> grid(n, std::vector<int>(n, 1));\n"
              "for (int gen = 0; gen < 3; ++gen) {\n"
              "  std::vector<std::vector<int>> next(n, std::vector<int>(n));\n"
              "  for (int y = 0; y < n; ++y) { // LOOP\n"
              "    for (int x = 0; x < n; ++x) {\n"
              "      int alive = 0;\n"
              "      for (int dy = -1; dy <= 1; ++dy)\n"
              "        for (int dx = -1; dx <= 1; ++dx) {\n"
              "          if (!dy && !dx) continue;\n"
              "          for (int r = 0; r < 40; ++r)\n"
              "            alive += grid[(y + dy + n) % n][(x + dx + n) % n] * (r % 3);\n"
              "        }\n"
              "      next[y][x] = alive % 7 == 3;\n"
              "    }\n"
              "  }\n"
              "  grid.swap(next);\n"
              "}\n"
              "std::printf(\"%d\\n\", grid[5][5]);");
  FileConversion file = ConvertSnippet(source);
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  const Finding &decision = decisions.back();
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(decision.conversion->returned_bytes.empty());
  EXPECT_EQ(decision.conversion->slice_bytes.at("next"), 300 * 4);
  EXPECT_NE(file.converted.find("std::vector<std::vector<int>>(next.begin() + "),
            std::string::npos);
  // A `continue` of the loop over x itself, before the store, leaves some rows
  // unreached: their cells go back one by one, as before.
  std::string skipping = source;
  skipping.replace(skipping.find("      int alive = 0;"), 0,
                   "      if (x == y) continue;\n");
  std::vector<Finding> skipped = Decisions(ConvertSnippet(skipping));
  ASSERT_FALSE(skipped.empty());
  ASSERT_TRUE(skipped.back().IsConversion()) << skipped.back().message;
  EXPECT_TRUE(skipped.back().conversion->slice_bytes.empty());
}

// The body asks the container's size, which storing elements never changes: the
// task is sent the size beside its element, and `empty()` becomes a comparison.
TEST(OutlineElementsTest, TheSizeTheBodyAsksTravelsWithTheElement) {
  const std::string source = FillsOut(
      "for (int i = 0; i < 9; ++i) { // LOOP\n"
      "  double x = heavy((int)out[i]) / out.size();\n"
      "  if (!out.empty() && sizeof(out[i]) == 8) out[i] = x; }\n"
      "std::printf(\"%f\\n\", out[8]);");
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  ExpectLastLoopConvertedWith(source,
                              {"static " + task + "_result " + task +
                                   "(int i, double out_i, std::size_t out_size) {",
                               "double x = heavy((int)out_i) / out_size;",
                               "if (!(out_size == 0) && sizeof(out_i) == 8) out_i = x;",
                               ".Remote(i, out[i], out.size())));"});
}

// A std::array's size is fixed by its type: the task gets the constant, which still
// serves where the body needs a constant expression.
TEST(OutlineElementsTest, AStdArraysSizeIsItsExtent) {
  ExpectLastLoopConvertedWith(
      Program("#include <array>",
              "std::array<double, 9> fixed{};\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
              "  constexpr auto k = fixed.size();\n"
              "  fixed[i] = heavy((int)fixed[i]) / k; }\n"
              "std::printf(\"%f\\n\", fixed[8]);"),
      {"constexpr auto k = std::size_t{9};", ".Remote(i, fixed[i])));"});
}

// A reference the iteration binds to its own row is the row the task was sent.
TEST(OutlineElementsTest, AReferenceBoundToTheOwnRowIsTheRowSent) {
  ExpectLastLoopConvertedWith(
      Program("",
              "std::vector<std::vector<double>> grid(5, std::vector<double>(4));\n"
              "for (int r = 0; r < 5; ++r) { // LOOP\n  auto &row = grid[r];\n"
              "  for (size_t c = 1; c < row.size(); ++c)\n"
              "    row[c] = heavy((int)row[c - 1]); }\n"
              "std::printf(\"%f\\n\", grid[4][3]);"),
      {"std::vector<double> grid_r) {", "auto &row = grid_r;", ".Remote(r, grid[r])));"});
}

// A range-for whose reference writes the element it walks: each task is sent the
// element and returns it as it leaves it; the driver walks the range again in the
// same order to store each back, then replays the iteration's updates.
TEST(OutlineElementsTest, ARangeForByReferenceStoresEachElementBack) {
  const std::string source = FillsOut(
      "double total = 0;\nfor (double &x : out) { // LOOP\n"
      "  x = heavy((int)x) + x;\n  total += x; }\n"
      "std::printf(\"%f %f\\n\", out[8], total);");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  for (const std::string &part :
       {"static " + task + "_result " + task + "(double x) {",
        std::string("iteration_result.x = std::move(x);"), std::string(".Remote(x)));"),
        "const auto " + task + "_results = ray::Get(" + task + "_refs);",
        "for (double &x : out) {\n  const auto &" + task + "_iteration = " + task +
            "_results[" + task + "_next++];\n  x = " + task +
            "_iteration->x;\n  total += " + task + "_iteration->total;\n}"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
}

// The same over a map: the task is sent the element as std::pair<K, V>, and the
// driver, walking the map again, gives each element back its mapped value (the key is
// const and the body cannot change it).
TEST(OutlineElementsTest, ARangeForByReferenceOverAMapStoresEachMappedValueBack) {
  const std::string source = Program(
      "#include <unordered_map>",
      "std::unordered_map<int, double> m;\nfor (int k = 0; k < 9; ++k) m[k * 7] = k;\n"
      "double total = 0;\nfor (auto &e : m) { // LOOP\n"
      "  e.second = heavy(e.first) + e.second;\n  total += e.second; }\n"
      "std::printf(\"%f %f\\n\", m[14], total);");
  FileConversion file = ConvertSnippet(source);
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_FALSE(decisions.empty());
  ASSERT_TRUE(decisions.back().IsConversion()) << decisions.back().message;
  for (const std::string &part :
       {"static " + task + "_result " + task + "(std::pair<int, double> e) {",
        std::string("std::pair<int, double> e{};"),
        std::string("iteration_result.e = std::move(e);"),
        "for (auto &e : m) {\n  const auto &" + task + "_iteration = " + task +
            "_results[" + task + "_next++];\n  e.second = " + task +
            "_iteration->e.second;\n  total += " + task + "_iteration->total;\n}"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
}

// Names bound to each element: the task takes each, returns those not const (a map's
// mapped value, not its key), and the driver stores them back through the same names.
TEST(OutlineElementsTest, NamesBoundToEachElementAreStoredBack) {
  const std::string source = Program(
      "#include <map>",
      "std::map<int, double> m;\nfor (int k = 0; k < 9; ++k) m[k] = k;\n"
      "std::vector<std::pair<double, double>> pts(9);\n"
      "for (auto &[key, value] : m) // LOOP\n  value = heavy(key) + value;\n"
      "for (auto &[x, y] : pts) { // LOOP 2\n  x = heavy((int)y);\n  y = x + 1; }\n"
      "std::printf(\"%f %f\\n\", m[3], pts[4].second);");
  FileConversion file = ConvertSnippet(source);
  std::string map_task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  std::string pair_task = "main_loop_" + std::to_string(LineOf(source, "// LOOP 2"));
  std::vector<Finding> decisions = Decisions(file);
  ASSERT_GE(decisions.size(), 2u);
  for (const Finding *decision : file.LoopDecisions()) {
    if (decision->Line() == LineOf(source, "// LOOP") ||
        decision->Line() == LineOf(source, "// LOOP 2")) {
      EXPECT_TRUE(decision->IsConversion()) << decision->message;
    }
  }
  for (const std::string &part :
       {std::string("(int key, double value) {"),
        std::string("result.value = std::move(value);"),
        "for (auto &[key, value] : m) {\n  const auto &" + map_task +
            "_iteration = " + map_task + "_results[" + map_task +
            "_next++];\n  value = " + map_task + "_iteration->value;\n}",
        std::string("(double x, double y) {"),
        "x = " + pair_task + "_iteration->x;\n  y = " + pair_task + "_iteration->y;"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
}

// A loop whose trip count is known only at run time runs in chunks of iterations.
FileConversion ConvertedLoop(const std::string &source, Finding &decision) {
  FileConversion file = ConvertSnippet(source);
  unsigned line = LineOf(source, "// LOOP");
  for (const Finding *finding : file.LoopDecisions()) {
    if (finding->Line() == line) decision = *finding;
  }
  return file;
}

const char kRunTimeCount[] = "int n = argc * 40;\n";

std::string MainWithArguments(const std::string &body) {
  return std::string(kPrelude) + "int main(int argc, char **argv) {\n" + kRunTimeCount +
         body + "\n}\n";
}

// Updates in a try's block and in its handlers are recorded as they run, like a
// branch's: a block cut short by a throw records what ran before it, and a handler
// counting failures counts only the iterations that failed.
TEST(TryUpdateTest, UpdatesInATryAndItsHandlersAreRecordedAsTheyRun) {
  Finding decision;
  FileConversion file = ConvertedLoop(
      Program("double run(int x) { if (x % 5 == 2) throw x; return heavy(x); }",
              "std::vector<double> out(16);\nint failed = 0;\ndouble total = 0;\n"
              "for (int i = 0; i < 16; ++i) { // LOOP\n  try {\n"
              "    total += 0.5;\n    out[i] = run(i);\n  } catch (...) {\n"
              "    ++failed;\n  }\n}\n"
              "std::printf(\"%d %f %f\\n\", failed, total, out[3]);"),
      decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  // (`total += 0.5` adds a constant: its runs are counted.)
  for (const std::string part : {"catch (...) {\n    ++iteration_result.failed;",
                                 "try {\n    ++iteration_result.total;"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << file.converted;
  }
  // A handler that throws again leaves the loop.
  Finding rethrown = testing::DecisionFor(
      Program("double run(int x) { if (x % 5 == 2) throw x; return heavy(x); }",
              "std::vector<double> out(16);\nint failed = 0;\n"
              "for (int i = 0; i < 16; ++i) { // LOOP\n"
              "  try { out[i] = run(i); } catch (...) { ++failed; throw; }\n}\n"
              "std::printf(\"%d %f\\n\", failed, out[3]);"));
  EXPECT_EQ(rethrown.code, ReasonCode(SkipReason::kEarlyExit)) << rethrown.message;
}

// A `try` that catches everything, whose block reads and stores the element unless
// something throws and whose handler stores it then: every iteration reaches it, so
// chunks are sent their elements.
TEST(ChunkTest, AnElementEveryPathOfACatchAllTryStoresTravelsInChunks) {
  Finding decision;
  std::string source = MainWithArguments(
      "std::vector<double> v(n);\n"
      "for (int i = 0; i < n; ++i) { // LOOP\n  try {\n"
      "    if (i % 7 == 3) throw i;\n"
      "    v[i] = heavy((int)v[i]);\n  } catch (...) {\n    v[i] = -1;\n  }\n}\n"
      "std::printf(\"%f\\n\", v[3]);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  EXPECT_EQ(decision.conversion->chunk_function, task + "_chunk");
  // The handler's store is the task's, into the element the chunk was sent.
  EXPECT_NE(file.converted.find("v_i = -1;"), std::string::npos) << file.converted;
}

// The same with a handler of the class the block throws: every throw written there
// leads to it.
TEST(ChunkTest, AnElementEveryPathOfATypedTryStoresTravelsInChunks) {
  Finding decision;
  std::string source =
      "#include <stdexcept>\n" +
      MainWithArguments(
          "std::vector<double> v(n);\n"
          "for (int i = 0; i < n; ++i) { // LOOP\n  try {\n"
          "    if (i % 7 == 3) throw std::runtime_error(\"odd\");\n"
          "    v[i] = heavy((int)v[i]);\n  } catch (const std::exception &) {\n "
          "   v[i] = -1;\n  }\n}\n"
          "std::printf(\"%f\\n\", v[3]);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  EXPECT_EQ(decision.conversion->chunk_function, task + "_chunk");
}

TEST(ChunkTest, AnOutlinedBodyRunsInChunksWhenTheCountIsKnownLate) {
  Finding decision;
  std::string source = MainWithArguments(
      "double total = 0;\nfor (int i = 0; i < n; ++i) { // LOOP\n"
      "  double x = heavy(i);\n  total += x * x; }");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  EXPECT_EQ(decision.conversion->chunk_function, task + "_chunk");
  EXPECT_TRUE(decision.conversion->outlined);
  EXPECT_NE(file.converted.find("RAY_REMOTE(" + task + "_chunk)"), std::string::npos);
  EXPECT_NE(file.converted.find("ray::Task(" + task +
                                "_chunk).SetResource(\"CPU\", 1).Remote(" + task +
                                "_first, " + task + "_last)"),
            std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("for (int i = chunk_begin; i < chunk_end; ++i)"),
            std::string::npos);
  EXPECT_NE(file.converted.find("#include <thread>"), std::string::npos);
}

// Work the source does not bound: a walk over a vector whose size only the run knows.
const char kWeigh[] =
    "double weigh(const std::vector<double> &w, int i) {\n"
    "  double s = 0;\n  for (std::size_t k = 0; k < w.size(); ++k) s += w[k] * (i + k);\n"
    "  return s;\n}\n";

std::string MainWeighing(const std::string &body) {
  return std::string(kPrelude) + kWeigh + "int main(int argc, char **argv) {\n" +
         kRunTimeCount +
         "std::vector<double> w(static_cast<std::size_t>(argc) * 100, 1.0);\n" + body +
         "\n}\n";
}

// A chunked loop whose iterations' work the source does not bound first runs a few
// iterations in the driver, through a lambda holding the loop as written, and puts and
// submits only after it, from where that left off.
TEST(ChunkTest, TheDriverTriesAFewIterationsBeforeSendingAnything) {
  Finding decision;
  std::string source = MainWeighing(
      "double total = 0;\n"
      "for (int i = 0; i < n; ++i) { // LOOP\n"
      "  double x = weigh(w, i);\n  total += x * x; }\n"
      "std::printf(\"%f\\n\", total);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  const std::string &out = file.converted;
  size_t here = out.find("const auto " + task + "_here = [&](int " + task +
                         "_from, int " + task + "_to) {\n");
  size_t loop = out.find("for (int i = " + task + "_from; i < " + task + "_to; ++i) {");
  size_t trial =
      out.find("const int " + task + "_start = rayify_run_first_here<int>(0, n, " + task +
               "_chunk_size, 1000, " + task + "_here);");
  size_t put = out.find("auto w_ref = ray::Put(w);");
  size_t chunks = out.find("for (int " + task + "_first = " + task + "_start; ");
  ASSERT_NE(here, std::string::npos) << out;
  EXPECT_LT(here, loop);
  ASSERT_NE(trial, std::string::npos) << out;
  EXPECT_NE(out.find("if (" + task + "_start < n) {"), std::string::npos) << out;
  EXPECT_LT(loop, trial);
  EXPECT_LT(trial, put) << "nothing is put before the trial";
  EXPECT_LT(put, chunks);
  EXPECT_NE(out.find("static Counter rayify_run_first_here("), std::string::npos);
  EXPECT_NE(out.find("std::getenv(\"RAYIFY_ALWAYS_TASKS\")"), std::string::npos);
  EXPECT_NE(out.find("#include <chrono>"), std::string::npos);
}

// Where the source bounds an iteration's work, the cost model has judged it: a trial
// would only mislead it where iterations grow.
TEST(ChunkTest, OnlyWorkTheSourceDoesNotBoundIsTried) {
  Finding decision;
  FileConversion file = ConvertedLoop(
      MainWithArguments("double total = 0;\nfor (int i = 0; i < n; ++i) { // LOOP\n"
                        "  double x = heavy(i);\n  total += x * x; }\n"
                        "std::printf(\"%f\\n\", total);"),
      decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(decision.conversion->chunk_function, "");
  EXPECT_EQ(file.converted.find("rayify_run_first_here"), std::string::npos)
      << file.converted;
}

// Where the estimate bounds the work, chunks are tried in the driver only when the
// whole loop comes within a few times what two tasks need (the estimate is right to
// within a factor of two): the run decides. Not far above, and not where an inner
// loop's bound moves with the counter, whose first iterations a trial would see.
TEST(ChunkTest, AnEstimateNearTheThresholdLetsTheRunDecide) {
  const std::string helpers =
      "double light(int x) { double s = 0; for (int k = 0; k < 15000; ++k) s += x * k; "
      "return s; }\n"
      "double middle(int x) { double s = 0; for (int k = 0; k < 200000; ++k) s += x * k; "
      "return s; }\n";
  auto tried = [&](const std::string &loop) {
    Finding decision;
    FileConversion file = ConvertedLoop(
        Program(helpers, "double a = 0;\n" + loop + "std::printf(\"%f\\n\", a);"),
        decision);
    EXPECT_TRUE(decision.IsConversion()) << loop << decision.message;
    EXPECT_NE(decision.conversion ? decision.conversion->chunk_function : "", "") << loop;
    return file.converted.find("rayify_run_first_here") != std::string::npos;
  };
  EXPECT_TRUE(tried("for (int i = 0; i < 100; ++i) // LOOP\n  a += light(i) * 0.5;\n"));
  EXPECT_FALSE(tried("for (int i = 0; i < 100; ++i) // LOOP\n  a += middle(i) * 0.5;\n"));
  EXPECT_FALSE(
      tried("for (int i = 0; i < 100; ++i) { // LOOP\n  double s = 0;\n"
            "  for (int j = 0; j < i * 300; ++j) s += j * 0.5;\n  a += s; }\n"));
}

// Hundreds of iterations of work the source does not bound share chunks, which the
// trial may keep in the driver, rather than being a task each.
TEST(ChunkTest, ManyIterationsOfUnboundedWorkRunInChunks) {
  Finding decision;
  FileConversion file = ConvertedLoop(
      MainWeighing("std::vector<double> out(300);\n"
                   "for (int i = 0; i < 300; ++i) // LOOP\n  out[i] = weigh(w, i);\n"
                   "std::printf(\"%f\\n\", out[7]);"),
      decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(decision.conversion->chunk_function, "");
  EXPECT_NE(file.converted.find("rayify_run_first_here<int>(0, 300, "), std::string::npos)
      << file.converted;
}

// A range-for outlined with a task per element tries its first element in the driver,
// the body as written under `if`, the submission under `else`; when the replay walks
// the range again to give each element back its value, the trial comes after a few
// tasks, and what the element run here returns is put in the store in its task's
// place, so the replay stays in order.
TEST(ChunkTest, AnOutlinedRangeForTriesItsFirstElement) {
  Finding decision;
  std::string source = MainWeighing(
      "std::vector<std::vector<double>> rows(static_cast<std::size_t>(n), "
      "std::vector<double>(3, 1.0));\n"
      "double total = 0;\n"
      "for (const auto &row : rows) { // LOOP\n"
      "  double x = weigh(w, static_cast<int>(row.size()));\n  total += x * x; }\n"
      "std::printf(\"%f\\n\", total);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  const std::string &out = file.converted;
  EXPECT_NE(
      out.find("rayify_iteration_trial " + task + "_trial(rows.size() > 64, 1000, 0);"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("  if (" + task +
                     "_trial.Here()) {\n    // LOOP\n"
                     "    double x = weigh(w, static_cast<int>(row.size()));\n"
                     "    total += x * x;\n  } else {\n"),
            std::string::npos)
      << out;
  Finding walked;
  FileConversion in_place = ConvertedLoop(
      MainWeighing("std::vector<double> v(static_cast<std::size_t>(n), 2.0);\n"
                   "for (double &x : v) // LOOP\n  x = weigh(w, static_cast<int>(x));\n"
                   "std::printf(\"%f\\n\", v[1]);"),
      walked);
  ASSERT_TRUE(walked.IsConversion()) << walked.message;
  std::string walker =
      "main_loop_" + std::to_string(LineOf(in_place.original, "// LOOP"));
  EXPECT_NE(in_place.converted.find("rayify_iteration_trial " + walker +
                                    "_trial(true, 1000, 8);"),
            std::string::npos)
      << in_place.converted;
  EXPECT_NE(
      in_place.converted.find(walker + "_trial.Here()\n          ? ray::Put(" + walker +
                              "(x, w))\n          : ray::Task(" + walker + ")"),
      std::string::npos)
      << in_place.converted;
}

// A while loop outlined with a task per iteration cannot be asked its length: after
// 8 tasks, one iteration's task function runs in the driver, timed, and its result is
// put in the store in the task's place, so the driver applies every iteration's
// updates in order as before.
TEST(ChunkTest, AWhileLoopTriesAnIterationAfterEightTasks) {
  Finding decision;
  std::string source = MainWeighing(
      "std::vector<double> d(static_cast<std::size_t>(n));\n"
      "double total = 0;\nint j = 0;\n"
      "while (j < n) { // LOOP\n"
      "  d[j] = weigh(w, j) - j;\n  total += d[j];\n  ++j;\n}\n"
      "std::printf(\"%f %f\\n\", total, d[1]);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  const std::string &out = file.converted;
  EXPECT_NE(out.find("rayify_iteration_trial " + task + "_trial(true, 1000, 8);"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(task + "_refs.push_back(rayify_copy_of(\n      " + task +
                     "_trial.Here()\n          ? ray::Put(" + task + "(j, w"),
            std::string::npos)
      << out;
  // The updates are still applied from the refs, in order, after the loop.
  EXPECT_NE(out.find("ray::Get(std::move(" + task + "_refs.front()))"), std::string::npos)
      << out;
}

// A map's element is std::pair<const K, V>, which msgpack cannot decode into: the
// task takes it as std::pair<K, V> (the converted file did not compile before, and
// the whole file was left unconverted).
TEST(ChunkTest, AMapsElementIsSentWithAKeyThatIsNotConst) {
  Finding decision;
  std::string source =
      std::string("#include <map>\n#include <string>\n") +
      MainWeighing(
          "std::map<std::string, int> seeds;\n"
          "for (int k = 0; k < n; ++k) seeds[std::to_string(k)] = k;\n"
          "double total = 0;\n"
          "for (const auto &seed : seeds) { // LOOP\n"
          "  double x = weigh(w, seed.second);\n  total += x * seed.first.size(); }\n"
          "std::printf(\"%f\\n\", total);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  EXPECT_NE(file.converted.find(task + "(const std::pair<std::string, int> &seed"),
            std::string::npos)
      << file.converted;
}

// A range-for that binds names to each element (`const auto &[name, seed]`) sends
// the task each name as a parameter of its own; a map's key is sent without its const.
// Before, the task took the element as one unnamed parameter and the file did not
// compile.
TEST(ChunkTest, ARangeForBindingNamesSendsEachName) {
  Finding decision;
  std::string source = std::string("#include <map>\n#include <string>\n") +
                       MainWeighing(
                           "std::map<std::string, int> seeds;\n"
                           "for (int k = 0; k < n; ++k) seeds[std::to_string(k)] = k;\n"
                           "double total = 0;\n"
                           "for (const auto &[name, seed] : seeds) { // LOOP\n"
                           "  double x = weigh(w, seed);\n  total += x * name.size(); }\n"
                           "std::printf(\"%f\\n\", total);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  const std::string &out = file.converted;
  EXPECT_NE(out.find(task + "(const std::string &name, int seed"), std::string::npos)
      << out;
  EXPECT_NE(out.find(".Remote(name, seed, "), std::string::npos) << out;
  // The loop's header keeps its bindings, which the trial's body as written uses.
  EXPECT_NE(out.find("for (const auto &[name, seed] : seeds) {"), std::string::npos)
      << out;
}

TEST(ChunkTest, TheTrialFollowsItsThresholdAndLeavesBindingsAlone) {
  std::string loop =
      "for (int i = 0; i < n; ++i) { // LOOP\n"
      "  double x = weigh(w, i) * scale;\n  total += x * x; }\n"
      "std::printf(\"%f\\n\", total);";
  Settings slow;
  slow.min_chunk_microseconds = 2500;
  Settings off;
  off.min_chunk_microseconds = 0;
  std::string plain = MainWeighing("double total = 0, scale = 2;\n" + loop);
  FileConversion at_2500 = ConvertSnippet(plain, slow);
  EXPECT_NE(at_2500.converted.find("_chunk_size, 2500, main_loop_"), std::string::npos)
      << at_2500.converted;
  for (const FileConversion &file :
       {ConvertSnippet(plain, off),
        // A lambda cannot capture a structured binding before C++20.
        ConvertSnippet(MainWeighing(
            "double total = 0;\nauto [scale, unused] = std::pair<double, int>(2, 0);\n" +
            loop))}) {
    EXPECT_NE(file.converted.find("_chunk).SetResource("), std::string::npos)
        << file.converted;
    EXPECT_EQ(file.converted.find("rayify_run_first_here"), std::string::npos)
        << file.converted;
  }
}

// Interior points, `i + c < n`: the chunks stop at n - c, computed only when the loop
// would run at all, so an unsigned count below c does not wrap into a huge range.
TEST(ChunkTest, InteriorPointsRunInChunksUpToTheirEnd) {
  Finding decision;
  std::string source = MainWithArguments(
      "std::vector<double> v(static_cast<std::size_t>(n));\n"
      "for (std::size_t i = 1; i + 1 < v.size(); ++i) { // LOOP\n"
      "  double x = heavy(static_cast<int>(i));\n  v[i] = x * x; }\n"
      "std::printf(\"%f\\n\", v[3]);");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  std::string task = "main_loop_" + std::to_string(LineOf(source, "// LOOP"));
  EXPECT_EQ(decision.conversion->chunk_function, task + "_chunk");
  EXPECT_NE(file.converted.find(task + "_end = static_cast<"), std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find(">(1 + 1 < v.size() ? v.size() - 1 : 1);"),
            std::string::npos)
      << file.converted;
  // Only a constant added to the counter, and only under `<`.
  // Only a constant added to the counter, only under `<`, and only from a start of 0
  // or more: from -3, `-3 + 1 < v.size()` would compare as the loop's `long` does not.
  for (const char *header :
       {"std::size_t i = 1; i + k < v.size()", "std::size_t i = 1; i + 1 <= v.size()",
        "long i = -3; i + 1 < v.size()"}) {
    Finding other;
    ConvertedLoop(
        MainWithArguments("std::vector<double> v(static_cast<std::size_t>(n) + 4);\n"
                          "std::size_t k = 1;\nfor (" +
                          std::string(header) +
                          "; ++i) { // LOOP\n"
                          "  double x = heavy(static_cast<int>(i));\n"
                          "  v[i + 3] = x * x; }\n"
                          "std::printf(\"%f\\n\", v[3]);"),
        other);
    EXPECT_FALSE(other.conversion && !other.conversion->chunk_function.empty()) << header;
  }
}

// When every update of a chunked body folds or counts its runs, a chunk folds its
// iterations' results into one: statements run once per iteration fold across it.
TEST(ChunkTest, AChunkWhoseEveryUpdateFoldsSendsOneResult) {
  Finding decision;
  std::string source = MainWithArguments(
      "long total = 0, hits = 0; int most = 0;\n"
      "for (int i = 0; i < n; ++i) { // LOOP\n"
      "  int x = static_cast<int>(heavy(i)) % 1000;\n  total += x;\n"
      "  if (x > most) most = x;\n  if (x % 3 == 0) ++hits; }");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  ASSERT_NE(decision.conversion->chunk_function, "");
  for (const std::string part :
       {"iteration_result.total += static_cast<unsigned long long>(x);",
        "iteration_result.most = std::max<int>(iteration_result.most, x);",
        "++iteration_result.hits;", "auto one = main_loop_",
        "chunk_results.front().total += one.total;",
        "chunk_results.front().most = std::max(chunk_results.front().most, one.most);",
        "chunk_results.front().hits += one.hits;"}) {
    EXPECT_NE(file.converted.find(part), std::string::npos) << part << "\n"
                                                            << file.converted;
  }
  // A double sum beside them keeps one result per iteration; the integer sum still
  // folds within each.
  source = MainWithArguments(
      "long total = 0; double mean = 0;\n"
      "for (int i = 0; i < n; ++i) { // LOOP\n"
      "  int x = static_cast<int>(heavy(i)) % 1000;\n  total += x;\n"
      "  mean += x * 0.5; }");
  file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  ASSERT_NE(decision.conversion->chunk_function, "");
  EXPECT_EQ(file.converted.find("chunk_results.front()"), std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("chunk_results.push_back(main_loop_"), std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("iteration_result.mean = (x * 0.5);"), std::string::npos)
      << file.converted;
  // An argmax run once per iteration keeps its one result per iteration: a chunk
  // does not fold it.
  source = MainWithArguments(
      "long total = 0; int most = -1, at = -1;\n"
      "for (int i = 0; i < n; ++i) { // LOOP\n"
      "  int x = static_cast<int>(heavy(i)) % 1000;\n  total += x;\n"
      "  if (x > most) { most = x; at = i; } }");
  file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  ASSERT_NE(decision.conversion->chunk_function, "");
  EXPECT_EQ(file.converted.find("chunk_results.front()"), std::string::npos)
      << file.converted;
  EXPECT_EQ(file.converted.find(".assign(1, "), std::string::npos) << file.converted;
  EXPECT_NE(file.converted.find("iteration_result.most = std::make_tuple(x, i);"),
            std::string::npos)
      << file.converted;
  // Two statements without parts on one target: their runs must stay interleaved
  // iteration by iteration, so the chunk sends every iteration's counts.
  source = MainWithArguments(
      "long k = 1;\nfor (int i = 0; i < n; ++i) { // LOOP\n"
      "  int x = static_cast<int>(heavy(i)) % 1000;\n"
      "  if (x % 3 == 0) k *= 2;\n  if (x % 5 == 0) k += 1; }");
  file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  ASSERT_NE(decision.conversion->chunk_function, "");
  EXPECT_EQ(file.converted.find("chunk_results.front()"), std::string::npos)
      << file.converted;
}

TEST(ChunkTest, ASingleCallLoopRunsInChunksAndStillNamesItsCallee) {
  Finding decision;
  std::string source = MainWithArguments(
      "std::vector<double> v;\nfor (int i = 0; i < n; ++i) // LOOP\n"
      "  v.push_back(heavy(i));");
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->function, "heavy");
  EXPECT_FALSE(decision.conversion->outlined);  // the report names heavy() itself
  EXPECT_EQ(decision.conversion->chunk_function,
            "main_loop_" + std::to_string(LineOf(source, "// LOOP")) + "_chunk");
  EXPECT_TRUE(decision.conversion->throttled);
  EXPECT_EQ(file.converted.find("ray::Task(heavy)"), std::string::npos);
}

TEST(ChunkTest, ChunksAskForTheResourcesTheCalleeIsAnnotatedWith) {
  Finding decision;
  std::string source = std::string(kPrelude) +
                       "// rayify: resources(CPU=1, memory=512MB)\n"
                       "double sized(int x) { return heavy(x) + 1; }\n"
                       "int main(int argc, char **argv) {\n" +
                       kRunTimeCount +
                       "std::vector<double> v;\nfor (int i = 0; i < n; ++i) // LOOP\n"
                       "  v.push_back(sized(i));\n}\n";
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  ASSERT_NE(decision.conversion->chunk_function, "");
  EXPECT_NE(file.converted.find(".SetResource(\"CPU\", 1).SetResource(\"memory\", "
                                "536870912).Remote("),
            std::string::npos)
      << file.converted;
}

// C style: `for (k = 0; k <= n; k++)` on a counter declared before runs in chunks
// too, and the driver leaves in the counter what the loop would have.
TEST(ChunkTest, ACStyleCounterIsLeftWhereTheLoopWouldLeaveIt) {
  Finding decision;
  FileConversion file = ConvertedLoop(
      FillsOut("int n = static_cast<int>(out.size()) - 1;\nint k;\n"
               "for (k = 0; k <= n; k++) // LOOP\n  out[k] = heavy(k);\nreturn k;"),
      decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(decision.conversion->chunk_function, "");
  EXPECT_NE(file.converted.find(" < (n + 1); "), std::string::npos) << file.converted;
  EXPECT_NE(file.converted.find("k = std::max<int>(0, (n + 1));"), std::string::npos)
      << file.converted;
}

TEST(ChunkTest, ShortOrElementwiseLoopsAreNotChunked) {
  Finding constant, elementwise, stepped;
  ConvertedLoop(Program("",
                        "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                        "  v.push_back(heavy(i));"),
                constant);
  // Each task would be sent the whole of `in` where it needs one element.
  ConvertedLoop(MainWithArguments("std::vector<int> in(n, 1);\nstd::vector<double> v;\n"
                                  "for (int i = 0; i < n; ++i) // LOOP\n"
                                  "  v.push_back(heavy(in[i]));"),
                elementwise);
  ConvertedLoop(MainWithArguments("std::vector<double> v;\n"
                                  "for (int i = 0; i < n; i += 2) // LOOP\n"
                                  "  v.push_back(heavy(i));"),
                stepped);
  for (const Finding *decision : {&constant, &elementwise, &stepped}) {
    ASSERT_TRUE(decision->IsConversion()) << decision->message;
    EXPECT_EQ(decision->conversion->chunk_function, "");
  }
}

// std::transform and std::for_each are loops too.
TEST(AlgorithmTest, TransformAndForEachRunEachElementAsATask) {
  struct Case {
    const char *statement;
    const char *function;
    const char *write_back;
  };
  const Case cases[] = {
      {"std::transform(in.begin(), in.end(), out.begin(), heavy);", "heavy",
       "*main_transform_9_out++ = std::move(*main_transform_9_result);"},
      {"std::transform(in.cbegin(), in.cend(), std::back_inserter(out), // LOOP\n"
       "               [](int x) { return heavy(x) + 1; });",
       "main_transform_9", "out.push_back(std::move(*main_transform_9_result));"},
      {"std::for_each(in.begin(), in.end(), [](int &x) { x = (int)heavy(x) % 7; });",
       "main_for_each_9", "*main_for_each_9_out++ = std::move(*main_for_each_9_result);"},
  };
  for (const Case &c : cases) {
    std::string source =
        std::string(kPrelude) +
        "#include <iterator>\nint main() {\n"
        "std::vector<int> in{1, 2, 3};\nstd::vector<double> out(3);\n" +
        c.statement +
        (std::string(c.statement).find("LOOP") != std::string::npos ? "\n}\n"
                                                                    : " // LOOP\n}\n");
    Finding decision;
    FileConversion file = ConvertedLoop(source, decision);
    ASSERT_EQ(LineOf(source, "// LOOP"), 9u) << source;
    ASSERT_TRUE(decision.IsConversion()) << c.statement << ": " << decision.message;
    EXPECT_EQ(decision.conversion->function, c.function);
    EXPECT_NE(file.converted.find(c.write_back), std::string::npos) << file.converted;
  }
}

// The function std::transform applies carries its resources annotation into the tasks.
TEST(AlgorithmTest, TheAppliedFunctionsResourcesGoWithItsTasks) {
  std::string source =
      std::string(kPrelude) +
      "// rayify: resources(CPU=2)\n"
      "double wide(int x) { return heavy(x); }\n"
      "int main() {\n"
      "std::vector<int> in{1, 2, 3};\nstd::vector<double> out(3);\n"
      "std::transform(in.begin(), in.end(), out.begin(), wide); // LOOP\n}\n";
  Finding decision;
  FileConversion file = ConvertedLoop(source, decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->resources.at("CPU"), 2);
  EXPECT_NE(file.converted.find(".SetResource(\"CPU\", 2).Remote("), std::string::npos)
      << file.converted;
}

TEST(AlgorithmTest, AlgorithmsKeepTheirHazards) {
  const std::pair<const char *, SkipReason> cases[] = {
      {"int k = 1; std::transform(in.begin(), in.end(), out.begin(), "
       "[k](int x) { return heavy(x + k); });",
       SkipReason::kUnsupportedShape},
      {"std::transform(in.begin(), in.end(), out.begin(), noisy);", SkipReason::kIo},
      {"std::for_each(in.begin(), in.end(), [](int x) { (void)heavy(x); });",
       SkipReason::kUnsupportedShape},
      {"std::for_each(in.begin(), in.end(), [](auto &x) { x = heavy(x); });",
       SkipReason::kUnsupportedShape},
      {"std::transform(in.begin(), in.end(), out.begin(), cheap);",
       SkipReason::kTooFineGrained},
  };
  for (const auto &[statement, reason] : cases) {
    std::string source =
        std::string(kPrelude) +
        "double noisy(int x) { std::printf(\"%d\", x); return heavy(x); }\n"
        "double cheap(int x) { return x * 2.0; }\nint main() {\n"
        "std::vector<int> in{1, 2, 3};\nstd::vector<double> out(3);\n" +
        statement + " // LOOP\n}\n";
    Finding decision = testing::DecisionFor(source);
    EXPECT_FALSE(decision.IsConversion()) << statement;
    EXPECT_EQ(decision.code, ReasonCode(reason)) << statement << ": " << decision.message;
  }
}

// Work proportional to the data a task is sent or returns does not pay for the move.
TEST(CostTest, WorkAsSmallAsTheDataMovedIsTooMuchData) {
  const char *helpers =
      "#include <cmath>\n"
      "std::vector<double> fill(int n) { std::vector<double> r(n);\n"
      "  for (int i = 0; i < n; ++i) r[i] = std::sin(i * 0.5) * 2; return r; }\n"
      "double total(const std::vector<double> &v) { double s = 0;\n"
      "  for (double x : v) s += x; return s; }\n"
      "double spread(const std::vector<double> &v) { double s = 0;\n"
      "  for (double x : v) for (double y : v) s += x * y; return s; }\n";
  Finding filled = testing::DecisionFor(
      Program(helpers,
              "std::vector<std::vector<double>> all;\n"
              "for (int s = 0; s < 8; ++s) // LOOP\n  all.push_back(fill(100000));"));
  EXPECT_EQ(filled.code, ReasonCode(SkipReason::kTooMuchData)) << filled.message;
  EXPECT_NE(filled.message.find("fills the 'r' it returns"), std::string::npos);
  const std::string data =
      "std::vector<std::vector<double>> data(8, std::vector<double>(9));\n"
      "std::vector<double> out;\n";
  Finding walked =
      testing::DecisionFor(Program(helpers, data + "for (int i = 0; i < 8; ++i) // LOOP\n"
                                                   "  out.push_back(total(data[i]));"));
  EXPECT_EQ(walked.code, ReasonCode(SkipReason::kTooMuchData)) << walked.message;
  EXPECT_NE(walked.message.find("walks 'data[i]'"), std::string::npos);
  // Work growing faster than the data (a loop nest) pays for sending it.
  Finding nested =
      testing::DecisionFor(Program(helpers, data + "for (int i = 0; i < 8; ++i) // LOOP\n"
                                                   "  out.push_back(spread(data[i]));"));
  EXPECT_TRUE(nested.IsConversion()) << nested.message;
}

// Rows of a container made with counts the source fixes weigh what they hold: filling
// a grid cell by cell, a few operations each, moves each row there and back.
TEST(CostTest, RowsOfAGridMadeWithFixedCountsAreWeighed) {
  Finding fill = testing::DecisionFor(
      Program("",
              "const int n = 600;\n"
              "std::vector<std::vector<int>> grid(n, std::vector<int>(n));\n"
              "for (int y = 0; y < n; ++y) // LOOP\n"
              "  for (int x = 0; x < n; ++x) grid[y][x] = (x * 7 + y * 13) % 5;\n"
              "std::printf(\"%d\\n\", grid[5][5]);"));
  EXPECT_EQ(fill.code, ReasonCode(SkipReason::kTooMuchData)) << fill.message;
  EXPECT_NE(fill.message.find("'grid' (2.3 KiB to and back from each of 600 iterations)"),
            std::string::npos)
      << fill.message;
}

// The same written inline: a body whose only work walks what its iteration is sent,
// a few operations per element (a checksum of a matrix row by row), moves as much as
// it computes. Work growing faster than the row, or a walk of data every task shares,
// is not bound by what each task is sent.
TEST(CostTest, AnInlineWalkOfWhatEachIterationIsSentIsTooMuchData) {
  const std::string rows =
      "std::vector<std::vector<long>> rows(argc * 300, std::vector<long>(argc * 300, "
      "5));\nstd::vector<long> weights(argc * 300, 3);\nlong s = 0;\n";
  auto decide = [&](const std::string &loop) {
    return testing::DecisionFor(std::string(kPrelude) +
                                "int main(int argc, char **argv) {\n" + rows + loop +
                                "\nstd::printf(\"%ld\\n\", s);\n}\n");
  };
  Finding by_row = decide(
      "for (const auto &row : rows) { // LOOP\n  for (long v : row) s += v * 2; }");
  EXPECT_EQ(by_row.code, ReasonCode(SkipReason::kTooMuchData)) << by_row.message;
  EXPECT_NE(by_row.message.find("walking 'row' with a few operations per element"),
            std::string::npos)
      << by_row.message;
  Finding by_index = decide(
      "for (std::size_t i = 0; i < rows.size(); ++i) { // LOOP\n"
      "  for (std::size_t j = 0; j < rows[i].size(); ++j) s += rows[i][j]; }");
  EXPECT_EQ(by_index.code, ReasonCode(SkipReason::kTooMuchData)) << by_index.message;
  EXPECT_NE(by_index.message.find("walking 'rows[i]'"), std::string::npos)
      << by_index.message;
  Finding pairs = decide(
      "for (const auto &row : rows) { // LOOP\n"
      "  for (long x : row) for (long y : row) s += x * y; }");
  EXPECT_NE(pairs.code, ReasonCode(SkipReason::kTooMuchData)) << pairs.message;
  Finding shared = decide(
      "for (const auto &row : rows) { // LOOP\n"
      "  for (long w : weights) s += w * (long)row.size(); }");
  EXPECT_EQ(shared.message.find("walking"), std::string::npos) << shared.message;
}

// A loop whose rewrite overlapped another conversion's is planned again as staying
// sequential, with that reason; the other loops of the file still convert.
TEST(CostTest, ALoopWhoseRewriteOverlappedStaysAsItIs) {
  const std::string source = FillsOut(
      "for (int i = 0; i < 9; ++i) out[i] = heavy(i);\n"
      "std::vector<double> more(9);\n"
      "for (int i = 0; i < 9; ++i) more[i] = heavy(i + 1); // LOOP");
  EXPECT_TRUE(testing::DecisionFor(source).IsConversion());
  Settings settings;
  settings.overlapping_loop_lines = {LineOf(source, "// LOOP")};
  FileConversion file = ConvertSnippet(source, settings);
  const Finding *first = nullptr, *second = nullptr;
  for (const Finding *decision : file.LoopDecisions()) {
    if (decision->Line() == LineOf(source, "out[i] = heavy(i)")) first = decision;
    if (decision->Line() == LineOf(source, "// LOOP")) second = decision;
  }
  ASSERT_TRUE(first != nullptr && second != nullptr);
  EXPECT_TRUE(first->IsConversion()) << first->message;
  EXPECT_EQ(second->code, ReasonCode(SkipReason::kUnsupportedShape));
  EXPECT_NE(second->message.find("overlapped another conversion"), std::string::npos)
      << second->message;
}

// The estimate follows constant arguments into the functions a loop calls.
const char kWalk[] =
    "double walk(int seed, int steps) { double s = seed;\n"
    "  for (int k = 0; k < steps; ++k) s = s * 0.5 + k; return s; }\n"
    "double twice(int seed, int steps) { return walk(seed, steps) + walk(seed, steps); "
    "}\n"
    "double fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n";

TEST(CostTest, CheapIterationsOfAConstantCountRunInChunks) {
  Finding decision;
  ConvertedLoop(Program(kWalk,
                        "std::vector<double> v;\nfor (int i = 0; i < 400; ++i) // LOOP\n"
                        "  v.push_back(walk(i, 20000));"),
                decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->function, "walk");
  EXPECT_NE(decision.conversion->chunk_function, "");
}

// The work of `v[i] = grade(walk(i, n))` is in the argument: a task of the cheap
// `grade` would leave `walk` to the driver, so the statement is outlined whole. A
// cheap call with cheap arguments stays sequential.
TEST(CostTest, WorkInTheArgumentsOfACheapCallIsOutlined) {
  const std::string grade =
      std::string(kWalk) + "int grade(double x) { return x > 1; }\n";
  Finding decision;
  ConvertedLoop(Program(grade,
                        "std::vector<int> v(40);\nfor (int i = 0; i < 40; ++i) // LOOP\n"
                        "  v[i] = grade(walk(i, 4000000));"),
                decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(decision.conversion->function, "grade");

  Finding cheap = testing::DecisionFor(
      Program(grade,
              "std::vector<int> v(40);\nfor (int i = 0; i < 40; ++i) // LOOP\n"
              "  v[i] = grade(i * 0.5);"));
  EXPECT_EQ(cheap.code, ReasonCode(SkipReason::kTooFineGrained)) << cheap.message;
}

// A struct's fields apart: a header reading a field no iteration writes (`i < g.n`,
// or the size of a field whose elements only are stored) does not stop a body
// storing into another.
const char kGrid[] =
    "struct Grid {\n  int n = 9;\n  double scale = 0.5;\n"
    "  std::vector<double> cells = std::vector<double>(9);\n"
    "  std::vector<double> weights = std::vector<double>(9, 2.0);\n"
    "  void Grow() { cells.push_back(0); }\n};\n"
    "union Cells {\n  int n;\n  double m[9];\n};\n";

TEST(FieldTest, AHeaderReadingAFieldNoIterationWritesConverts) {
  for (const char *loop :
       {"Grid g;\nfor (int i = 0; i < g.n; ++i) // LOOP\n  g.cells[i] = heavy(i) * 0.5;",
        "Grid g;\nfor (int i = 0; i < g.n; ++i) // LOOP\n  g.cells[i] = heavy(i);",
        "Grid g;\nfor (std::size_t i = 0; i < g.cells.size(); ++i) { // LOOP\n"
        "  double x = heavy(i);\n  g.cells[i] = x + 1; }"}) {
    Finding decision;
    ConvertedLoop(Program(kGrid, loop), decision);
    EXPECT_TRUE(decision.IsConversion()) << loop << "\n" << decision.message;
  }
}

// The task reads the fields it needs of the struct it is sent; the driver stores into
// the other.
TEST(FieldTest, ATaskReadsFieldsNoIterationWrites) {
  Finding decision;
  FileConversion file =
      ConvertedLoop(Program(kGrid,
                            "Grid g;\nfor (int i = 0; i < g.n; ++i) // LOOP\n"
                            "  g.cells[i] = heavy(i * g.scale) * g.weights[i];"),
                    decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  // The task computes the value; the driver stores it.
  EXPECT_NE(file.converted.find("heavy(i * g.scale) * g.weights[i]"), std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("g.cells[std::get<0>("), std::string::npos)
      << file.converted;
}

// Iterations each worth a task, but only just, share tasks when there are many of
// them: a task of a fraction of a millisecond costs Ray more than it does. A few
// iterations, or heavy ones, keep a task each.
TEST(CostTest, ManyIterationsWorthATaskJustShareTasks) {
  struct Case {
    const char *loop;
    bool chunked;
  };
  for (const Case &c :
       {Case{"for (int i = 0; i < 400; ++i) // LOOP\n  v.push_back(walk(i, 400000));",
             true},
        Case{"for (int i = 0; i < 40; ++i) // LOOP\n  v.push_back(walk(i, 400000));",
             false},
        Case{"for (int i = 0; i < 400; ++i) // LOOP\n  v.push_back(walk(i, 40000000));",
             false}}) {
    Finding decision;
    ConvertedLoop(Program(kWalk, std::string("std::vector<double> v;\n") + c.loop),
                  decision);
    ASSERT_TRUE(decision.IsConversion()) << decision.message;
    EXPECT_EQ(decision.conversion->chunk_function != "", c.chunked) << c.loop;
  }
}

TEST(CostTest, WorkTooSmallEvenForChunksIsTooFineGrained) {
  const std::string kept = "std::vector<double> v(40);\n";
  for (const char *loop :
       {"for (int i = 0; i < 4; ++i) // LOOP\n  v[i] = walk(i, 2000);",
        "for (int i = 0; i < 4; ++i) // LOOP\n  v[i] = twice(i, 2000);",
        // C's counter declared before the loop: still four iterations, not a count
        // known only at run time that chunks would pay for.
        "int i;\nfor (i = 0; i < 4; i++) // LOOP\n  v[i] = walk(i, 2000);",
        "int k = 0;\nwhile (k < 40) { // LOOP\n  v[k] = walk(k, 2000) + 1;\n  ++k;\n}"}) {
    Finding decision = testing::DecisionFor(Program(kWalk, kept + loop));
    EXPECT_EQ(decision.code, ReasonCode(SkipReason::kTooFineGrained)) << loop;
    EXPECT_NE(decision.message.find("min-task-operations: 1000000"), std::string::npos)
        << decision.message;
  }
}

// Chunks were the only way these cheap iterations paid; each chunk would be sent all
// of `in` where an iteration needs one element, so the loop stays sequential.
TEST(CostTest, CheapIterationsThatCannotRunInChunksAreTooFineGrained) {
  Finding decision = testing::DecisionFor(Program(
      kWalk,
      "std::vector<int> in(400, 1);\nstd::vector<double> v;\n"
      "for (int i = 0; i < 400; ++i) // LOOP\n  v.push_back(walk(in[i], 20000));"));
  EXPECT_EQ(decision.code, ReasonCode(SkipReason::kTooFineGrained)) << decision.message;
  EXPECT_NE(decision.message.find("cannot run in chunks"), std::string::npos)
      << decision.message;
}

// An iteration whose work depends on the size of a container made at run time is
// worth a task as far as the estimate knows; 400,000 of them still share tasks, each
// chunk sent the small points whole (a task each took this k-means step from 0.1 s to
// 246 s). Elements of a size known only at run time keep a task each.
TEST(CostTest, ManyIterationsOfUnknownWorkShareTasksSentSmallElementsWhole) {
  const std::string nearest =
      "#include <string>\nstruct Point { double x, y; };\n"
      "int nearest(const Point &p, const std::vector<Point> &cs) {\n"
      "  int best = 0; double bd = 1e300;\n"
      "  for (size_t c = 0; c < cs.size(); ++c) {\n"
      "    double d = (p.x - cs[c].x) * (p.x - cs[c].x);\n"
      "    if (d < bd) { bd = d; best = static_cast<int>(c); } }\n"
      "  return best; }\n"
      "int longest(const std::string &w, const std::vector<Point> &cs) {\n"
      "  return nearest(Point{static_cast<double>(w.size()), 0}, cs); }\n";
  Finding points, words;
  ConvertedLoop(Program(nearest,
                        "std::vector<Point> pts(400000), centers(std::atoi(\"8\"));\n"
                        "std::vector<int> label(400000);\n"
                        "for (int i = 0; i < 400000; ++i) // LOOP\n"
                        "  label[i] = nearest(pts[i], centers);"),
                points);
  ASSERT_TRUE(points.IsConversion()) << points.message;
  EXPECT_NE(points.conversion->chunk_function, "");
  ConvertedLoop(Program(nearest,
                        "std::vector<std::string> ws(400000);\n"
                        "std::vector<Point> centers(std::atoi(\"8\"));\n"
                        "std::vector<int> label(400000);\n"
                        "for (int i = 0; i < 400000; ++i) // LOOP\n"
                        "  label[i] = longest(ws[i], centers);"),
                words);
  ASSERT_TRUE(words.IsConversion()) << words.message;
  EXPECT_EQ(words.conversion->chunk_function, "");
}

// A trip count known only at run time, or recursion, is no bound: the work counts as
// enough, as it did before there was an estimate.
TEST(CostTest, WorkWithoutABoundCountsAsEnough) {
  for (const char *call : {"walk(i, n)", "fib(20)"}) {
    Finding decision;
    ConvertedLoop(std::string(kPrelude) + kWalk + "int main(int argc, char **argv) {\n" +
                      kRunTimeCount + "std::vector<double> v(9);\n" +
                      "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = " + call + ";\n}\n",
                  decision);
    ASSERT_TRUE(decision.IsConversion()) << call << ": " << decision.message;
    EXPECT_EQ(decision.conversion->chunk_function, "") << call;
  }
}

// A container made with a count the source fixes (`centers(8)`), whose elements
// change but never their number, bounds the loops over its size: eight distances
// per point are far too little for a task, even in chunks. Once something may add
// an element (`push_back`, a non-const reference handed on), it bounds nothing.
TEST(CostTest, AContainersFixedCountBoundsTheWorkOverItsSize) {
  const std::string nearest =
      "struct Point { double x, y; };\n"
      "void grow(std::vector<Point> &cs) { cs.push_back(Point{1, 1}); }\n"
      "int nearest(const Point &p, const std::vector<Point> &cs) {\n"
      "  int best = 0; double bd = 1e300;\n"
      "  for (size_t c = 0; c < cs.size(); ++c) {\n"
      "    double d = (p.x - cs[c].x) * (p.x - cs[c].x);\n"
      "    if (d < bd) { bd = d; best = static_cast<int>(c); } }\n"
      "  return best; }\n";
  auto decision = [&](const std::string &change) {
    return testing::DecisionFor(
        Program(nearest,
                "const int k = 8;\nstd::vector<Point> pts(400000), centers(k);\n"
                "for (int c = 0; c < k; ++c) centers[c] = Point{c * 1.0, 0.0};\n" +
                    change +
                    "std::vector<int> label(400000);\n"
                    "for (int i = 0; i < 400000; ++i) // LOOP\n"
                    "  label[i] = nearest(pts[i], centers);\n"
                    "std::printf(\"%d\\n\", label[7]);"));
  };
  Finding fixed = decision("");
  EXPECT_EQ(fixed.code, ReasonCode(SkipReason::kTooFineGrained)) << fixed.message;
  for (const char *change :
       {"centers.push_back(Point{2, 2});\n", "grow(centers);\n", "centers = pts;\n"}) {
    Finding grown = decision(change);
    EXPECT_TRUE(grown.IsConversion()) << change << ": " << grown.message;
  }
}

// Test code runs its function on a few literal inputs: the literals bound the sizes
// the function loops over, so the work is known to be small. The same function on a
// container the program fills at run time still counts as enough.
TEST(CostTest, ContainersOfLiteralsBoundTheWorkOfWhatTheyArePassedTo) {
  const std::string pairs =
      "#include <string>\nint pairs(const std::string &s) { int n = s.size(), c = 0;\n"
      "  for (int i = 0; i < n; ++i) for (int j = i; j < n; ++j) c += s[i] == s[j];\n"
      "  return c; }\n";
  Finding literal = testing::DecisionFor(
      Program(pairs,
              "std::vector<std::string> in{\"nitik\", \"ababbbab\", \"abdc\"};\n"
              "std::vector<int> v(3);\n"
              "for (int i = 0; i < 3; ++i) // LOOP\n  v[i] = pairs(in[i]);"));
  EXPECT_EQ(literal.code, ReasonCode(SkipReason::kTooFineGrained)) << literal.message;
  EXPECT_NE(literal.message.find("one iteration is about"), std::string::npos)
      << literal.message;
  Finding grown = testing::DecisionFor(
      Program(pairs,
              "std::vector<std::string> in{\"nitik\", \"ababbbab\", \"abdc\"};\n"
              "in[0] = std::string(100000, 'a');\nstd::vector<int> v(3);\n"
              "for (int i = 0; i < 3; ++i) // LOOP\n  v[i] = pairs(in[i]);"));
  EXPECT_TRUE(grown.IsConversion()) << grown.message;
}

// A loop in a function of its own is bounded by what every call of that function
// passes: `range(0, 8)` from main runs nine cheap iterations. One call with a count
// known only at run time leaves it unbounded (enough work, as before).
TEST(CostTest, EveryCallOfItsFunctionBoundsALoop) {
  const std::string range =
      "double term(double x) { double f = x; for (int k = x - 1; k > 0; k--) f *= k;\n"
      "  return f; }\n"
      "double range(double lo, double hi) { double p = 0;\n"
      "  for (int i = lo; i <= hi; i++) // LOOP\n    p += term(i);\n  return p; }\n";
  Finding small = testing::DecisionFor(
      Program(range, "std::printf(\"%f\\n\", range(0, 8) + range(2, 5));"));
  EXPECT_EQ(small.code, ReasonCode(SkipReason::kTooFineGrained)) << small.message;
  EXPECT_NE(small.message.find("runs at most 9 times (its bounds, as this file calls"),
            std::string::npos)
      << small.message;
  std::string late = std::string(kPrelude) + range +
                     "int main(int argc, char **) {\n"
                     "  std::printf(\"%f\\n\", range(0, 8) + range(0, argc * 1e7));\n}\n";
  EXPECT_TRUE(testing::DecisionFor(late).IsConversion());
}

// Counts bound the work of a loop body through the loops around it and the
// containers of containers it walks: `j = i + 1` counts from the outer counter, and
// a range-for over a vector of vectors of literals sizes the strings it passes on.
TEST(CostTest, EnclosingCountersAndNestedLiteralsBoundTheWork) {
  const std::string pairs =
      "#include <string>\nint common(const std::string &a, const std::string &b) {\n"
      "  int c = 0;\n  for (size_t i = 0; i < a.size(); ++i)\n"
      "    for (size_t j = 0; j < b.size(); ++j) c += a[i] == b[j];\n  return c; }\n";
  Finding triangle = testing::DecisionFor(
      Program(pairs,
              "std::vector<std::string> w{\"ab\", \"bc\", \"cd\"};\nint n = 0;\n"
              "for (int i = 0; i < 2; ++i) // LOOP\n"
              "  for (int j = i + 1; j < 3; ++j) n += common(w[i], w[j]);\n"
              "std::printf(\"%d\\n\", n);"));
  EXPECT_EQ(triangle.code, ReasonCode(SkipReason::kTooFineGrained)) << triangle.message;
  Finding nested = testing::DecisionFor(
      Program(pairs,
              "std::vector<std::vector<std::string>> cases{{\"abc\", \"b\"}, {\"c\", "
              "\"dd\"}};\nstd::vector<int> out(2);\nint k = 0;\n"
              "for (auto &pair : cases) { // LOOP\n"
              "  out[k] = common(pair[0], pair[1]);\n  k++;\n}\n"
              "std::printf(\"%d\\n\", out[0] + out[1]);"));
  EXPECT_EQ(nested.code, ReasonCode(SkipReason::kTooFineGrained)) << nested.message;
  // A std::array is as long as its type says, however few values initialise it.
  Finding fixed = testing::DecisionFor(
      Program("#include <array>\n#include <cmath>\n"
              "double sum(const std::array<double, 200000> &a, int r) {\n"
              "  double s = 0;\n  for (size_t i = 0; i < a.size(); ++i) s += "
              "std::sqrt(a[i] + r);\n"
              "  return s; }\n",
              "std::array<double, 200000> a{};\nstd::vector<double> out(8);\n"
              "for (int r = 0; r < 8; ++r) // LOOP\n  out[r] = sum(a, r);\n"
              "std::printf(\"%f\\n\", out[7]);"));
  EXPECT_TRUE(fixed.IsConversion()) << fixed.message;
}

// Bounds near the limits of a 64-bit count: a shift past 62 bits or a product that
// overflows is no bound at all, so the loop counts as enough work.
TEST(CostTest, ShiftsAndOverflowsBeyondSixtyFourBitsBoundNothing) {
  const std::string subsets =
      "long subsets(int n, int m) { long c = 0;\n"
      "  for (long i = 0; i < (1L << n) * m; ++i) c += i & 1;\n  return c; }\n";
  auto decision = [&](const std::string &n, const std::string &m) {
    return testing::DecisionFor(
        Program(subsets,
                "std::vector<long> out(4);\nfor (int r = 0; r < 4; ++r) // LOOP\n"
                "  out[r] = subsets(" +
                    n + ", " + m +
                    ") + r;\n"
                    "std::printf(\"%ld\\n\", out[3]);"));
  };
  Finding few = decision("4", "3");
  EXPECT_EQ(few.code, ReasonCode(SkipReason::kTooFineGrained)) << few.message;
  EXPECT_TRUE(decision("40", "3").IsConversion());
  EXPECT_TRUE(decision("70", "3").IsConversion());     // shifts past 62 bits
  EXPECT_TRUE(decision("60", "1000").IsConversion());  // the product overflows
}

// An update of a field's element that does about 150 operations (`smooth`): more
// than moving the element to a task and back costs. `field` declares `u`.
std::string SmoothedField(
    const std::string &field, const std::string &rows,
    const std::string &update = "u[k][j][m] = smooth(u[k][j][m]) + k;") {
  return std::string(kPrelude) +
         "double smooth(double x) { for (int r = 0; r < 50; ++r) x = x * 0.5 + r; "
         "return x; }\n" +
         field + "\nint main(int argc, char **argv) {\n" + kRunTimeCount +
         "for (int k = 1; k < n; ++k) // LOOP\n"
         "  for (int j = 0; j < 64; ++j)\n    for (int m = 0; m < 5; ++m)\n      " +
         update + "\nstd::printf(\"%f\\n\", u[" + rows + " - 1][2][3]);\n}\n";
}

// A bound known only at run time is no bound on the work when the loop's counter
// indexes an array: the array's extent is (NPB's `k <= grid_points[2] - 2` over
// `u[k]`). Over a small grid the whole loop is less than two tasks' work; over one a
// hundred times larger it runs in chunks. Fixed blocks count with the rows they hold.
TEST(CostTest, ArrayExtentsBoundACountKnownLate) {
  const std::string block = "static double (*u)[64][5] = (double (*)[64][5])malloc(";
  for (const std::string &small :
       {SmoothedField("static double u[12][64][5];", "12"),
        SmoothedField("#include <cstdlib>\n" + block + "sizeof(double) * 12 * 64 * 5);",
                      "12")}) {
    Finding decision = testing::DecisionFor(small);
    EXPECT_EQ(decision.code, ReasonCode(SkipReason::kTooFineGrained)) << small;
    EXPECT_NE(decision.message.find("at most 12 times"), std::string::npos)
        << decision.message;
  }
  for (const std::string &large :
       {SmoothedField("static double u[1200][64][5];", "1200"),
        SmoothedField("#include <cstdlib>\n" + block + "sizeof(double) * 1200 * 64 * 5);",
                      "1200")}) {
    Finding decision;
    ConvertedLoop(large, decision);
    ASSERT_TRUE(decision.IsConversion()) << decision.message;
    EXPECT_NE(decision.conversion->chunk_function, "") << large;
  }
}

// Compressed rows (NPB CG's matvec): an inner loop bounded by elements of an array,
// `k < rowstr[j + 1]`, runs over one row, not over the whole extent of the arrays it
// indexes. Counted once, a product of 40-element rows is too little for tasks; with
// work of its own in every row, the loop still converts.
std::string CompressedRows(const std::string &row_work) {
  return "#include <cstdio>\n"
         "static int rowstr[2001];\nstatic int colidx[80000];\n"
         "static double a[80000], p[2000], q[2000];\n"
         "static void multiply(const int starts[], const int columns[], "
         "const double values[], const double in[], double out[], int n) {\n"
         "  for (int j = 0; j < n; j++) { // LOOP\n    double sum = 0.0;\n"
         "    for (int k = starts[j]; k < starts[j + 1]; k++) "
         "sum += values[k] * in[columns[k]];\n" +
         row_work +
         "    out[j] = sum;\n  }\n}\n"
         "int main() {\n  multiply(rowstr, colidx, a, p, q, 2000);\n"
         "  std::printf(\"%f\\n\", q[1]);\n}\n";
}

TEST(CostTest, BoundsReadFromAnArrayCountAnInnerLoopOnce) {
  Finding rows = testing::DecisionFor(CompressedRows(""));
  EXPECT_EQ(rows.code, ReasonCode(SkipReason::kTooFineGrained)) << rows.message;
  Finding worked = testing::DecisionFor(
      CompressedRows("    for (int t = 0; t < 100000; ++t) sum = sum * 0.5 + t;\n"));
  EXPECT_TRUE(worked.IsConversion()) << worked.message;
}

// The same field updated with a few operations per element: sending the field and
// getting the rows back costs the driver more than half the loop's work, which two
// CPUs cannot win back. The refusal names what moves and its size.
TEST(CostTest, DataMovedCostingHalfTheWorkIsTooMuchData) {
  Finding in_place = testing::DecisionFor(SmoothedField(
      "static double u[1200][64][5];", "1200", "u[k][j][m] = u[k][j][m] * 0.5 + k;"));
  EXPECT_EQ(in_place.code, ReasonCode(SkipReason::kTooMuchData)) << in_place.message;
  EXPECT_NE(in_place.message.find(
                "'u' (2.9 MiB, and 2.5 KiB back from each of 1200 iterations)"),
            std::string::npos)
      << in_place.message;
  // Elements returned one by one to another field weigh the same.
  Finding copied =
      testing::DecisionFor(SmoothedField("static double u[1200][64][5], v[1200][64][5];",
                                         "1200", "v[k][j][m] = u[k][j][m] * 0.5 + k;"));
  EXPECT_EQ(copied.code, ReasonCode(SkipReason::kTooMuchData)) << copied.message;
  EXPECT_NE(copied.message.find("'v' ("), std::string::npos) << copied.message;
  // operations-per-byte-moved: 0 leaves data out of the cost model.
  Settings free_moves;
  free_moves.operations_per_byte_moved = 0;
  Finding unweighed =
      testing::DecisionFor(SmoothedField("static double u[1200][64][5];", "1200",
                                         "u[k][j][m] = u[k][j][m] * 0.5 + k;"),
                           free_moves);
  EXPECT_TRUE(unweighed.IsConversion()) << unweighed.message;
}

// A lambda main keeps in a variable and the loop calls: when it captures nothing and
// names nothing only main can see, it is a function without state, and each task
// declares it again from its text instead of being sent it.
TEST(LambdaTest, AStatelessLambdaIsDeclaredAgainInTheTask) {
  Finding decision;
  FileConversion file =
      ConvertedLoop(Program("",
                            "std::vector<double> v(8);\n"
                            "auto f = [](int x) { return heavy(x) * 0.5; };\n"
                            "for (int i = 0; i < 8; ++i) // LOOP\n  v[i] = f(i);\n"
                            "std::printf(\"%f\\n\", v[3]);"),
                    decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(file.converted.find("  auto f = [](int x) { return heavy(x) * 0.5; };"),
            std::string::npos)
      << file.converted;
}

// What keeps it sequential: a local it names without capturing (a constant), a static
// local it changes, a capture.
TEST(LambdaTest, ALambdaThatNeedsMainStaysInMain) {
  const char *bodies[] = {
      "constexpr int k = 3;\nauto f = [](int x) { return heavy(x) * k; };\n",
      "static int calls = 0;\nauto f = [](int x) { ++calls; return heavy(x); };\n",
      "int k = 3;\nauto f = [k](int x) { return heavy(x) * k; };\n",
  };
  for (const char *body : bodies) {
    Finding decision = testing::DecisionFor(
        Program("", std::string("std::vector<double> v(8);\n") + body +
                        "for (int i = 0; i < 8; ++i) // LOOP\n  v[i] = f(i);\n"
                        "std::printf(\"%f\\n\", v[3]);"));
    EXPECT_FALSE(decision.IsConversion()) << body;
  }
}

// A lambda that changes what it captured by reference makes the loop's updates
// invisible to the body: the refusal names the lambda and its captures, not "no
// result" (nor the lambda's type, which a later check would give).
TEST(LambdaTest, ALambdaChangingItsCapturesIsTheReason) {
  const char *loops[] = {
      "auto add = [&](double x) { total += x; };\n"
      "for (int i = 0; i < 8; ++i) // LOOP\n  add(heavy(i));\n",
      "auto put = [&](int i, double x) { v[i] = x; total += x; };\n"
      "for (int i = 0; i < 8; ++i) // LOOP\n  put(i, heavy(i));\n",
      "auto f = [&total](int x) { total += 1; return heavy(x); };\n"
      "for (int i = 0; i < 8; ++i) // LOOP\n  v[i] = f(i);\n",
  };
  for (const char *loop : loops) {
    Finding decision = testing::DecisionFor(
        Program("", std::string("std::vector<double> v(8);\ndouble total = 0;\n") + loop +
                        "std::printf(\"%f %f\\n\", v[3], total);"));
    EXPECT_EQ(decision.code, ReasonCode(SkipReason::kUnsupportedShape)) << loop;
    EXPECT_NE(decision.message.find("a lambda that captures "), std::string::npos)
        << loop << decision.message;
    EXPECT_NE(decision.message.find("'total'"), std::string::npos) << decision.message;
  }
}

// A sparse matrix by rows: each row's inner loop walks its own range of the entries,
// from where the row before stopped, so each entry is sent to the tasks for one step.
// `matvec` is the loop over rows; the sizes are known only at run time.
std::string SparseRows(const std::string &matvec) {
  return "#include <cstdio>\n#include <cmath>\n#include <vector>\n"
         "int main(int argc, char **) {\n  int n = 20000 * argc, s = 5 * argc;\n"
         "  std::vector<double> a(n * s, 0.5), x(n, 1.0), y(n);\n"
         "  std::vector<int> col(n * s), rowstr(n + 1);\n"
         "  for (int k = 0; k < n * s; ++k) col[k] = (k * 7) % n;\n"
         "  for (int r = 0; r <= n; ++r) rowstr[r] = r * s;\n" +
         matvec + "  std::printf(\"%f\\n\", y[n - 1]);\n}\n";
}

// A multiply and an add per entry pay for none of the 12 bytes an entry brings with it;
// CSR's bounds (`rowstr[j]` to `rowstr[j + 1]`) and a constant stride (`s * j` to
// `s * (j + 1)`) both partition the entries.
TEST(CostTest, SparseRowsOfCheapStepsAreTooMuchData) {
  const char *loops[] = {
      "  for (int j = 0; j < n; ++j) { // LOOP\n    double sum = 0;\n"
      "    for (int k = rowstr[j]; k < rowstr[j + 1]; k++) sum += a[k] * x[col[k]];\n"
      "    y[j] = sum;\n  }\n",
      "  for (int j = 0; j < n; ++j) { // LOOP\n    double sum = 0;\n"
      "    for (int k = s * j; k < s * (j + 1); ++k) sum += a[k] * x[col[k]];\n"
      "    y[j] = sum;\n  }\n",
  };
  for (const char *loop : loops) {
    Finding decision = testing::DecisionFor(SparseRows(loop));
    EXPECT_EQ(decision.code, ReasonCode(SkipReason::kTooMuchData)) << decision.message;
    EXPECT_NE(decision.message.find("each element of 'a', 'col' is sent to the tasks for "
                                    "the one step of an inner loop that reads it (12 B"),
              std::string::npos)
        << decision.message;
  }
}

// Ranges that do not follow each other say nothing of how often an entry is read
// (every row walks the same `x`), and a step heavy enough pays for its entry: neither
// is weighed by the entries alone.
TEST(CostTest, WalksThatDoNotPartitionOrPayAreNotRefusedForTheirEntries) {
  const char *loops[] = {
      // the same range for every row: not a partition
      "  for (int j = 0; j < n; ++j) { // LOOP\n    double sum = 0;\n"
      "    for (int k = rowstr[0]; k < rowstr[1]; k++) sum += a[k] * x[col[k]];\n"
      "    y[j] = sum;\n  }\n",
      // `rowstr[j] + 1` is not `rowstr[j + 1]`
      "  for (int j = 0; j < n; ++j) { // LOOP\n    double sum = 0;\n"
      "    for (int k = rowstr[j]; k < rowstr[j] + 1; k++) sum += a[k] * x[col[k]];\n"
      "    y[j] = sum;\n  }\n",
      // a step of a few hundred operations
      "  for (int j = 0; j < n; ++j) { // LOOP\n    double sum = 0;\n"
      "    for (int k = rowstr[j]; k < rowstr[j + 1]; k++)\n"
      "      for (int t = 0; t < 60; ++t) sum += std::sin(a[k] * t) * x[col[k]];\n"
      "    y[j] = sum;\n  }\n",
  };
  for (const char *loop : loops) {
    Finding decision = testing::DecisionFor(SparseRows(loop));
    EXPECT_EQ(decision.message.find("for the one step of an inner loop"),
              std::string::npos)
        << loop << decision.message;
  }
  Finding heavy = testing::DecisionFor(SparseRows(loops[2]));
  EXPECT_TRUE(heavy.IsConversion()) << heavy.message;
}

// NPB's exact_solution(xi, eta, zeta, temp): a helper fills a scratch array declared
// at the top of the function, and the iteration reads it. `fill` is the helper's
// body, `call` the iteration's use, `after` what follows the loop.
std::string ScratchProgram(const std::string &fill, const std::string &call,
                           const std::string &after = "",
                           const std::string &before = "") {
  return std::string(kPrelude) + "double g_field[9][5];\ndouble *g_kept;\n" +
         "void exact(int x, double *out) {\n" + fill + "\n}\n" +
         "int main() {\n  int m;\n  double temp[5];\n" + before +
         "  for (int i = 0; i < 9; ++i) { // LOOP\n" + call +
         "\n    for (m = 0; m < 5; m++) g_field[i][m] = temp[m] + heavy(i);\n  }\n" +
         after + "  std::printf(\"%f\\n\", g_field[8][4]);\n}\n";
}

const char kFill[] = "  for (int m = 0; m < 5; m++) out[m] = x * 0.5 + m;";

// The helper fills the whole array before anything reads it, and the loop's use is
// the first: each task keeps its own array, declared inside it.
TEST(ScratchArrayTest, AnArrayAHelperFillsIsPrivateToEachTask) {
  for (const std::string &after :
       {std::string(""),
        std::string("  exact(3, temp);\n  g_field[0][0] = temp[1];\n")}) {
    Finding decision;
    FileConversion file =
        ConvertedLoop(ScratchProgram(kFill, "    exact(i, temp);", after), decision);
    ASSERT_TRUE(decision.IsConversion()) << after << decision.message;
    EXPECT_NE(file.converted.find("  double temp[5]{};\n"), std::string::npos)
        << file.converted;
  }
}

std::vector<testing::RefusalCase> ScratchRefusals() {
  const SkipReason kReference = SkipReason::kNonConstReference;
  return {
      {"TheHelperReadsBeforeItFills",
       ScratchProgram(std::string("  out[0] += 1;\n") + kFill, "    exact(i, temp);"),
       kReference, "exact()"},
      {"TheHelperFillsTooFewElements",
       ScratchProgram("  for (int m = 0; m < 4; m++) out[m] = x;", "    exact(i, temp);"),
       kReference, "exact()"},
      {"TheHelperMayStopEarly",
       ScratchProgram("  for (int m = 0; m < 5; m++) { if (x > 3) break; out[m] = x; }",
                      "    exact(i, temp);"),
       kReference, "exact()"},
      {"TheHelperFillsOnlySometimes",
       ScratchProgram(std::string("  if (x > 3)\n") + kFill, "    exact(i, temp);"),
       kReference, "exact()"},
      {"TheHelperKeepsThePointer",
       ScratchProgram(std::string(kFill) + "\n  g_kept = out;", "    exact(i, temp);"),
       SkipReason::kGlobalWrite, "g_kept"},
      {"TheIterationFillsOnlySometimes",
       ScratchProgram(kFill, "    if (i % 2) exact(i, temp);"), kReference, "exact()"},
      {"AnElementsAddressOutlivesTheLoop",
       ScratchProgram(kFill, "    exact(i, temp);", "  g_field[0][0] = *kept;\n",
                      "  double *kept = &temp[2];\n"),
       SkipReason::kLoopCarriedDependency, "'temp'"},
      {"TheLastFillIsReadAfterTheLoop",
       ScratchProgram(kFill, "    exact(i, temp);", "  g_field[0][0] = temp[1];\n"),
       SkipReason::kLoopCarriedDependency, "'temp'"},
  };
}

class ScratchRefusalTest : public ::testing::TestWithParam<testing::RefusalCase> {};

TEST_P(ScratchRefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Scratch, ScratchRefusalTest,
                         ::testing::ValuesIn(ScratchRefusals()), testing::CaseName());

// NPB EP's shape: each iteration seeds a generator and has a helper fill part of a
// global scratch block, then reads what it filled. `declaration` declares `x`, `fill`
// is the iteration's call, `index` what it reads of `x` in an inner loop over i < 8.
std::string GlobalScratchProgram(const std::string &declaration,
                                 const std::string &fill = "fill(16, &t, x);",
                                 const std::string &index = "2 * i + 1",
                                 const std::string &before_loop = "",
                                 const std::string &elsewhere = "") {
  return std::string(kPrelude) + "#include <cstdlib>\n" + declaration +
         "\nstatic double g_q[10];\n"
         "void fill(int n, double *seed, double y[]) {\n  double s = *seed;\n"
         "  for (int i = 0; i < n; i++) {\n    s = s * 0.5 + heavy(i);\n    y[i] = s;\n"
         "  }\n  *seed = s;\n}\n" +
         elsewhere +
         "int main() {\n  double t, v, sx = 0.0;\n  int i, k, l;\n"
         "  for (i = 0; i < 17; i++) x[i] = -1.0;\n  t = 1.0;\n  fill(0, &t, x);\n" +
         before_loop + "  for (k = 0; k < 8; k++) { // LOOP\n    t = k;\n    " + fill +
         "\n    for (i = 0; i < 8; i++) {\n      v = x[" + index +
         "];\n      if (v > 0.5) {\n        l = (int)v % 10;\n        g_q[l] += 1.0;\n"
         "      }\n      sx = sx + v;\n    }\n  }\n"
         "  std::printf(\"%f %f\\n\", sx, g_q[3]);\n}\n";
}

// The fill leaves x[16] out; the iteration reads x[1] to x[15]: each task keeps its
// own block, as an array, also where the program holds a pointer to a malloc'ed one.
TEST(ScratchArrayTest, AGlobalBlockAHelperFillsInPartIsPrivateToEachTask) {
  const char *kDeclarations[] = {
      "static double x[17];",
      "static double (*x) = (double *)malloc(sizeof(double) * (17));"};
  for (const char *declaration : kDeclarations) {
    Finding decision;
    FileConversion file = ConvertedLoop(GlobalScratchProgram(declaration), decision);
    ASSERT_TRUE(decision.IsConversion()) << declaration << "\n" << decision.message;
    EXPECT_NE(file.converted.find("  double x[17]{};\n"), std::string::npos)
        << file.converted;
    // `l`, set first in the branch that uses it, is the task's own too.
    EXPECT_NE(file.converted.find("  int l{};\n"), std::string::npos) << file.converted;
  }
}

// A block too large for a thread's stack is the task's own on the heap, not zeroed:
// every iteration writes what it reads of it first.
TEST(ScratchArrayTest, ALargePrivateArrayLivesOnTheHeap) {
  Finding decision;
  FileConversion file = ConvertedLoop(
      GlobalScratchProgram("static double x[20001];", "fill(16, &t, x);"), decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(file.converted.find("std::unique_ptr<double[][20001]> x_own(new "
                                "double[1][20001]);\n  auto &x = x_own[0];\n"),
            std::string::npos)
      << file.converted;
}

// MG's shape: a local scratch row filled over a run-time length, read one further
// along in the next loop; each round of the outer loop fills it again.
std::string SymbolicRowProgram(const std::string &read_bound) {
  return std::string(kPrelude) +
         "int main(int argc, char **argv) {\n  int n = argc + 31;\n  double z[70];\n"
         "  int i1, k;\n  static double u[8][70];\n"
         "  for (k = 0; k < 8; k++) { // LOOP\n"
         "    for (i1 = 0; i1 < n; i1++) z[i1] = heavy(k + i1);\n"
         "    for (i1 = 0; i1 < " +
         read_bound +
         "; i1++) u[k][i1] = z[i1] + z[i1 + 1];\n  }\n"
         "  std::printf(\"%f\\n\", u[7][3]);\n}\n";
}

TEST(ScratchArrayTest, AnArrayFilledOverARunTimeLengthIsPrivateWhenReadsStayInIt) {
  Finding decision;
  FileConversion file = ConvertedLoop(SymbolicRowProgram("n - 1"), decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(file.converted.find("  double z[70]{};\n"), std::string::npos)
      << file.converted;
}

// z[n] is read but never filled: not private, but no iteration writes it either, so
// each task gets a copy of z as the loop found it (CopiedScratch.h), z[n] included.
TEST(ScratchArrayTest, AReadBeyondTheRunTimeLengthGetsACopyOfTheArray) {
  Finding decision;
  FileConversion file = ConvertedLoop(SymbolicRowProgram("n"), decision);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(file.converted.find("  double z[70]{};\n"), std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("auto &z = z_own->value;"), std::string::npos)
      << file.converted;
}

// The same loop in a function main calls: a global keeps its value from one call to
// the next, so no iteration may keep it.
std::string OutsideMain(std::string source) {
  source.replace(source.find("int main() {"), 12, "void run() {");
  return source + "int main() { run(); run(); }\n";
}

std::vector<testing::RefusalCase> PartialFillRefusals() {
  const SkipReason kReference = SkipReason::kNonConstReference;
  const char kStatic[] = "static double x[17];";
  return {
      // x[16] is read but never filled: it carries the value the loop found.
      {"AReadPastWhatTheHelperFilled",
       GlobalScratchProgram(kStatic, "fill(16, &t, x);", "2 * i + 2"), kReference,
       "fill()"},
      {"AFillWhoseLengthChangesWithTheIteration",
       GlobalScratchProgram(kStatic, "fill(k + 8, &t, x);"), kReference, "fill()"},
      {"AGlobalAnyUnitMayName", GlobalScratchProgram("double x[17];"), kReference,
       "fill()"},
      {"AGlobalAnotherFunctionReads",
       GlobalScratchProgram(kStatic, "fill(16, &t, x);", "2 * i + 1", "",
                            "double peek() { return x[16]; }\n"),
       kReference, "fill()"},
      {"APointerToTheBlockCopiedBeforeTheLoop",
       GlobalScratchProgram("static double *x = (double *)malloc(sizeof(double) * 17);",
                            "fill(16, &t, x);", "2 * i + 1",
                            "  double *alias = x;\n  alias[16] = 2.0;\n"),
       kReference, "fill()"},
      // z[n] is no element of the fill: the row stays the loop's, updated in place.
      {"AGlobalOfAFunctionMainCalls", OutsideMain(GlobalScratchProgram(kStatic)),
       kReference, "fill()"},
      // A helper that reads past what it fills reads what the last iteration left.
      {"AHelperThatReadsPastItsFill",
       [&kStatic] {
         std::string source = GlobalScratchProgram(kStatic);
         source.replace(source.find("  *seed = s;\n}"), 14, "  *seed = s + y[n];\n}");
         return source;
       }(),
       kReference, "fill()"},
  };
}

class PartialFillRefusalTest : public ::testing::TestWithParam<testing::RefusalCase> {};

TEST_P(PartialFillRefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
}

INSTANTIATE_TEST_SUITE_P(PartialFill, PartialFillRefusalTest,
                         ::testing::ValuesIn(PartialFillRefusals()), testing::CaseName());

using testing::RefusalCase;

class OutlineRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(OutlineRefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
}

std::vector<RefusalCase> Refusals() {
  const SkipReason kCarried = SkipReason::kLoopCarriedDependency;
  const SkipReason kShape = SkipReason::kUnsupportedShape;
  return {
      {"TheRowBeforeIsAnotherIterationsSlice",
       Program("double g_rows[9][4];",
               "for (int i = 1; i < 9; ++i) { // LOOP\n  double r = g_rows[i - 1][0];\n"
               "  g_rows[i][0] = r + heavy(i); }"),
       kCarried, "'g_rows'"},
      {"ASlicedArrayReadThroughAReference",
       Program("double g_rows[9][4];",
               "double (&alias)[9][4] = g_rows;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n  double r = alias[i][0];\n"
               "  g_rows[i][1] = r + heavy(i); }"),
       kShape, "'alias' refers to 'g_rows'"},
      // The statement comes out of the macro's body: no text of the file to patch.
      {"AnUpdateAMacroWrites",
       Program("#define ACCUMULATE(t, v) t += (v)",
               "double total = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i);\n  ACCUMULATE(total, x); }"),
       SkipReason::kMacro, "a macro writes"},
      {"TaskReadsWhatTheLoopUpdates",
       Program("",
               "double total = 1;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double x = heavy(i) + total;\n  total += x; }"),
       kCarried, "'total'"},
      {"AFunctionOfTheProgramGivenTheResult",
       Program("double step(double p) { return heavy(1) + p; }",
               "double pop = 1;\nstd::vector<double> path;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  pop = step(pop);\n  path.push_back(heavy(i)); }"),
       kCarried, "step()"},
      {"ParametersThatMayAlias",
       "#include <vector>\n"
       "double heavy(int x) { double s = 0; for (int i = 0; i < 99; ++i) s += x * i; "
       "return s; }\n"
       "void fill(std::vector<double> &out, const std::vector<double> &in) {\n"
       "  for (int i = 1; i < 9; ++i) // LOOP\n    out[i] = heavy(i) + in[i - 1];\n}\n"
       "int main() { std::vector<double> v(9); fill(v, v); }\n",
       kCarried, "may refer to the same data"},
      {"APointerCannotBeSent",
       FillsOut("std::vector<double> data(9, 1.0);\ndouble *p = data.data();\n"
                "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = heavy(i) + p[i];"),
       SkipReason::kNonSerializable, "'p', a pointer"},
      // An inner loop's counter read after the nest: the tasks' copies would lose it.
      {"InnerCounterReadAfterTheNest",
       Program("",
               "std::vector<double> out(9);\nint j;\n"
               "for (int k = 0; k < 9; ++k) { // LOOP\n"
               "  for (j = 0; j < k; ++j) out[k] += heavy(j); }\nreturn j;"),
       SkipReason::kLoopCarriedDependency, "'j'"},
      // The scratch's last value is read after the loop: each task's copy would lose it.
      {"PointerScratchReadAfterTheLoop",
       Program("double advance(double *seed) { *seed = heavy(static_cast<int>(*seed)); "
               "return *seed; }",
               "std::vector<double> out(9);\ndouble t;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  t = i + 0.5;\n  out[i] = advance(&t); }\nreturn static_cast<int>(t);"),
       SkipReason::kLoopCarriedDependency, "'t'"},
      // A seed carried from one iteration to the next is the generator's state.
      {"PointerSeedCarriedBetweenIterations",
       Program("double advance(double *seed) { *seed = heavy(static_cast<int>(*seed)); "
               "return *seed; }",
               "std::vector<double> out(9);\ndouble t = 1;\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = advance(&t);"),
       SkipReason::kNonConstReference, "advance()"},
      {"AStaticLocal",
       FillsOut("static double scale = 2;\n"
                "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = heavy(i) * scale;"),
       kShape, "static local"},
      // A task's function is named otherwise: the loop would print "main_loop_12".
      {"TheNameOfItsFunction",
       FillsOut("for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = heavy(i) * "
                "sizeof(__func__);"),
       kShape, "'__func__'"},
      {"TheNameOfItsFunctionInAnUpdate",
       Program("#include <cstring>",
               "double total = 0;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
               "  total += heavy(i) * std::strlen(__PRETTY_FUNCTION__);"),
       kShape, "'__PRETTY_FUNCTION__'"},
      // The task's copy of the body stands on another line of another function.
      {"ALineNumberThroughAMacro",
       Program("#define HERE_LINE __LINE__",
               "std::vector<double> out(9);\nfor (int i = 0; i < 9; ++i) // LOOP\n"
               "  out[i] = heavy(i) + HERE_LINE;"),
       kShape, "(__LINE__)"},
      {"ALineNumberInADefaultArgument",
       Program("double at(double v, int line = __builtin_LINE()) { return v + line; }",
               "std::vector<double> out(9);\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double h = heavy(i);\n  out[i] = at(h); }"),
       kShape, "__builtin_LINE() in a default argument"},
      // A name a structured binding gives the element is a parameter of the task's
      // function, which cannot write the element back.
      {"ATypeOfTheFunctionsOwn",
       FillsOut("struct Weight { double w; };\nWeight k{2};\n"
                "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = heavy(i) * k.w;"),
       kShape, "'Weight'"},
      {"AConditionalPartThatMayFail",
       Program("",
               "std::vector<double> v(9, 1.0);\ndouble best = 0;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  int k = static_cast<int>(heavy(i));\n"
               "  if (heavy(i) > best) best = v[k]; }"),
       kShape, "only under a condition"},
      {"AVolatileReadIsNotReusedUnderACondition",
       Program("",
               "volatile double k = 1.5;\ndouble best = -1;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double e = heavy(i);\n"
               "  if (k * e > best) best = k * e; }"),
       kShape, "only under a condition"},
      {"OneTargetUpdatedInAnInnerLoopAndOutside",
       Program("",
               "double t = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  t += heavy(i);\n  for (int j = 0; j < 3; ++j) t *= 2; }"),
       kShape, "more than one statement"},
      {"AWhileCounterTheBodyChanges",
       FillsOut("int i = 0;\nwhile (i < 9) { // LOOP\n  out[i] = heavy(i);\n"
                "  if (out[i] > 3) i += 2;\n  ++i; }"),
       kCarried, "'i'"},
      {"AWhileLoopWithoutAStep",
       FillsOut("int i = 0;\nwhile (i < 9) { // LOOP\n  out[i] = heavy(i);\n"
                "  i = i * 2 + 1; }"),
       kShape, "steps a counter"},
      {"NothingIsKept",
       Program(
           "",
           "for (int i = 0; i < 9; ++i) { // LOOP\n  double x = heavy(i); (void)x; }"),
       kShape, "no result"},
      // Own elements (OwnElement): every way to reach past the iteration's own.
      {"AnElementsNeighbourThroughAnIndexVariable",
       FillsOut("for (int i = 0; i < 8; ++i) { // LOOP\n  int next = i + 1;\n"
                "  out[i] = heavy((int)out[next]); }"),
       kCarried, "'(int)out[next]', given to heavy(), reads 'out'"},
      {"TheContainerReadThroughAReference",
       FillsOut("auto &same = out;\nfor (int i = 0; i < 8; ++i) { // LOOP\n"
                "  double x = same[i + 1];\n  out[i] = heavy((int)x); }"),
       kCarried, "'out'"},
      {"AReferenceToTheFirstElement",
       FillsOut("double &first = out[0];\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  double x = out[i];\n  out[i] = heavy((int)x) + first; }"),
       kCarried, "'out'"},
      {"APointerToTheOwnElement",
       FillsOut("for (int i = 0; i < 8; ++i) { // LOOP\n  double *at = &out[i];\n"
                "  at[1] = heavy(i) + *at; }"),
       kCarried, "'out'"},
      {"AMembersAddressInTheOwnElement",
       Program("",
               "std::vector<std::pair<double, double>> pr(9);\n"
               "for (int i = 0; i < 8; ++i) { // LOOP\n"
               "  double *at = &pr[i].first;\n  at[2] = heavy(i) + *at; }"),
       kCarried, "'pr'"},
      {"AReferenceToAnElementBoundBeforeTheLoop",
       Program("",
               "std::vector<double> v(9);\nint k = 0;\ndouble &fixed = v[k];\n"
               "for (k = 0; k < 9; ++k) { // LOOP\n"
               "  fixed = heavy(k) + v[k]; }"),
       kShape, "'fixed' refers to a variable the loop updates"},
      {"APointerThroughAReferenceToTheElement",
       FillsOut("for (int i = 0; i < 8; ++i) { // LOOP\n  double &x = out[i];\n"
                "  double *at = &x;\n  at[1] = heavy(i); }"),
       kCarried, "'out'"},
      {"AnElementOnlySomeChunksReach",
       MainWithArguments("std::vector<double> v(9);\n"
                         "for (int i = 0; i < n; ++i) { // LOOP\n  if (i < 9) {\n"
                         "    double x = v[i];\n    v[i] = heavy((int)x); } }"),
       kShape, "only some iterations reach 'v[i]'"},
      // An element the try's block reads and stores, which a throw skips and no
      // handler stores.
      {"AnElementAThrowSkips",
       MainWithArguments("std::vector<double> v(n);\n"
                         "for (int i = 0; i < n; ++i) { // LOOP\n  try {\n"
                         "    if (i % 7 == 3) throw i;\n"
                         "    v[i] = heavy((int)v[i]); } catch (...) {} }"),
       kShape, "only some iterations reach 'v[i]'"},
      // The rows a chunk is sent must exist: not proven for a container shorter than
      // the loop's count, or one whose size the function may change anywhere.
      {"AContainerShorterThanTheCount",
       RowsOfAProduct("(n - 1, std::vector<double>(n))", "", "", kUnfixedInnerBound),
       kShape, "only some iterations reach 'c[i]'"},
      {"AContainerThatGrowsAfterTheLoop",
       RowsOfAProduct("(n, std::vector<double>(n))", "c.emplace_back();\n", "",
                      kUnfixedInnerBound),
       kShape, "only some iterations reach 'c[i]'"},
      {"AContainerAHelperMayResize",
       RowsOfAProduct(
           "(n, std::vector<double>(n))", "reshape(c);\n",
           "void reshape(std::vector<std::vector<double>> &m) { m.pop_back(); }",
           kUnfixedInnerBound),
       kShape, "only some iterations reach 'c[i]'"},
      {"AGlobalContainersElements",
       Program("std::vector<double> g_v(9);",
               "for (int i = 0; i < 9; ++i) { // LOOP\n  double x = g_v[i];\n"
               "  g_v[i] = heavy((int)x); }"),
       kCarried, "'g_v'"},
      {"BitsOfAVectorOfBool",
       Program("",
               "std::vector<bool> bits(9);\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
               "  bool was = bits[i];\n  bits[i] = !was && heavy(i) > 0; }"),
       kCarried, "'bits'"},
      {"ARangeForReferenceBesideTheContainer",
       FillsOut("for (double &x : out) { // LOOP\n  x = heavy((int)x) + out[0]; }"),
       kShape, "'x' refers to a variable the loop updates"},
      {"ARangeForReferencesAddress",
       FillsOut("for (double &x : out) { // LOOP\n  double *at = &x;\n"
                "  if (at != &out.back()) at[1] = heavy((int)x); }"),
       kCarried, "'out'"},
      {"ARangeForOverAMapBesideTheMap",
       Program("#include <map>",
               "std::map<int, double> m{{1, 1.0}, {2, 2.0}};\n"
               "for (auto &e : m) { // LOOP\n"
               "  e.second = heavy(e.first) + m.size(); }"),
       kShape, "'e' refers to a variable the loop updates"},
      {"ARangeForOverAGlobalMap",
       Program("#include <map>\nstd::map<int, double> g_m{{1, 1.0}, {2, 2.0}};",
               "for (auto &e : g_m) { // LOOP\n  e.second = heavy(e.first); }"),
       kShape, "'e' refers to a variable the loop updates"},
      {"NamesBoundToAMapsElementsBesideTheMap",
       Program("#include <map>",
               "std::map<int, double> m{{1, 1.0}, {2, 2.0}};\n"
               "for (auto &[k, v] : m) { // LOOP\n"
               "  v = heavy(k) + m.size(); }"),
       kCarried, "'m'"},
      // Names that are themselves references or pointers lead past the element.
      {"ANameBoundToAReferenceOfATie",
       Program("#include <tuple>",
               "std::vector<double> out(9);\ndouble a = 0, b = 0;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  auto [x, y] = std::tie(a, b);\n  x = heavy(i) + y;\n  out[i] = x; }"),
       kCarried, "'x'"},
      {"ANameBoundToAPointer",
       FillsOut("std::vector<std::pair<double *, int>> at(9, {nullptr, 0});\n"
                "for (int i = 0; i < 9; ++i) at[i].first = &out[i];\n"
                "for (auto &[p, n] : at) { // LOOP\n  *p = heavy(n); }"),
       kCarried, "'*p'"},
      {"ARangeForBesideAnAliasOfItsContainer",
       FillsOut("auto &same = out;\nfor (double &x : out) { // LOOP\n"
                "  x = heavy((int)x) + same[1]; }"),
       kShape, "'x' refers to a variable the loop updates"},
      {"TheContainersSizeInTheBodyBesideANeighbour",
       FillsOut("for (int i = 0; i < 9; ++i) { // LOOP\n"
                "  double x = out[i] + out.size();\n"
                "  out[i] = heavy((int)x) + out[out.size() - 1]; }"),
       kCarried, "'out'"},
      {"TheContainerResizedBesideItsSize",
       FillsOut("for (int i = 0; i < 9; ++i) { // LOOP\n"
                "  double x = out[i] + out.size();\n  out.resize(9);\n"
                "  out[i] = heavy((int)x); }"),
       kCarried, "'out'"},
      {"AVariableNamedOnlyInAType",
       FillsOut("double scale = 2;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                "  decltype(scale) y = heavy(i);\n  out[i] = y; }"),
       kShape, "names 'scale' inside a type (decltype)"},
      {"AFieldTheHeaderReadsTheBodyWrites",
       Program(kGrid,
               "Grid g;\nfor (int i = 0; i < g.n; ++i) { // LOOP\n"
               "  g.cells[i] = heavy(i);\n  if (g.cells[i] < 0) g.n = 3; }"),
       kCarried, "'g'"},
      {"AFieldResizedBesideItsSizeInTheHeader",
       Program(kGrid,
               "Grid g;\nfor (std::size_t i = 0; i < g.cells.size(); ++i) { // LOOP\n"
               "  g.cells[i] = heavy(i) + 1;\n  g.cells.resize(9); }"),
       kCarried, "'g'"},
      {"AnotherElementOfTheFieldTheLoopStoresInto",
       Program(kGrid,
               "Grid g;\nfor (int i = 0; i < g.n; ++i) // LOOP\n"
               "  g.cells[i] = heavy((int)g.cells[(i + 1) % 9]);"),
       kCarried, "'g'"},
      {"AMethodThatMayChangeAnyField",
       Program(kGrid,
               "Grid g;\nfor (int i = 0; i < g.n; ++i) { // LOOP\n"
               "  g.cells[i] = heavy(i) + 1;\n  if (i == 20) g.Grow(); }"),
       kCarried, "'g'"},
      {"AReferenceToTheFieldTheHeaderReads",
       Program(kGrid,
               "Grid g;\nint &count = g.n;\nfor (int i = 0; i < g.n; ++i) { // LOOP\n"
               "  g.cells[i] = heavy(i) + 1;\n  if (i == 20) count = 3; }"),
       kShape, "'count' refers to a variable the loop updates"},
      // A union's members share their storage: storing m[0] changes n.
      {"AnotherMemberOfAUnion",
       Program(kGrid,
               "Cells c;\nc.n = 9;\nfor (int i = 0; i < c.n; ++i) // LOOP\n"
               "  c.m[i] = heavy(i) * 0.5;"),
       kCarried, "'c'"},
      {"AnOwnElementNamedInAType",
       FillsOut("for (int i = 0; i < 9; ++i) { // LOOP\n"
                "  decltype(out[i] + 0) y = heavy((int)out[i]);\n  out[i] = y; }"),
       kShape, "names 'out' inside a type (decltype)"},
  };
}

INSTANTIATE_TEST_SUITE_P(Refusals, OutlineRefusalTest, ::testing::ValuesIn(Refusals()),
                         testing::CaseName());

}  // namespace
}  // namespace rayify
