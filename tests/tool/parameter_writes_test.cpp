// What a function does through a `T &` parameter, judged from its body: a loop whose
// callee only reads a shared container through a non-const reference converts (the
// task reads a copy), and every way of writing through it, however indirect, keeps
// the loop sequential. Also two kinds of code the same analysis opened up: x86 SIMD
// intrinsics, and loops stepping by a variable the loop never changes.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::DecisionFor;
using testing::RefusalCase;

const char kPrelude[] = R"(#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>
double g_sum = 0;
double *g_keep = nullptr;
double heavy(double x) { for (int k = 0; k < 1000000; ++k) x = x * 0.999 + 1e-3; return x; }
)";

// A program whose loop (marked) calls `helper(table, i)` for a table of 64 values.
std::string WithHelper(const std::string &helper) {
  return std::string(kPrelude) + helper +
         "\nint main() {\n"
         "  std::vector<double> table(64, 0.5);\n"
         "  std::vector<double> out(32);\n"
         "  for (int i = 0; i < 32; ++i) // LOOP\n"
         "    out[i] = helper(table, i);\n"
         "  std::printf(\"%f %f\\n\", out[3], table[0]);\n}\n";
}

class ReadOnlyParameterTest : public ::testing::TestWithParam<const char *> {};

std::string ReadOnlyCaseName(const ::testing::TestParamInfo<const char *> &info) {
  const char *const kNames[] = {"ElementsAndSize", "RangeForSum",
                                "HandedOnToReadersAndCopies", "CopiedOut"};
  return kNames[info.index];
}

TEST_P(ReadOnlyParameterTest, TheLoopConverts) {
  Finding decision = DecisionFor(WithHelper(GetParam()));
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

INSTANTIATE_TEST_SUITE_P(
    ParameterWrites, ReadOnlyParameterTest,
    ::testing::Values(
        // Elements, size and data() read.
        "double helper(std::vector<double> &t, int i) {\n"
        "  return heavy(t[i] + t.size() + *t.data()); }",
        // A range-for by reference that only sums.
        "double helper(std::vector<double> &t, int i) {\n"
        "  double s = 0; for (auto &x : t) s += x; return heavy(s + i); }",
        // Handed on to a function that only reads it, and to one that takes a copy
        // and changes the copy.
        "double peek(std::vector<double> &t, int i) { return t[i] * 2; }\n"
        "double scratch(std::vector<double> c, int i) { c[i] = 0; return c[i + 1]; }\n"
        "double helper(std::vector<double> &t, int i) {\n"
        "  return heavy(peek(t, i) + scratch(t, i)); }",
        // Copied out with memcpy, read through a const alias and a local copy.
        "double helper(std::vector<double> &t, int i) {\n"
        "  double four[4]; std::memcpy(four, t.data() + i, sizeof four);\n"
        "  const auto &view = t; std::vector<double> mine = t; mine[0] = 9;\n"
        "  return heavy(four[0] + view[1] + mine[0]); }"),
    ReadOnlyCaseName);

class ParameterWriteTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ParameterWriteTest, TheLoopStaysSequential) { testing::ExpectRefused(GetParam()); }

RefusalCase Writes(const char *name, const std::string &helper, SkipReason reason,
                   const std::string &message_part) {
  return RefusalCase{name, WithHelper(helper), reason, message_part};
}

std::vector<RefusalCase> WriteCases() {
  const SkipReason kRef = SkipReason::kNonConstReference;
  const SkipReason kGlobal = SkipReason::kGlobalWrite;
  const std::string takes = "takes 'std::vector<double> &'";
  return {
      Writes("AnElement",
             "double helper(std::vector<double> &t, int i) { t[0] += 1; return "
             "heavy(t[i]); }",
             kRef, takes),
      Writes("ThroughALocalReference",
             "double helper(std::vector<double> &t, int i) {\n"
             "  auto &same = t; same[0] = 1; return heavy(t[i]); }",
             kRef, takes),
      Writes("ThroughAMovedPointer",
             "double helper(std::vector<double> &t, int i) {\n"
             "  double *p = t.data(); *p++ = 1; *p = 2; return heavy(t[i]); }",
             kRef, takes),
      Writes("ThroughAnIteratorMovedFirst",
             "double helper(std::vector<double> &t, int i) {\n"
             "  auto it = t.begin(); ++it; *++it = 3; return heavy(t[i]); }",
             kRef, takes),
      Writes("InARangeFor",
             "double helper(std::vector<double> &t, int i) {\n"
             "  for (auto &x : t) x *= 2; return heavy(t[i]); }",
             kRef, takes),
      Writes("InALambdaItCalls",
             "double helper(std::vector<double> &t, int i) {\n"
             "  auto bump = [&] { t[0] += 1; }; bump(); return heavy(t[i]); }",
             kRef, takes),
      Writes(
          "InAFunctionItHandsItTo",
          "void bump(std::vector<double> &t) { t[1] = 0; }\n"
          "double helper(std::vector<double> &t, int i) { bump(t); return heavy(t[i]); }",
          kRef, takes),
      Writes("ByALibraryAlgorithm",
             "double helper(std::vector<double> &t, int i) {\n"
             "  std::sort(t.begin(), t.end()); return heavy(t[i]); }",
             kRef, takes),
      Writes("ByMemset",
             "double helper(std::vector<double> &t, int i) {\n"
             "  std::memset(t.data(), 0, 8); return heavy(t[i]); }",
             kRef, takes),
      Writes("ByAGrowingMember",
             "double helper(std::vector<double> &t, int i) {\n"
             "  if (t.size() < 65) t.push_back(1); return heavy(t[i]); }",
             kRef, takes),
      Writes("BySwappingElements",
             "double helper(std::vector<double> &t, int i) {\n"
             "  std::swap(t[0], t[1]); return heavy(t[i]); }",
             kRef, takes),
      Writes("ThroughAReferenceInAPair",
             "double helper(std::vector<double> &t, int i) {\n"
             "  auto p = std::pair<double &, int>(t[0], 1); p.first = 8; return "
             "heavy(t[i]); }",
             kRef, takes),
      Writes("ThroughAReferenceMemberOfAnAggregate",
             "struct Wrap { std::vector<double> &ref; };\n"
             "double helper(std::vector<double> &t, int i) {\n"
             "  Wrap w{t}; w.ref[0] = 2; return heavy(t[i]); }",
             kGlobal, "cannot follow"),
      Writes("InARecursiveCall",
             "double helper(std::vector<double> &t, int i) {\n"
             "  if (i > 0) { t[i] = 0; return helper(t, i - 1); } return heavy(t[0]); }",
             kRef, takes),
      // Kept for later: the write happens in another call, through a global.
      Writes("KeptInAGlobal",
             "double helper(std::vector<double> &t, int i) {\n"
             "  g_keep = t.data(); return heavy(t[i]); }",
             kGlobal, "g_keep"),
      Writes("KeptInAStatic",
             "double helper(std::vector<double> &t, int i) {\n"
             "  static double *keep = t.data(); keep[0] += 1; return heavy(t[i]); }",
             kGlobal, "keep"),
      Writes("ThroughAConstCast",
             "double helper(std::vector<double> &t, int i) {\n"
             "  const std::vector<double> &c = t;\n"
             "  const_cast<std::vector<double> &>(c)[0] = 9; return heavy(t[i]); }",
             kGlobal, "casts away const"),
      Writes("ThroughAReferenceItReturns",
             "double &first(std::vector<double> &t) { return t[0]; }\n"
             "double helper(std::vector<double> &t, int i) {\n"
             "  first(t) += 1; return heavy(t[i]); }",
             kGlobal, "cannot follow"),
      // Members of the program's own class are not known by their names: its
      // non-const `get` counts, and so does a const one writing a `mutable` member.
      RefusalCase{
          "ThroughAMemberOfTheProgramsClass",
          std::string(kPrelude) +
              "struct Tally { int n = 0; double get(int i) { ++n; return i; } };\n"
              "double helper(Tally &t, int i) { return heavy(t.get(i)); }\n"
              "int main() {\n  Tally tally;\n  std::vector<double> out(32);\n"
              "  for (int i = 0; i < 32; ++i) // LOOP\n"
              "    out[i] = helper(tally, i);\n"
              "  std::printf(\"%f %d\\n\", out[3], tally.n);\n}\n",
          kRef, "takes 'Tally &'"},
      RefusalCase{"ThroughAConstMemberWritingAMutable",
                  std::string(kPrelude) +
                      "struct Memo { mutable int hits = 0;\n"
                      "  double get(int i) const { ++hits; return i; } };\n"
                      "double helper(Memo &m, int i) { return heavy(m.get(i)); }\n"
                      "int main() {\n  Memo memo;\n  std::vector<double> out(32);\n"
                      "  for (int i = 0; i < 32; ++i) // LOOP\n"
                      "    out[i] = helper(memo, i);\n"
                      "  std::printf(\"%f %d\\n\", out[3], memo.hits);\n}\n",
                  kRef, "takes 'Memo &'"},
  };
}

INSTANTIATE_TEST_SUITE_P(ParameterWrites, ParameterWriteTest,
                         ::testing::ValuesIn(WriteCases()), testing::CaseName());

// The task gets its own copy to hand to the non-const reference: a const reference
// could not bind there, and Ray passes a task nothing it may change.
TEST(ReadOnlyParameterOutlineTest, TheTaskHandsOnACopyOfItsOwn) {
  FileConversion file = testing::ConvertSnippet(
      WithHelper("double helper(std::vector<double> &t, int i) { return heavy(t[i]); }"));
  EXPECT_NE(file.converted.find("std::vector<double> table)"), std::string::npos)
      << file.converted;
  EXPECT_EQ(file.converted.find("const std::vector<double> &table)"), std::string::npos)
      << file.converted;
}

// The same when the loop names the table through a reference of its own first.
TEST(ReadOnlyParameterOutlineTest, ALocalReferenceToTheTableIsHandedOnToo) {
  FileConversion file = testing::ConvertSnippet(
      std::string(kPrelude) +
      "double helper(std::vector<double> &t, int i) { return heavy(t[i]); }\n"
      "int main() {\n  std::vector<double> table(64, 0.5);\n"
      "  std::vector<double> out(32);\n"
      "  for (int i = 0; i < 32; ++i) {\n"
      "    auto &same = table;\n    double x = helper(same, i);\n    out[i] = x * 2;\n"
      "  }\n  std::printf(\"%f\\n\", out[3]);\n}\n");
  EXPECT_NE(file.converted.find("std::vector<double> table)"), std::string::npos)
      << file.converted;
}

const char kSimdPrelude[] = R"(#include <cstdio>
#include <immintrin.h>
double lanes(int i) {
  __m128d acc = _mm_set1_pd(0.0);
  for (int k = 0; k < 200000; ++k)
    acc = _mm_add_pd(_mm_mul_pd(acc, _mm_set1_pd(0.999)), _mm_set_pd(i, 1e-3));
  double out[2];
  _mm_storeu_pd(out, acc);
  return out[0] + out[1];
}
)";

// SSE arithmetic, and a store into the task's own array, are plain computation.
TEST(SimdIntrinsicTest, ArithmeticOnVectorValuesConverts) {
  Finding decision = DecisionFor(std::string(kSimdPrelude) +
                                 "int main() {\n  double r[16];\n"
                                 "  for (int i = 0; i < 16; ++i) // LOOP\n"
                                 "    r[i] = lanes(i);\n"
                                 "  std::printf(\"%f\\n\", r[3]);\n}\n");
  EXPECT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
}

// _mm_setcsr changes the rounding of every SSE operation in the thread, which a
// task's thread or process does not share, whether the driver or a task sets it.
TEST(SimdIntrinsicTest, TheControlRegisterIsStateTasksDoNotShare) {
  Finding rounding = DecisionFor(std::string(kSimdPrelude) +
                                 "int main() {\n  double r[16];\n"
                                 "  _mm_setcsr(_mm_getcsr() | 0x6000);\n"
                                 "  for (int i = 0; i < 16; ++i) // LOOP\n"
                                 "    r[i] = lanes(i);\n"
                                 "  std::printf(\"%f\\n\", r[3]);\n}\n");
  EXPECT_FALSE(rounding.IsConversion());
  EXPECT_NE(rounding.message.find("floating-point environment"), std::string::npos)
      << rounding.message;
  Finding inside = DecisionFor(std::string(kSimdPrelude) +
                               "double rounded(int i) {\n"
                               "  _mm_setcsr(0x7f80); return lanes(i); }\n"
                               "int main() {\n  double r[16];\n"
                               "  for (int i = 0; i < 16; ++i) // LOOP\n"
                               "    r[i] = rounded(i);\n"
                               "  std::printf(\"%f\\n\", r[3]);\n}\n");
  EXPECT_FALSE(inside.IsConversion()) << inside.message;
}

std::string Stepped(const std::string &body, const std::string &step = "step") {
  return std::string(kPrelude) +
         "int main(int argc, char **) {\n  int step = argc + 2;\n  int *at = &step;\n"
         "  std::vector<double> out(64);\n"
         "  for (int b = 0; b < 64; b += " +
         step + ") { // LOOP\n" + body +
         "  }\n  std::printf(\"%f %d\\n\", out[3], *at);\n}\n";
}

// `b += step` with a step the loop never changes gives each iteration a counter of
// its own, as a constant step does; a step the body changes does not.
TEST(InvariantStepTest, AStepTheLoopNeverChangesCounts) {
  // Two statements: an outlined body, whose plan needs the counter (a single call
  // keeps the header on the driver whatever its step).
  const std::string body = "    double x = heavy(b);\n    out[b] = x * 2;\n";
  Finding fixed = DecisionFor(Stepped(body));
  EXPECT_TRUE(fixed.IsConversion()) << fixed.code << ": " << fixed.message;
  Finding changed = DecisionFor(Stepped(body + "    step = 1;\n"));
  EXPECT_FALSE(changed.IsConversion()) << changed.message;
  // What a pointer leads to is not a plain variable the loop can be seen to keep.
  Finding pointed = DecisionFor(Stepped(body, "*at"));
  EXPECT_FALSE(pointed.IsConversion()) << pointed.message;
}

}  // namespace
}  // namespace rayify
