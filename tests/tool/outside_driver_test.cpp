// Loops outside driver code: each is reported `not-driver-code` with what keeps its
// function out of driver code, rather than passed over in silence.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::RefusalCase;

const char kPrelude[] = R"(#include <cstdio>
#include <vector>
double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; return s; }
)";

std::string Program(const std::string &before_main, const std::string &main_body) {
  return std::string(kPrelude) + before_main + "\nint main() {\n" + main_body + "\n}\n";
}

// A loop the driver may convert: it sums heavy(i) in a helper of its own.
const char kSummingLoop[] =
    "double sum(int n) {\n  double s = 0;\n"
    "  for (int i = 0; i < n; ++i) // LOOP\n    s += heavy(i);\n  return s;\n}\n";

class OutsideDriverTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(OutsideDriverTest, LoopIsToldWhyItIsLeftAlone) {
  testing::ExpectRefused(GetParam());
}

std::vector<RefusalCase> Cases() {
  return {
      // The user's own reason comes first, wherever the loop is.
      RefusalCase{"IgnoredByTheUser",
                  Program("struct Grid {\n  std::vector<double> v;\n  void fill() {\n"
                          "    // rayify: ignore\n"
                          "    for (int i = 0; i < 9; ++i) // LOOP\n"
                          "      v[i] = heavy(i);\n  }\n};",
                          "Grid g;\ng.v.resize(9);\ng.fill();\n"
                          "std::printf(\"%f\\n\", g.v[3]);"),
                  SkipReason::kIgnored, "rayify: ignore"},
      RefusalCase{"VirtualMemberFunction",
                  Program("struct Grid {\n  std::vector<double> v;\n"
                          "  virtual void fill() {\n"
                          "    for (int i = 0; i < 9; ++i) // LOOP\n"
                          "      v[i] = heavy(i);\n  }\n};",
                          "Grid g;\ng.v.resize(9);\ng.fill();\n"
                          "std::printf(\"%f\\n\", g.v[3]);"),
                  SkipReason::kNotDriverCode, "Grid::fill(), a virtual member function"},
      RefusalCase{"CallOperator",
                  Program("struct Weigh {\n  double operator()(int n) const {\n"
                          "    double s = 0;\n"
                          "    for (int i = 0; i < n; ++i) // LOOP\n"
                          "      s += heavy(i);\n    return s;\n  }\n};",
                          "Weigh w;\nstd::printf(\"%f\\n\", w(9));"),
                  SkipReason::kNotDriverCode,
                  "which the language or the standard library calls"},
      RefusalCase{"MethodTheLibraryCallsByName",
                  Program("struct Bag {\n  std::vector<double> items;\n"
                          "  void push_back(double x) {\n"
                          "    for (int i = 0; i < 9; ++i) // LOOP\n"
                          "      items.push_back(heavy(i) + x);\n  }\n};",
                          "Bag b;\nb.push_back(1.0);\n"
                          "std::printf(\"%f\\n\", b.items[3]);"),
                  SkipReason::kNotDriverCode, "(`push_back`, `begin`)"},
      RefusalCase{"MethodGivenByAddress",
                  Program("struct Grid {\n  double total(int n) const {\n"
                          "    double s = 0;\n"
                          "    for (int i = 0; i < n; ++i) // LOOP\n"
                          "      s += heavy(i);\n    return s;\n  }\n};",
                          "Grid g;\ndouble (Grid::*f)(int) const = &Grid::total;\n"
                          "std::printf(\"%f\\n\", (g.*f)(9));"),
                  SkipReason::kNotDriverCode, "other than by calling it"},
      RefusalCase{"Constructor",
                  Program("struct Grid {\n  std::vector<double> v;\n  Grid() : v(9) {\n"
                          "    for (int i = 0; i < 9; ++i) // LOOP\n"
                          "      v[i] = heavy(i);\n  }\n};",
                          "Grid g;\nstd::printf(\"%f\\n\", g.v[3]);"),
                  SkipReason::kNotDriverCode, "the constructor of Grid"},
      RefusalCase{"MethodOfAnActor",
                  Program("class Sim {\n public:\n  void run() {\n"
                          "    for (int i = 0; i < 9; ++i) // LOOP\n"
                          "      out_.push_back(heavy(i));\n  }\n"
                          "  double total() const { double t = 0;\n"
                          "    for (double v : out_) t += v;\n    return t; }\n"
                          " private:\n  std::vector<double> out_;\n};",
                          "Sim sim;\nsim.run();\nstd::printf(\"%f\\n\", sim.total());"),
                  SkipReason::kNotDriverCode, "which became a Ray actor"},
      RefusalCase{"RunsInsideTasks",
                  Program(kSummingLoop,
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i)\n"
                          "  v.push_back(sum(i));\nstd::printf(\"%f\\n\", v[3]);"),
                  SkipReason::kNotDriverCode, "sum(), which runs inside Ray tasks"},
      RefusalCase{"Template",
                  Program("template <class T> T total(int n) {\n  T s = 0;\n"
                          "  for (int i = 0; i < n; ++i) // LOOP\n    s += heavy(i);\n"
                          "  return s;\n}",
                          "std::printf(\"%f\\n\", total<double>(9));"),
                  SkipReason::kNotDriverCode, "total(), a template"},
      RefusalCase{
          "AddressTaken",
          Program(kSummingLoop, "double (*f)(int) = sum;\nstd::printf(\"%f\\n\", f(9));"),
          SkipReason::kNotDriverCode, "other than by calling it"},
      RefusalCase{"NeverCalled", Program(kSummingLoop, "return 0;"),
                  SkipReason::kNotDriverCode, "which nothing in the file calls"},
      RefusalCase{
          "CalledFromAVirtualMethod",
          Program(std::string(kSummingLoop) +
                      "struct Report {\n  virtual double show() { return sum(9); }\n};",
                  "Report r;\nstd::printf(\"%f\\n\", r.show());"),
          SkipReason::kNotDriverCode, "which Report::show() calls"},
      RefusalCase{"Recursive",
                  Program("double deep(int n) {\n  double s = 0;\n"
                          "  for (int i = 0; i < n; ++i) // LOOP\n    s += heavy(i);\n"
                          "  return n > 0 ? s + deep(n - 1) : s;\n}",
                          "std::printf(\"%f\\n\", deep(3));"),
                  SkipReason::kNotDriverCode, "which calls itself"},
      RefusalCase{"CalledBeforeMain",
                  Program(std::string(kSummingLoop) + "double g_total = sum(9);",
                          "std::printf(\"%f\\n\", g_total);"),
                  SkipReason::kNotDriverCode, "initialising a global"},
      RefusalCase{"LambdaInMain",
                  Program("",
                          "auto sum = [](int n) {\n  double s = 0;\n"
                          "  for (int i = 0; i < n; ++i) // LOOP\n    s += heavy(i);\n"
                          "  return s;\n};\nstd::printf(\"%f\\n\", sum(9));"),
                  SkipReason::kNotDriverCode, "inside a lambda"},
      // The lambda runs after main returned, when Ray is shut down.
      RefusalCase{"CalledFromALambdaGivenToAtexit",
                  Program(std::string("#include <cstdlib>\n") + kSummingLoop,
                          "std::atexit([] { std::printf(\"%f\\n\", sum(9)); });"),
                  SkipReason::kNotDriverCode, "which a lambda in main() calls"},
      RefusalCase{"NoMain", std::string(kPrelude) + kSummingLoop,
                  SkipReason::kNotDriverCode, "sum() of a file without main()"},
  };
}

INSTANTIATE_TEST_SUITE_P(Loops, OutsideDriverTest, ::testing::ValuesIn(Cases()),
                         testing::CaseName());

// The same helper, called from main alone, is driver code and converts: the
// refusals above are about where the loop is, not what it does.
TEST(OutsideDriverControl, TheHelperCalledFromMainConverts) {
  Finding decision =
      testing::DecisionFor(Program(kSummingLoop, "std::printf(\"%f\\n\", sum(9));"));
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

}  // namespace
}  // namespace rayify
