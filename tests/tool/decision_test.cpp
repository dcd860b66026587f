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
double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; return s; }
)";

std::string Program(const std::string &before_main, const std::string &main_body) {
  return std::string(kPrelude) + before_main + "\nint main() {\n" + main_body + "\n}\n";
}

using testing::RefusalCase;

class RefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(RefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
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
      // A cheap reduction is a loop the driver could replay: too little work, not a
      // dependence. A recurrence leaves a task nothing to compute: a dependence.
      RefusalCase{"ACheapReductionIsTooLittleWork",
                  Program("",
                          "std::vector<int> a(9, 2);\nlong sum = 0;\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  sum += a[i] * 2;\nstd::printf(\"%ld\\n\", sum);"),
                  SkipReason::kTooFineGrained, "calls no function"},
      RefusalCase{
          "ACheapMaximumOfAVectorIsTooLittleWork",
          Program("",
                  "std::vector<int> a(9, 2);\nint best = 0;\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n"
                  "  if (a[i] > best) best = a[i];\nstd::printf(\"%d\\n\", best);"),
          SkipReason::kTooFineGrained, "calls no function"},
      RefusalCase{"ACheapSumOverARangeForIsTooLittleWork",
                  Program("",
                          "std::vector<int> a(9, 2);\nlong sum = 0;\n"
                          "for (int x : a) // LOOP\n"
                          "  sum += x;\nstd::printf(\"%ld\\n\", sum);"),
                  SkipReason::kTooFineGrained, "calls no function"},
      RefusalCase{"ACheapRecurrenceIsCarried",
                  Program("",
                          "long x = 1;\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  x = x * 3 + 1;\nstd::printf(\"%ld\\n\", x);"),
                  SkipReason::kLoopCarriedDependency, "'x'"},
      // A floating-point sum over an inner loop is replayed in order, not a
      // dependence: the reason is that each task would send back every term.
      RefusalCase{"AFloatSumOverAnInnerLoopSendsEveryTerm",
                  Program("",
                          "std::vector<float> J(40000, 1.5f);\nfloat sum = 0;\n"
                          "for (int i = 0; i < 200; i++) // LOOP\n"
                          "  for (int j = 0; j < 200; j++) sum += J[i * 200 + j];\n"
                          "std::printf(\"%f\\n\", sum);"),
                  SkipReason::kTooFineGrained, "every step of an inner loop"},
      // Writes through pointers set after their declaration (Rodinia's
      // `iN = (int *)malloc(...)`) cannot be followed, but they cannot reach a
      // counter the loop declares and never lets out: the loop keeps its counter, so
      // its own elements are its own and the reason is the real one.
      RefusalCase{"OwnElementsThroughAnAssignedPointer",
                  Program("",
                          "int *iN, *iS;\niN = (int *)std::malloc(9 * sizeof(int));\n"
                          "iS = (int *)std::malloc(9 * sizeof(int));\n"
                          "for (int i = 0; i < 9; i++) { // LOOP\n"
                          "  iN[i] = i - 1;\n  iS[i] = i + 1; }\n"
                          "std::printf(\"%d\\n\", iN[3] + iS[4]);"),
                  SkipReason::kTooFineGrained, "calls no function"},
      // A linearised index is no proof that the elements differ: say so, without
      // claiming more.
      RefusalCase{"LinearisedIndexThroughAPointer",
                  Program("",
                          "int *d;\nd = (int *)std::malloc(90 * sizeof(int));\n"
                          "for (int i = 0; i < 9; i++)\n  for (int j = 0; j < 10; j++) {"
                          " // LOOP\n    int k = i * 10 + j;\n    d[k] = k; }\n"
                          "std::printf(\"%d\\n\", d[33]);"),
                  SkipReason::kLoopCarriedDependency, "cannot show are its own"},
      // A pointer the loop advances is itself what carries over, not its elements.
      RefusalCase{
          "APointerTheLoopAdvances",
          Program("",
                  "std::vector<int> v(9, 1), out(9);\nint *p = v.data();\n"
                  "for (int i = 0; i < 9; i++) { // LOOP\n"
                  "  out[i] = *p * 2;\n  p++; }\nstd::printf(\"%d\\n\", out[3]);"),
          SkipReason::kLoopCarriedDependency, "each iteration updates 'p', declared"},
      RefusalCase{"APrefixSumIsCarried",
                  Program("",
                          "std::vector<int> a(9, 2);\n"
                          "for (int i = 1; i < 9; ++i) // LOOP\n"
                          "  a[i] += a[i - 1];\nstd::printf(\"%d\\n\", a[8]);"),
                  SkipReason::kLoopCarriedDependency, "'a'"},
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
          Program("struct Node { const double *data; int n; };\n"
                  "double sum(Node node) { double s = 0; for (int i = 0; i < node.n; ++i)"
                  " s += node.data[i]; return s; }",
                  "std::vector<Node> nodes(3);\nstd::vector<double> v;\n"
                  "for (const auto &node : nodes) // LOOP\n  v.push_back(sum(node));"),
          SkipReason::kNonSerializable, "field 'data'"},
      // MSGPACK_ADD_ENUM names the enum from global scope: not one of a class.
      RefusalCase{
          "EnumOfAClassCannotBeSent",
          Program("struct Judge { enum Verdict { kGood, kBad }; };\n"
                  "Judge::Verdict judge(int x) { return heavy(x) > 3 ? "
                  "Judge::kGood : Judge::kBad; }",
                  "std::vector<Judge::Verdict> v;\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n  v.push_back(judge(i));"),
          SkipReason::kNonSerializable, "named namespaces"},
      // msgpack decodes a pair by assigning its elements: a map's element, with its
      // const key, does not compile as a task's parameter (the whole file was left
      // unconverted).
      RefusalCase{"MapElementParameter",
                  Program("double weigh(const std::pair<const std::string, int> &kv) {\n"
                          "  return heavy(kv.second) * kv.first.size(); }",
                          "std::map<std::string, int> m{{\"a\", 1}, {\"bb\", 2}};\n"
                          "std::vector<double> v;\nfor (const auto &kv : m) // LOOP\n"
                          "  v.push_back(weigh(kv));"),
                  SkipReason::kNonSerializable, "has a const element"},
      // msgpack decodes into a default-constructed object: one the class keeps from
      // it cannot be added (a class declaring none gets one: NoDefaultConstructor...).
      RefusalCase{"DeletedDefaultConstructor",
                  Program("struct Sample { Sample() = delete;\n"
                          "  explicit Sample(double v) : value(v) {} double value; };\n"
                          "Sample make(int x) { return Sample(heavy(x)); }",
                          "std::vector<Sample> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(make(i));"),
                  SkipReason::kNonSerializable,
                  "deleted or non-public default constructor"},
      RefusalCase{"PrivateDefaultConstructor",
                  Program("class Sample {\n public:\n"
                          "  explicit Sample(double v) : value(v) {}\n  double value;\n"
                          " private:\n  Sample() : value(0) {}\n};\n"
                          "Sample make(int x) { return Sample(heavy(x)); }",
                          "std::vector<Sample> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(make(i));"),
                  SkipReason::kNonSerializable,
                  "deleted or non-public default constructor"},
      RefusalCase{"DeclaredButNotDefined",
                  Program("double external(int x);",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(external(i));"),
                  SkipReason::kCalleeNotVisible, "external"},
      RefusalCase{"CallThroughAFunctionPointer",
                  Program("double apply(double (*f)(int), int x) { return f(x); }",
                          "std::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v.push_back(apply(heavy, i));"),
                  SkipReason::kUnknownCallee, "function pointer"},
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
                         testing::CaseName());

// What is not a dependence between iterations is not named as one: each iteration's
// own elements, written through the range reference or by index, are too small work
// rather than a dependence; a counter the body changes is one. (Loops that scratch,
// inner counters or driver-side updates make safe are outlined: outline_test.cpp.)
// A program whose main fills `std::vector<double> out(9)` with `body`.
std::string FillsOut(const std::string &body) {
  return Program("", "std::vector<double> out(9);\n" + body);
}

std::vector<RefusalCase> RealReasonCases() {
  const SkipReason kCarried = SkipReason::kLoopCarriedDependency;
  return {
      // The distribution keeps state between calls (normal_distribution caches its
      // second value): it, not the iteration's own sum, carries the dependence.
      {"ADistributionDeclaredBeforeTheLoop",
       Program(
           "#include <random>",
           "std::normal_distribution<double> nd(0.0, 1.0);\nstd::vector<double> r(9);\n"
           "for (int i = 0; i < 9; ++i) { // LOOP\n  std::mt19937 gen(1000 + i);\n"
           "  double s = heavy(i);\n  for (int k = 0; k < 3; ++k) s += nd(gen);\n"
           "  r[i] = s;\n}"),
       kCarried, "reads 'nd', which the loop updates"},
      {"EachIterationWritesItsOwnRow",
       Program("",
               "std::vector<std::vector<int>> g(9, std::vector<int>(9));\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n"
               "  for (int j = 0; j < 9; ++j) g[i][j] = i * j;"),
       SkipReason::kTooFineGrained, "less than a task must do to pay for itself"},
      // The same rows of a global: no iteration's own, so each step's element would
      // come back with its indices.
      {"EachIterationWritesItsOwnRowOfAGlobal",
       Program("std::vector<std::vector<int>> g_rows(9, std::vector<int>(9));",
               "for (int i = 0; i < 9; ++i) // LOOP\n"
               "  for (int j = 0; j < 9; ++j) g_rows[i][j] = i * j;"),
       SkipReason::kTooFineGrained, "as much as it computes"},
      // The inner range-for's hidden iterator (__begin) changing itself was once
      // taken for a write through a pointer that might leave the iteration.
      {"NestedRangeForsOverBracedLists",
       Program("",
               "std::vector<int> g;\nfor (int a : {1, 2, 3}) // LOOP\n"
               "  for (int b : {4, 5}) g.push_back(a * b);"),
       SkipReason::kLoopCarriedDependency, "'g'"},
      {"ElementsThroughTheRangeReference",
       Program("",
               "std::vector<double> v(9, 1.0);\n"
               "for (double &x : v) { // LOOP\n"
               "  x = x * 2 + 1; x = x / 3; }"),
       SkipReason::kTooFineGrained, "too small"},
      // Index patterns of scientific loops: the counter alone at one position, at the
      // same position in every mention, is the iteration's own slice.
      {"AColumnOfAFixedRow",
       Program("double g_m[9][9];",
               "int k = 4;\nfor (int j = 0; j < 9; ++j) // LOOP\n"
               "  g_m[k][j] = g_m[k][j] * 2 + g_m[k + 1][j];"),
       SkipReason::kTooFineGrained, "too small"},
      {"TheNextElementReadsWhatTheLastWrote",
       FillsOut("for (int i = 0; i < 8; ++i) // LOOP\n  out[i + 1] = out[i] * 2;"),
       kCarried, "'out'"},
      {"AnIndirectIndexMayRepeat",
       Program("int g_idx[9];",
               "std::vector<double> a(9);\nfor (int i = 0; i < 9; ++i) // LOOP\n"
               "  a[g_idx[i]] += a[i];"),
       kCarried, "'a'"},
      {"ARowAndAColumnCross",
       Program("double g_m[9][9];",
               "for (int j = 0; j < 9; ++j) // LOOP\n  g_m[j][3] = g_m[3][j] + 1;"),
       kCarried, "'g_m'"},
      // Column j is the iteration's own whatever the row; the row index itself is
      // what one iteration hands the next.
      {"AnIndexCarriedFromTheIterationBefore",
       Program("double g_m[9][9];",
               "int k = 0;\nfor (int j = 0; j < 9; ++j) { // LOOP\n"
               "  g_m[k][j] = 1; k = j; }"),
       kCarried, "'k'"},
      {"ACounterTheBodyChangesOwnsNoElements",
       FillsOut("for (int i = 0; i < 8; ++i) { // LOOP\n"
                "  out[i] = heavy(i); if (out[i] > 3) ++i; }"),
       kCarried, "'i'"},
      // Not "the loop changes nothing": it changes what the pointer leads to.
      {"ResultsWrittenThroughAPointer",
       Program("",
               "std::vector<double> data(10, 1.0);\ndouble *a = data.data();\n"
               "const double *b = data.data() + 1;\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  a[i] = b[i] + heavy(i);"),
       SkipReason::kUnsupportedShape, "'a' refers to a variable the loop updates"},
      // Named although a private counter is the first thing the body writes (NPB
      // FT's loops through `twiddle`).
      {"ResultsWrittenThroughAPointerUnderAnInnerLoop",
       Program("static double field[4][8][8];\n"
               "static void evolve(void *pointer_f, int d2, int d3) {\n"
               "  double (*f)[8][8] = (double (*)[8][8])pointer_f;\n  int j, k;\n"
               "  for (k = 0; k < d3; k++) // LOOP\n"
               "    for (j = 0; j < d2; j++) f[k][j][0] = heavy(j * k);\n}\n",
               "evolve(field, 8, 4);\nstd::printf(\"%f\\n\", field[3][7][0]);"),
       SkipReason::kUnsupportedShape, "writes through 'f', a pointer"},
      // Too cheap, and what would stop it anyway is the pointer parameter of a
      // function other files may call, not a dependence: each iteration keeps to
      // p[i] (LULESH's EOS loops).
      {"CheapOwnElementsOfAnUnboundPointer",
       Program("double half(double x) { return x * 0.5; }\n"
               "void clamp(double *p, int n) {\n"
               "  for (int i = 0; i < n; ++i) { // LOOP\n"
               "    p[i] = half(p[i]);\n    if (p[i] < 0.1) p[i] = 0;\n  }\n}\n",
               "std::vector<double> v(9, 1.0);\nclamp(v.data(), 9);"),
       SkipReason::kUnsupportedShape, "its own elements of 'p'"},
  };
}

// `v[i] = f(v[i])`: the call reads only the element its iteration stores. The driver
// reads it when it submits iteration i, before that iteration's result comes back,
// and no other iteration writes it. Reading a neighbour, or the element through an
// alias, is a dependence.
TEST(OwnElementTest, ACallMayReadTheElementItsIterationStores) {
  const std::string twice = "double twice(double x) { return heavy(1) * 0 + 2 * x; }";
  auto decision = [&](const std::string &store) {
    return DecisionFor(Program(twice,
                               "std::vector<double> v(9, 1.0);\n"
                               "const auto &view = v;\n(void)view;\n"
                               "for (int i = 1; i < 8; ++i) // LOOP\n  " +
                                   store + ";"));
  };
  Finding own = decision("v[i] = twice(v[i])");
  EXPECT_TRUE(own.IsConversion()) << own.message;
  for (const char *store : {"v[i] = twice(v[i + 1])", "v[i] = twice(v[i] + v[0])",
                            "v[i] = twice(view[i])", "v[i - 1] = twice(v[i - 1])"}) {
    Finding carried = decision(store);
    EXPECT_EQ(carried.code, ReasonCode(SkipReason::kLoopCarriedDependency))
        << store << ": " << carried.message;
  }
}

// `force(i, ax[i])` with `void force(int, double &ax)`: a callee that only reads and
// stores into a number it is given by reference writes the element and nothing else,
// so the task is sent the element and sends it back. Anything more done with the
// parameter, or an argument that is not the iteration's own element, keeps the
// refusal.
TEST(OwnElementTest, AnOutParameterGivenTheIterationsOwnElement) {
  auto decision = [&](const std::string &store, const std::string &call) {
    return DecisionFor(
        Program("double g_keep[2];\nvoid pass(double &z, double w) { z = w; }\n"
                "void force(int i, double &o) { double w = heavy(i); " +
                    store + " }",
                "std::vector<double> out(10, 1.0);\nstd::vector<int> idx(10, 3);\n"
                "double &first = out[0];\n(void)first;\n"
                "for (int i = 1; i < 9; ++i) // LOOP\n  " +
                    call + ";\nstd::printf(\"%f\\n\", out[3]);"));
  };
  for (const char *store : {"o = w;", "o += w;", "o = w; ++o;", "o = o * 0.5 + w;"}) {
    Finding own = decision(store, "force(i, out[i])");
    EXPECT_TRUE(own.IsConversion()) << store << ": " << own.message;
  }
  const char *kept[][2] = {{"double *p = &o; p[1] = w;", "force(i, out[i])"},
                           {"pass(o, w);", "force(i, out[i])"},
                           {"auto set = [&] { o = w; }; set();", "force(i, out[i])"},
                           {"o = w;", "force(i, out[idx[i]])"},
                           {"o = w;", "force(i, out[i - 1])"},
                           {"o = w;", "force(i, first)"}};
  for (const auto &c : kept) {
    Finding refused = decision(c[0], c[1]);
    EXPECT_FALSE(refused.IsConversion()) << c[0] << " / " << c[1];
  }
}

// The same for a record given by reference whose fields the callee reads and stores
// into by name (`void step(Particle &p)`); the record's address, a reference bound to
// it or a method called on it keeps the refusal (a pointer field is refused anyway:
// the record cannot be sent).
TEST(OwnElementTest, ARecordOutParameterReachedFieldByField) {
  const std::string record =
      "struct Box { double lo = 0; };\n"
      "struct P { double x = 1, v = 2; Box box; void nudge() { x += 1; } };\n";
  auto decision = [&](const std::string &store, const std::string &loop) {
    return DecisionFor(
        Program(record + "void step(P &p, int i) { double w = heavy(i); " + store + " }",
                "std::vector<P> ps(9);\n" + loop + "\nstd::printf(\"%f\\n\", ps[3].x);"));
  };
  const std::string loop = "for (int i = 0; i < 9; ++i) // LOOP\n  step(ps[i], i);";
  for (const char *store :
       {"p.x = w;", "p.v += p.x * w; p.x -= p.v;", "p.box.lo = w;", "++p.x;"}) {
    Finding own = decision(store, loop);
    EXPECT_TRUE(own.IsConversion()) << store << ": " << own.message;
  }
  const char *kept[] = {"(&p + 1)->x = w;", "P &q = p; q.x = w;", "p.nudge();",
                        "P *keep = &p; keep[1].v = w;"};
  for (const char *store : kept) {
    Finding refused = decision(store, loop);
    EXPECT_FALSE(refused.IsConversion()) << store;
  }
  Finding neighbour =
      decision("p.x = w;", "for (int i = 1; i < 9; ++i) // LOOP\n  step(ps[i - 1], i);");
  EXPECT_FALSE(neighbour.IsConversion());
}

// std::for_each's function is given each element by reference: it converts only when
// it reaches nothing but that element (once it converted a function writing
// `(&value)[1]`, each task writing into a copy).
TEST(OwnElementTest, ForEachFunctionThatReachesOnlyItsElement) {
  auto decision = [](const std::string &body) {
    return DecisionFor(
        Program("#include <algorithm>\nvoid pass(double &z, double w) { z = w; }\n"
                "void touch(double &e) { double w = heavy(static_cast<int>(e)); " +
                    body + " }",
                "std::vector<double> v(9, 1.0);\n"
                "std::for_each(v.begin(), v.end(), touch); // LOOP\n"
                "std::printf(\"%f\\n\", v[3]);"));
  };
  Finding own = decision("e = e * 0.5 + w;");
  EXPECT_TRUE(own.IsConversion()) << own.message;
  for (const char *body :
       {"if (w < 0) (&e)[1] = w;", "double *p = &e; *p = w;", "pass(e, w);"}) {
    Finding refused = decision(body);
    EXPECT_EQ(refused.code, ReasonCode(SkipReason::kNonConstReference))
        << body << ": " << refused.message;
  }
}

// Iterations known only at run time and too cheap for a task each run in chunks, each
// chunk sent its share of the vector; when they cannot (a global vector is no
// iteration's own), they stay sequential rather than becoming a task apiece.
TEST(OwnElementTest, CheapIterationsThatCannotRunInChunksStaySequential) {
  auto decision = [](const std::string &vector, const std::string &declared) {
    return DecisionFor(
        std::string(kPrelude) + "std::vector<double> g_v;\n" +
        "double bump(double x) { for (int k = 0; k < 100; ++k) x = x * 0.5 + k; "
        "return x; }\nint main(int argc, char **) {\n  int n = argc * 5000;\n" +
        declared + "  for (int i = 0; i < n; ++i) // LOOP\n    " + vector +
        "[i] = bump(" + vector + "[i]);\n  std::printf(\"%f\\n\", " + vector +
        "[0]);\n}\n");
  };
  Finding local = decision("v", "  std::vector<double> v(n, 1.0);\n");
  ASSERT_TRUE(local.IsConversion()) << local.message;
  EXPECT_FALSE(local.conversion->chunk_function.empty());
  Finding global = decision("g_v", "  g_v.assign(n, 1.0);\n");
  EXPECT_EQ(global.code, ReasonCode(SkipReason::kTooFineGrained)) << global.message;
  EXPECT_NE(global.message.find("cannot run in chunks"), std::string::npos)
      << global.message;
}

INSTANTIATE_TEST_SUITE_P(RealReasons, RefusalTest, ::testing::ValuesIn(RealReasonCases()),
                         testing::CaseName());

// A loop whose only statement is `v[i] = <call>;`, with `before_main` defining the
// callee: the shape every hazard below hides behind.
std::string IndexedLoop(const std::string &before_main, const std::string &call) {
  return Program(before_main,
                 "std::vector<double> v(9);\nfor (int i = 0; i < 9; ++i) // LOOP\n"
                 "  v[i] = " +
                     call + ";");
}

// Hazards that hide from a look at the names in the loop: each converted once, and each
// changed what the program did.
std::vector<RefusalCase> HazardCases() {
  return {
      RefusalCase{
          "CalleeReadsAGlobalTheLoopHeaderChanges",
          Program("int g_phase = 0;\ndouble phased(int x) { return heavy(x) + g_phase; }",
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i, ++g_phase) // LOOP\n"
                  "  v[i] = phased(i);"),
          SkipReason::kGlobalRead, "g_phase"},
      RefusalCase{"APointerGlobalTheProgramChanges",
                  Program("double g_cells[9];\ndouble *g_view = g_cells;",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double x = heavy(i);\n  v[i] = x + g_view[i]; }\n"
                          "g_view = nullptr;"),
                  SkipReason::kGlobalRead, "leads elsewhere"},
      // A block of a fixed size would be sent as its array, but only while the
      // pointer keeps pointing at it.
      RefusalCase{
          "AFixedBlockPointerTheProgramPointsElsewhere",
          Program("#include <cstdlib>\n"
                  "static double *g_block = (double *)malloc(sizeof(double) * 9);\n"
                  "static double g_other[9];",
                  "for (int i = 0; i < 9; ++i) g_block[i] = i;\n"
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n"
                  "  v[i] = heavy(i) + g_block[i];\n"
                  "g_block = g_other;"),
          SkipReason::kGlobalRead, "leads elsewhere"},
      RefusalCase{
          "ABlockOfASizeKnownOnlyAtRunTime",
          Program("#include <cstdlib>\n"
                  "static int g_n = 9;\n"
                  "static double *g_block = (double *)malloc(sizeof(double) * g_n);",
                  "for (int i = 0; i < 9; ++i) g_block[i] = i;\n"
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n"
                  "  v[i] = heavy(i) + g_block[i];"),
          SkipReason::kGlobalRead, "leads elsewhere"},
      RefusalCase{"AFixedBlockOtherUnitsCouldReach",
                  Program("#include <cstdlib>\n"
                          "double *g_block = (double *)malloc(sizeof(double) * 9);",
                          "for (int i = 0; i < 9; ++i) g_block[i] = i;\n"
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v[i] = heavy(i) + g_block[i];"),
                  SkipReason::kGlobalRead, "leads elsewhere"},
      RefusalCase{
          "TheSizeOfAFixedBlockPointer",
          Program("#include <cstdlib>\n"
                  "static double *g_block = (double *)malloc(sizeof(double) * 9);",
                  "for (int i = 0; i < 9; ++i) g_block[i] = i;\n"
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n"
                  "  v[i] = heavy(i) + g_block[i] * sizeof(g_block);"),
          SkipReason::kGlobalRead, "leads elsewhere"},
      RefusalCase{"AGlobalNamedWithItsNamespace",
                  Program("namespace grid { std::vector<double> cells(9); }",
                          "grid::cells[2] = 1;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double x = heavy(i);\n  v[i] = x + grid::cells[i]; }"),
                  SkipReason::kGlobalRead, "qualified name"},
      RefusalCase{"AStaticMemberTheProgramChanges",
                  Program("struct Table { static double scale; };\n"
                          "double Table::scale = 1;",
                          "Table::scale = 2;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double x = heavy(i);\n  v[i] = x * Table::scale; }"),
                  SkipReason::kGlobalRead, "qualified name"},
      RefusalCase{"ACharacterArrayGlobal",
                  Program("char g_tag[16];",
                          "g_tag[0] = 'a';\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double x = heavy(i);\n  v[i] = x + g_tag[i]; }"),
                  SkipReason::kNonSerializable, "an array"},
      RefusalCase{
          "CalleeReadsTheGlobalTheLoopFills",
          Program("std::vector<double> g_out(9);\n"
                  "double prev(int i) { return heavy(i) + (i ? g_out[i - 1] : 0); }",
                  "for (int i = 0; i < 9; ++i) // LOOP\n  g_out[i] = prev(i);"),
          SkipReason::kGlobalRead, "g_out"},
      RefusalCase{"ArgumentsReadTheTargetThroughAReference",
                  Program("",
                          "std::vector<double> v(9);\nconst auto &view = v;\n"
                          "for (int i = 1; i < 9; ++i) // LOOP\n"
                          "  v[i] = heavy(static_cast<int>(view[i - 1]));"),
                  SkipReason::kLoopCarriedDependency, "'v'"},
      RefusalCase{
          "VirtualCall",
          IndexedLoop("struct Shape { virtual double area(int x) const { return "
                      "heavy(x); } virtual ~Shape() {} };\n"
                      "double measure(const Shape &s, int x) { return s.area(x); }\n"
                      "Shape g_shape;",
                      "measure(g_shape, i)"),
          SkipReason::kUnknownCallee, "virtual function Shape::area"},
      // Found by hand: the program printed 1 (one copy), the conversion 2.
      RefusalCase{
          "ACopyConstructorOfItsOwn",
          Program("struct Counted { double v = 0; Counted() = default;\n"
                  "  Counted(const Counted &o) : v(o.v + 1) {} };\n"
                  "double run(Counted c) { return heavy(1) + c.v; }",
                  "std::vector<Counted> items(9);\nstd::vector<double> out;\n"
                  "for (const auto &c : items) // LOOP\n  out.push_back(run(c));"),
          SkipReason::kNonSerializable, "copies itself its own way"},
      RefusalCase{
          "AMoveAssignmentOfItsOwn",
          Program("struct Moved { double v = 0; Moved() = default;\n"
                  "  Moved(const Moved &) = default;\n"
                  "  Moved &operator=(Moved &&o) { v = o.v * 2; return *this; } };\n"
                  "Moved make(int x) { Moved m; m.v = heavy(x); return m; }",
                  "std::vector<Moved> out(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = make(i);"),
          SkipReason::kNonSerializable, "copies itself its own way"},
      // Found by hand: the driver printed each task's words in another order.
      RefusalCase{"AnUnorderedMapReturned",
                  Program("#include <unordered_map>\n"
                          "std::unordered_map<int, int> tally(int x) {\n"
                          "  std::unordered_map<int, int> m; m[x % 7] = heavy(x) > 0;\n"
                          "  return m; }",
                          "std::vector<std::unordered_map<int, int>> maps(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  maps[i] = tally(i);"),
                  SkipReason::kNonSerializable, "need not keep"},
      RefusalCase{
          "AnUnorderedSetInAReturnedStruct",
          Program("#include <unordered_set>\n"
                  "struct Picked { std::unordered_set<int> ids; double w = 0; };\n"
                  "Picked pick(int x) { Picked p; p.ids.insert(x % 5);\n"
                  "  p.w = heavy(x); return p; }",
                  "std::vector<Picked> out(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = pick(i);"),
          SkipReason::kNonSerializable, "need not keep"},
      // Found by hand: the rebuilt map's default ByMod merged keys the original kept.
      RefusalCase{
          "AMapOrderedByAComparatorWithState",
          Program(
              "struct ByMod { int mod = 1;\n"
              "  bool operator()(int a, int b) const { return a % mod < b % mod; } };\n"
              "std::map<int, int, ByMod> group(int x) {\n"
              "  std::map<int, int, ByMod> m(ByMod{3}); m[x] = heavy(x) > 0;\n"
              "  return m; }",
              "std::vector<std::map<int, int, ByMod>> out(9);\n"
              "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = group(i);"),
          SkipReason::kNonSerializable, "orders its keys with 'ByMod'"},
      RefusalCase{"AVectorWhoseCapacityTheProgramAsks",
                  Program("std::vector<double> grow(int x) { std::vector<double> v;\n"
                          "  v.reserve(100); v.push_back(heavy(x)); return v; }",
                          "std::vector<std::vector<double>> out(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = grow(i);\n"
                          "std::printf(\"%zu\\n\", out[2].capacity());"),
                  SkipReason::kNonSerializable, "capacity()"},
      RefusalCase{"StdFunction",
                  IndexedLoop("#include <functional>\n"
                              "double call(std::function<double(int)> f, int x) { return "
                              "f(x); }",
                              "call(heavy, i)"),
                  SkipReason::kUnknownCallee, "std::function"},
      RefusalCase{"CallbackToStdSortWritesAGlobal",
                  IndexedLoop("#include <algorithm>\nint g_compares = 0;\n"
                              "double sorted(int x) { std::vector<int> w{3, 1, 2};\n"
                              "  std::sort(w.begin(), w.end(), [](int a, int b) { "
                              "++g_compares; return a < b; });\n"
                              "  return heavy(x + w[0]); }",
                              "sorted(i)"),
                  SkipReason::kGlobalWrite, "g_compares"},
      RefusalCase{
          "FunctorHandedToForEachWritesAGlobal",
          IndexedLoop("#include <algorithm>\nint g_seen = 0;\n"
                      "struct Count { void operator()(int) const { ++g_seen; } };\n"
                      "double counted(int x) { std::vector<int> w{1, 2};\n"
                      "  std::for_each(w.begin(), w.end(), Count{}); return heavy(x); }",
                      "counted(i)"),
          SkipReason::kGlobalWrite, "g_seen"},
      RefusalCase{
          "WriteThroughALocalReferenceToAGlobal",
          IndexedLoop("int g_count = 0;\n"
                      "double aliased(int x) { int &r = g_count; ++r; return heavy(x); }",
                      "aliased(i)"),
          SkipReason::kGlobalWrite, "g_count"},
      RefusalCase{"LocalPointerPointedAtAGlobalAfterItsDeclaration",
                  IndexedLoop("int g_hits = 0;\n"
                              "double hit(int x) { int local = 0; int *p = &local;\n"
                              "  if (x >= 0) p = &g_hits; *p += 1; return heavy(x); }",
                              "hit(i)"),
                  SkipReason::kGlobalWrite, "cannot follow"},
      // What a task cannot install: a global its function cannot name yet, one the
      // loop itself changes. A callee's static local can only change in the callee,
      // so reading one the program changes is writing it (global-write).
      RefusalCase{"CalleeReadsAGlobalDeclaredAfterTheLoopsFunction",
                  "#include <vector>\ndouble late(int x);\n"
                  "int main() {\nstd::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = late(i);\n}\n"
                  "double g_late = 2;\nvoid set() { g_late = 3; }\n"
                  "double late(int x) { double s = 0;\n"
                  "  for (int k = 0; k < 100000; ++k) s += x * k * g_late; return s; }\n",
                  SkipReason::kGlobalRead, "declares only after main()"},
      RefusalCase{"CalleeReadsAStaticLocalTheProgramChanges",
                  Program("double tuned(int x, bool set) { static double k = 1;\n"
                          "  if (set) k = 2; return heavy(x) * k; }",
                          "tuned(0, true);\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v[i] = tuned(i, false);"),
                  SkipReason::kGlobalWrite, "k"},
      RefusalCase{"CalleeReadsAGlobalTheLoopBodyChanges",
                  Program("double g_bias = 0;\n"
                          "double biased(int x) { return heavy(x) + g_bias; }",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  g_bias = i * 0.5;\n  v[i] = biased(i); }"),
                  SkipReason::kGlobalRead, "which the loop itself changes"},
      RefusalCase{"CalleeReadsThroughAGlobalPointer",
                  Program("double g_value = 1;\nconst double *g_view = &g_value;\n"
                          "double viewed(int x) { return heavy(x) * *g_view; }",
                          "g_value = 3;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = viewed(i);"),
                  SkipReason::kGlobalRead, "g_view"},
      RefusalCase{"StaticReturnedByReference",
                  IndexedLoop("int &counter() { static int c = 0; return c; }\n"
                              "double bumped(int x) { counter()++; return heavy(x); }",
                              "bumped(i)"),
                  SkipReason::kGlobalWrite, "cannot follow"},
      RefusalCase{"MutableMemberOfAGlobal",
                  IndexedLoop("struct Cache { mutable int hits = 0;\n"
                              "  int get(int x) const { ++hits; return x; } };\n"
                              "Cache g_cache;\n"
                              "double cached(int x) { return heavy(g_cache.get(x)); }",
                              "cached(i)"),
                  SkipReason::kGlobalWrite, "g_cache"},
      // A const global changes only through what it holds: the reason says so.
      RefusalCase{
          "PointerMemberOfAConstGlobal",
          IndexedLoop("int g_calls = 0;\n"
                      "struct Logger { int *count; void log() const { ++*count; } };\n"
                      "const Logger g_logger{&g_calls};\n"
                      "double logged(int x) { g_logger.log(); return heavy(x); }",
                      "logged(i)"),
          SkipReason::kGlobalWrite, "writes through the const global 'g_logger'"},
      RefusalCase{"StaticMapMemo",
                  IndexedLoop("double memo(int x) { static std::map<int, double> m;\n"
                              "  double &slot = m[x]; if (slot == 0) slot = heavy(x); "
                              "return slot; }",
                              "memo(i)"),
                  SkipReason::kGlobalWrite, "'m'"},
      RefusalCase{
          "Mrand48",
          IndexedLoop("double noisy(int x) { return heavy(x) + mrand48(); }", "noisy(i)"),
          SkipReason::kGlobalWrite, "mrand48"},
      RefusalCase{"Strtok",
                  IndexedLoop("#include <cstring>\n"
                              "double tok(int x) { char b[8] = \"a b\"; "
                              "return heavy(x) + (std::strtok(b, \" \") != nullptr); }",
                              "tok(i)"),
                  SkipReason::kGlobalWrite, "strtok"},
      RefusalCase{"Gmtime",
                  IndexedLoop("#include <ctime>\n"
                              "double year(int x) { std::time_t t = x; "
                              "return heavy(x) + std::gmtime(&t)->tm_year; }",
                              "year(i)"),
                  SkipReason::kGlobalWrite, "gmtime"},
      RefusalCase{
          "UnknownLibraryFunction",
          IndexedLoop("#include <unistd.h>\n"
                      "double host(int x) { char name[64]; "
                      "gethostname(name, sizeof name); return heavy(x) + name[0]; }",
                      "host(i)"),
          SkipReason::kUnknownCallee, "gethostname"},
      RefusalCase{
          "CalleeThrows",
          IndexedLoop("double checked(int x) { if (x > 100) throw x; return heavy(x); }",
                      "checked(i)"),
          SkipReason::kMayThrow, "checked()"},
      RefusalCase{"CalleeThrowsAStandardException",
                  IndexedLoop("#include <stdexcept>\n"
                              "double checked(int x) { if (x > 100) "
                              "throw std::runtime_error(\"big\"); return heavy(x); }",
                              "checked(i)"),
                  SkipReason::kMayThrow, "checked()"},
      // Caught by type, an exception of another type would still leave the callee;
      // caught by `catch (...)` and thrown again, it leaves it anyway.
      RefusalCase{"CalleeCatchesOnlyOneType",
                  IndexedLoop("#include <stdexcept>\n"
                              "double checked(int x) { try { if (x > 100) throw x; }\n"
                              "  catch (const std::exception &) {} return heavy(x); }",
                              "checked(i)"),
                  SkipReason::kMayThrow, "checked()"},
      RefusalCase{"CalleeRethrowsWhatItCatches",
                  IndexedLoop("double checked(int x) { try { if (x > 100) throw x; }\n"
                              "  catch (...) { throw; } return heavy(x); }",
                              "checked(i)"),
                  SkipReason::kMayThrow, "checked()"},
      // The handler's type must be the class thrown or a public base of it; a
      // callee's exception, its type unknown, may be another.
      RefusalCase{"CalleeCatchesAnUnrelatedClass",
                  IndexedLoop("#include <stdexcept>\n"
                              "double checked(int x) { try { if (x > 100) throw "
                              "std::runtime_error(\"big\"); }\n"
                              "  catch (const std::logic_error &) {} return heavy(x); }",
                              "checked(i)"),
                  SkipReason::kMayThrow, "checked()"},
      RefusalCase{
          "CalleeCatchesAPrivateBase",
          IndexedLoop("struct Base {};\nstruct Hidden : private Base {};\n"
                      "double checked(int x) { try { if (x > 100) throw Hidden(); }\n"
                      "  catch (const Base &) {} return heavy(x); }",
                      "checked(i)"),
          SkipReason::kMayThrow, "checked()"},
      RefusalCase{
          "BodyCatchesAnUnrelatedClass",
          Program("#include <stdexcept>",
                  "std::vector<double> v(9, -1.0);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  try { if (i % 7 == 3) throw std::runtime_error(\"bad\");\n"
                  "    v[i] = heavy(i); } catch (const std::logic_error &) {}\n}"),
          SkipReason::kEarlyExit, "'throw'"},
      RefusalCase{"BodyRethrowsWhatItCatches",
                  Program("#include <stdexcept>",
                          "std::vector<double> v(9, -1.0);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  try { if (i % 7 == 3) throw std::runtime_error(\"bad\");\n"
                          "    v[i] = heavy(i); } catch (...) { v[i] = 0; throw; }\n}"),
                  SkipReason::kEarlyExit, "'throw'"},
      // A handler catches what callees throw only when it names each class thrown
      // or a public base of it: not a number, not a class deriving privately, not a
      // rethrow of whatever was caught, not another subclass of the same base; the
      // standard library's own are the classes it documents (`at` throws
      // std::out_of_range).
      RefusalCase{
          "CalleeThrowsANumberUnderAnExceptionHandler",
          Program("#include <stdexcept>\n"
                  "double risky(int x) { if (x % 7 == 3) throw x; return heavy(x); }",
                  "std::vector<double> v(9, -1.0);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  try { v[i] = risky(i); } catch (const std::exception &) {}\n}"),
          SkipReason::kMayThrow, "risky()"},
      RefusalCase{
          "CalleeThrowsAPrivatelyDerivedClass",
          Program("#include <stdexcept>\nstruct Odd : private std::exception {};\n"
                  "double risky(int x) { if (x % 7 == 3) throw Odd(); "
                  "return heavy(x); }",
                  "std::vector<double> v(9, -1.0);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  try { v[i] = risky(i); } catch (const std::exception &) {}\n}"),
          SkipReason::kMayThrow, "risky()"},
      RefusalCase{
          "CalleeRethrowsUnderAnExceptionHandler",
          Program("#include <stdexcept>\n"
                  "double risky(int x) { try { if (x % 7 == 3) throw x; }\n"
                  "  catch (...) { throw; } return heavy(x); }",
                  "std::vector<double> v(9, -1.0);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  try { v[i] = risky(i); } catch (const std::exception &) {}\n}"),
          SkipReason::kMayThrow, "risky()"},
      RefusalCase{
          "CalleeThrowsAnotherSubclassUnderAHandlerOfOne",
          Program("#include <stdexcept>\n"
                  "double risky(int x) { if (x % 7 == 3) throw "
                  "std::logic_error(\"bad\"); return heavy(x); }",
                  "std::vector<double> v(9, -1.0);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  try { v[i] = risky(i); } catch (const std::runtime_error &) {}\n}"),
          SkipReason::kMayThrow, "risky()"},
      RefusalCase{
          "AtUnderAHandlerOfAnotherStandardClass",
          Program(
              "#include <stdexcept>\n"
              "double risky(int x) { std::vector<double> w(3); "
              "return heavy(x) + w.at(x); }",
              "std::vector<double> v(9, -1.0);\n"
              "for (int i = 0; i < 9; ++i) { // LOOP\n"
              "  try { v[i] = risky(i); } catch (const std::invalid_argument &) {}\n}"),
          SkipReason::kMayThrow, "risky()"},
      RefusalCase{"ConstructorsFunctionTryBlockThrowsAgain",
                  IndexedLoop("#include <stdexcept>\n"
                              "struct Sample { double v;\n"
                              "  explicit Sample(int x) try : v(heavy(x)) {\n"
                              "    if (x % 5 == 2) throw std::runtime_error(\"bad\");\n"
                              "  } catch (...) {} };\n"
                              "double measure(int x) { return Sample(x).v; }",
                              "measure(i)"),
                  SkipReason::kMayThrow, "measure()"},
      RefusalCase{"CalleeUsesAt",
                  IndexedLoop("double pick(int x) { std::vector<double> w(3); "
                              "return heavy(x) + w.at(x); }",
                              "pick(i)"),
                  SkipReason::kMayThrow, "at"},
      RefusalCase{"CalleeExits",
                  IndexedLoop("double guarded(int x) { if (x < 0) std::exit(1); "
                              "return heavy(x); }",
                              "guarded(i)"),
                  SkipReason::kEarlyExit, "exit"},
      RefusalCase{"GlobalStringGrowsThroughAnOperator",
                  IndexedLoop("std::string g_text;\n"
                              "double logged(int x) { g_text += 'x'; return heavy(x); }",
                              "logged(i)"),
                  SkipReason::kGlobalWrite, "g_text"},
      RefusalCase{"GlobalPassedToAReferenceParameterInsideTheCallee",
                  IndexedLoop("int g_calls = 0;\nvoid bump(int &n) { ++n; }\n"
                              "double counted(int x) { bump(g_calls); return heavy(x); }",
                              "counted(i)"),
                  SkipReason::kGlobalWrite, "g_calls"},
      RefusalCase{
          "SwapOfTwoGlobals",
          IndexedLoop("#include <utility>\nint g_a = 1, g_b = 2;\n"
                      "double swapped(int x) { std::swap(g_a, g_b); return heavy(x); }",
                      "swapped(i)"),
          SkipReason::kGlobalWrite, "g_a"},
      RefusalCase{
          "MutualRecursionReachingIo",
          IndexedLoop("int ping(int n);\n"
                      "int pong(int n) { if (n <= 0) { std::printf(\"!\"); return 0; } "
                      "return ping(n - 1); }\n"
                      "int ping(int n) { return n <= 0 ? 0 : pong(n - 1); }\n"
                      "double ponged(int x) { return heavy(x) + ping(x % 3); }\n"
                      "double pinged(int x) { return heavy(x) + pong(x % 3); }",
                      "pinged(i) + ponged(i)"),
          SkipReason::kIo, "printf"},
      RefusalCase{
          "GotoOutOfTheLoop",
          Program("",
                  "std::vector<double> v(9);\nfor (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  if (i > 7) goto done;\n  v[i] = heavy(i); }\ndone:"),
          SkipReason::kEarlyExit, "goto"},
      RefusalCase{"LongDoubleResult",
                  Program("long double precise(int x) { long double s = 0; "
                          "for (int i = 0; i < 99; ++i) s += x * i; return s; }",
                          "std::vector<long double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = precise(i);"),
                  SkipReason::kNonSerializable, "long double"},
      RefusalCase{
          "Int128Argument",
          IndexedLoop("double wide(__int128 x) { double s = 0; "
                      "for (int i = 0; i < 99; ++i) s += double(x) * i; return s; }",
                      "wide(i)"),
          SkipReason::kNonSerializable, "__int128"},
      RefusalCase{
          "LoopWrittenByAMacro",
          Program("#define EACH(n) for (int i = 0; i < n; ++i)",
                  "std::vector<double> v(9);\nEACH(9) // LOOP\n  v[i] = heavy(i);"),
          SkipReason::kMacro, "macro"},
      RefusalCase{"CallWrittenByAMacro",
                  Program("#define WORK(x) heavy(x)",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  v[i] = WORK(i);"),
                  SkipReason::kMacro, "macro"},
      RefusalCase{"OpenMpPragmaAboveTheLoop",
                  Program("",
                          "std::vector<double> v(9);\n#pragma omp parallel for\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = heavy(i);"),
                  SkipReason::kUnsupportedShape, "#pragma"},
      // emplace_back forwards the counter to a constructor of the program's that
      // changes it: the counter really is written.
      RefusalCase{
          "EmplaceIntoATypeThatChangesWhatItIsGiven",
          Program("struct Bumps { double v; Bumps(int &x, double w) : v(w) { ++x; } };",
                  "std::vector<Bumps> v;\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  v.emplace_back(i, heavy(i));\n}"),
          SkipReason::kLoopCarriedDependency, "changes the counter 'i'"},
      // A pair of a reference binds the counter: writing the pair's first writes it.
      RefusalCase{"APairHoldingAReferenceToTheCounter",
                  Program("#include <utility>",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  std::pair<int &, double> p(i, heavy(i));\n"
                          "  p.first += 0;\n  v[i] = p.second;\n}"),
                  SkipReason::kLoopCarriedDependency, "'i'"},
      // A local of the body whose destructor counts: no statement names the global.
      RefusalCase{
          "DestructorOfALocalOfTheBody",
          Program("int g_destroyed = 0;\nstruct Guard { ~Guard() { ++g_destroyed; } };",
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  Guard g;\n  v[i] = heavy(i);\n}"),
          SkipReason::kGlobalWrite, "'g_destroyed' through code it runs"},
      // Declared in the body, yet one variable for the whole loop: each task counted
      // from zero again.
      RefusalCase{"StaticVariableDeclaredInTheBody",
                  Program("",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  static int calls = 0;\n  calls++;\n"
                          "  v[i] = heavy(i) + calls;\n}"),
                  SkipReason::kGlobalWrite, "static variable 'calls'"},
      // The loop's copy of the table and the callee's global are one array in the
      // program and two in a task: the pointer no longer points into the global.
      RefusalCase{"AddressOfAGlobalTheCalleeAlsoNames",
                  Program("int g_table[9];\n"
                          "double inside(const int *p, int x) { "
                          "return heavy(x) + (p >= g_table && p < g_table + 9); }",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double in = inside(&g_table[i], i);\n  v[i] = in + 1;\n}"),
                  SkipReason::kGlobalRead, "given the address of 'g_table'"},
      // The library's own state, drawn on by the body itself rather than by a
      // callee: each task drew from its process's own generator.
      RefusalCase{"RandInAnOutlinedBody",
                  Program("",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double x = heavy(i);\n  v[i] = x + std::rand() % 7;\n}"),
                  SkipReason::kGlobalWrite, "calls rand"},
      RefusalCase{"RandInAReductionsPart",
                  Program("",
                          "double total = 0;\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n"
                          "  total += heavy(i) * (std::rand() % 3);"),
                  SkipReason::kGlobalWrite, "calls rand"},
      // A pointer into the iteration's own row reached the next row: the task wrote
      // its copy of row i + 1, which never went back (verify: 2421.6 for 1985.5).
      RefusalCase{"PointerIntoTheOwnSliceReachesTheNext",
                  Program("",
                          "double a[9][4] = {};\n"
                          "for (int i = 0; i < 8; ++i) { // LOOP\n"
                          "  double *p = &a[i][0];\n  p[4] = heavy(i) + p[0];\n}"),
                  SkipReason::kLoopCarriedDependency, "reads 'a'"},
      // A static local keeps what its initializer read at the function's first call in
      // each process: the driver's first call came before the global changed (verify:
      // 48.53 for 16.70), a task's process makes its own at another iteration.
      RefusalCase{
          "StaticInitializedFromAGlobalTheProgramChanges",
          Program("double g_scale = 1;\n"
                  "double scaled(int x) { static const double k = g_scale * 2; "
                  "return heavy(x) * k; }",
                  "double first = scaled(0);\ng_scale = 3;\n"
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = scaled(i) + first;"),
          SkipReason::kGlobalRead, "initialises a static from 'g_scale'"},
      RefusalCase{"StaticInitializedFromAParameter",
                  IndexedLoop("double scaled(int x) { static const double k = x + 1.0; "
                              "return heavy(x) * k; }",
                              "scaled(i)"),
                  SkipReason::kGlobalWrite, "initialises the static 'k' from 'x'"}};
}

INSTANTIATE_TEST_SUITE_P(Hazards, RefusalTest, ::testing::ValuesIn(HazardCases()),
                         testing::CaseName());

// Code the callee runs without calling it by name: constructors, their initializers,
// destructors, default arguments, and what a library calls on the user's types. Each
// changed a global in a task's copy and printed something else.
std::vector<RefusalCase> ImplicitCallCases() {
  const std::string guard =
      "int g_destroyed = 0;\nstruct Guard { ~Guard() { ++g_destroyed; } int get() "
      "const { return 1; } };\n";
  return {
      RefusalCase{"DestructorOfALocal",
                  IndexedLoop(guard + "double work(int x) { Guard g; return heavy(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_destroyed"},
      RefusalCase{
          "DestructorOfATemporary",
          IndexedLoop(guard + "double work(int x) { return heavy(x) + Guard().get(); }",
                      "work(i)"),
          SkipReason::kGlobalWrite, "g_destroyed"},
      RefusalCase{"DestructorOfAMember",
                  IndexedLoop(guard + "struct Holder { Guard g; };\n"
                                      "double work(int x) { Holder h; return heavy(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_destroyed"},
      RefusalCase{
          "DestructorOfAParameterByValue",
          IndexedLoop(guard + "double use(Guard g) { return g.get(); }\n"
                              "double work(int x) { return heavy(x) + use(Guard()); }",
                      "work(i)"),
          SkipReason::kGlobalWrite, "g_destroyed"},
      RefusalCase{"ConstructorInitializer",
                  IndexedLoop("int g_made = 0;\n"
                              "struct Tag { int id; Tag() : id(++g_made) {} };\n"
                              "double work(int x) { Tag t; return heavy(x) + t.id; }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_made"},
      RefusalCase{"DefaultMemberInitializer",
                  IndexedLoop("int g_next = 0;\nstruct Tagged { int id = ++g_next; };\n"
                              "double work(int x) { Tagged t; return heavy(x) + t.id; }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_next"},
      RefusalCase{
          "DefaultArgumentInsideTheCallee",
          IndexedLoop("int g_next = 0;\nint next_id() { return ++g_next; }\n"
                      "double scaled(int x, int id = next_id()) { return x + id; }\n"
                      "double work(int x) { return heavy(x) + scaled(x); }",
                      "work(i)"),
          SkipReason::kGlobalWrite, "g_next"},
      RefusalCase{"ElementsAContainerConstructs",
                  IndexedLoop("int g_made = 0;\n"
                              "struct Counted { int id; Counted() : id(++g_made) {} };\n"
                              "double work(int x) { std::vector<Counted> c(3); "
                              "return heavy(x) + c[2].id; }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_made"},
      RefusalCase{
          "OperatorStdSortCalls",
          IndexedLoop("#include <algorithm>\nint g_compares = 0;\n"
                      "struct Item { double v; };\n"
                      "bool operator<(const Item &a, const Item &b) "
                      "{ ++g_compares; return a.v < b.v; }\n"
                      "double work(int x) { std::vector<Item> v{{2.0}, {1.0}}; "
                      "std::sort(v.begin(), v.end()); return heavy(x) + v[0].v; }",
                      "work(i)"),
          SkipReason::kGlobalWrite, "g_compares"},
      RefusalCase{"HashSpecializationAnUnorderedSetCalls",
                  IndexedLoop("#include <unordered_set>\nint g_hashed = 0;\n"
                              "struct Key { int k; bool operator==(const Key &o) const "
                              "{ return k == o.k; } };\n"
                              "namespace std { template <> struct hash<Key> { size_t "
                              "operator()(const Key &key) const { ++g_hashed; "
                              "return key.k; } }; }\n"
                              "double work(int x) { std::unordered_set<Key> s; "
                              "s.insert(Key{x}); return heavy(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_hashed"},
      RefusalCase{"DeleteThroughAVirtualDestructor",
                  IndexedLoop("struct Shape { virtual ~Shape() {} };\n"
                              "double work(int x) { Shape *s = new Shape; delete s; "
                              "return heavy(x); }",
                              "work(i)"),
                  SkipReason::kUnknownCallee, "virtual destructor"},
      RefusalCase{
          "SmartPointerToABaseWithAVirtualDestructor",
          IndexedLoop(
              "#include <memory>\nint g_destroyed = 0;\n"
              "struct Base { virtual ~Base() {} };\n"
              "struct Derived : Base { ~Derived() override { ++g_destroyed; } };\n"
              "double work(int x) { std::unique_ptr<Base> p(new Derived); "
              "return heavy(x); }",
              "work(i)"),
          SkipReason::kUnknownCallee, "virtual destructor"},
      RefusalCase{
          "ARecordHoldingItsOwnKind",
          IndexedLoop("int g_made = 0;\nstruct Node { std::vector<Node> kids = {}; "
                      "int v = ++g_made; };\n"
                      "double work(int x) { Node n; n.kids.push_back(Node{}); "
                      "return heavy(x); }",
                      "work(i)"),
          SkipReason::kGlobalWrite, "g_made"},
      RefusalCase{"ReplacedGlobalOperatorNew",
                  IndexedLoop("#include <new>\nlong g_allocations = 0;\n"
                              "void *operator new(std::size_t n) { ++g_allocations; "
                              "return std::malloc(n ? n : 1); }\n"
                              "void operator delete(void *p) noexcept { std::free(p); }\n"
                              "double work(int x) { std::vector<double> w(8, x); "
                              "return heavy(x) + w[1]; }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_allocations"},
      RefusalCase{"FloatingPointEnvironmentTheProgramSets",
                  Program("#include <cfenv>\n"
                          "double work(int x) { return heavy(x) / 3.0; }",
                          "std::fesetround(FE_UPWARD);\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(i);"),
                  SkipReason::kGlobalWrite, "floating-point environment"},
      // Views passed by value: the callee writes what the caller's view leads to.
      RefusalCase{
          "WriteThroughASharedPtrCopyOfAGlobal",
          Program("#include <memory>\n"
                  "std::shared_ptr<double> g_total = std::make_shared<double>(0);\n"
                  "void bump(std::shared_ptr<double> p) { *p += 1; }",
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  bump(g_total);\n  v[i] = heavy(i); }"),
          SkipReason::kLoopCarriedDependency, "g_total"},
      RefusalCase{"WriteThroughIteratorsOfAGlobal",
                  IndexedLoop("std::vector<double> g_buf(4, 0);\n"
                              "template <class It> void add(It b, It e) "
                              "{ for (; b != e; ++b) *b += 1; }\n"
                              "double work(int x) { add(g_buf.begin(), g_buf.end()); "
                              "return heavy(x) + g_buf[0]; }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_buf"},
      RefusalCase{
          "WriteThroughALocalCopyOfASharedPtr",
          Program("#include <memory>\n"
                  "std::shared_ptr<double> g_total = std::make_shared<double>(0);",
                  "std::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) { // LOOP\n"
                  "  auto q = g_total; *q += 1;\n  v[i] = heavy(i) + *q; }"),
          SkipReason::kLoopCarriedDependency, "g_total"},
      RefusalCase{"WriteThroughAPointerInAConstStructOfAGlobal",
                  IndexedLoop("struct Sink { int *hits; };\nint g_total = 0;\n"
                              "Sink g_sink{&g_total};\n"
                              "void bump(const Sink &s) { *s.hits += 1; }\n"
                              "double work(int x) { bump(g_sink); return heavy(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_sink"},
      RefusalCase{"WriteThroughAPointerInAStructMadeInTheIteration",
                  Program("struct Sink { int *hits; };\n"
                          "void bump(const Sink &s) { *s.hits += 1; }",
                          "int total = 0;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  Sink s{&total};\n  bump(s);\n  v[i] = heavy(i); }"),
                  SkipReason::kNonConstReference, "leads to the caller's data"},
      // What a global pointer leads to, written: the message says through what.
      RefusalCase{"WriteThroughAGlobalPointer",
                  IndexedLoop("static long *g_sink = nullptr;\n"
                              "double work(int x) { ++*g_sink; return heavy(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "writes through the global pointer 'g_sink'"},
      RefusalCase{
          "ConstCastOfAConstReferenceToAGlobal",
          IndexedLoop("double g_total = 0;\n"
                      "void sneak(const double &x) { const_cast<double &>(x) += 1; }\n"
                      "double work(int x) { sneak(g_total); return heavy(x); }",
                      "work(i)"),
          SkipReason::kGlobalWrite, "casts away const"},
      RefusalCase{"CStyleCastOfAConstPointerToAGlobal",
                  IndexedLoop("double g_cells[4];\n"
                              "void sneak(const double *p) { ((double *)p)[1] += 1; }\n"
                              "double work(int x) { sneak(g_cells); return heavy(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "casts away const"},
      RefusalCase{"CLibraryCallWhenTheProgramSetsTheLocale",
                  Program("#include <clocale>\n"
                          "double work(const std::string &s) { "
                          "return heavy(1) + std::strtod(s.c_str(), nullptr); }",
                          "std::setlocale(LC_NUMERIC, \"\");\n"
                          "std::vector<std::string> in(9, \"1.5\");\n"
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(in[i]);"),
                  SkipReason::kGlobalWrite, "locale"},
      RefusalCase{"CLibraryCallWhenTheProgramReadsErrno",
                  Program("#include <cerrno>\n#include <cmath>\n"
                          "double work(int x) { return heavy(x) + std::log(x - 4.0); }",
                          "errno = 0;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(i);\n"
                          "std::printf(\"%d\\n\", errno);"),
                  SkipReason::kGlobalWrite, "errno"},
      // A const object still changes through its `mutable` members: a memo a const
      // getter fills, reached by const reference, const pointer, a const global or
      // the element of a const container.
      RefusalCase{"MutableMemoThroughAConstReference",
                  Program("#include <map>\n"
                          "struct Memo { mutable std::map<int, double> m;\n"
                          "  double get(int x) const { return m[x % 3] = heavy(x); } };\n"
                          "double work(const Memo &memo, int x) { return memo.get(x); }",
                          "Memo memo;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(memo, i);"),
                  SkipReason::kNonConstReference, "mutable member"},
      RefusalCase{"MutableCounterOfAMemberThroughAConstPointer",
                  Program("struct Count { mutable int n = 0; "
                          "double tick(int x) const { ++n; return heavy(x); } };\n"
                          "struct Holder { Count c; };\n"
                          "double work(const Holder *h, int x) { return h->c.tick(x); }",
                          "Holder h;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(&h, i);"),
                  SkipReason::kNonConstReference, "mutable member"},
      RefusalCase{
          "MutableMemberCalledInAnOutlinedBody",
          Program("struct Count { mutable int n = 0; "
                  "double tick(int x) const { ++n; return heavy(x); } };",
                  "Count c;\nstd::vector<double> v(9);\n"
                  "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = 1.0 + c.tick(i);"),
          SkipReason::kLoopCarriedDependency, "'c'"},
      RefusalCase{"MutableMemberOfAConstGlobal",
                  IndexedLoop("struct Count { mutable int n = 0; "
                              "double tick(int x) const { ++n; return heavy(x); } };\n"
                              "const Count g_count{};\n"
                              "double work(int x) { return g_count.tick(x); }",
                              "work(i)"),
                  SkipReason::kGlobalWrite, "g_count"},
      RefusalCase{"MutableMemberOfAnElementOfAConstContainer",
                  Program("struct Count { mutable int n = 0; "
                          "double tick(int x) const { ++n; return heavy(x); } };\n"
                          "double work(const std::vector<Count> &cs, int x) "
                          "{ return cs[x % 2].tick(x); }",
                          "std::vector<Count> cs(2);\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(cs, i);"),
                  SkipReason::kGlobalWrite, "mutable member"},
      // A write through a global pointer or a parameter the driver replays, while the
      // task reads the variable it points to by name: the task read what the loop
      // found, not what earlier iterations wrote through the pointer.
      RefusalCase{"WriteThroughAGlobalPointerToAGlobalTheBodyReads",
                  Program("static int g_n = 10, *g_at = &g_n;",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  v[i] = heavy(i + g_n);\n  *g_at += 1;\n}"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through 'g_at', which may point to 'g_n'"},
      RefusalCase{"WriteThroughAPointerAGlobalStructHolds",
                  Program("static int g_n = 10;\nstruct Link { int *at; };\n"
                          "static Link g_link{&g_n};",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  v[i] = heavy(i + g_n);\n  *g_link.at += 1;\n}"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through 'g_link', which may point to 'g_n'"},
      RefusalCase{"WriteThroughAPointerAGlobalVectorHolds",
                  Program("static int g_n = 10;\nstatic std::vector<int *> g_at{&g_n};",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  v[i] = heavy(i + g_n);\n  *g_at[0] += 1;\n}"),
                  SkipReason::kLoopCarriedDependency, "writes through '*g_at[0]'"},
      RefusalCase{"WriteThroughAGlobalSmartPointer",
                  Program("#include <memory>\nstatic int g_n = 10;\n"
                          "static std::shared_ptr<int> g_at(&g_n, [](int *) {});",
                          "std::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  v[i] = heavy(i + g_n);\n  *g_at += 1;\n}"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through 'g_at', which may point to 'g_n'"},
      // A write rayify cannot follow (a local struct's pointer) may change anything:
      // the message names it, not the counter it cannot rule out.
      RefusalCase{"WriteThroughAPointerALocalStructHolds",
                  Program("struct Link { int *at; };",
                          "int n = 10;\nLink link{&n};\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  v[i] = heavy(i + n);\n  *link.at += 1;\n}"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through '*link.at', which rayify cannot follow"},
      RefusalCase{"WriteThroughAReferenceParameterToAGlobalTheLoopReads",
                  Program("static std::vector<double> g_v(10, 1.0);\n"
                          "void run(std::vector<double> &v) {\n"
                          "  for (int i = 0; i < 9; ++i) // LOOP\n"
                          "    v[i] = heavy(i) + g_v[i + 1];\n}",
                          "run(g_v);"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through 'v', which may point to 'g_v'"},
      RefusalCase{"WriteThroughAParameterToAGlobalACalleeReads",
                  Program("static int g_n = 10;\n"
                          "double work(int x) { return heavy(x + g_n); }\n"
                          "void run(std::vector<double> &v, int *p) {\n"
                          "  for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "    v[i] = work(i);\n    *p += 1;\n  }\n}",
                          "std::vector<double> v(9);\nrun(v, &g_n);"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through 'p', which may point to 'g_n'"},
      // Sending a value makes and destroys copies the program never made: in the
      // task, and on the driver (threads share its globals, and a worker's output
      // reaches the terminal).
      RefusalCase{"ASentObjectWhoseConstructorCounts",
                  Program("static int g_made = 0;\n"
                          "struct Model { double k = 2; Model() { ++g_made; }\n"
                          "  double run(int x) const { return heavy(x) * k; } };",
                          "Model m;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = m.run(i);\n"
                          "std::printf(\"%d\\n\", g_made);"),
                  SkipReason::kNonSerializable, "writes the global 'g_made'"},
      RefusalCase{"ASentObjectWhoseDestructorPrints",
                  Program("struct Model { double k = 2;\n"
                          "  ~Model() { std::printf(\"bye\\n\"); }\n"
                          "  double run(int x) const { return heavy(x) * k; } };",
                          "Model m;\nstd::vector<double> v(9);\n"
                          "for (int i = 0; i < 9; ++i) { // LOOP\n"
                          "  double r = m.run(i);\n  v[i] = r * 2;\n}"),
                  SkipReason::kNonSerializable, "printf"},
      // Taken by const reference, the program makes no copy; a task decodes one.
      RefusalCase{"AnArgumentWhoseMemberCountsConstructions",
                  Program("static int g_made = 0;\n"
                          "struct Tally { Tally() { ++g_made; } };\n"
                          "struct Config { double rate = 1; Tally tally; };\n"
                          "double train(const Config &c) { return heavy(c.rate); }",
                          "std::vector<Config> grid(9);\nstd::vector<double> v;\n"
                          "for (const auto &c : grid) // LOOP\n  v.push_back(train(c));\n"
                          "std::printf(\"%d\\n\", g_made);"),
                  SkipReason::kNonSerializable, "writes the global 'g_made'"}};
}

INSTANTIATE_TEST_SUITE_P(ImplicitCalls, RefusalTest,
                         ::testing::ValuesIn(ImplicitCallCases()), testing::CaseName());

// A member function called on an object of driver code runs in an outlined task,
// which is sent the object: it used to be refused as "a member function".
TEST(MemberCallTest, AMethodOfALocalObjectRunsInTasksSentTheObject) {
  Finding decision = DecisionFor(
      Program("struct Model { double k = 2;\n"
              "  double run(int x) const { return heavy(x) * k; } };",
              "Model m;\nstd::vector<double> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(m.run(i));"));
  ASSERT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
  EXPECT_TRUE(decision.conversion->outlined);
  const std::vector<std::string> &put = decision.conversion->put_variables;
  EXPECT_NE(std::find(put.begin(), put.end(), "m"), put.end());
}

// The controls of ImplicitCallCases: the same kinds of code without the hazard still
// convert, so each refusal above is the hazard's doing.
struct ConvertingCase {
  const char *name;
  std::string source;
};

void PrintTo(const ConvertingCase &c, std::ostream *out) { *out << c.name; }

class ImplicitCallControlTest : public ::testing::TestWithParam<ConvertingCase> {};

TEST_P(ImplicitCallControlTest, StillConverts) {
  Finding decision = DecisionFor(GetParam().source);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

// Calls Ray's task API cannot spell, `ray::Task(f).Remote(args...)` having no
// default arguments, no type for a braced list and no reference to send back: an
// outlined task makes the call as the loop wrote it.
class UnsendableCallTest : public ::testing::TestWithParam<ConvertingCase> {};

TEST_P(UnsendableCallTest, RunsInAnOutlinedTask) {
  Finding decision = DecisionFor(GetParam().source);
  ASSERT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
  EXPECT_TRUE(decision.conversion->outlined);
}

// An enum of the program's own declared at file scope is sent as its underlying
// integer: rayify adds MSGPACK_ADD_ENUM after it, in a task's result as in a struct
// holding it.
TEST(EnumTest, AnEnumOfANamespaceGetsMsgpackAddEnumBetweenItsNamespaces) {
  FileConversion file = testing::ConvertSnippet(
      Program("namespace app {\nnamespace rules {\nenum class Verdict { kGood, kBad };\n"
              "}\n}  // namespace app\n"
              "app::rules::Verdict judge(int x) { return heavy(x) > 3 ? "
              "app::rules::Verdict::kGood : app::rules::Verdict::kBad; }",
              "std::vector<app::rules::Verdict> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(judge(i));"));
  bool converted = false;
  for (const Finding *decision : file.LoopDecisions())
    converted = converted || decision->IsConversion();
  EXPECT_TRUE(converted);
  EXPECT_NE(
      file.converted.find(
          "enum class Verdict { kGood, kBad }; } } "
          "MSGPACK_ADD_ENUM(app::rules::Verdict); "
          "namespace app { namespace rules { /* for msgpack (added by rayify) */\n"),
      std::string::npos)
      << file.converted;
}

TEST(EnumTest, AFileScopeEnumGetsMsgpackAddEnum) {
  FileConversion file = testing::ConvertSnippet(
      Program("enum class Verdict { kGood, kBad };\n"
              "struct Judged { Verdict verdict; double score; };\n"
              "Judged judge(int x) { double h = heavy(x); "
              "return {h > 3 ? Verdict::kGood : Verdict::kBad, h}; }",
              "std::vector<Judged> v;\nfor (int i = 0; i < 9; ++i) // LOOP\n"
              "  v.push_back(judge(i));"));
  bool converted = false;
  for (const Finding *decision : file.LoopDecisions())
    converted = converted || decision->IsConversion();
  EXPECT_TRUE(converted);
  EXPECT_NE(file.converted.find("enum class Verdict { kGood, kBad };\n"
                                "MSGPACK_ADD_ENUM(Verdict);"),
            std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("MSGPACK_DEFINE(verdict, score);"), std::string::npos)
      << file.converted;
}

// A static local whose initializer reads only constants and globals nothing changes
// holds the same value in every process.
TEST(StaticInitializerTest, FromConstantsConverts) {
  Finding decision = DecisionFor(IndexedLoop(
      "#include <cmath>\nconst double kBase = 1.5;\n"
      "std::vector<double> make(int n) { std::vector<double> t(n); "
      "for (int k = 0; k < n; ++k) t[k] = std::sqrt(k + kBase); return t; }\n"
      "double scaled(int x) { const int n = 8; static const "
      "std::vector<double> table = make(n); return heavy(x) * table[x % n]; }",
      "scaled(i)"));
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

INSTANTIATE_TEST_SUITE_P(
    Calls, UnsendableCallTest,
    ::testing::Values(
        ConvertingCase{
            "DefaultArgument",
            IndexedLoop("double scaled(int x, double k = 2) { return heavy(x) * k; }",
                        "scaled(i)")},
        ConvertingCase{"BracedListArgument",
                       IndexedLoop("double total(std::vector<int> w) { double s = 0; "
                                   "for (int x : w) s += heavy(x); return s; }",
                                   "total({i, i + 1})")},
        ConvertingCase{
            "ReferenceResult",
            IndexedLoop("const double &larger(const double &a, const double &b) "
                        "{ return a < b ? b : a; }",
                        "larger(heavy(i), 0.5)")}),
    testing::CaseName());

std::vector<ConvertingCase> ImplicitCallControls() {
  return {
      {"HarmlessConstructorsDestructorsAndOperators",
       IndexedLoop("#include <algorithm>\n#include <cmath>\n"
                   "struct Guard { int n = 1; Guard() : n(2) {} ~Guard() { n = 0; } };\n"
                   "struct Item { double v; };\n"
                   "bool operator<(const Item &a, const Item &b) { return a.v < b.v; }\n"
                   "double work(int x) { Guard g; std::vector<Item> v{{2.0}, {1.0}}; "
                   "std::sort(v.begin(), v.end()); return heavy(x) + std::log(x + 1.0) + "
                   "v[0].v; }",
                   "work(i)")},
      // A record whose members hold records of its own kind (a tree's children)
      // reaches itself while its library callbacks are gathered: once crashed the tool.
      {"ARecordHoldingItsOwnKind",
       IndexedLoop("struct Node { std::vector<Node> kids = {}; int v = 0; };\n"
                   "double work(int x) { Node n; n.kids.push_back(Node{}); "
                   "return heavy(x); }",
                   "work(i)")},
      {"AReplacedOperatorNewThatOnlyAllocates",
       IndexedLoop(
           "#include <new>\n"
           "void *operator new(std::size_t n) { return std::malloc(n ? n : 1); }\n"
           "void operator delete(void *p) noexcept { std::free(p); }\n"
           "double work(int x) { std::vector<double> w(8, x); "
           "return heavy(x) + w[1]; }",
           "work(i)")},
      // A const object without `mutable` members is only read: the controls of the
      // mutable-member refusals.
      {"ConstReferenceToARecordWithoutMutableMembers",
       Program("#include <map>\n"
               "struct Table { std::map<int, double> m{{0, 1.0}}; "
               "double get(int x) const { return heavy(x) + m.find(0)->second; } };\n"
               "double work(const Table &t, int x) { return t.get(x); }",
               "Table t;\nstd::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(t, i);")},
      // Writes through a pointer that can reach nothing the loop reads: a parameter
      // of another type, a global block from malloc.
      {"WriteThroughAParameterOfAnotherTypeThanWhatTheLoopReads",
       Program("static int g_n = 10;\n"
               "void run(std::vector<double> &v, long *p) {\n"
               "  for (int i = 0; i < 9; ++i) { // LOOP\n"
               "    v[i] = heavy(i + g_n);\n    *p += 1;\n  }\n}",
               "std::vector<double> v(9);\nlong c = 0;\nrun(v, &c);")},
      {"WriteThroughAGlobalBlockFromMalloc",
       Program("#include <cstdlib>\n"
               "static long g_n = 10;\n"
               "static long *g_block = (long *)std::malloc(sizeof(long) * 4);",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  v[i] = heavy(i + g_n);\n  g_block[1] += 1;\n}")},
      // A const_iterator leads to data it cannot change.
      {"ReadThroughConstIterators",
       IndexedLoop(
           "std::vector<double> g_buf(4, 1);\n"
           "template <class It> double sum(It b, It e) "
           "{ double s = 0; for (; b != e; ++b) s += *b; return s; }\n"
           "double work(int x) { return heavy(x) + sum(g_buf.cbegin(), g_buf.cend()); }",
           "work(i)")},
      // strtol(s, nullptr, 10) was once taken for a write through an unknown pointer,
      // which refused the loop for changing its own counter.
      // A const static table in the body is the same in every task, and so is a
      // global whose address the callee gets but never names.
      {"ConstStaticTableInTheBody",
       Program("",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  static const int k[2] = {1, 2};\n  v[i] = heavy(i) + k[i % 2];\n}")},
      {"AddressOfAGlobalTheCalleeNeverNames",
       Program("int g_table[9];\n"
               "double first(const int *p, int x) { return heavy(x) + p[0]; }",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double in = first(&g_table[i], i);\n  v[i] = in + 1;\n}")},
      // The standard library takes the counter by forwarding reference only to copy
      // it into the pair or element it builds: once refused for "changing" it.
      {"CounterForwardedIntoPairsAndElements",
       Program("#include <tuple>\n#include <utility>",
               "std::vector<std::pair<int, double>> a(9), b;\n"
               "std::vector<std::tuple<int, double>> c(9);\nstd::vector<int> d;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double h = heavy(i);\n  a[i] = std::make_pair(i, h);\n"
               "  b.emplace_back(i, h);\n  c[i] = std::make_tuple(i, h);\n"
               "  if (h > 0) d.emplace_back(i);\n}")},
      // A number builds the number member in its position, whatever the pair's
      // other member is: the refs a counted actor loop keeps beside its counters.
      {"CounterForwardedBesideAProgramType",
       Program("#include <utility>\nstruct Label { double v = 0; };",
               "std::vector<std::pair<int, Label>> e;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double h = heavy(i);\n  e.emplace_back(i, Label{h});\n}")},
      // Constructors and destructors that keep to the object, and a constructor the
      // program calls itself (a send never does): the copies change nothing else.
      {"ASentObjectWithHarmlessConstructorsAndADestructor",
       Program("static int g_built = 0;\n"
               "struct Model { double k = 0; int n = 0; Model() : k(1) {}\n"
               "  Model(double rate, int steps) : k(rate), n(steps) { ++g_built; }\n"
               "  ~Model() { k = 0; }\n"
               "  double run(int x) const { return heavy(x) * k + n; } };",
               "Model m(0.5, 3);\nstd::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = m.run(i);")},
      // What a `catch (...)` catches never leaves the try: in the callee, or in the
      // loop's own body, where the task runs the whole statement.
      {"CalleeCatchesEverything",
       Program("#include <stdexcept>\n"
               "double checked(int x) { try { if (x > 100) throw "
               "std::runtime_error(\"big\"); }\n"
               "  catch (...) { return 0; } return heavy(x); }",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = checked(i * 30);")},
      {"BodyCatchesEverything",
       Program("#include <stdexcept>\n"
               "double risky(int x) { if (x % 7 == 3) throw "
               "std::runtime_error(\"bad\"); return heavy(x); }",
               "std::vector<double> v(9, -1.0);\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  try { v[i] = risky(i); } catch (...) { v[i] = 0; }\n}")},
      // Caught by type: the class thrown, or a public base of it, thrown right there.
      {"CalleeCatchesTheClassItThrows",
       Program("#include <stdexcept>\n"
               "double checked(int x) { try { if (x > 100) throw "
               "std::runtime_error(\"big\"); }\n"
               "  catch (const std::exception &) { return 0; } return heavy(x); }",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = checked(i * 30);")},
      {"BodyCatchesTheClassItThrows",
       Program(
           "#include <stdexcept>",
           "std::vector<double> v(9, -1.0);\n"
           "for (int i = 0; i < 9; ++i) { // LOOP\n"
           "  try { if (i % 7 == 3) throw std::runtime_error(\"bad\");\n"
           "    v[i] = heavy(i); } catch (const std::runtime_error &) { v[i] = 0; }\n}")},
      // ... and a handler of std::exception, what callees throw of the standard's
      // classes or classes deriving from them: a throw, `at`, `stoi`.
      {"CalleeThrowsAStandardClassUnderAnExceptionHandler",
       Program(
           "#include <stdexcept>\nstruct Odd : std::runtime_error {\n"
           "  Odd() : std::runtime_error(\"odd\") {} };\n"
           "double risky(int x) { if (x % 7 == 3) throw Odd(); return heavy(x); }",
           "std::vector<double> v(9, -1.0);\n"
           "for (int i = 0; i < 9; ++i) { // LOOP\n"
           "  try { v[i] = risky(i); } catch (const std::exception &) { v[i] = 0; }\n}")},
      {"LibraryThrowsUnderAnExceptionHandler",
       Program("#include <stdexcept>\n#include <string>\n"
               "double parsed(int x) { std::vector<double> w(3);\n"
               "  return heavy(std::stoi(std::to_string(x))) + w.at(x % 4); }\n"
               "double checked(int x) { try { return parsed(x); }\n"
               "  catch (const std::exception &) { return 0; } }",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = checked(i);")},
      // Classes a callee throws, caught by name: the class, or a base of it.
      {"CalleeCatchesByTypeWhatAnotherCalleeThrows",
       Program("#include <stdexcept>\n"
               "void check(int x) { if (x > 100) throw std::runtime_error(\"big\"); }\n"
               "double checked(int x) { try { check(x); }\n"
               "  catch (const std::runtime_error &) {} return heavy(x); }",
               "std::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = checked(i * 30);")},
      {"CalleeThrowsAClassOfTheProgramCaughtByItsBase",
       Program("struct SolverError { int code; };\nstruct Diverged : SolverError {};\n"
               "double solve(int x) { if (x % 6 == 1) throw Diverged{{x}}; return "
               "heavy(x); }",
               "std::vector<double> v(9, -1.0);\nint errors = 0;\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  try { v[i] = solve(i); } catch (const SolverError &e) { errors += 1; "
               "}\n}")},
      {"AtUnderAHandlerOfOutOfRange",
       Program("#include <map>\n#include <stdexcept>\n",
               "std::map<int, double> table = {{1, 0.5}, {4, 2.5}};\n"
               "std::vector<double> v(9, -1.0);\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  try { v[i] = heavy(i) + table.at(i); }\n"
               "  catch (const std::out_of_range &) { v[i] = 0; }\n}")},
      {"NullPointerOutParameter",
       Program("",
               "std::vector<std::string> in(9, \"12\");\nstd::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) // LOOP\n"
               "  v[i] = std::strtol(in[i].c_str(), nullptr, 10) + heavy(i);")}};
}

INSTANTIATE_TEST_SUITE_P(ImplicitCalls, ImplicitCallControlTest,
                         ::testing::ValuesIn(ImplicitCallControls()),
                         testing::CaseName());

// A virtual call on an object whose class the code fixes (an element of a
// std::vector or C array of that class, a range-for variable bound to one, a member,
// a local) runs the function its static type finds, which the analysis follows; one
// through a pointer or reference might run any override.
const char kShapes[] =
    "struct Shape { double r = 1; virtual ~Shape() {}\n"
    "  virtual double area(int x) const { return heavy(x) * r; } };\n"
    "struct Spot : Shape { double area(int) const override { return 0; } };\n";

std::vector<ConvertingCase> KnownDynamicTypeCases() {
  return {
      {"VectorElement", Program(kShapes,
                                "std::vector<Shape> s(9);\nstd::vector<double> v(9);\n"
                                "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                "  double a = s[i].area(i);\n  v[i] = a + 1;\n}")},
      {"FrontOfAVector", Program(kShapes,
                                 "std::vector<Shape> s(9);\nstd::vector<double> v(9);\n"
                                 "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                 "  double a = s.front().area(i);\n  v[i] = a + 1;\n}")},
      {"RangeForReference", Program(kShapes,
                                    "std::vector<Shape> s(9);\nstd::vector<double> v;\n"
                                    "for (const Shape &x : s) { // LOOP\n"
                                    "  double a = x.area(3);\n  v.push_back(a + 1);\n}")},
      {"MemberOfClassType",
       Program(std::string(kShapes) + "struct Holder { Shape shape; };",
               "std::vector<Holder> h(9);\nstd::vector<double> v(9);\n"
               "for (int i = 0; i < 9; ++i) { // LOOP\n"
               "  double a = h[i].shape.area(i);\n  v[i] = a + 1;\n}")}};
}

class KnownDynamicTypeTest : public ::testing::TestWithParam<ConvertingCase> {};

TEST_P(KnownDynamicTypeTest, VirtualCallConverts) {
  Finding decision = DecisionFor(GetParam().source);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

// An array of records cannot be sent, but the call on its element is followed: the
// refusal says so, not that any override might run.
TEST(KnownDynamicTypeRefusal, CArrayElementIsFollowed) {
  Finding decision = DecisionFor(Program(kShapes,
                                         "Shape s[9];\nstd::vector<double> v(9);\n"
                                         "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                         "  double a = s[i].area(i);\n"
                                         "  v[i] = a + 1;\n}"));
  EXPECT_EQ(decision.code, ReasonCode(SkipReason::kNonSerializable)) << decision.message;
}

INSTANTIATE_TEST_SUITE_P(Devirtualized, KnownDynamicTypeTest,
                         ::testing::ValuesIn(KnownDynamicTypeCases()),
                         testing::CaseName());

std::vector<RefusalCase> UnknownDynamicTypeCases() {
  const char *reason = "virtual function";
  return {
      RefusalCase{"VectorOfPointers",
                  Program(kShapes,
                          "Spot a, b;\nstd::vector<Shape *> s = {&a, &b, &a};\n"
                          "std::vector<double> v(3);\n"
                          "for (int i = 0; i < 3; ++i) { // LOOP\n"
                          "  double a = s[i]->area(i);\n  v[i] = a + 1;\n}"),
                  SkipReason::kUnknownCallee, reason},
      RefusalCase{"ReferenceParameter",
                  Program(std::string(kShapes) +
                              "void run(const Shape &s, std::vector<double> &v) {\n"
                              "  for (int i = 0; i < 9; ++i) { // LOOP\n"
                              "    double a = s.area(i);\n    v[i] = a + 1;\n  }\n}",
                          "Spot p;\nstd::vector<double> v(9);\nrun(p, v);"),
                  SkipReason::kUnknownCallee, reason},
      RefusalCase{"ElementThroughAPointer",
                  Program(std::string(kShapes) +
                              "void run(const Shape *s, std::vector<double> &v) {\n"
                              "  for (int i = 0; i < 3; ++i) { // LOOP\n"
                              "    double a = s[i].area(i);\n    v[i] = a + 1;\n  }\n}",
                          "Spot p[3];\nstd::vector<double> v(3);\nrun(p, v);"),
                  SkipReason::kUnknownCallee, reason},
      RefusalCase{"RangeForOverReferenceWrappers",
                  Program(std::string("#include <functional>\n") + kShapes,
                          "Spot a;\nstd::vector<std::reference_wrapper<Shape>> s(3, a);\n"
                          "std::vector<double> v;\n"
                          "for (Shape &x : s) // LOOP\n  v.push_back(x.area(3));"),
                  SkipReason::kUnknownCallee, reason}};
}

INSTANTIATE_TEST_SUITE_P(UnknownDynamicType, RefusalTest,
                         ::testing::ValuesIn(UnknownDynamicTypeCases()),
                         testing::CaseName());

// Iterators and pointers handed to the library as values: what the library writes
// through them lands in the container they point into, never in the variable they
// were read from. `std::fill_n(base + k, 1, x)` once counted as a write to `base`
// itself, and the loop converted with each task reading its own stale copy of `v`;
// a callable an algorithm hands elements by non-const reference changes them too.
std::vector<RefusalCase> ViewsHandedOverCases() {
  const std::string includes = "#include <algorithm>\n#include <numeric>\n";
  const std::string vectors = "std::vector<double> v(9, 1.0), w(9);\n";
  return {
      {"FillThroughAPointerOffset",
       Program(includes, vectors + "double *base = v.data();\n"
                                   "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                   "  std::fill_n(base + (i + 1) % 9, 1, heavy(i));\n"
                                   "  w[i] = v[i];\n}"),
       SkipReason::kUnsupportedShape, "'base' refers to a variable the loop updates"},
      {"FillThroughAnIteratorCopy",
       Program(includes, vectors +
                             "for (int i = 0; i < 9; ++i) { // LOOP\n"
                             "  auto it = v.begin() + (i + 1) % 9;\n"
                             "  std::fill(it, it + 1, heavy(i));\n  w[i] = v[i];\n}"),
       SkipReason::kLoopCarriedDependency, "reads 'v'"},
      {"SwapThroughIteratorsIntoTheNextElement",
       Program(includes, vectors + "auto first = v.begin();\n"
                                   "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                   "  std::iter_swap(first + i, first + (i + 1) % 9);\n"
                                   "  w[i] = heavy(v[i]);\n}"),
       SkipReason::kUnsupportedShape, "'first' refers to a variable the loop updates"},
      // A pointer kept in an element leads wherever it points, not into the vector
      // holding it: the write counted as one to the iteration's own element of `ptrs`.
      {"FillThroughAPointerAVectorHolds",
       Program(includes,
               vectors + "std::vector<double *> ptrs;\n"
                         "for (int k = 0; k < 9; ++k) ptrs.push_back(&v[(k + 1) % 9]);\n"
                         "for (int i = 0; i < 9; ++i) { // LOOP\n"
                         "  w[i] = heavy(v[i]);\n  std::fill_n(ptrs[i], 1, 0.0);\n}"),
       SkipReason::kLoopCarriedDependency, "writes through 'ptrs[i]'"},
      // The same through rows of a `double **`, with a counter declared before the
      // loop: the write is the reason, not the loop's header (it read "only for
      // loops with a plain counter ...").
      {"StoreThroughARowPointerWithACounterDeclaredBefore",
       Program(includes,
               "double **rows = new double *[9];\n"
               "for (int k = 0; k < 9; ++k) rows[k] = new double[9];\nint i;\n"
               "for (i = 0; i < 8; i++) // LOOP\n  rows[i + 1][0] = heavy(i);\n"
               "std::printf(\"%f\\n\", rows[3][0]);"),
       SkipReason::kLoopCarriedDependency, "writes through 'rows[i + 1][0]'"},
      {"PredicateTakingElementsByReference",
       Program(includes, vectors + "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                   "  auto it = std::find_if(v.begin(), v.end(), "
                                   "[](double &x) { x += 1; return x > 5; });\n"
                                   "  w[i] = heavy(i) + *it;\n}"),
       SkipReason::kLoopCarriedDependency, "reads 'v'"},
      {"GenericPredicateTakingElementsByReference",
       Program(includes, vectors + "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                   "  bool all = std::all_of(v.begin(), v.end(), "
                                   "[](auto &x) { x = 2; return true; });\n"
                                   "  w[i] = heavy(i) + all;\n}"),
       SkipReason::kLoopCarriedDependency, "reads 'v'"},
      {"PredicateInheritingACallOperatorTakingElementsByReference",
       Program(includes + "struct Zero { bool operator()(double &x) const { x = 0; "
                          "return true; } };\nstruct Pred : Zero {};\n",
               vectors + "for (int i = 0; i < 9; ++i) { // LOOP\n"
                         "  long n = std::count_if(v.begin(), v.end(), Pred{});\n"
                         "  w[i] = heavy(i) + n;\n}"),
       SkipReason::kLoopCarriedDependency, "'v'"},
      // Comparing iterators writes nothing: an iterator loop is refused for its shape,
      // not for a change to its counter that the comparison was taken for.
      {"IteratorLoopComparingWithBegin",
       Program(includes, vectors +
                             "std::vector<double> r;\n"
                             "for (auto it = v.begin(); it != v.end(); ++it) { // LOOP\n"
                             "  if (it == v.begin()) r.push_back(0);\n"
                             "  else r.push_back(heavy(*it));\n}"),
       SkipReason::kUnsupportedShape, "plain counter"}};
}

INSTANTIATE_TEST_SUITE_P(ViewsHandedOver, RefusalTest,
                         ::testing::ValuesIn(ViewsHandedOverCases()),
                         testing::CaseName());

// The algorithms that only read their ranges leave the vector unchanged, so a loop
// searching or summing a vector it never writes converts (each was refused as "the
// call may update 'v' through its arguments"); a view of that vector in a statement
// the driver replays is evaluated by the driver.
std::vector<ConvertingCase> ReadingAlgorithmControls() {
  const std::string includes = "#include <algorithm>\n#include <numeric>\n";
  const std::string vectors = "std::vector<double> v(9, 1.0), w(9, 1.0);\n";
  return {
      {"FindInAVectorTheLoopOnlyReads",
       Program(includes, vectors + "for (int i = 0; i < 9; ++i) { // LOOP\n"
                                   "  auto it = std::find(v.begin(), v.end(), 1.0 * i);\n"
                                   "  w[i] = heavy(it - v.begin());\n}\n"
                                   "std::printf(\"%f\\n\", w[3]);")},
      {"SumOfAPrefixOfAVectorTheLoopOnlyReads",
       Program(includes, vectors +
                             "for (int i = 0; i < 9; ++i) // LOOP\n"
                             "  w[i] = heavy(std::accumulate(v.begin(), v.begin() + i, "
                             "0.0) > 2);\nstd::printf(\"%f\\n\", w[3]);")},
      {"CountWithAPredicateTakingConstReferences",
       Program(includes, vectors + "for (int i = 0; i < 9; ++i) // LOOP\n"
                                   "  w[i] = heavy(std::count_if(v.begin(), v.end(), "
                                   "[](const double &x) { return x > 0.5; }));\n"
                                   "std::printf(\"%f\\n\", w[3]);")},
      {"ReplayedStatementReadingAVectorThroughItsIterators",
       Program(includes, vectors + "for (int i = 0; i < 9; ++i) // LOOP\n"
                                   "  w[i] = heavy(i) * std::inner_product(v.begin(), "
                                   "v.end(), w.begin(), 0.0);\n"
                                   "std::printf(\"%f\\n\", w[3]);")}};
}

INSTANTIATE_TEST_SUITE_P(ReadingAlgorithms, ImplicitCallControlTest,
                         ::testing::ValuesIn(ReadingAlgorithmControls()),
                         testing::CaseName());

// Global tables a callee indexes. One nothing changes is read from the task's own
// process's copy, not sent; one the program changes by any route, its elements
// indexed or not, is sent with the tasks (or, for pointers, refused).
std::string TableLoop(const std::string &table, const std::string &read,
                      const std::string &before_loop) {
  return Program(table + "\ndouble weigh(int x) { return heavy(x) * " + read + "; }",
                 before_loop +
                     "\nstd::vector<double> w(9);\n"
                     "for (int i = 0; i < 9; ++i) // LOOP\n  w[i] = weigh(i);");
}

// The decision on the loop marked `// LOOP`, and whether its tasks are sent
// `g_table` (the generated code then receives it as `g_table_sent`).
struct TableConversion {
  Finding decision;
  bool sent = false;
};

TableConversion ConvertTableLoop(const std::string &source) {
  FileConversion file = testing::ConvertSnippet(source);
  TableConversion result;
  result.sent = file.converted.find("g_table_sent") != std::string::npos;
  unsigned line = testing::LineOf(source, "// LOOP");
  for (const Finding *decision : file.LoopDecisions()) {
    if (decision->Line() == line) result.decision = *decision;
  }
  return result;
}

TEST(GlobalTableTest, ATableNothingChangesIsNotSent) {
  for (const std::string &table :
       {std::string("static double g_table[3] = {1, 2, 3};"),
        std::string("static double g_table[2][3] = {{1, 2, 3}, {4, 5, 6}};")}) {
    std::string read = table.find("[2][3]") != std::string::npos ? "g_table[x % 2][x % 3]"
                                                                 : "g_table[x % 3]";
    TableConversion conversion = ConvertTableLoop(TableLoop(table, read, ""));
    EXPECT_TRUE(conversion.decision.IsConversion())
        << table << ": " << conversion.decision.message;
    EXPECT_FALSE(conversion.sent) << table;
  }
}

TEST(GlobalTableTest, AStringTableNothingChangesConverts) {
  Finding decision = DecisionFor(
      TableLoop("static const char *g_names[] = {\"alpha\", \"beta\", \"gamma\"};",
                "(g_names[x % 3][0] == 'a' ? 1.0 : 2.0)", ""));
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

struct ChangedTableCase {
  const char *name;
  std::string before_loop;
};

void PrintTo(const ChangedTableCase &c, std::ostream *out) { *out << c.name; }

class ChangedTableTest : public ::testing::TestWithParam<ChangedTableCase> {};

TEST_P(ChangedTableTest, IsSentWithTheTasks) {
  TableConversion conversion = ConvertTableLoop(
      "#include <algorithm>\n#include <cstring>\n#include <iterator>\n"
      "#include <utility>\nstatic void bump(double &x) { x += 5; }\n" +
      TableLoop("static double g_table[2][3] = {{3, 2, 1}, {6, 5, 4}};",
                "g_table[x % 2][x % 3]", GetParam().before_loop));
  EXPECT_TRUE(conversion.decision.IsConversion()) << conversion.decision.message;
  EXPECT_TRUE(conversion.sent);
}

INSTANTIATE_TEST_SUITE_P(
    Routes, ChangedTableTest,
    ::testing::ValuesIn(std::vector<ChangedTableCase>{
        {"AnElementStored", "g_table[1][2] = 50;"},
        {"AnElementHandedToAReference", "bump(g_table[0][1]);"},
        {"ElementsSwapped", "std::swap(g_table[0][0], g_table[1][1]);"},
        {"AReferenceBoundToAnElement", "double &r = g_table[0][2];\nr = 7;"},
        {"AnElementsAddressTaken", "double *p = &g_table[0][0];\np[1] = 8;"},
        {"ARowDecayedToAPointer", "double *row = g_table[1];\nrow[2] = 60;"},
        {"ARowSortedThroughBeginAndEnd",
         "std::sort(std::begin(g_table[0]), std::end(g_table[0]));"},
        {"ARowHandedToMemset", "std::memset(g_table[1], 0, sizeof g_table[1]);"},
        {"WrittenInALambda", "auto set = []() { g_table[1][0] = 9; };\nset();"},
        {"ElementsUpdatedByARangeFor", "for (auto &row : g_table) row[0] *= 2;"}}),
    testing::CaseName());

std::vector<RefusalCase> ChangedPointerTableCases() {
  return {RefusalCase{"AStringTableTheProgramChanges",
                      TableLoop("static const char *g_names[] = {\"alpha\", \"beta\"};",
                                "(g_names[x % 2][0] == 'a' ? 1.0 : 2.0)",
                                "g_names[1] = \"avocado\";"),
                      SkipReason::kGlobalRead, "g_names"},
          RefusalCase{"ATableOfPointersToAGlobalTheProgramChanges",
                      TableLoop("static double g_row[3] = {1, 2, 3};\n"
                                "static double *g_rows[1] = {g_row};",
                                "g_rows[0][x % 3]", "g_row[1] = 30;"),
                      SkipReason::kGlobalRead, "g_rows"}};
}

INSTANTIATE_TEST_SUITE_P(PointerTables, RefusalTest,
                         ::testing::ValuesIn(ChangedPointerTableCases()),
                         testing::CaseName());

// The controls of the comparator and capacity refusals: orders a default-constructed
// comparator keeps, and capacity asked of another type, still convert.
TEST(SerializedContainerTest, StatelessOrdersAndCapacityOfOtherTypesConvert) {
  for (const std::string &setup :
       {std::string("using Table = std::map<int, int, std::greater<int>>;"),
        std::string(
            "struct Desc { bool operator()(int a, int b) const { return a > b; } };\n"
            "using Table = std::map<int, int, Desc>;"),
        std::string(
            "using Table = std::map<int, int>;\n"
            "std::size_t room(const std::vector<int> &v) { return v.capacity(); }")}) {
    Finding decision = DecisionFor(Program(
        "#include <functional>\n" + setup +
            "\nTable group(int x) { Table m; m[x % 3] = heavy(x) > 0; return m; }",
        "std::vector<Table> out(9);\n"
        "for (int i = 0; i < 9; ++i) // LOOP\n  out[i] = group(i);"));
    EXPECT_TRUE(decision.IsConversion()) << setup << ": " << decision.message;
  }
}

// A string stream the iteration declares itself formats into memory: not I/O. One
// declared before the loop is updated like any variable (its statements replayed on
// the driver, in order).
class OwnStringStreamTest : public ::testing::TestWithParam<ConvertingCase> {};

TEST_P(OwnStringStreamTest, Converts) {
  Finding decision = DecisionFor(GetParam().source);
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

const char kStreams[] = "#include <iomanip>\n#include <sstream>\n";

INSTANTIATE_TEST_SUITE_P(
    Streams, OwnStringStreamTest,
    ::testing::Values(
        ConvertingCase{"FormattedInTheBody",
                       Program(kStreams,
                               "std::vector<std::string> v(9);\n"
                               "for (int i = 0; i < 9; ++i) { // LOOP\n"
                               "  std::ostringstream os;\n"
                               "  os << std::fixed << std::setprecision(3) << heavy(i) "
                               "<< std::endl;\n  v[i] = os.str(); }")},
        ConvertingCase{
            "ParsedInACallee",
            Program(std::string(kStreams) +
                        "double parse(const std::string &line) {\n"
                        "  std::istringstream in(line); int x = 0; double s = 0;\n"
                        "  while (in >> x) s += heavy(x);\n"
                        "  std::string rest; std::getline(in, rest);\n"
                        "  return s; }",
                    "std::vector<std::string> lines(9, \"1 2\");\n"
                    "std::vector<double> v(9);\n"
                    "for (int i = 0; i < 9; ++i) // LOOP\n"
                    "  v[i] = parse(lines[i]);")},
        ConvertingCase{"StreamBeforeTheLoopReplayed",
                       Program(kStreams,
                               "std::ostringstream os;\n"
                               "for (int i = 0; i < 9; ++i) { // LOOP\n"
                               "  double h = heavy(i);\n  os << h << ','; }\n"
                               "std::printf(\"%s\", os.str().c_str());")}),
    testing::CaseName());

INSTANTIATE_TEST_SUITE_P(
    Streams, RefusalTest,
    ::testing::Values(
        // `out` may be bound to std::cout.
        RefusalCase{
            "AReferenceThatMayBeAnyStream",
            Program(kStreams,
                    "std::vector<double> v(9);\n"
                    "for (int i = 0; i < 9; ++i) { // LOOP\n"
                    "  std::ostringstream os;\n"
                    "  std::ostream &out = i > 99 ? static_cast<std::ostream &>(os) "
                    ": std::cout;\n"
                    "  out << i;\n  v[i] = heavy(i); }"),
            SkipReason::kIo, "stream"},
        RefusalCase{"AHelperGivenTheStream",
                    Program(std::string(kStreams) +
                                "void emit(std::ostream &os, double h) { os << h; }",
                            "std::vector<std::string> v(9);\n"
                            "for (int i = 0; i < 9; ++i) { // LOOP\n"
                            "  std::ostringstream os;\n  emit(os, heavy(i));\n"
                            "  v[i] = os.str(); }"),
                    SkipReason::kIo, "emit"},
        RefusalCase{"AGlobalStringStream",
                    Program(std::string(kStreams) +
                                "std::ostringstream g_log;\n"
                                "double work(int i) { g_log << i; return heavy(i); }",
                            "std::vector<double> v(9);\n"
                            "for (int i = 0; i < 9; ++i) // LOOP\n  v[i] = work(i);\n"
                            "std::printf(\"%s\", g_log.str().c_str());"),
                    SkipReason::kIo, "work"},
        // A stream formats with the global locale of when it was made, which a task's
        // process does not share.
        RefusalCase{"TheProgramSetsTheGlobalLocale",
                    Program(std::string(kStreams) + "#include <locale>\n",
                            "std::locale::global(std::locale::classic());\n"
                            "std::vector<std::string> v(9);\n"
                            "for (int i = 0; i < 9; ++i) { // LOOP\n"
                            "  std::ostringstream os;\n  os << heavy(i);\n"
                            "  v[i] = os.str(); }"),
                    SkipReason::kGlobalWrite, "locale"},
        RefusalCase{"ToStringWhenTheProgramSetsTheLocale",
                    Program("#include <clocale>\n"
                            "double scaled(int i) { return i * 0.5; }",
                            "std::setlocale(LC_ALL, \"\");\n"
                            "std::vector<std::string> v(9);\n"
                            "for (int i = 0; i < 9; ++i) // LOOP\n"
                            "  v[i] = std::to_string(heavy(i) + scaled(i));"),
                    SkipReason::kGlobalWrite, "to_string"}),
    testing::CaseName());

}  // namespace
}  // namespace rayify
