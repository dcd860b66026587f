// One test per loop decision: each safe shape converts, each unsafe pattern is
// refused with its reason code.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::DecisionFor;

const char kPrelude[] = R"(#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>
double heavy(int x) { double s = 0; for (int i = 0; i < 1000; ++i) s += x * i; return s; }
)";

std::string Program(const std::string &before_main, const std::string &main_body) {
  return std::string(kPrelude) + before_main + "\nint main() {\n" + main_body + "\n}\n";
}

struct RefusalCase {
  const char *name;
  std::string source;
  SkipReason reason;
  const char *message_part;
};

// Keeps test names readable: gtest would otherwise print the case's bytes.
void PrintTo(const RefusalCase &c, std::ostream *out) { *out << c.name; }

class RefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(RefusalTest, LoopStaysSequentialWithItsReason) {
  const RefusalCase &c = GetParam();
  Finding decision = DecisionFor(c.source);
  EXPECT_FALSE(decision.IsConversion());
  EXPECT_EQ(decision.code, ReasonCode(c.reason)) << decision.message;
  EXPECT_NE(decision.message.find(c.message_part), std::string::npos) << decision.message;
}

std::vector<RefusalCase> Cases() {
  return {
      RefusalCase{
          "Break",
          Program("",
                  "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  if (heavy(i) > 5) break;\n  v.push_back(heavy(i)); }"),
          SkipReason::kEarlyExit, "'break'"},
      RefusalCase{"Return",
                  Program("",
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  if (heavy(i) > 5) return 1; }"),
                  SkipReason::kEarlyExit, "'return'"},
      RefusalCase{"Throw",
                  Program("",
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  if (heavy(i) > 5) throw 1; }"),
                  SkipReason::kEarlyExit, "'throw'"},
      RefusalCase{
          "BreakOfAnInnerLoopIsNotAnEarlyExit",
          Program("",
                  "double t = 0;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                  "  for (int j = 0; j < 9; ++j) { if (j > i) break; t += heavy(j); }"),
          SkipReason::kLoopCarriedDependency, "'t'"},
      RefusalCase{"PrintInTheBody",
                  Program("",
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  std::printf(\"%f\\n\", heavy(i));"),
                  SkipReason::kIo, "printf"},
      RefusalCase{"StreamInACalleesCallee",
                  Program("double report(int x) { std::cout << x; return x; }\n"
                          "double stage(int x) { return report(x) + heavy(x); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(stage(i));"),
                  SkipReason::kIo, "stage()"},
      RefusalCase{"FileOutputInCallee",
                  Program("double save(int x) { FILE *f = std::fopen(\"/tmp/x\", \"w\");"
                          " std::fclose(f); return heavy(x); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(save(i));"),
                  SkipReason::kIo, "fopen"},
      RefusalCase{
          "GlobalCounterInCallee",
          Program(
              "long g_calls = 0;\ndouble counted(int x) { ++g_calls; return heavy(x); }",
              "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(counted(i));"),
          SkipReason::kGlobalWrite, "g_calls"},
      RefusalCase{
          "StaticLocalTwoCallsDown",
          Program(
              "double cache(int x) { static double last = 0; last = x; return last; }\n"
              "double outer(int x) { return cache(x) + heavy(x); }",
              "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(outer(i));"),
          SkipReason::kGlobalWrite, "static variable"},
      RefusalCase{"HiddenStateOfRand",
                  Program("double noisy(int x) { return heavy(x) + std::rand(); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(noisy(i));"),
                  SkipReason::kGlobalWrite, "rand"},
      RefusalCase{
          "GlobalContainerGrowsInCallee",
          Program("std::vector<int> g_log;\ndouble logged(int x) { g_log.push_back(x);"
                  " return heavy(x); }",
                  "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                  "  v.push_back(logged(i));"),
          SkipReason::kGlobalWrite, "g_log"},
      RefusalCase{
          "NonConstReferenceParameter",
          Program(
              "void scale(std::vector<double> &data) { for (auto &d : data) d *= 2; }",
              "std::vector<std::vector<double>> all(4);\n"
              "for (size_t i = 0; i < all.size(); ++i) // LOOP\n  scale(all[i]);"),
          SkipReason::kNonConstReference, "scale()"},
      RefusalCase{
          "PointerParameter",
          Program("double fill(double *out) { for (int i = 0; i < 9; ++i) out[i] = i;"
                  " return out[0]; }",
                  "double buf[9];\nstd::vector<double> v;\nfor (int i = 0; i < 9; ++i) "
                  "// LOOP\n"
                  "  v.push_back(fill(buf));"),
          SkipReason::kNonConstReference, "fill()"},
      // Callee effects and loop safety share one definition of a write: a pointer
      // parameter writes what its argument points at, here a global.
      RefusalCase{"GlobalWrittenThroughPointerParameterInCallee",
                  Program("double g_acc[4];\n"
                          "void add(double *to, double x) { *to += x; }\n"
                          "double tally(int x) { add(&g_acc[0], x); return heavy(x); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(tally(i));"),
                  SkipReason::kGlobalWrite, "g_acc"},
      RefusalCase{
          "GlobalArrayPassedToLibraryPointerParameter",
          Program("#include <cstring>\nchar g_buf[64];\n"
                  "double stamp(int x) { std::strcpy(g_buf, \"x\"); return heavy(x); }",
                  "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                  "  v.push_back(stamp(i));"),
          SkipReason::kGlobalWrite, "g_buf"},
      RefusalCase{"ValueCarriedToTheNextIteration",
                  Program("",
                          "double x = 1;\nstd::vector<double> v;\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  x = heavy(static_cast<int>(x)); v.push_back(x); }"),
                  SkipReason::kLoopCarriedDependency, "'x'"},
      RefusalCase{
          "ArgumentsReadTheResultVector",
          Program("",
                  "std::vector<double> v{1};\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                  "  v.push_back(heavy(static_cast<int>(v.size())));"),
          SkipReason::kLoopCarriedDependency, "'v'"},
      RefusalCase{"MergeIntoASharedMap",
                  Program("",
                          "std::vector<std::map<std::string, int>> parts(3);\n"
                          "std::map<std::string, int> totals;\n"
                          "for (const auto &part : parts) // LOOP\n"
                          "  for (const auto &[word, n] : part) totals[word] += n;"),
                  SkipReason::kLoopCarriedDependency, "'totals'"},
      RefusalCase{"CheapCallee",
                  Program("int twice(int x) { return 2 * x; }",
                          "std::vector<int> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(twice(i));"),
                  SkipReason::kTooFineGrained, "twice()"},
      RefusalCase{"NoCallAtAll",
                  Program("",
                          "std::vector<int> v(9);\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v[i] = i * i;"),
                  SkipReason::kTooFineGrained, "no function"},
      RefusalCase{
          "PointerFieldCannotBeSent",
          Program("struct Node { double *data; int n; };\n"
                  "double sum(Node node) { double s = 0; for (int i = 0; i < node.n; ++i)"
                  " s += node.data[i]; return s; }",
                  "std::vector<Node> nodes(3);\nstd::vector<double> v;\n"
                  "for (const auto &node : nodes) // LOOP\n  v.push_back(sum(node));"),
          SkipReason::kNonSerializable, "field 'data'"},
      RefusalCase{"EnumResultCannotBeSent",
                  Program("enum class Verdict { kGood, kBad };\n"
                          "Verdict judge(int x) { return heavy(x) > 3 ? Verdict::kGood : "
                          "Verdict::kBad; }",
                          "std::vector<Verdict> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(judge(i));"),
                  SkipReason::kNonSerializable, "enum"},
      RefusalCase{
          "NoDefaultConstructor",
          Program(
              "struct Sample { explicit Sample(double v) : value(v) {} double value; };\n"
              "Sample make(int x) { return Sample(heavy(x)); }",
              "std::vector<Sample> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(make(i));"),
          SkipReason::kNonSerializable, "default constructor"},
      RefusalCase{"DeclaredButNotDefined",
                  Program("double external(int x);",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(external(i));"),
                  SkipReason::kCalleeNotVisible, "external"},
      RefusalCase{"CallThroughAFunctionPointer",
                  Program("double apply(double (*f)(int), int x) { return f(x); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(apply(heavy, i));"),
                  SkipReason::kCalleeNotVisible, "function pointer"},
      RefusalCase{
          "TwoStatements",
          Program("",
                  "std::vector<double> a, b;\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  a.push_back(heavy(i)); b.push_back(heavy(i + 1)); }"),
          SkipReason::kLoopCarriedDependency, "'a'"},
      RefusalCase{
          "MemberFunctionCallee",
          Program(
              "struct Model { double run(int x) const { return heavy(x); } };",
              "Model m;\nstd::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(m.run(i));"),
          SkipReason::kUnsupportedShape, "member function"},
      RefusalCase{"WhileLoop",
                  Program("",
                          "std::vector<double> v;\nint i = 0;\nwhile (i < 9) // LOOP\n"
                          "  v.push_back(heavy(i++));"),
                  SkipReason::kUnsupportedShape, "only for and range-for"},
      RefusalCase{"MalformedResourceAnnotation",
                  Program("// rayify: resources(CPU=lots)\ndouble annotated(int x) { "
                          "return heavy(x); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(annotated(i));"),
                  SkipReason::kUnsupportedShape, "CPU"}};
}

INSTANTIATE_TEST_SUITE_P(Decisions, RefusalTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<RefusalCase> &info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace rayify
