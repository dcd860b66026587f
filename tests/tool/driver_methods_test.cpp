// Member functions as driver code: a plain member function that only driver code
// calls is driver code, its loops decided as a free function's are, as long as what a
// task runs needs nothing of the object or of the class's scope.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::RefusalCase;

const char kPrelude[] = R"(#include <cstdio>
#include <vector>
double heavy(double x, int k) { double s = x; for (int i = 0; i < 1000000; ++i) s += x * i * k; return s; }
)";

std::string Program(const std::string &before_main, const std::string &main_body) {
  return std::string(kPrelude) + before_main + "\nint main() {\n" + main_body + "\n}\n";
}

// A class with a field, const methods only: not an actor.
std::string Model(const std::string &method) {
  return Program(
      "class Model {\n public:\n  explicit Model(int n) : values_(n, 0.5) {}\n" + method +
          "\n private:\n  std::vector<double> values_;\n  double scale_ = 2;\n"
          "  static constexpr int kSteps = 3;\n  struct Cell { double v; };\n};",
      "const Model m(16);\nstd::printf(\"%f\\n\", m.Run()[3]);");
}

TEST(DriverMethodsTest, AConstMethodsLoopReadingAFieldInItsCallConverts) {
  // The call's arguments are evaluated where the loop stands, on the driver.
  Finding decision = testing::DecisionFor(
      Model("  std::vector<double> Run() const {\n    std::vector<double> out(16);\n"
            "    for (int i = 0; i < 16; ++i) // LOOP\n"
            "      out[i] = heavy(values_[i], i);\n    return out;\n  }"));
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

TEST(DriverMethodsTest, AnOutlinedBodyBecomesAFunctionBeforeTheClass) {
  std::string source = Model(
      "  std::vector<double> Run() const {\n    std::vector<double> out(16);\n"
      "    for (int i = 0; i < 16; ++i) { // LOOP\n"
      "      double y = heavy(0.5, i);\n      out[i] = y * y;\n    }\n"
      "    return out;\n  }");
  Finding decision = testing::DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
  std::string out = testing::ConvertSnippet(source).converted;
  size_t generated = out.find("Model_Run_loop_");
  ASSERT_NE(generated, std::string::npos) << out;
  EXPECT_LT(generated, out.find("class Model {")) << out;
}

TEST(DriverMethodsTest, AStaticMethodsLoopConverts) {
  Finding decision = testing::DecisionFor(Program(
      "struct Sums {\n  static double Total(int n) {\n    double t = 0;\n"
      "    for (int i = 0; i < n; ++i) { // LOOP\n      double y = heavy(0.5, i);\n"
      "      t += y;\n    }\n    return t;\n  }\n};",
      "std::printf(\"%f\\n\", Sums::Total(16));"));
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

// The method makes its callee driver code too.
TEST(DriverMethodsTest, AFunctionOnlyADriverMethodCallsIsDriverCode) {
  Finding decision = testing::DecisionFor(Program(
      "double sum(int n) {\n  double s = 0;\n"
      "  for (int i = 0; i < n; ++i) // LOOP\n    s += heavy(0.5, i);\n  return s;\n}\n"
      "struct Report {\n  double show() { return sum(9); }\n};",
      "Report r;\nstd::printf(\"%f\\n\", r.show());"));
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

// A field every task is handed whole goes into the object store once, as a local
// would; one the loop names elsewhere too is sent with each task as it stands then.
TEST(DriverMethodsTest, AFieldEveryTaskIsHandedIsPutOnce) {
  auto program = [](const std::string &arguments) {
    return Program(
        "double score(const std::vector<double> &w, int i) {\n"
        "  double s = 0;\n"
        "  for (double x : w) s += heavy(x, i);\n  return s;\n}\n"
        "class Model {\n public:\n  std::vector<double> Scores() const {\n"
        "    std::vector<double> out(16);\n"
        "    for (int i = 0; i < 16; ++i) // LOOP\n"
        "      out[i] = score(" +
            arguments +
            ");\n    return out;\n  }\n"
            " private:\n  std::vector<double> weights_ = std::vector<double>(9, "
            "1.0);\n};",
        "const Model m;\nstd::printf(\"%f\\n\", m.Scores()[3]);");
  };
  FileConversion once = testing::ConvertSnippet(program("weights_, i"));
  EXPECT_NE(once.converted.find("= ray::Put(weights_);"), std::string::npos)
      << once.converted;
  FileConversion each =
      testing::ConvertSnippet(program("weights_, i + static_cast<int>(weights_.size())"));
  EXPECT_EQ(each.converted.find("ray::Put(weights_)"), std::string::npos)
      << each.converted;
  EXPECT_NE(each.converted.find(".Remote(weights_,"), std::string::npos)
      << each.converted;
}

// A function defined outside its namespace (`double sim::Free(int n)` at file scope)
// uses sim's names unqualified: the functions generated for its loops go into sim
// too. Until 2026-12-06 they stood at file scope, the converted file did not compile,
// and the whole file was left unconverted.
TEST(DriverMethodsTest, CodeGeneratedForADefinitionOutsideItsNamespaceGoesIntoIt) {
  std::string source =
      std::string(kPrelude) +
      "#include <algorithm>\n"
      "namespace sim {\ndouble weigh(double x) { return heavy(x, 3); }\n"
      "double Free(int n);\nstd::vector<double> Mapped(const "
      "std::vector<double> &in);\n}  // namespace sim\n"
      "double sim::Free(int n) {\n  double t = 0;\n"
      "  for (int i = 0; i < n; ++i) { // LOOP\n"
      "    double y = weigh(0.25 + i);\n    t += y * 2;\n  }\n"
      "  return t;\n}\n"
      "std::vector<double> sim::Mapped(const std::vector<double> &in) {\n"
      "  std::vector<double> out(in.size());\n"
      "  std::transform(in.begin(), in.end(), out.begin(), [](double x) {\n"
      "    return weigh(x) + 1;\n  });\n  return out;\n}\n"
      "int main() {\n  std::vector<double> in(12, 0.5);\n"
      "  std::printf(\"%f %f\\n\", sim::Free(16), sim::Mapped(in)[3]);\n}\n";
  FileConversion file = testing::ConvertSnippet(source);
  std::vector<Finding> decisions = testing::Decisions(file);
  ASSERT_EQ(decisions.size(), 2u);
  for (const Finding &decision : decisions)
    EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
  EXPECT_NE(file.converted.find("namespace sim {\n// What one iteration"),
            std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("RAY_REMOTE(sim::Free_loop_"), std::string::npos)
      << file.converted;
}

class DriverMethodRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(DriverMethodRefusalTest, LoopIsRefusedForWhatItNeedsOfTheObject) {
  testing::ExpectRefused(GetParam());
}

std::vector<RefusalCase> Cases() {
  const std::string run =
      "  std::vector<double> Run() const {\n    std::vector<double> out(16);\n"
      "    for (int i = 0; i < 16; ++i) { // LOOP\n";
  const std::string end = "    }\n    return out;\n  }";
  return {
      RefusalCase{
          "AFieldInTheBody",
          Model(run + "      double y = heavy(0.5, i);\n      out[i] = y * scale_;\n" +
                end),
          SkipReason::kUnsupportedShape, "uses 'scale_', a member of the object"},
      RefusalCase{
          "AMethodInTheBody",
          Model("  double Weigh(int i) const { return heavy(values_[i], i); }\n" + run +
                "      double y = Weigh(i);\n      out[i] = y * y;\n" + end),
          SkipReason::kUnsupportedShape, "uses 'Weigh()', a method of the object"},
      RefusalCase{
          "ThisInTheBody",
          Program("struct Grid;\ndouble weigh(const Grid *g, int i);\n"
                  "struct Grid {\n  double w = 1;\n  std::vector<double> Run() const {\n"
                  "    std::vector<double> out(16);\n"
                  "    for (int i = 0; i < 16; ++i) { // LOOP\n"
                  "      double y = weigh(this, i);\n      out[i] = y * y;\n    }\n"
                  "    return out;\n  }\n};\n"
                  "double weigh(const Grid *g, int i) { return heavy(g->w, i); }",
                  "const Grid g;\nstd::printf(\"%f\\n\", g.Run()[3]);"),
          SkipReason::kUnsupportedShape, "uses 'this'"},
      RefusalCase{
          "ANestedTypeInTheBody",
          Model(run + "      Cell c{heavy(0.5, i)};\n      out[i] = c.v;\n" + end),
          SkipReason::kUnsupportedShape, "names 'Cell', declared in the scope of Model"},
      RefusalCase{
          "AStaticMemberInTheBody",
          Model(run + "      double y = heavy(0.5, i * kSteps);\n      out[i] = y;\n" +
                end),
          SkipReason::kUnsupportedShape,
          "names 'kSteps', declared in the scope of Model"},
      // Before its class, the task's function could not take another of its objects.
      RefusalCase{
          "AnotherObjectOfTheClass",
          Program("class Grid {\n public:\n  double Diff(const Grid &other) const {\n"
                  "    double t = 0;\n"
                  "    for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "      double y = heavy(other.w_[i], i);\n      t += y;\n    }\n"
                  "    return t;\n  }\n private:\n"
                  "  std::vector<double> w_ = std::vector<double>(9, 1.0);\n};",
                  "const Grid a, b;\nstd::printf(\"%f\\n\", a.Diff(b));"),
          SkipReason::kUnsupportedShape, "names 'Grid', a class its member function"},
      // Stores into the object's fields are not followed yet.
      RefusalCase{"AStoreIntoAField",
                  Program("struct Grid {\n  std::vector<double> v;\n  void fill() {\n"
                          "    for (int i = 0; i < 9; ++i) // LOOP\n"
                          "      v[i] = heavy(0.5, i);\n  }\n};",
                          "Grid g;\ng.v.resize(9);\ng.fill();\n"
                          "std::printf(\"%f\\n\", g.v[3]);"),
                  SkipReason::kUnsupportedShape,
                  "uses 'v', a member of the object Grid::fill()"},
      // The driver evaluates every task's arguments before storing any result: a
      // target that may be one of the object's members must not be read through it.
      RefusalCase{
          "ATargetThatMayBeAField",
          Program(
              "struct Grid {\n  std::vector<double> v = std::vector<double>(9, 1.0);\n"
              "  void Shift(std::vector<double> &out) const {\n"
              "    for (int i = 1; i < 9; ++i) // LOOP\n"
              "      out[i] = heavy(v[i - 1], i);\n  }\n};",
              "Grid g;\ng.Shift(g.v);\nstd::printf(\"%f\\n\", g.v[3]);"),
          SkipReason::kLoopCarriedDependency,
          "'out' may refer to the object's member 'v'"},
      RefusalCase{
          "AMethodInTheArguments",
          Program(
              "struct Grid {\n  std::vector<double> v = std::vector<double>(9, 1.0);\n"
              "  int next = 0;\n  double Next() { return v[next++ % 9]; }\n"
              "  std::vector<double> Run() {\n    std::vector<double> out(9);\n"
              "    for (int i = 0; i < 9; ++i) // LOOP\n"
              "      out[i] = heavy(Next(), i);\n    return out;\n  }\n};",
              "Grid g;\nstd::printf(\"%f\\n\", g.Run()[3]);\n"
              "std::printf(\"%d\\n\", g.next);"),
          SkipReason::kLoopCarriedDependency, "calls 'Next()', a method of the object"},
      RefusalCase{"APointerMemberInTheArguments",
                  Program("struct Grid {\n  const std::vector<double> *seen = nullptr;\n"
                          "  void Run(std::vector<double> &out) {\n    seen = &out;\n"
                          "    for (int i = 1; i < 9; ++i) // LOOP\n"
                          "      out[i] = heavy((*seen)[i - 1], i);\n  }\n};",
                          "Grid g;\nstd::vector<double> out(9, 1.0);\ng.Run(out);\n"
                          "std::printf(\"%f\\n\", out[3]);"),
                  SkipReason::kLoopCarriedDependency, "'seen'"},
      // Called from a loop that became tasks, the method runs inside them.
      RefusalCase{
          "CalledFromATask",
          Program("struct Grid {\n  double w = 0.5;\n  double Total() const {\n"
                  "    double t = 0;\n"
                  "    for (int i = 0; i < 9; ++i) // LOOP\n      t += heavy(0.5, i);\n"
                  "    return t;\n  }\n};",
                  "std::vector<Grid> grids(4);\nstd::vector<double> totals;\n"
                  "for (const Grid &g : grids) totals.push_back(g.Total());\n"
                  "std::printf(\"%f\\n\", totals[2]);"),
          SkipReason::kNotDriverCode, "which runs inside Ray tasks"},
  };
}

INSTANTIATE_TEST_SUITE_P(Loops, DriverMethodRefusalTest, ::testing::ValuesIn(Cases()),
                         testing::CaseName());

}  // namespace
}  // namespace rayify
