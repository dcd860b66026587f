// A helper's reference and pointer parameters may name one object twice, or an object
// and a part of it: `smooth(a, a)` with `out[i] = work(in[i - 1])`, `scale(v, v[0])`.
// A task reads its arguments when the driver submits it, before any earlier
// iteration's result is stored, so each case below would print other numbers if it
// converted (found by hand on programs written to break the converter; every one of
// the single-call cases converted until then). Each refusal names the reference, and
// the controls show that references which cannot share storage still convert.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::RefusalCase;

const char kPrelude[] =
    "#include <cstdio>\n#include <utility>\n#include <vector>\n"
    "double work(double x) { double s = x; for (int i = 0; i < 1000000; ++i) "
    "s += (i % 13) * 0.25; return s; }\n";

std::string Program(const std::string &helpers, const std::string &main_body) {
  return std::string(kPrelude) + helpers + "int main() {\n" + main_body +
         "\nstd::printf(\"done\\n\");\n}\n";
}

const char kStep[] =
    "void step(const std::vector<double> &cur, std::vector<double> &next) {\n"
    "  for (std::size_t i = 1; i < next.size(); ++i) // LOOP\n"
    "    next[i] = work(cur[i - 1]);\n}\n";

class ReferenceAliasTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ReferenceAliasTest, LoopStaysSequentialNamingTheReference) {
  testing::ExpectRefused(GetParam());
}

std::vector<RefusalCase> Cases() {
  return {
      RefusalCase{"TheSameVectorAsInputAndOutput",
                  Program("void smooth(const std::vector<double> &in, "
                          "std::vector<double> &out) {\n"
                          "  for (std::size_t i = 1; i < out.size(); ++i) // LOOP\n"
                          "    out[i] = work(in[i - 1]);\n}\n",
                          "std::vector<double> a(8, 1.0);\nsmooth(a, a);"),
                  SkipReason::kLoopCarriedDependency,
                  "'in' may refer to the same data as 'out'"},
      RefusalCase{"AGlobalTheOutputParameterMayBe",
                  Program("std::vector<double> g(8, 1.0);\n"
                          "void shift(std::vector<double> &out) {\n"
                          "  for (std::size_t i = 1; i < out.size(); ++i) // LOOP\n"
                          "    out[i] = work(g[i - 1]);\n}\n",
                          "shift(g);"),
                  SkipReason::kLoopCarriedDependency,
                  "writes through 'out', which may point to 'g'"},
      RefusalCase{"AConstReferenceToAnElementOfTheOutput",
                  Program("void scale(std::vector<double> &out, const double &f) {\n"
                          "  for (std::size_t i = 0; i < out.size(); ++i) // LOOP\n"
                          "    out[i] = work(out[i] * f);\n}\n",
                          "std::vector<double> b(8, 2.0);\nscale(b, b[0]);"),
                  SkipReason::kLoopCarriedDependency,
                  "'f' may refer to the same data as 'out'"},
      RefusalCase{"AStructThatMayHoldTheOutput",
                  Program("struct Pair { std::vector<double> a, b; };\n"
                          "void from_pair(const Pair &p, std::vector<double> &out) {\n"
                          "  for (std::size_t i = 1; i < out.size(); ++i) // LOOP\n"
                          "    out[i] = work(p.a[i - 1]);\n}\n",
                          "Pair p{std::vector<double>(8, 1.0), {}};\nfrom_pair(p, p.a);"),
                  SkipReason::kLoopCarriedDependency,
                  "'p' may refer to the same data as 'out'"},
      RefusalCase{"AStructThatMayHoldTheOutputInAnOutlinedBody",
                  Program("struct Pair { std::vector<double> a, b; };\n"
                          "void from_pair(const Pair &p, std::vector<double> &out) {\n"
                          "  for (std::size_t i = 1; i < out.size(); ++i) // LOOP\n"
                          "    out[i] = work(p.a[i - 1]) + 1.0;\n}\n",
                          "Pair p{std::vector<double>(8, 1.0), {}};\nfrom_pair(p, p.a);"),
                  SkipReason::kLoopCarriedDependency,
                  "'p' may refer to the same data as 'out'"},
      RefusalCase{"AnElementOfTheOutputInAnOutlinedBody",
                  Program("void offset(std::vector<double> &out, const double &f) {\n"
                          "  for (std::size_t i = 1; i < out.size(); ++i) // LOOP\n"
                          "    out[i] = work(1.0 * i) + f;\n}\n",
                          "std::vector<double> b(8, 2.0);\noffset(b, b[1]);"),
                  SkipReason::kLoopCarriedDependency,
                  "'f' may refer to the same data as 'out'"},
      RefusalCase{"AReductionIntoAnElementOfWhatTheCallsRead",
                  Program("void total(double &sum, const std::vector<double> &xs) {\n"
                          "  for (std::size_t i = 0; i < xs.size(); ++i) // LOOP\n"
                          "    sum += work(xs[i]);\n}\n",
                          "std::vector<double> xs(8, 1.0);\ntotal(xs[7], xs);"),
                  SkipReason::kLoopCarriedDependency,
                  "'xs' may refer to the same data as 'sum'"},
      // Two whole vectors at every call but one (DistinctAtEveryCall).
      RefusalCase{"OneCallOfManyPassesOneVectorTwice",
                  Program(kStep,
                          "std::vector<double> a(8, 1.0), b(8, 1.0);\n"
                          "step(a, b);\nstep(b, a);\nstep(a, a);"),
                  SkipReason::kLoopCarriedDependency,
                  "'cur' may refer to the same data as 'next'"},
      RefusalCase{"ACallerPassesItsOwnReferences",
                  Program(std::string(kStep) +
                              "void twice(std::vector<double> &x, std::vector<double> "
                              "&y) {\n  step(x, y);\n}\n",
                          "std::vector<double> a(8, 1.0);\ntwice(a, a);"),
                  SkipReason::kLoopCarriedDependency,
                  "'cur' may refer to the same data as 'next'"},
      RefusalCase{"ACallPassesAVectorThroughAPointerToIt",
                  Program(kStep,
                          "std::vector<double> a(8, 1.0), b(8, 1.0);\n"
                          "std::vector<double> *pa = &a;\nstep(a, b);\nstep(*pa, a);"),
                  SkipReason::kLoopCarriedDependency,
                  "'cur' may refer to the same data as 'next'"},
      // A parameter every call gives a local of main's is sent element by element
      // (LocalAtEveryCall), unless another parameter the loop reads may be it too.
      RefusalCase{"AWalkedParameterTheOtherReadsToo",
                  Program("void scale(std::vector<double> &v, const std::vector<double> "
                          "&w) {\n"
                          "  for (double &x : v) // LOOP\n    x = work(x) + w[0];\n}\n",
                          "std::vector<double> a(8, 1.0), b(8, 2.0);\n"
                          "scale(a, b);\nscale(b, b);"),
                  SkipReason::kLoopCarriedDependency,
                  "'w' may refer to the same data as 'v'"},
      RefusalCase{
          "AnOwnElementOfAParameterTheOtherReadsToo",
          Program("void lift(std::vector<double> &out, const std::vector<double> "
                  "&in) {\n"
                  "  for (std::size_t i = 0; i + 1 < out.size(); ++i) { // LOOP\n"
                  "    double t = work(out[i] + in[i + 1]);\n"
                  "    if (t > 0) out[i] = t; else out[i] = out[i] - t;\n  }\n}\n",
                  "std::vector<double> a(8, 1.0), b(8, 2.0);\n"
                  "lift(a, b);\nlift(b, b);"),
          SkipReason::kLoopCarriedDependency, "'in' may refer to the same data as 'out'"},
      // A global given to the parameter may be what the loop's callees read.
      RefusalCase{"AWalkedParameterAGlobalIsGiven",
                  Program("std::vector<double> g(8, 1.0);\n"
                          "void scale(std::vector<double> &v) {\n"
                          "  for (double &x : v) // LOOP\n    x = work(x);\n}\n",
                          "std::vector<double> a(8, 1.0);\nscale(a);\nscale(g);"),
                  SkipReason::kUnsupportedShape,
                  "'x' refers to a variable the loop updates"},
      // A pointer read of memory the loop stores into by name: each task would get
      // the element its predecessor had not yet stored.
      RefusalCase{
          "APointerParameterIntoTheOutputParameter",
          Program("void fill(std::vector<double> &v, const double *src, int n) {\n"
                  "  for (int i = 1; i < n; ++i) // LOOP\n"
                  "    v[i] = work(src[i - 1]);\n}\n",
                  "std::vector<double> a(8, 1.0);\nfill(a, a.data(), 8);"),
          SkipReason::kLoopCarriedDependency,
          "reads through 'src', which may point into 'v'"},
      // One call of three is enough.
      RefusalCase{"APointerParameterOneCallPointsIntoTheOutput",
                  Program("void fill(std::vector<double> &v, const double *src) {\n"
                          "  for (std::size_t i = 1; i < v.size(); ++i) // LOOP\n"
                          "    v[i] = work(src[i - 1]);\n}\n",
                          "std::vector<double> a(8, 1.0), b(8, 2.0);\n"
                          "fill(a, b.data());\nfill(b, &b[2]);\nfill(a, b.data());"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'src', which may point into 'v'"},
      RefusalCase{"APointerParameterIntoAGlobalVector",
                  Program("std::vector<double> g(8, 1.0);\n"
                          "void fill(const double *src, int n) {\n"
                          "  for (int i = 1; i < n; ++i) // LOOP\n"
                          "    g[i] = work(src[i - 1]);\n}\n",
                          "fill(g.data(), 8);"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'src', which may point into 'g'"},
      RefusalCase{"APointerParameterBoundToTheGlobalArrayWritten",
                  Program("double g[8];\n"
                          "static void fill(const double *src, int n) {\n"
                          "  for (int i = 1; i < n; ++i) // LOOP\n"
                          "    g[i] = work(src[i - 1]);\n}\n",
                          "fill(g, 8);"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'src', which may point into 'g'"},
      RefusalCase{"AGlobalPointerIntoALocalVector",
                  Program("const double *g_view;\n",
                          "std::vector<double> v(8, 1.0);\ng_view = v.data();\n"
                          "for (int i = 1; i < 8; ++i) // LOOP\n"
                          "  v[i] = work(g_view[i - 1]);"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'g_view', which may point into 'v'"},
      // Pointers held in a vector, a local struct or a global struct.
      RefusalCase{"AVectorOfPointersIntoTheOutput",
                  Program("",
                          "std::vector<double> v(8, 1.0);\n"
                          "std::vector<double *> at;\n"
                          "for (auto &x : v) at.push_back(&x);\n"
                          "for (int i = 1; i < 8; ++i) // LOOP\n"
                          "  v[i] = work(*at[i - 1]);"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'at', which may point into 'v'"},
      RefusalCase{"AStructHoldingAPointerIntoTheOutput",
                  Program("struct View { const double *p; };\n",
                          "std::vector<double> v(8, 1.0);\nView w{v.data()};\n"
                          "for (int i = 1; i < 8; ++i) // LOOP\n"
                          "  v[i] = work(w.p[i - 1]);"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'w', which may point into 'v'"},
      RefusalCase{"AGlobalStructHoldingAPointerIntoTheOutput",
                  Program("struct Config { const double *p; } g_config;\n",
                          "std::vector<double> v(8, 1.0);\ng_config.p = v.data();\n"
                          "for (int i = 1; i < 8; ++i) // LOOP\n"
                          "  v[i] = work(g_config.p[i - 1]);"),
                  SkipReason::kLoopCarriedDependency,
                  "reads through 'g_config', which may point into 'v'"},
      // A local pointer set from the vector is the vector (Mentions follows it).
      RefusalCase{"ALocalPointerSetFromTheVector",
                  Program("",
                          "std::vector<double> v(8, 1.0);\n"
                          "const double *src = v.data();\n"
                          "for (int i = 1; i < 8; ++i) // LOOP\n"
                          "  v[i] = work(src[i - 1]);"),
                  SkipReason::kLoopCarriedDependency, "the call's arguments read 'v'"}};
}

INSTANTIATE_TEST_SUITE_P(ReferenceAliases, ReferenceAliasTest,
                         ::testing::ValuesIn(Cases()), testing::CaseName());

struct ConvertingCase {
  const char *name;
  std::string source;
};

void PrintTo(const ConvertingCase &c, std::ostream *out) { *out << c.name; }

class ReferenceAliasControlTest : public ::testing::TestWithParam<ConvertingCase> {};

TEST_P(ReferenceAliasControlTest, StillConverts) {
  Finding decision = testing::DecisionFor(GetParam().source);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

std::vector<ConvertingCase> Controls() {
  return {
      // Each call gives the parameter a local of main's: its elements travel.
      ConvertingCase{"AWalkedParameterEveryCallGivesALocal",
                     Program("void scale(std::vector<double> &v) {\n"
                             "  for (double &x : v) // LOOP\n    x = work(x);\n}\n",
                             "std::vector<double> a(8, 1.0), b(4, 2.0);\n"
                             "scale(a);\nscale(b);")},
      ConvertingCase{
          "AnOwnElementOfAParameterEveryCallGivesALocal",
          Program("void lift(std::vector<double> &out) {\n"
                  "  for (std::size_t i = 0; i < out.size(); ++i) { // LOOP\n"
                  "    double t = work(out[i]);\n"
                  "    if (t > 0) out[i] = t; else out[i] = out[i] - t;\n  }\n}\n",
                  "std::vector<double> a(8, 1.0);\nlift(a);")},
      // Neither type can hold the other.
      ConvertingCase{"AReferenceOfAnUnrelatedType",
                     Program("void fill(std::vector<double> &out, "
                             "const std::vector<int> &seeds) {\n"
                             "  for (std::size_t i = 0; i < out.size(); ++i) // LOOP\n"
                             "    out[i] = work(seeds[i]);\n}\n",
                             "std::vector<double> a(8);\nstd::vector<int> s(8, 3);\n"
                             "fill(a, s);")},
      // A pair holds its two parts and nothing else.
      ConvertingCase{"APairOfIntegers",
                     Program("void fill(std::vector<double> &out, "
                             "const std::pair<int, int> &range) {\n"
                             "  for (std::size_t i = 0; i < out.size(); ++i) // LOOP\n"
                             "    out[i] = work(range.first + i);\n}\n",
                             "std::vector<double> a(8);\nfill(a, {1, 2});")},
      // A global is a whole object: a struct that holds a vector cannot be it.
      ConvertingCase{"AStructBesideAGlobalOutput",
                     Program("std::vector<double> g_out(8);\n"
                             "struct Config { std::vector<double> w; };\n"
                             "void run(const Config &c) {\n"
                             "  for (std::size_t i = 0; i < g_out.size(); ++i) // LOOP\n"
                             "    g_out[i] = work(c.w[i]);\n}\n",
                             "Config c{std::vector<double>(8, 1.0)};\nrun(c);\n"
                             "std::printf(\"%f\\n\", g_out[3]);")},
      // Buffers swapped between calls: every call passes two different vectors.
      ConvertingCase{"PingPongBuffers",
                     Program(kStep,
                             "std::vector<double> a(8, 1.0), b(8, 1.0);\n"
                             "for (int t = 0; t < 3; ++t) {\n  step(a, b);\n"
                             "  step(b, a);\n}")},
      ConvertingCase{"PingPongBuffersInAnOutlinedBody",
                     Program("void step(const std::vector<double> &cur, "
                             "std::vector<double> &next) {\n"
                             "  for (std::size_t i = 1; i < next.size(); ++i) // LOOP\n"
                             "    next[i] = work(cur[i - 1]) + 1.0;\n}\n",
                             "std::vector<double> a(8, 1.0), b(8, 1.0);\n"
                             "step(a, b);\nstep(b, a);")},
      // Every call points the pointer into another vector than it fills.
      ConvertingCase{
          "APointerParameterEveryCallPointsIntoAnotherVector",
          Program("void fill(std::vector<double> &v, const double *src) {\n"
                  "  for (std::size_t i = 1; i < v.size(); ++i) // LOOP\n"
                  "    v[i] = work(src[i - 1]);\n}\n",
                  "std::vector<double> a(8, 1.0), b(8, 2.0);\n"
                  "fill(a, b.data());\nfill(b, &a[0]);\nfill(a, b.data() + 1);")},
      // A parameter was set before the function's own vector existed.
      ConvertingCase{"APointerParameterBesideALocalOutput",
                     Program("void fill(const double *src, int n) {\n"
                             "  std::vector<double> out(n);\n"
                             "  for (int i = 1; i < n; ++i) // LOOP\n"
                             "    out[i] = work(src[i - 1]);\n"
                             "  std::printf(\"%f\\n\", out[n - 1]);\n}\n",
                             "std::vector<double> a(8, 1.0);\nfill(a.data(), 8);")},
      // Strings point to characters, not to the numbers stored; a lambda that
      // captures nothing leads nowhere.
      ConvertingCase{"ATableOfNamesBesideANumberOutput",
                     Program("const char *g_names[] = {\"a\", \"bb\", \"ccc\"};\n"
                             "void fill(std::vector<double> &out) {\n"
                             "  for (std::size_t i = 0; i < out.size(); ++i) // LOOP\n"
                             "    out[i] = work(g_names[i % 3][0] + i);\n}\n",
                             "std::vector<double> a(8);\nfill(a);")},
      ConvertingCase{"ALambdaCapturingNothing",
                     Program("",
                             "std::vector<double> v(8, 1.0);\n"
                             "auto twice = [](double x) { return 2 * x; };\n"
                             "for (int i = 0; i < 8; ++i) // LOOP\n"
                             "  v[i] = work(twice(i));\n"
                             "std::printf(\"%f\\n\", v[7]);")},
      // A view of another local, and a block of its own, lead elsewhere.
      ConvertingCase{"AViewOfAnotherLocal",
                     Program("",
                             "std::vector<double> in(8, 1.0), out(8);\n"
                             "const double *src = in.data();\n"
                             "for (int i = 1; i < 8; ++i) // LOOP\n"
                             "  out[i] = work(src[i - 1]);\n"
                             "std::printf(\"%f\\n\", out[7]);")},
      ConvertingCase{"ABlockOfItsOwn",
                     Program("std::vector<double> g_out(8);\n",
                             "double *in = new double[8]();\n"
                             "for (int i = 1; i < 8; ++i) // LOOP\n"
                             "  g_out[i] = work(in[i - 1]);\n"
                             "std::printf(\"%f\\n\", g_out[7]);\ndelete[] in;")}};
}

INSTANTIATE_TEST_SUITE_P(ReferenceAliases, ReferenceAliasControlTest,
                         ::testing::ValuesIn(Controls()), testing::CaseName());

}  // namespace
}  // namespace rayify
