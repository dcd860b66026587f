// What converted loops and files look like.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::ConvertSnippet;
using testing::DecisionFor;
using testing::Decisions;

const char kHeavy[] = R"(#include <map>
#include <string>
#include <vector>
double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; return s; }
)";

bool Contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(ConversionTest, AppendLoopBecomesTasksAndAnOrderedGet) {
  std::string source =
      std::string(kHeavy) +
      "int main() {\n  std::vector<double> out;\n"
      "  for (int i = 0; i < 8; ++i) // LOOP\n    out.push_back(heavy(i));\n"
      "  return static_cast<int>(out.size());\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);
  ASSERT_TRUE(Decisions(result)[0].IsConversion());
  EXPECT_EQ(Decisions(result)[0].conversion->kind, "task");
  EXPECT_EQ(Decisions(result)[0].conversion->function, "heavy");
  EXPECT_EQ(Decisions(result)[0].conversion->variable, "out");
  const std::string &out = result.converted;
  EXPECT_TRUE(Contains(
      out,
      "  std::vector<ray::ObjectRef<double>> out_refs;\n"
      "#line 7\n"  // the loop keeps its line number
      "  for (int i = 0; i < 8; ++i) // LOOP\n"
      "    out_refs.push_back(rayify_copy_of(ray::Task(heavy).SetResource(\"CPU\", "
      "1).Remote(i)));\n"
      "  for (auto &out_value : ray::Get(out_refs))\n"
      "    out.push_back(std::move(*out_value));\n"))
      << out;
  EXPECT_TRUE(Contains(out, "#include <ray/api.h>"));
  EXPECT_TRUE(Contains(out, "RAY_REMOTE(heavy);"));
  EXPECT_TRUE(Contains(out, "static int rayify_original_main()"));
  EXPECT_TRUE(Contains(out, "status = rayify_original_main();"));
  EXPECT_TRUE(Contains(out, "ray::Init(config, argc, argv);"));
}

TEST(ConversionTest, EmplaceBackKeepsEmplaceBack) {
  std::string source =
      std::string(kHeavy) +
      "int main() {\n  std::vector<double> out;\n"
      "  for (int i = 0; i < 8; ++i) out.emplace_back(heavy(i)); // LOOP\n}\n";
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(Contains(result.converted, "out.emplace_back(std::move(*out_value));"))
      << result.converted;
}

TEST(ConversionTest, IndexedStoreGoesBackToTheSameIndex) {
  std::string source = std::string(kHeavy) +
                       "int main() {\n  std::vector<double> out(8);\n"
                       "  for (size_t i = 0; i < 8; ++i) { // LOOP\n"
                       "    out[i] = heavy(static_cast<int>(i));\n  }\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(Decisions(result).at(0).IsConversion()) << Decisions(result)[0].message;
  const std::string &out = result.converted;
  EXPECT_TRUE(
      Contains(out, "std::vector<std::pair<size_t, ray::ObjectRef<double>>> out_refs;"))
      << out;
  EXPECT_TRUE(Contains(
      out,
      "out_refs.emplace_back(i, rayify_copy_of(ray::Task(heavy).SetResource(\"CPU\", "
      "1).Remote(static_cast<int>(i))));"))
      << out;
  EXPECT_TRUE(Contains(out, "out[out_index] = std::move(*ray::Get(out_ref));")) << out;
}

// An index read from a container has a member typedef for its type
// (`std::vector<int>::value_type`): the driver's list spells what it stands for.
TEST(ConversionTest, AnIndexReadFromAContainerIsSpelledAsItsType) {
  std::string source = std::string(kHeavy) +
                       "int main() {\n  std::vector<double> out(8);\n"
                       "  std::vector<int> order{3, 1, 2, 0, 7, 5, 6, 4};\n"
                       "  for (int i = 0; i < 8; ++i) // LOOP\n"
                       "    out[order[i]] = heavy(i);\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(Decisions(result).at(0).IsConversion()) << Decisions(result)[0].message;
  EXPECT_TRUE(Contains(result.converted,
                       "std::vector<std::pair<int, ray::ObjectRef<double>>> out_refs;"))
      << result.converted;
}

TEST(ConversionTest, ReductionCombinesInLoopOrder) {
  for (std::string op : {"+=", "-=", "*="}) {
    std::string source = std::string(kHeavy) + "int main() {\n  double total = 1;\n" +
                         "  for (int i = 0; i < 8; ++i) // LOOP\n    total " + op +
                         " heavy(i);\n  return total > 0;\n}\n";
    Finding decision = DecisionFor(source);
    ASSERT_TRUE(decision.IsConversion()) << op << ": " << decision.message;
    EXPECT_EQ(decision.conversion->kind, "reduction");
    FileConversion result = ConvertSnippet(source);
    EXPECT_TRUE(Contains(result.converted,
                         "total_refs.push_back(rayify_copy_of(ray::Task(heavy)."
                         "SetResource(\"CPU\", 1).Remote(i)));"))
        << result.converted;
    EXPECT_TRUE(Contains(result.converted, "    total " + op + " *total_term;"))
        << result.converted;
  }
}

TEST(ConversionTest, RangeForOverAContainerConverts) {
  std::string source =
      std::string(kHeavy) +
      "int main() {\n  std::vector<int> xs{1, 2, 3};\n  std::vector<double> out;\n"
      "  for (int x : xs) // LOOP\n    out.push_back(heavy(x));\n}\n";
  Finding decision = DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(
      decision.conversion->throttled);  // the trip count is only known at run time
}

// A call whose work the source does not bound, a task per element of a container:
// the driver runs the first element as written and times it, and the others follow it
// there when it was quick (a k-means step over 20,000 points made 40,000 tasks of
// 40 us). Only over more than 64 elements, and only where the driver can ask the size.
TEST(ConversionTest, ARangeForOfUnboundedCallsTriesItsFirstElement) {
  const std::string weigh =
      "double weigh(const std::vector<double> &w, int x) {\n  double s = 0;\n"
      "  for (std::size_t k = 0; k < w.size(); ++k) s += w[k] * x;\n  return s;\n}\n";
  std::string source =
      std::string(kHeavy) + weigh +
      "int main(int argc, char **) {\n"
      "  std::vector<double> w(argc * 100, 1.0);\n"
      "  std::vector<int> xs(argc * 1000, 2);\n  std::vector<double> out;\n"
      "  for (int x : xs) // LOOP\n    out.push_back(weigh(w, x));\n"
      "  return static_cast<int>(out.size());\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(Decisions(result)[0].IsConversion()) << Decisions(result)[0].message;
  const std::string &out = result.converted;
  EXPECT_TRUE(Contains(out, "rayify_iteration_trial out_trial(xs.size() > 64, 1000, 0);"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "if (out_trial.Here()) out.push_back(weigh(w, x)); else "
                       "out_refs.push_back("))
      << out;
  EXPECT_TRUE(Contains(out, "class rayify_iteration_trial {"));
  // Bounded work is the cost model's to judge.
  auto convert = [&](const std::string &loop) {
    return ConvertSnippet(
        std::string(kHeavy) + weigh +
        "int main(int argc, char **) {\n  std::vector<double> w(argc * 100, 1.0);\n"
        "  std::vector<int> xs(argc * 1000, 2);\n  std::vector<double> out;\n" +
        loop + "  return static_cast<int>(out.size());\n}\n");
  };
  FileConversion bounded =
      convert("  for (int x : xs) // LOOP\n    out.push_back(heavy(x));\n");
  ASSERT_TRUE(Decisions(bounded)[0].IsConversion());
  EXPECT_FALSE(Contains(bounded.converted, "rayify_iteration_trial"))
      << bounded.converted;
  // A range the driver would evaluate again has no size to ask: the body is outlined,
  // whose trial comes after 8 tasks and keeps the appends in order.
  FileConversion unsized = convert(
      "  for (int x : std::vector<int>(9, 2)) // LOOP\n    out.push_back(weigh(w, "
      "x));\n");
  ASSERT_TRUE(Decisions(unsized)[0].IsConversion());
  EXPECT_TRUE(Decisions(unsized)[0].conversion->outlined);
  EXPECT_TRUE(Contains(unsized.converted, "_trial(true, 1000, 8);")) << unsized.converted;
}

// Where the driver cannot ask how long the loop is (a counter stepped by two, a
// second variable in the header), a loop storing at its counter sends 8 tasks, then
// runs one iteration as written, timed: each iteration stores its own element, so
// those run here may be stored before the tasks' results. Not where order would
// change what the driver does (a sum, an append, or a store at another index): those
// are outlined, and their trial keeps the order.
TEST(ConversionTest, ALoopOfUnknownLengthTriesAnIterationAfterEightTasks) {
  const std::string weigh =
      "double weigh(const std::vector<double> &w, int x) {\n  double s = 0;\n"
      "  for (std::size_t k = 0; k < w.size(); ++k) s += w[k] * x;\n  return s;\n}\n";
  auto convert = [&](const std::string &loop) {
    return ConvertSnippet(std::string(kHeavy) + weigh +
                          "int main(int argc, char **) {\n"
                          "  std::vector<double> w(argc * 100, 1.0);\n"
                          "  int n = argc * 1000;\n  std::vector<int> idx(n, 1);\n"
                          "  std::vector<double> out(n);\n  double acc = 0;\n" +
                          loop + "  return static_cast<int>(out[1] + acc);\n}\n");
  };
  for (const std::string &header : {std::string("for (int i = 0; i < n; i += 2)"),
                                    std::string("for (int i = 0, e = n; i < e; ++i)"),
                                    std::string("for (int i = n - 1; i >= 0; --i)")}) {
    FileConversion result =
        convert("  " + header + " // LOOP\n    out[i] = weigh(w, i);\n");
    ASSERT_TRUE(Decisions(result)[0].IsConversion()) << Decisions(result)[0].message;
    const std::string &out = result.converted;
    EXPECT_TRUE(Contains(out, "rayify_iteration_trial out_trial(true, 1000, 8);")) << out;
    EXPECT_TRUE(Contains(out,
                         "if (out_trial.Here()) out[i] = weigh(w, i); else "
                         "out_refs.emplace_back(i, "))
        << out;
  }
  // Where the driver's iterations would change the order of its effects, the body is
  // outlined instead, whose trial puts what it computes in its task's place.
  for (const std::string &loop :
       {std::string(
            "  for (int i = 0; i < n; i += 2) // LOOP\n    acc += weigh(w, i);\n"),
        std::string("  for (int i = 0; i < n; i += 2) // LOOP\n"
                    "    out[idx[i]] = weigh(w, i);\n")}) {
    FileConversion other = convert(loop);
    ASSERT_TRUE(Decisions(other)[0].IsConversion()) << loop;
    EXPECT_TRUE(Decisions(other)[0].conversion->outlined) << loop;
    EXPECT_FALSE(Contains(other.converted, ".Here()) ")) << other.converted;
    EXPECT_TRUE(Contains(other.converted, "_trial.Here()\n")) << other.converted;
    EXPECT_TRUE(Contains(other.converted, "? ray::Put(main_loop_")) << other.converted;
  }
}

TEST(ConversionTest, NamespacedStaticAndTemplateCalleesKeepTheirNames) {
  std::string source = std::string(kHeavy) + R"(namespace physics {
double energy(int x) { return heavy(x); }
}
struct Tools { static double cube(int x) { return heavy(x) * x; } };
template <typename T> T scaled(T x) { return static_cast<T>(heavy(static_cast<int>(x))); }
int main() {
  std::vector<double> a, b, c, d;
  for (int i = 0; i < 4; ++i) a.push_back(physics::energy(i));
  for (int i = 0; i < 4; ++i) b.push_back(Tools::cube(i));
  for (int i = 0; i < 4; ++i) c.push_back(scaled(static_cast<double>(i)));
  for (int i = 0; i < 4; ++i) d.push_back(scaled<double>(i));
}
)";
  FileConversion result = ConvertSnippet(source);
  for (const auto &decision : Decisions(result))
    EXPECT_TRUE(decision.IsConversion()) << decision.message;
  const std::string &out = result.converted;
  EXPECT_TRUE(
      Contains(out, "ray::Task(physics::energy).SetResource(\"CPU\", 1).Remote(i)"))
      << out;
  EXPECT_TRUE(Contains(out, "ray::Task(Tools::cube).SetResource(\"CPU\", 1).Remote(i)"))
      << out;
  EXPECT_TRUE(Contains(
      out,
      "ray::Task(scaled<double>).SetResource(\"CPU\", 1).Remote(static_cast<double>(i))"))
      << out;
  EXPECT_TRUE(Contains(out, "RAY_REMOTE(physics::energy, Tools::cube, scaled<double>);"))
      << out;
}

TEST(ConversionTest, OverloadedCalleeIsNamedThroughRayFunc) {
  std::string source = std::string(kHeavy) + R"(double score(int x) { return heavy(x); }
double score(double x) { return heavy(static_cast<int>(x)); }
int main() {
  std::vector<double> v;
  for (int i = 0; i < 4; ++i) v.push_back(score(i));
}
)";
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(
      Contains(result.converted,
               "ray::Task(RAY_FUNC(score, int)).SetResource(\"CPU\", 1).Remote(i)"))
      << result.converted;
}

TEST(ConversionTest, UserStructsCrossingTheBoundaryGetMsgpackDefine) {
  std::string source = std::string(kHeavy) + R"(struct Range { int lo, hi; };
struct Stats {
  double mean;
  std::vector<double> samples;
};
struct Summary {
  Stats stats;
  std::string label;
};
class Packed {
 public:
  int x = 0;
};
Summary analyze(const Range &r) {
  Summary s;
  for (int i = r.lo; i < r.hi; ++i) s.stats.samples.push_back(heavy(i));
  return s;
}
int main() {
  std::vector<Range> ranges(3);
  std::vector<Summary> out;
  for (const auto &r : ranges) out.push_back(analyze(r));
}
)";
  FileConversion result = ConvertSnippet(source);
  const std::string &out = result.converted;
  // Each is exactly its public fields: it also ties them for the bundled runtime.
  EXPECT_TRUE(Contains(out,
                       "struct Range { int lo, hi; MSGPACK_DEFINE(lo, hi); auto "
                       "rayify_fields() { return std::tie(lo, hi); } };"))
      << out;
  EXPECT_TRUE(
      Contains(out,
               "  std::vector<double> samples;\n  MSGPACK_DEFINE(mean, samples);\n"
               "  auto rayify_fields() { return std::tie(mean, samples); }  // for "
               "rayify's runtime\n};"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "  MSGPACK_DEFINE(stats, label);\n  auto rayify_fields() { return "
                       "std::tie(stats, label); }  // for rayify's runtime\n};"))
      << out;
  EXPECT_FALSE(Contains(out, "MSGPACK_DEFINE(x)"))
      << "Packed does not cross a task boundary";
}

// A struct with a field it keeps private gets MSGPACK_DEFINE alone, and the runtime
// encodes it: the accessor that ties the fields would open them to anyone.
TEST(ConversionTest, OnlyStructsOfPublicFieldsTieThem) {
  std::string source = std::string(kHeavy) + R"(struct Shown { double v = 0; };
struct Kept {
  double w = 0;
 private:
  int hidden_ = 0;
};
struct Task { Shown s; Kept k; };
double run(Task t) { return heavy(t.s.v + t.k.w); }
int main() {
  std::vector<Task> tasks(3);
  std::vector<double> v;
  for (const auto &t : tasks) v.push_back(run(t));
}
)";
  FileConversion result = ConvertSnippet(source);
  const std::string &out = result.converted;
  ASSERT_TRUE(Contains(out, "MSGPACK_DEFINE(w, hidden_);")) << out;
  EXPECT_TRUE(Contains(out, "std::tie(v)")) << out;
  EXPECT_TRUE(Contains(out, "std::tie(s, k)")) << out;
  EXPECT_FALSE(Contains(out, "std::tie(w, hidden_)")) << out;
}

TEST(ConversionTest, PrivateSectionGetsAPublicDefine) {
  std::string source = std::string(kHeavy) + R"(class Job {
 public:
  Job() = default;
  int id() const { return id_; }
 private:
  int id_ = 0;
};
double run(Job job) { return heavy(job.id()); }
int main() {
  std::vector<Job> jobs(2);
  std::vector<double> v;
  for (const auto &job : jobs) v.push_back(run(job));
}
)";
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(
      Contains(result.converted, "  int id_ = 0;\npublic:\n  MSGPACK_DEFINE(id_);\n};"))
      << result.converted;
}

// The same for a class written on one line: the define goes before its brace.
TEST(ConversionTest, PrivateSectionOnOneLineGetsAPublicDefine) {
  std::string source =
      std::string(kHeavy) +
      R"(class Job { public: int id() const { return id_; } private: int id_ = 3; };
double run(Job job) { return heavy(job.id()); }
int main() {
  std::vector<Job> jobs(2);
  std::vector<double> v;
  for (const auto &job : jobs) v.push_back(run(job));
}
)";
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(Contains(result.converted, "int id_ = 3; public: MSGPACK_DEFINE(id_); };"))
      << result.converted;
}

// msgpack decodes into a default-constructed object: a class that declares only
// constructors with parameters gets a defaulted one beside its MSGPACK_DEFINE.
TEST(ConversionTest, NoDefaultConstructorGetsOneForMsgpack) {
  std::string source = std::string(kHeavy) + R"(class Sample {
 public:
  explicit Sample(double v) : value_(v) {}
  double value() const { return value_; }
 private:
  double value_;
};
Sample make(int x) { return Sample(heavy(x)); }
int main() {
  std::vector<Sample> v;
  for (int i = 0; i < 9; ++i) v.push_back(make(i));
  return static_cast<int>(v[3].value());
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(testing::Decisions(result).size(), 1u);
  EXPECT_TRUE(testing::Decisions(result)[0].IsConversion())
      << testing::Decisions(result)[0].message;
  EXPECT_TRUE(Contains(result.converted,
                       "  double value_;\npublic:\n  Sample() = default;  // for msgpack "
                       "(added by rayify)\n  MSGPACK_DEFINE(value_);\n};"))
      << result.converted;
}

TEST(ConversionTest, ResourceAnnotationsBecomeSetResource) {
  std::string source = std::string(kHeavy) + R"(// Renders one tile.
// rayify: resources(CPU=2, memory=512MB)
double render(int tile) { return heavy(tile); }
int main() {
  std::vector<double> tiles;
  for (int t = 0; t < 4; ++t) tiles.push_back(render(t));
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);
  ASSERT_TRUE(Decisions(result)[0].IsConversion());
  EXPECT_EQ(Decisions(result)[0].conversion->resources.at("CPU"), 2);
  EXPECT_EQ(Decisions(result)[0].conversion->resources.at("memory"), 536870912);
  EXPECT_TRUE(
      Contains(result.converted,
               "ray::Task(render).SetResource(\"CPU\", 2).SetResource(\"memory\", "
               "536870912).Remote(t)"))
      << result.converted;
}

// Ray's C++ API gives a task no CPU unless asked, and a task that asks for nothing is
// never held back or spread over nodes: every task asks for one CPU, as Python's do,
// unless its annotation names another amount.
TEST(ConversionTest, EveryTaskAsksForOneCpuUnlessAnnotated) {
  std::string source = std::string(kHeavy) + R"(double plain(int t) { return heavy(t); }
// rayify: resources(memory=1GB)
double roomy(int t) { return heavy(t); }
// rayify: resources(CPU=0.5)
double light(int t) { return heavy(t); }
int main() {
  std::vector<double> a, b, c;
  for (int t = 0; t < 4; ++t) a.push_back(plain(t));
  for (int t = 0; t < 4; ++t) b.push_back(roomy(t));
  for (int t = 0; t < 4; ++t) c.push_back(light(t));
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 3u);
  EXPECT_TRUE(
      Contains(result.converted, R"(ray::Task(plain).SetResource("CPU", 1).Remote(t))"))
      << result.converted;
  EXPECT_TRUE(Contains(
      result.converted,
      R"(ray::Task(roomy).SetResource("CPU", 1).SetResource("memory", 1073741824).Remote(t))"))
      << result.converted;
  EXPECT_TRUE(
      Contains(result.converted, R"(ray::Task(light).SetResource("CPU", 0.5).Remote(t))"))
      << result.converted;
  // The report keeps what the annotation said.
  EXPECT_TRUE(Decisions(result)[0].conversion->resources.empty());
}

TEST(ConversionTest, LoopInvariantContainersArePutOnce) {
  std::string source =
      std::string(kHeavy) + R"(double lookup(const std::vector<double> &table, int q) {
  double s = 0;
  for (double t : table) s += t * q;
  return s;
}
int main() {
  std::vector<double> table(1000, 1.0);
  std::vector<double> scores;
  for (int q = 0; q < 4; ++q) scores.push_back(lookup(table, q));
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);
  ASSERT_TRUE(Decisions(result)[0].IsConversion());
  EXPECT_EQ(Decisions(result)[0].conversion->put_variables,
            std::vector<std::string>{"table"});
  EXPECT_TRUE(Contains(result.converted, "auto table_ref = ray::Put(table);"))
      << result.converted;
  EXPECT_TRUE(Contains(result.converted,
                       "ray::Task(lookup).SetResource(\"CPU\", 1).Remote(table_ref, q)"))
      << result.converted;
}

// (A loop that counts by one runs in chunks instead: outline_test.cpp, ChunkTest.)
TEST(ConversionTest, RunTimeTripCountKeepsABoundedWindow) {
  std::string source = std::string(kHeavy) + R"(int main(int argc, char **argv) {
  int n = argc * 100;
  std::vector<double> v;
  for (int i = 0; i < n; i += 2)
    v.push_back(heavy(i));
  return static_cast<int>(v.size()) - n;
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(Decisions(result).at(0).IsConversion());
  ASSERT_TRUE(Decisions(result).at(0).conversion->throttled);
  EXPECT_TRUE(Contains(result.converted, R"(  for (int i = 0; i < n; i += 2) {
    v_refs.push_back(rayify_copy_of(ray::Task(heavy).SetResource("CPU", 1).Remote(i)));
    // At most 64 tasks in flight: wait for the oldest one first.
    if (v_refs.size() >= 64)
      ray::Wait(std::vector{v_refs[v_refs.size() - 64]}, 1, -1);
  }
)")) << result.converted;
  EXPECT_TRUE(Contains(result.converted, "rayify_original_main(argc, argv)"));
}

TEST(ConversionTest, OnlySmallConstantTripCountsSubmitEverythingAtOnce) {
  auto throttled = [](const std::string &header) {
    std::string source = "#include <array>\n" + std::string(kHeavy) +
                         "int main(int argc, char **) {\n" +
                         "  const int n = 2000;\n  std::vector<double> v;\n" +
                         "  std::array<int, 16> fixed{};\n  int plain[16] = {};\n" +
                         "  std::vector<int> grown(16);\n  for (" + header +
                         ") // LOOP\n    v.push_back(heavy(i));\n}\n";
    Finding decision = DecisionFor(source);
    EXPECT_TRUE(decision.IsConversion()) << header << ": " << decision.message;
    return decision.IsConversion() && decision.conversion->throttled;
  };
  EXPECT_FALSE(throttled("int i = 0; i < 16; ++i"));
  EXPECT_FALSE(throttled("int i = 10; i < 1000; ++i"));
  EXPECT_TRUE(throttled("int i = 0; i < n; ++i"));  // 2000 at once is too many
  EXPECT_TRUE(throttled("int i = argc; i < 100; ++i"));
  EXPECT_TRUE(throttled("int i = 0; i < argc; ++i"));
  // A counter narrower or of other signedness than its int bound (both compared as
  // wide signed values; the unsigned char against 16 once failed an APSInt assertion).
  EXPECT_FALSE(throttled("unsigned char i = 0; i < 16; ++i"));
  EXPECT_FALSE(throttled("unsigned long i = 0; i < 16; ++i"));
  EXPECT_TRUE(throttled("long long i = 0; i < 3000u; ++i"));
  // A range-for over an array's extent, fixed by its type, counts as a constant.
  EXPECT_FALSE(throttled("int i : fixed"));
  EXPECT_FALSE(throttled("int i : plain"));
  EXPECT_TRUE(throttled("int i : grown"));
}

TEST(ConversionTest, MainWithoutReturnGetsOne) {
  std::string source = std::string(kHeavy) +
                       "int main() {\n  std::vector<double> v;\n"
                       "  for (int i = 0; i < 4; ++i) v.push_back(heavy(i));\n}\n";
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(
      Contains(result.converted, "v.push_back(std::move(*v_value));\n  return 0;\n}"))
      << result.converted;
}

TEST(ConversionTest, GeneratedNamesAvoidExistingOnes) {
  std::string source =
      std::string(kHeavy) +
      "int main() {\n  int v_refs = 0;\n  std::vector<double> v;\n"
      "  for (int i = 0; i < 4; ++i) v.push_back(heavy(i + v_refs));\n}\n";
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(Contains(result.converted, "std::vector<ray::ObjectRef<double>> v_refs_2;"))
      << result.converted;
}

TEST(ConversionTest, FileWithoutConvertibleLoopsStaysByteForByte) {
  std::string source = std::string(kHeavy) + R"(#include <cstdio>
int main() {
  double x = 1;
  for (int i = 0; i < 4; ++i) x = heavy(static_cast<int>(x));
  for (int i = 0; i < 4; ++i) std::printf("%d\n", i);
  return x > 0;
}
)";
  FileConversion result = ConvertSnippet(source);
  // main's two loops, and the loop of heavy(), which only main calls.
  EXPECT_EQ(Decisions(result).size(), 3u);
  for (const auto &decision : Decisions(result)) EXPECT_FALSE(decision.IsConversion());
  EXPECT_EQ(result.converted, result.original);
  for (const Finding &finding : result.findings) EXPECT_TRUE(finding.fix.empty());
}

TEST(ConversionTest, ConvertingTheOutputAgainChangesNothing) {
  std::string source = std::string(kHeavy) +
                       "int main() {\n  std::vector<double> v;\n"
                       "  for (int i = 0; i < 4; ++i) v.push_back(heavy(i));\n}\n";
  FileConversion first = ConvertSnippet(source);
  ASSERT_NE(first.converted, first.original);
  FileConversion second = ConvertSnippet(first.converted);
  EXPECT_TRUE(second.already_converted);
  EXPECT_EQ(second.converted, second.original);
  EXPECT_TRUE(second.findings.empty());
}

TEST(ConversionTest, HelpersOnlyMainCallsAreDriverCode) {
  std::string source = std::string(kHeavy) + R"(std::vector<double> sweep(int n) {
  std::vector<double> out;
  for (int i = 0; i < 8; ++i) out.push_back(heavy(i + n));
  return out;
}
int main() { return static_cast<int>(sweep(3).size()); }
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);
  EXPECT_TRUE(Decisions(result)[0].IsConversion()) << Decisions(result)[0].message;
}

TEST(ConversionTest, LoopsInsideTaskFunctionsAreLeftAlone) {
  std::string source = std::string(kHeavy) + R"(double inner(int x) {
  double s = 0;
  for (int i = 0; i < 10; ++i) s += heavy(i + x);
  return s;
}
int main() {
  std::vector<double> v;
  for (int i = 0; i < 4; ++i) v.push_back(inner(i));
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);  // only main's loop
  EXPECT_TRUE(
      Contains(result.converted, "for (int i = 0; i < 10; ++i) s += heavy(i + x);"));
  std::vector<unsigned> outside = testing::LinesOutsideDriver(result);
  unsigned inner_loop = testing::LineOf(source, "for (int i = 0; i < 10;");
  EXPECT_NE(std::find(outside.begin(), outside.end(), inner_loop), outside.end());
}

// A helper that also initialises a global runs before ray::Init: not driver code.
TEST(ConversionTest, HelpersAGlobalInitializerCallsAreNotDriverCode) {
  for (const char *caller : {"double g_first = sweep(1).front();\n",
                             "struct Report { ~Report() { sweep(2); } } g_report;\n"}) {
    std::string source = std::string(kHeavy) + R"(std::vector<double> sweep(int n) {
  std::vector<double> out;
  for (int i = 0; i < 8; ++i) out.push_back(heavy(i + n));
  return out;
}
)" + caller + "int main() { return static_cast<int>(sweep(3).size()); }\n";
    FileConversion result = ConvertSnippet(source);
    EXPECT_TRUE(Decisions(result).empty()) << caller;
    EXPECT_EQ(result.converted, result.original) << caller;
  }
}

// NPB's shape: main calls a solver step, which calls the routines whose loops are
// the parallel ones.
TEST(ConversionTest, FunctionsOnlyDriverCodeCallsAreDriverCodeAtAnyDepth) {
  std::string source = std::string(kHeavy) + R"(std::vector<double> field(8);
void x_solve(int n) {
  for (int i = 0; i < 8; ++i) field[i] = heavy(i + n);  // LOOP
}
void adi(int n) { x_solve(n); }
int main() {
  for (int step = 0; step < 2; ++step) adi(step);
  return static_cast<int>(field[3]);
}
)";
  Finding decision = DecisionFor(source);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

// Whatever a task runs, however deep, is not the driver's: its loops stay as written.
TEST(ConversionTest, FunctionsATaskReachesDeeperDownAreNotDriverCode) {
  std::string source = std::string(kHeavy) + R"(double leaf(int x) {
  double s = 0;
  for (int i = 0; i < 10; ++i) s += heavy(i + x);
  return s;
}
double middle(int x) { return leaf(x) + 1; }
int main() {
  std::vector<double> v;
  for (int i = 0; i < 4; ++i) v.push_back(middle(i));
  return static_cast<int>(v[0]);
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);  // only main's loop
  EXPECT_TRUE(Decisions(result)[0].IsConversion()) << Decisions(result)[0].message;
  EXPECT_TRUE(
      Contains(result.converted, "for (int i = 0; i < 10; ++i) s += heavy(i + x);"));
}

// A function that may run from elsewhere than its calls in driver code: through a
// pointer (atexit runs it after ray::Shutdown), recursively, from a virtual method
// (an override runs wherever its base's calls do), or from a template whose callee is
// known per instantiation.
TEST(ConversionTest, FunctionsThatMayRunOutsideDriverCodeAreNotDriverCode) {
  const char *users[] = {
      "void at_end() { step(1); }\nint main() { std::atexit(at_end); step(2); }\n",
      "int main() { void (*run)(int) = step; run(1); step(2); }\n",
      "void again(int n) { if (n > 0) { step(n); again(n - 1); } }\n"
      "int main() { again(2); }\n",
      "struct Runner { virtual void go() { step(1); } };\n"
      "int main() { Runner r; r.go(); step(2); }\n",
      "template <class T> void each(T n) { step(n); }\n"
      "int main() { each(1); step(2); }\n"};
  for (const char *user : users) {
    std::string source =
        std::string(kHeavy) + "#include <cstdlib>\n" + R"(std::vector<double> out(8);
void step(int n) {
  for (int i = 0; i < 8; ++i) out[i] = heavy(i + n);  // LOOP
}
)" + user;
    FileConversion result = ConvertSnippet(source);
    for (const Finding &decision : Decisions(result)) {
      EXPECT_NE(decision.Line(), testing::LineOf(source, "// LOOP")) << user;
    }
    std::vector<unsigned> outside = testing::LinesOutsideDriver(result);
    EXPECT_NE(
        std::find(outside.begin(), outside.end(), testing::LineOf(source, "// LOOP")),
        outside.end())
        << user;
    EXPECT_EQ(result.converted, result.original) << user;
  }
}

// main may be declared with const argv or an environment; the new main passes both
// on with the types the original declared.
TEST(ConversionTest, EveryFormOfMainIsCalledWithItsOwnParameterTypes) {
  const std::pair<const char *, const char *> forms[] = {
      {"int main(int argc, const char *argv[])",
       "rayify_original_main(argc, (const char **)argv)"},
      {"int main(int argc, char **argv, char **envp)",
       "rayify_original_main(argc, argv, environ)"},
      {"int main(int argc, char *const *argv)",
       "rayify_original_main(argc, (char *const *)argv)"}};
  for (const auto &[signature, call] : forms) {
    std::string source = std::string(kHeavy) + signature + R"( {
  std::vector<double> v;
  for (int i = 0; i < argc + 3; ++i) v.push_back(heavy(i));
  return v.size() > 0 && argv != nullptr ? 0 : 1;
}
)";
    FileConversion result = ConvertSnippet(source);
    EXPECT_TRUE(Contains(result.converted, call)) << signature << "\n"
                                                  << result.converted;
  }
}

// Reading globals is fine when nothing changes them: constants, string literals, and
// tables no function writes.
TEST(ConversionTest, CalleesMayReadGlobalsNothingChanges) {
  std::string source = std::string(kHeavy) + R"(const double kScale = 2;
const char *g_label = "run";
std::vector<double> g_table = {1, 2, 3};
double scaled(int x) { return heavy(x) * kScale + g_table[x % 3] + g_label[0]; }
int main() {
  std::vector<double> v(8);
  for (int i = 0; i < 8; ++i) v[i] = scaled(i);
  return v[0] > 0 ? 0 : 1;
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);
  EXPECT_TRUE(Decisions(result)[0].IsConversion()) << Decisions(result)[0].message;
}

// An argument the loop header changes is sent as it is at each submission, never put
// in the object store once before the loop.
TEST(ConversionTest, AnArgumentTheLoopHeaderGrowsIsNotPutOnce) {
  std::string source =
      std::string(kHeavy) + R"(double lookup(const std::vector<int> &t, int i) {
  double s = 0;
  for (int x : t) s += heavy(x + i);
  return s;
}
int main() {
  std::vector<int> table{1};
  std::vector<double> out(8);
  for (int i = 0; i < 8; ++i, table.push_back(i)) out[i] = lookup(table, i);
  return out[0] > 0 ? 0 : 1;
}
)";
  FileConversion result = ConvertSnippet(source);
  ASSERT_EQ(Decisions(result).size(), 1u);
  ASSERT_TRUE(Decisions(result)[0].IsConversion()) << Decisions(result)[0].message;
  EXPECT_TRUE(Decisions(result)[0].conversion->put_variables.empty());
  EXPECT_FALSE(Contains(result.converted, "ray::Put(table)")) << result.converted;
  EXPECT_TRUE(Contains(result.converted,
                       "ray::Task(lookup).SetResource(\"CPU\", 1).Remote(table, i)"))
      << result.converted;
}

// Task loops that follow each other submit all their tasks before storing any
// results, so that the tasks of all of them run at once (three tasks and three
// more on two CPUs: 1.49x one loop after the other, 1.95x overlapped).
std::string ThreeLoops(const std::string &before, const std::string &between,
                       const std::string &second_argument,
                       const std::string &second_condition = "i < 3") {
  return std::string(kHeavy) +
         "int main(int argc, char **) {\n  std::vector<double> a;\n" + before +
         "  for (int i = 0; i < 3; ++i) a.push_back(heavy(i));\n" + between +
         "  std::vector<double> b;\n"
         "  for (int i = 0; " +
         second_condition + "; ++i) b.push_back(heavy(" + second_argument +
         "));\n"
         "  double total = 0;\n"
         "  for (int i = 0; i < 3; ++i) total += heavy(i + 7);\n"
         "  return static_cast<int>(a.size() + b.size() + total);\n}\n";
}

size_t At(const std::string &text, const std::string &part) {
  size_t at = text.find(part);
  EXPECT_NE(at, std::string::npos) << part << " in:\n" << text;
  return at;
}

TEST(OverlapTest, ConsecutiveTaskLoopsSubmitBeforeAnyIsGathered) {
  FileConversion result = ConvertSnippet(ThreeLoops("", "", "i + 3"));
  for (const Finding &decision : Decisions(result))
    ASSERT_TRUE(decision.IsConversion()) << decision.message;
  const std::string &out = result.converted;
  std::string line = std::to_string(
      testing::LineOf(ThreeLoops("", "", "i + 3"), "a.push_back(heavy(i))"));
  EXPECT_LT(
      At(out, "total_refs.push_back(rayify_copy_of(ray::Task(heavy)"),
      At(out, "  // The results of the loop at line " + line +
                  ", stored once the loops below "
                  "it submitted\n  // their tasks too, so that the tasks of all of them "
                  "run at once.\n  for (auto &a_value : ray::Get(a_refs))"));
  // In the order the loops ran, and each once.
  EXPECT_LT(At(out, "ray::Get(a_refs)"), At(out, "ray::Get(b_refs)"));
  EXPECT_LT(At(out, "ray::Get(b_refs)"), At(out, "ray::Get(total_refs)"));
  EXPECT_EQ(out.find("ray::Get(a_refs)", At(out, "ray::Get(a_refs)") + 1),
            std::string::npos);
  EXPECT_EQ(out.find("ray::Get(b_refs)", At(out, "ray::Get(b_refs)") + 1),
            std::string::npos);
  EXPECT_LT(At(out, "ray::Get(total_refs)"), At(out, "return static_cast<int>"));
}

// What would see the first loop's results missing, or would come before a failed
// task's error only in the converted program, keeps the gather where it was.
TEST(OverlapTest, AGatherStaysWhereTheProgramCouldTellItMoved) {
  struct Case {
    const char *name;
    std::string source;
  };
  const std::vector<Case> cases = {
      {"output between", ThreeLoops("", "  std::puts(\"a done\");\n", "i + 3")},
      {"the next loop names the results", ThreeLoops("", "", "i + int(&a != nullptr)")},
      {"an alias taken before",
       ThreeLoops("  std::vector<double> *all = &a;\n", "", "i + int(all != nullptr)")},
      {"a pointer to the results",
       ThreeLoops("", "  const std::vector<double> *view = &a;\n",
                  "i + int(view != nullptr)")},
      {"a reference to the results",
       ThreeLoops("", "  const std::vector<double> &view = a;\n",
                  "i + int(&view != nullptr)")},
      {"a condition calling a function", ThreeLoops("", "", "i", "i < std::max(3, 2)")},
      {"an argument calling a function",
       ThreeLoops("  std::vector<int> seeds(3);\n", "", "i + seeds[i]")},
  };
  for (const Case &c : cases) {
    std::string source = "#include <cstdio>\n" + c.source;
    FileConversion result = ConvertSnippet(source);
    std::vector<Finding> decisions = Decisions(result);
    ASSERT_GE(decisions.size(), 2u) << c.name;
    ASSERT_TRUE(decisions[0].IsConversion()) << c.name << ": " << decisions[0].message;
    ASSERT_TRUE(decisions[1].IsConversion()) << c.name << ": " << decisions[1].message;
    EXPECT_LT(At(result.converted, "ray::Get(a_refs)"),
              At(result.converted, "std::vector<double> b;"))
        << c.name << ":\n"
        << result.converted;
  }
}

// A loop that keeps its tasks in flight to a window gathers before the next loop
// submits, so that the window still bounds what is in flight.
TEST(OverlapTest, AThrottledLoopIsGatheredBeforeTheNextSubmits) {
  std::string source =
      std::string(kHeavy) +
      "int main(int argc, char **) {\n  std::vector<double> a, b;\n"
      "  for (int i = 0; i < argc * 100; i += 2) a.push_back(heavy(i));\n"
      "  for (int i = 0; i < 3; ++i) b.push_back(heavy(i));\n"
      "  return static_cast<int>(a.size() + b.size());\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(Decisions(result).at(0).IsConversion());
  ASSERT_TRUE(Decisions(result).at(0).conversion->throttled);
  ASSERT_TRUE(Decisions(result).at(1).IsConversion());
  EXPECT_LT(At(result.converted, "ray::Get(a_refs)"),
            At(result.converted, "b_refs.push_back(rayify_copy_of(ray::Task(heavy)"))
      << result.converted;
}

// A range-for over what the task loop above filled, from empty, gives each task its
// element as the object ref that loop made: resolved on the worker, never through the
// driver (and not fetched at all when nothing reads the container afterwards).
std::string Pipeline(const std::string &declaration, const std::string &between,
                     const std::string &walk, const std::string &after,
                     const std::string &call = "count(part)") {
  return std::string(kHeavy) +
         "std::string make(int i) { std::string s; for (int k = 0; k < 100000; ++k) "
         "s += char('a' + (i + k) % 26); return s; }\n"
         "int count(const std::string &s) { int n = 0; for (char c : s) for (int r = 0; "
         "r < 50; "
         "++r) n += (c ^ r) == 'e'; return n; }\n"
         "int count_in(const std::string &s, const std::vector<std::string> &all) {\n"
         "  return count(s) + static_cast<int>(all.size()); }\n"
         "int main() {\n  " +
         declaration + "\n" + between +
         "  for (int i = 0; i < 4; ++i) parts.push_back(make(i));\n"
         "  std::vector<int> counts;\n"
         "  for (" +
         walk + ") // LOOP\n    counts.push_back(" + call + ");\n  return counts[0]" +
         after + ";\n}\n";
}

TEST(OverlapTest, ARangeForOverWhatTheLoopAboveFilledTakesItsObjectRefs) {
  std::string source =
      Pipeline("std::vector<std::string> parts;", "", "const auto &part : parts", "");
  FileConversion result = ConvertSnippet(source);
  std::vector<Finding> decisions = Decisions(result);
  ASSERT_EQ(decisions.size(), 2u);
  ASSERT_TRUE(decisions[1].IsConversion()) << decisions[1].message;
  EXPECT_EQ(decisions[1].conversion->refs_from, "parts");
  const std::string &out = result.converted;
  EXPECT_NE(out.find("for (const auto &part : parts_refs) { // LOOP\n"
                     "    counts_refs.push_back(rayify_copy_of(ray::Task(count)"),
            std::string::npos)
      << out;
  // Nothing reads 'parts' afterwards: it never comes to the driver.
  EXPECT_EQ(out.find("ray::Get(parts_refs)"), std::string::npos) << out;

  // Read afterwards: fetched once the second loop submitted its tasks.
  FileConversion read_after =
      ConvertSnippet(Pipeline("std::vector<std::string> parts;", "",
                              "const std::string &part : parts", " + int(parts.size())"));
  EXPECT_LT(At(read_after.converted, "for (const auto &part : parts_refs)"),
            At(read_after.converted, "ray::Get(parts_refs)"));
  EXPECT_LT(At(read_after.converted, "ray::Get(parts_refs)"),
            At(read_after.converted, "ray::Get(counts_refs)"));
}

TEST(OverlapTest, ARangeForTakesValuesWhenTheRefsWouldNotBeTheElements) {
  struct Case {
    const char *name;
    std::string source;
  };
  const std::vector<Case> cases = {
      {"not empty before", Pipeline("std::vector<std::string> parts(2);", "",
                                    "const auto &part : parts", "")},
      {"named in between",
       Pipeline("std::vector<std::string> parts;", "  parts.reserve(4);\n",
                "const auto &part : parts", "")},
      {"a mutable element",
       Pipeline("std::vector<std::string> parts;", "", "auto &part : parts", "")},
      // The task also needs the whole container, which only the gather would fill.
      {"the container passed too",
       Pipeline("std::vector<std::string> parts;", "", "const auto &part : parts", "",
                "count_in(part, parts)")},
  };
  for (const Case &c : cases) {
    FileConversion result = ConvertSnippet(c.source);
    std::vector<Finding> decisions = Decisions(result);
    ASSERT_GE(decisions.size(), 2u) << c.name;
    const Finding &fill = decisions[decisions.size() - 2], &walk = decisions.back();
    ASSERT_TRUE(fill.IsConversion()) << c.name << ": " << fill.message;
    ASSERT_TRUE(walk.IsConversion()) << c.name << ": " << walk.message;
    EXPECT_TRUE(walk.conversion->refs_from.empty()) << c.name;
    EXPECT_NE(result.converted.find(" : parts) { // LOOP"), std::string::npos)
        << c.name << ":\n"
        << result.converted;
    EXPECT_LT(At(result.converted, "ray::Get(parts_refs)"),
              At(result.converted, "counts_refs.push_back(rayify_copy_of(ray::Task("))
        << c.name;
  }
}

}  // namespace
}  // namespace rayify
