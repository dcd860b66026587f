// The actor-class pass: one small program per rule. Stateful classes used only
// through their methods become actors; every hazard is refused with its reason code
// and leaves the file exactly as it was.
#include "converter_test_support.h"

namespace rayify {
namespace {

using testing::ConvertSnippet;

const char kPrelude[] = R"(#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>
)";

// A counter whose state the driver changes; `extra` goes into the class body and
// `before_main` between the class and main.
std::string Program(const std::string &extra, const std::string &before_main,
                    const std::string &main_body) {
  return std::string(kPrelude) +
         "class Counter {\n"
         " public:\n"
         "  explicit Counter(int start) : total_(start) {}\n"
         "  void add(int n) { for (int i = 0; i < n; ++i) total_ += i; }\n"
         "  long total() const { return total_; }\n" +
         extra +
         " private:\n"
         "  long total_;\n"
         "};\n" +
         before_main + "int main() {\n" + main_body + "\n  return 0;\n}\n";
}

const char kUse[] =
    "  Counter c(1);\n  c.add(10);\n  std::printf(\"%ld\\n\", c.total());";

bool Contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

std::vector<Finding> ActorFindings(const FileConversion &result) {
  std::vector<Finding> found;
  for (const Finding &finding : result.findings) {
    if (finding.rule == kActorRule) found.push_back(finding);
  }
  return found;
}

// The decision on the class; fails the test when there is not exactly one.
Finding ClassDecision(const FileConversion &result) {
  for (const Finding &finding : ActorFindings(result)) {
    if (!finding.IsConversion() || finding.conversion->kind == "actor") return finding;
  }
  ADD_FAILURE() << "no decision on a class";
  return {};
}

TEST(ActorTest, LocalObjectBecomesAnActorAndItsCallsActorTasks) {
  FileConversion result = ConvertSnippet(Program("", "", kUse));
  Finding decision = ClassDecision(result);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->class_name, "Counter");
  EXPECT_EQ(decision.Line(), 6u);  // the `class` keyword
  const std::string &out = result.converted;
  EXPECT_TRUE(Contains(
      out, "Counter *CreateCounter(int start) {\n    return new Counter(start);"))
      << out;
  EXPECT_TRUE(
      Contains(out, "ray::ActorHandle<Counter> c = ray::Actor(CreateCounter).Remote(1);"))
      << out;
  // A call whose value nobody reads is submitted without waiting; a used value waits.
  EXPECT_TRUE(Contains(out, "  c.Task(&Counter::add).Remote(10);")) << out;
  // Ray's single-object Get misreads 64-bit integers from 2^32 up; the list form
  // reads them right.
  EXPECT_TRUE(
      Contains(out, "*ray::Get(std::vector{c.Task(&Counter::total).Remote()}).front()"))
      << out;
  EXPECT_TRUE(Contains(out, "RAY_REMOTE(CreateCounter, &Counter::add, &Counter::total);"))
      << out;
}

// `Counter a(1), b(2);`: each object becomes an actor creation statement of its own,
// and a comment between the declarators stays.
TEST(ActorTest, ObjectsDeclaredTogetherEachBecomeAnActor) {
  FileConversion result = ConvertSnippet(Program(
      "", "",
      "  Counter a(1), b(2) /* b */, c(3);\n  a.add(10);\n  b.add(20);\n  c.add(30);\n"
      "  std::printf(\"%ld %ld %ld\\n\", a.total(), b.total(), c.total());"));
  Finding decision = ClassDecision(result);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_TRUE(
      Contains(result.converted,
               "  ray::ActorHandle<Counter> a = ray::Actor(CreateCounter).Remote(1);\n"
               "  ray::ActorHandle<Counter> b = ray::Actor(CreateCounter).Remote(2) "
               "/* b */;\n"
               "  ray::ActorHandle<Counter> c = ray::Actor(CreateCounter).Remote(3);\n"))
      << result.converted;
}

TEST(ActorTest, ContainerOfActorsAndAPoolLoop) {
  FileConversion result = ConvertSnippet(
      Program("", "",
              "  std::vector<Counter> pool;\n"
              "  for (int i = 0; i < 4; ++i) pool.emplace_back(i);\n"
              "  for (int step = 0; step < 3; ++step)\n"
              "    for (auto &c : pool)\n"
              "      c.add(100);\n"
              "  for (const Counter &c : pool) std::printf(\"%ld\\n\", c.total());"));
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  std::vector<Finding> findings = ActorFindings(result);
  ASSERT_EQ(findings.size(), 3u);  // the class, the pool of add(), the printed totals
  EXPECT_EQ(findings[1].conversion->kind, "actor-pool");
  EXPECT_EQ(findings[1].conversion->function, "add");
  EXPECT_EQ(findings[1].conversion->variable, "pool");
  EXPECT_EQ(findings[2].conversion->function, "total");
  const std::string &out = result.converted;
  EXPECT_TRUE(Contains(out, "std::vector<ray::ActorHandle<Counter>> pool;")) << out;
  EXPECT_TRUE(Contains(out, "pool.emplace_back(ray::Actor(CreateCounter).Remote(i));"))
      << out;
  // Submits to every actor of the step, then waits for all of them.
  EXPECT_TRUE(Contains(
      out,
      "for (int step = 0; step < 3; ++step) {\n"
      "    std::vector<ray::ObjectRef<void>> add_refs;\n"
      "#line 18\n"  // the lines below keep their numbers
      "    for (auto &c : pool)\n"
      "      add_refs.push_back(rayify_copy_of(c.Task(&Counter::add).Remote(100)));\n"
      "    ray::Wait(add_refs, static_cast<int>(add_refs.size()), -1);\n"
      "  }"))
      << out;
  // A handle's Task() is not const: the const reference becomes a plain one. The
  // values printed are gathered: every actor is asked, then each value printed.
  EXPECT_TRUE(Contains(out,
                       "for (auto &c : pool) total_refs.push_back(rayify_copy_of("
                       "c.Task(&Counter::total).Remote()));"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "for (auto &total_refs_value : ray::Get(total_refs)) "
                       "std::printf(\"%ld\\n\", std::move(*total_refs_value));"))
      << out;
}

// A loop appending each actor's value to a local vector submits to every actor, then
// appends the values in the loop's order. Arguments that might read the vector
// (naming it, or a call of the program's) keep a wait in every iteration, and so does
// a body naming its actor twice or calling another object's method (another class's
// actor, whose rewriting a gathered copy would miss).
std::string GatheringProgram(const std::string &argument) {
  return Program("", "int peek(const std::vector<long> &v) { return int(v.size()); }\n",
                 "  std::vector<Counter> pool;\n"
                 "  for (int i = 0; i < 3; ++i) pool.emplace_back(i);\n"
                 "  for (auto &c : pool) c.add(5);\n"
                 "  Counter other(9);\n  other.add(1);\n"
                 "  std::vector<long> totals;\n"
                 "  for (const auto &c : pool) totals.push_back(c.sum(" +
                     argument +
                     "));\n"
                     "  std::printf(\"%ld\\n\", totals[2]);");
}

TEST(ActorTest, AppendedValuesOfEveryActorAreGatheredAfterAllSubmissions) {
  auto with_sum = [](std::string program) {
    std::string at = "  long total() const { return total_; }\n";
    return program.replace(program.find(at), at.size(),
                           at + "  long sum(int k) const { long s = 0; for (int i = 0; "
                                "i < k; ++i) s += total_; return s; }\n");
  };
  FileConversion result = ConvertSnippet(with_sum(GatheringProgram("7")));
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  std::vector<Finding> findings = ActorFindings(result);
  ASSERT_EQ(findings.size(), 3u);  // the class, the pool of add(), the pool of sum()
  EXPECT_EQ(findings[2].conversion->kind, "actor-pool");
  EXPECT_EQ(findings[2].conversion->function, "sum");
  const std::string &out = result.converted;
  EXPECT_TRUE(Contains(out, "  std::vector<ray::ObjectRef<long>> sum_refs;\n")) << out;
  EXPECT_TRUE(Contains(out,
                       "  for (auto &c : pool) sum_refs.push_back(rayify_copy_of("
                       "c.Task(&Counter::sum).Remote(7)));\n"
                       "  for (auto &sum_refs_value : ray::Get(sum_refs)) "
                       "totals.push_back(std::move(*sum_refs_value));\n"))
      << out;
  for (const std::string argument :
       {"int(totals.size())", "peek(totals)", "int(c.total())", "int(other.total())"}) {
    FileConversion waits = ConvertSnippet(with_sum(GatheringProgram(argument)));
    ASSERT_TRUE(ClassDecision(waits).IsConversion()) << argument;
    EXPECT_EQ(ActorFindings(waits).size(), 2u) << argument;
    EXPECT_TRUE(Contains(waits.converted,
                         "totals.push_back(*ray::Get(std::vector{c.Task(&Counter::sum)"))
        << waits.converted;
  }
}

// A counted loop calling `pool[i]` for its value gathers too, each value kept with its
// counter. A header reading what the expression writes, an expression writing the
// counter, or an actor not the counter's keep a wait in every iteration.
TEST(ActorTest, ACountedLoopGathersEachValueWithItsCounter) {
  auto program = [](const std::string &loop) {
    return Program(
        "  long sum(int k) const { long s = 0; for (int i = 0; i < k; ++i) s += "
        "total_; return s; }\n",
        "",
        "  std::vector<Counter> pool;\n"
        "  for (int i = 0; i < 3; ++i) pool.emplace_back(i);\n"
        "  for (auto &c : pool) c.add(5);\n"
        "  std::vector<long> totals(3);\n  int n = 3;\n" +
            loop + "\n  std::printf(\"%ld %d\\n\", totals[2], n);");
  };
  FileConversion result = ConvertSnippet(
      program("  for (int i = 0; i < n; ++i) totals[i] = pool[i].sum(7);"));
  ASSERT_TRUE(result.error.empty()) << result.error;
  const std::string &out = result.converted;
  EXPECT_TRUE(
      Contains(out, "std::vector<std::pair<int, ray::ObjectRef<long>>> sum_refs;"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "for (int i = 0; i < n; ++i) sum_refs.emplace_back(i, "
                       "rayify_copy_of(pool[i].Task(&Counter::sum).Remote(7)));"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "for (auto &sum_refs_entry : sum_refs) { [[maybe_unused]] auto "
                       "i = sum_refs_entry.first; totals[i] = std::move(*ray::Get("
                       "std::vector{sum_refs_entry.second}).front()); }"))
      << out;
  // A statement with temporaries (its implicit cleanups) gathers the same way.
  FileConversion strings =
      ConvertSnippet(program("  std::vector<std::string> labels(3);\n"
                             "  for (int i = 0; i < n; ++i) labels[i] = "
                             "std::to_string(pool[i].sum(7)) + \"!\";"));
  EXPECT_TRUE(
      Contains(strings.converted, "labels[i] = std::to_string(std::move(*ray::Get("))
      << strings.converted;
  for (const std::string loop :
       {"  for (int i = 0; i < n; ++i) n = int(pool[i].sum(7));",
        "  for (int i = 0; i < n; ++i) totals[i++] = pool[i].sum(7);",
        "  for (int i = 0; i < n; ++i) totals[i] = pool[0].sum(7);"}) {
    FileConversion waits = ConvertSnippet(program(loop));
    ASSERT_TRUE(waits.error.empty()) << waits.error;
    EXPECT_FALSE(Contains(waits.converted, "sum_refs")) << waits.converted;
    EXPECT_TRUE(Contains(waits.converted, "*ray::Get(std::vector{pool["))
        << waits.converted;
  }
}

// An expression that may throw partway (`at()`) gathers only calls that change
// nothing: submitted ahead, a changing call the loop would not have reached would show
// after a caught exception.
TEST(ActorTest, AnExpressionThatMayThrowGathersOnlyCallsThatChangeNothing) {
  auto program = [](const std::string &loop) {
    return Program(
        "  long sum(int k) const { long s = 0; for (int i = 0; i < k; ++i) s += total_; "
        "return s; }\n"
        "  long bump(int k) { for (int i = 0; i < k; ++i) total_ += i; return total_; "
        "}\n",
        "",
        "  std::vector<Counter> pool;\n  for (int i = 0; i < 3; ++i) "
        "pool.emplace_back(i);\n"
        "  std::vector<long> totals(1);\n" +
            loop + "\n  std::printf(\"%ld\\n\", totals[0]);");
  };
  FileConversion changing =
      ConvertSnippet(program("  for (auto &c : pool) totals.at(0) += c.bump(3);"));
  ASSERT_TRUE(changing.error.empty()) << changing.error;
  EXPECT_FALSE(Contains(changing.converted, "bump_refs")) << changing.converted;
  FileConversion reading =
      ConvertSnippet(program("  for (auto &c : pool) c.add(1);\n"
                             "  for (const auto &c : pool) totals.at(0) += c.sum(3);"));
  EXPECT_TRUE(Contains(reading.converted, "sum_refs")) << reading.converted;
  FileConversion appending =
      ConvertSnippet(program("  for (auto &c : pool) totals.push_back(c.bump(3));"));
  EXPECT_TRUE(Contains(appending.converted, "bump_refs")) << appending.converted;
}

// Another class's actor called beside the gathered call: its own rewriting would
// overlap the gathering's, so the loop keeps a wait in every iteration.
TEST(ActorTest, AGatheredExpressionCallingAnotherActorKeepsItsWaits) {
  std::string source = Program(
      "  long sum(int k) const { long s = 0; for (int i = 0; i < k; ++i) s += total_; "
      "return s; }\n",
      "class Meter {\n public:\n  void tick(int k) { for (int i = 0; i < k; ++i) n_ += "
      "i; }\n"
      "  long read() const { return n_; }\n private:\n  long n_ = 0;\n};\n",
      "  std::vector<Counter> pool;\n  for (int i = 0; i < 3; ++i) "
      "pool.emplace_back(i);\n"
      "  for (auto &c : pool) c.add(5);\n  Meter m;\n  m.tick(100);\n  long total = 0;\n"
      "  for (const auto &c : pool) total += c.sum(7) + m.read();\n"
      "  std::printf(\"%ld\\n\", total);");
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_TRUE(
      Contains(result.converted, "total += *ray::Get(std::vector{c.Task(&Counter::sum)"))
      << result.converted;
  EXPECT_FALSE(Contains(result.converted, "sum_refs")) << result.converted;
}

TEST(ActorTest, PoolLoopNotDecidedAgainByTheTaskLoopPass) {
  FileConversion result = ConvertSnippet(
      Program("", "",
              "  std::vector<Counter> pool;\n  pool.push_back(Counter(3));\n"
              "  for (auto &c : pool) c.add(5);\n"
              "  std::printf(\"%ld\\n\", pool[0].total());"));
  // The loops of the actor's methods are told they run in the actor; main's pool
  // loop gets no second decision.
  for (const Finding &finding : result.findings) {
    if (finding.rule == kTaskLoopRule) {
      EXPECT_EQ(finding.code, ReasonCode(SkipReason::kNotDriverCode)) << finding.message;
      EXPECT_NE(finding.message.find("Counter::"), std::string::npos) << finding.message;
    }
  }
  EXPECT_TRUE(
      Contains(result.converted, "pool.push_back(ray::Actor(CreateCounter).Remote(3));"))
      << result.converted;
  EXPECT_TRUE(
      Contains(result.converted,
               "*ray::Get(std::vector{pool[0].Task(&Counter::total).Remote()}).front()"))
      << result.converted;
}

// Two actors' expensive const calls printed one after the other: the second is
// submitted before the first is waited for, so they overlap.
TEST(ActorTest, ConstCallIsSubmittedBeforeTheWaitAheadOfIt) {
  std::string source = Program(
      "  int audit(int rounds) const { int d = 0; for (int r = 0; r < rounds; ++r) d ^= "
      "r; return d; }\n",
      "",
      "  const int rounds = 1000;\n  Counter a(1);\n  Counter b(2);\n  a.add(3);\n"
      "  std::printf(\"%d\\n\", a.audit(rounds));\n"
      "  std::printf(\"%d\\n\", b.audit(rounds));");
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_TRUE(Contains(
      result.converted,
      "  ray::ObjectRef<int> b_audit = b.Task(&Counter::audit).Remote(rounds);\n"
      "#line 20\n"  // the call submitted above it takes a line of its own
      "  std::printf(\"%d\\n\", *ray::Get(a.Task(&Counter::audit).Remote(rounds)));\n"
      "  std::printf(\"%d\\n\", *ray::Get(b_audit));"))
      << result.converted;
}

struct KeptInPlace {
  const char *name;
  std::string statements;
};

void PrintTo(const KeptInPlace &c, std::ostream *out) { *out << c.name; }

class HoistRefusalTest : public ::testing::TestWithParam<KeptInPlace> {};

// The second print's call stays where it is: moving it would change what it sees,
// or submit a call the original might not make.
TEST_P(HoistRefusalTest, CallStaysInItsStatement) {
  std::string source = Program(
      "  int audit(int rounds) const { int d = 0; for (int r = 0; r < rounds; ++r) d ^= "
      "r; return d; }\n"
      "  int bump(int by) { total_ += by; return 0; }\n",
      "",
      "  int rounds = 1000;\n  Counter a(1);\n  Counter b(2);\n  a.add(3);\n" +
          GetParam().statements);
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_FALSE(Contains(result.converted, "ray::ObjectRef<int>")) << result.converted;
}

std::vector<KeptInPlace> KeptCases() {
  return {
      {"ArgumentChangesInBetween",
       "  std::printf(\"%d\\n\", a.audit(rounds));\n  rounds = 5;\n"
       "  std::printf(\"%d\\n\", b.audit(rounds));"},
      {"SameActorInBetween",
       "  std::printf(\"%d\\n\", b.audit(rounds));\n  b.add(1);\n"
       "  std::printf(\"%d\\n\", b.audit(rounds));"},
      {"NonConstCallOfTheActorInTheSameStatement",
       "  std::printf(\"%d\\n\", a.audit(rounds));\n"
       "  std::printf(\"%d %d\\n\", b.bump(1), b.audit(rounds));"},
      {"ConditionalCall",
       "  std::printf(\"%d\\n\", a.audit(rounds));\n"
       "  std::printf(\"%d\\n\", rounds > 5 ? b.audit(rounds) : 0);"},
      {"ReturnInBetween",
       "  std::printf(\"%d\\n\", a.audit(rounds));\n  if (rounds < 0) return 1;\n"
       "  std::printf(\"%d\\n\", b.audit(rounds));"},
      {"NothingToOvertake", "  a.add(1);\n  std::printf(\"%d\\n\", b.audit(rounds));"},
  };
}

INSTANTIATE_TEST_SUITE_P(Hoists, HoistRefusalTest, ::testing::ValuesIn(KeptCases()),
                         testing::CaseName());

// A local whose address got out can change in a statement that never names it.
TEST(ActorTest, ArgumentReachableThroughAPointerIsNotSubmittedEarly) {
  std::string source = Program(
      "  int audit(int rounds) const { int d = 0; for (int r = 0; r < rounds; ++r) d ^= "
      "r; return d; }\n",
      "int *g_rounds = nullptr;\nvoid bump() { *g_rounds += 1; }\n",
      "  int rounds = 1000;\n  g_rounds = &rounds;\n  Counter a(1);\n  Counter b(2);\n"
      "  a.add(3);\n"
      "  std::printf(\"%d\\n\", a.audit(rounds));\n  bump();\n"
      "  std::printf(\"%d\\n\", b.audit(rounds));");
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_FALSE(Contains(result.converted, "ray::ObjectRef<int>")) << result.converted;
  EXPECT_TRUE(
      Contains(result.converted, "*ray::Get(b.Task(&Counter::audit).Remote(rounds))"))
      << result.converted;
}

TEST(ActorTest, ResultUsedThroughAMemberIsParenthesised) {
  std::string source =
      std::string(kPrelude) +
      "class Log {\n public:\n"
      "  void add(int n) { for (int i = 0; i < n; ++i) text_ += std::to_string(i); }\n"
      "  std::string text() const { return text_; }\n private:\n"
      "  std::string text_;\n};\n"
      "int main() {\n  Log log;\n  log.add(4);\n"
      "  std::printf(\"%s\\n\", log.text().c_str());\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_TRUE(Contains(result.converted,
                       "ray::ActorHandle<Log> log = ray::Actor(CreateLog).Remote();"))
      << result.converted;
  EXPECT_TRUE(
      Contains(result.converted, "(*ray::Get(log.Task(&Log::text).Remote())).c_str()"))
      << result.converted;
}

// `for (x : a.items())` and `const auto &v = a.items()` keep the call's temporary
// alive; `*ray::Get(r)` would point into a result freed at the end of the statement.
TEST(ActorTest, ResultBoundToAReferenceIsAValueOfItsOwn) {
  std::string source =
      std::string(kPrelude) +
      "class Bag {\n public:\n"
      "  void add(int n) { for (int i = 0; i < n; ++i) items_.push_back(i); }\n"
      "  std::vector<int> items() const { return items_; }\n private:\n"
      "  std::vector<int> items_;\n};\n"
      "int main() {\n  Bag bag;\n  bag.add(3);\n"
      "  for (int x : bag.items()) std::printf(\"%d\\n\", x);\n"
      "  const std::vector<int> &all = bag.items();\n"
      "  std::printf(\"%zu %zu\\n\", all.size(), bag.items().size());\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  const std::string &out = result.converted;
  EXPECT_TRUE(Contains(out,
                       "for (int x : static_cast<std::vector<int>>(std::move(*ray::Get("
                       "bag.Task(&Bag::items).Remote()))))"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "const std::vector<int> &all = static_cast<std::vector<int>>("
                       "std::move(*ray::Get(bag.Task(&Bag::items).Remote())));"))
      << out;
  // Used within its statement, the result needs no copy.
  EXPECT_TRUE(Contains(out, "(*ray::Get(bag.Task(&Bag::items).Remote())).size()")) << out;
}

TEST(ActorTest, ClassInANamespaceIsNamedWithIt) {
  std::string source = std::string(kPrelude) +
                       "namespace sim {\nclass Cell {\n public:\n"
                       "  void step() { for (int i = 0; i < 3; ++i) ++n_; }\n"
                       "  int n() const { return n_; }\n private:\n  int n_ = 0;\n};\n}\n"
                       "int main() {\n  sim::Cell cell;\n  cell.step();\n"
                       "  return cell.n() == 3 ? 0 : 1;\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_TRUE(Contains(
      result.converted,
      "ray::ActorHandle<sim::Cell> cell = ray::Actor(sim::CreateCell).Remote();"))
      << result.converted;
  EXPECT_TRUE(Contains(result.converted,
                       "RAY_REMOTE(sim::CreateCell, &sim::Cell::step, &sim::Cell::n);"))
      << result.converted;
}

TEST(ActorTest, ResourcesAnnotationAboveTheClass) {
  std::string source = Program("", "", kUse);
  source.replace(source.find("class Counter"), 0,
                 "// rayify: resources(CPU=2, memory=1GB)\n");
  FileConversion result = ConvertSnippet(source);
  Finding decision = ClassDecision(result);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->resources.at("CPU"), 2);
  EXPECT_TRUE(Contains(
      result.converted,
      "ray::Actor(CreateCounter).SetResource(\"CPU\", 2).SetResource(\"memory\", "
      "1073741824).Remote(1)"))
      << result.converted;
}

TEST(ActorTest, NamedActorOnlyWhereTheClassAsksForIt) {
  std::string source = Program("", "", kUse);
  source.replace(source.find("class Counter"), 0,
                 "// rayify: actor(name=tally, namespace=books)\n");
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_TRUE(
      Contains(result.converted,
               "ray::Actor(CreateCounter).SetName(\"tally\", \"books\").Remote(1)"))
      << result.converted;
  // Without the annotation, no actor gets a name.
  EXPECT_FALSE(Contains(ConvertSnippet(Program("", "", kUse)).converted, "SetName"));
}

TEST(ActorTest, OneNameForSeveralObjectsIsRefused) {
  std::string source = Program("", "",
                               "  std::vector<Counter> v;\n  v.emplace_back(1);\n"
                               "  v.emplace_back(2);\n  v[0].add(3);");
  source.replace(source.find("class Counter"), 0, "// rayify: actor(name=tally)\n");
  FileConversion result = ConvertSnippet(source);
  Finding decision = ClassDecision(result);
  EXPECT_EQ(decision.code, "unsupported-shape");
  EXPECT_TRUE(Contains(decision.message, "names one actor")) << decision.message;
  EXPECT_EQ(result.converted, result.original);
}

TEST(ActorTest, MalformedAnnotationIsRefused) {
  std::string source = Program("", "", kUse);
  source.replace(source.find("class Counter"), 0, "// rayify: actor(nmae=x)\n");
  Finding decision = ClassDecision(ConvertSnippet(source));
  EXPECT_EQ(decision.code, "unsupported-shape");
  EXPECT_TRUE(Contains(decision.message, "malformed")) << decision.message;
}

TEST(ActorTest, UserTypeArgumentsGetMsgpackDefine) {
  std::string source =
      std::string(kPrelude) +
      "struct Move { int dx; int dy; };\n"
      "class Walker {\n public:\n"
      "  void go(Move m) { for (int i = 0; i < 2; ++i) { x_ += m.dx; y_ += m.dy; } }\n"
      "  int x() const { return x_; }\n private:\n  int x_ = 0, y_ = 0;\n};\n"
      "int main() {\n  Walker w;\n  w.go(Move{1, 2});\n  return w.x() - 2;\n}\n";
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_TRUE(Contains(result.converted, "MSGPACK_DEFINE(dx, dy)")) << result.converted;
}

TEST(ActorTest, ObjectOfAHelperMainCallsOnceBecomesAnActor) {
  FileConversion result =
      ConvertSnippet(Program("",
                             "void trial(int i) {\n  Counter c(i);\n  c.add(2);\n"
                             "  std::printf(\"%ld\\n\", c.total());\n}\n",
                             "  trial(4);"));
  ASSERT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  EXPECT_TRUE(
      Contains(result.converted,
               "ray::ActorHandle<Counter> c = ray::Actor(CreateCounter).Remote(i);"))
      << result.converted;
}

TEST(ActorTest, ClassWhoseObjectsAreOnlyReadIsNoActor) {
  std::string source =
      Program("", "", "  const Counter c(1);\n  return static_cast<int>(c.total());");
  FileConversion result = ConvertSnippet(source);
  EXPECT_TRUE(ActorFindings(result).empty());
  EXPECT_EQ(result.converted, result.original);
}

TEST(ActorTest, LoopCallingAFunctionWithAnActorStaysOnTheDriver) {
  std::string source = Program(
      "",
      "long twice(long v) { long s = 0; for (int i = 0; i < 2; ++i) s += v; return s; "
      "}\n",
      "  Counter c(1);\n  c.add(3);\n  std::vector<long> out;\n"
      "  for (int i = 0; i < 4; ++i) // LOOP\n    out.push_back(twice(c.total()));\n"
      "  std::printf(\"%ld\\n\", out[3]);");
  Finding decision = testing::DecisionFor(source);
  EXPECT_FALSE(decision.IsConversion());
  EXPECT_TRUE(Contains(decision.message, "actor 'c'")) << decision.message;
}

// A loop whose body would be outlined (a method called for its value, pushed back)
// calls an actor: the actor pass has rewritten the call, so the loop stays on the
// driver. Until 2026-12-06 both rewrote the call and the whole file failed.
TEST(ActorTest, OutlinedLoopCallingAnActorStaysOnTheDriver) {
  std::string source = Program(
      "  long heavy() const { long s = 0; for (long i = 0; i < 100000000; ++i) s += i "
      "^ total_; return s; }\n",
      "",
      "  std::vector<Counter> pool;\n  for (int i = 0; i < 4; ++i) "
      "pool.emplace_back(i);\n"
      "  for (auto &c : pool) c.add(3);\n  std::vector<long> out;\n"
      "  for (const auto &c : pool) { // LOOP\n    long v = c.heavy();\n"
      "    out.push_back(v); }\n"
      "  std::printf(\"%ld\\n\", out[3]);");
  FileConversion result = ConvertSnippet(source);
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_TRUE(ClassDecision(result).IsConversion()) << ClassDecision(result).message;
  Finding decision = testing::DecisionFor(source);
  EXPECT_FALSE(decision.IsConversion());
  EXPECT_TRUE(Contains(decision.message, "calls the actor 'pool'")) << decision.message;
}

struct RefusedClass {
  const char *name;
  std::string source;
  SkipReason reason;
  const char *message_part;
};

void PrintTo(const RefusedClass &c, std::ostream *out) { *out << c.name; }

class ActorRefusalTest : public ::testing::TestWithParam<RefusedClass> {};

TEST_P(ActorRefusalTest, ClassIsRefusedWithItsReasonAndLeftAsItWas) {
  const RefusedClass &c = GetParam();
  FileConversion result = ConvertSnippet(c.source);
  Finding decision = ClassDecision(result);
  EXPECT_FALSE(decision.IsConversion());
  EXPECT_EQ(decision.code, ReasonCode(c.reason)) << decision.message;
  EXPECT_TRUE(Contains(decision.message, c.message_part)) << decision.message;
  EXPECT_EQ(result.converted, result.original);
}

std::vector<RefusedClass> RefusedClasses() {
  return {
      {"PassedByReference",
       Program("",
               "void show(const Counter &c) { std::printf(\"%ld\\n\", c.total()); }\n",
               "  Counter c(1);\n  c.add(2);\n  show(c);"),
       SkipReason::kActorEscapes, "'c' is passed to show()"},
      // Declared beside a copy, or in an `if`'s header, where one declaration cannot
      // become several statements: the objects stay as they are.
      {"DeclaredBesideACopy",
       Program("", "", "  Counter c(1), d = c;\n  c.add(2);\n  d.add(1);"),
       SkipReason::kActorEscapes, "declared together with other variables"},
      {"AddressTaken",
       Program("", "", "  Counter c(1);\n  c.add(1);\n  Counter *p = &c;\n  p->add(2);"),
       SkipReason::kActorEscapes, "address taken"},
      {"Copied",
       Program("", "", "  Counter c(1);\n  c.add(2);\n  Counter d = c;\n  d.add(1);"),
       SkipReason::kActorEscapes, "'d' is a copy"},
      {"FieldReadFromOutside",
       Program("  int visits = 0;\n", "",
               "  Counter c(1);\n  c.add(2);\n  c.visits = 3;"),
       SkipReason::kActorEscapes, "member 'visits'"},
      {"Returned",
       Program("", "Counter make() { Counter c(1); c.add(2); return c; }\n",
               "  Counter c = make();\n  c.add(1);"),
       SkipReason::kActorEscapes, "copy of another object"},
      {"UsedInALambda",
       Program(
           "", "",
           "  Counter c(1);\n  c.add(2);\n  auto bump = [&] { c.add(1); };\n  bump();"),
       SkipReason::kActorEscapes, "inside a lambda"},
      {"CopiedByRangeFor",
       Program("", "",
               "  std::vector<Counter> v;\n  v.emplace_back(1);\n  v[0].add(2);\n"
               "  for (Counter c : v) c.add(1);"),
       SkipReason::kActorEscapes, "copies each element"},
      {"Friend", Program("  friend void peek(Counter &);\n", "", kUse),
       SkipReason::kActorEscapes, "friend"},
      {"PointerMember", Program("  int *shared_ = nullptr;\n", "", kUse),
       SkipReason::kActorEscapes, "'shared_' is a pointer"},
      {"MutableStaticMember",
       Program("  void touch() { ++instances; }\n  static int instances;\n",
               "int Counter::instances = 0;\n", kUse),
       SkipReason::kStaticState, "static member 'instances'"},
      {"StaticLocalInAMethod",
       Program("  void tick() { static int calls = 0; ++calls; total_ += calls; }\n", "",
               "  Counter c(1);\n  c.tick();\n  std::printf(\"%ld\\n\", c.total());"),
       SkipReason::kStaticState, "static 'calls'"},
      {"MethodPrints",
       Program("  void show() { std::printf(\"%ld\\n\", total_); }\n", "",
               "  Counter c(1);\n  c.add(2);\n  c.show();"),
       SkipReason::kIo, "printf"},
      {"MethodWritesAGlobal",
       Program("  void note() { ++g_notes; total_ += 1; }\n", "",
               "  Counter c(1);\n  c.note();\n  std::printf(\"%d\\n\", g_notes);")
           .insert(std::string(kPrelude).size(), "int g_notes = 0;\n"),
       SkipReason::kGlobalWrite, "g_notes"},
      {"MethodReadsAChangedGlobal",
       Program("  void scale() { total_ *= g_factor; }\n", "",
               "  g_factor = 3;\n  Counter c(1);\n  c.scale();\n"
               "  std::printf(\"%ld\\n\", c.total());")
           .insert(std::string(kPrelude).size(), "int g_factor = 2;\n"),
       SkipReason::kGlobalRead, "g_factor"},
      {"NonConstReferenceParameter",
       Program("  void drain(std::vector<int> &into) { into.push_back(int(total_)); }\n",
               "", "  Counter c(1);\n  std::vector<int> v;\n  c.drain(v);"),
       SkipReason::kNonConstReference, "'into'"},
      {"PointerParameter",
       Program("  void merge(const long *other) { total_ += *other; }\n", "",
               "  Counter c(1);\n  long x = 2;\n  c.merge(&x);"),
       SkipReason::kNonSerializable, "merge"},
      {"VirtualMethods", Program("  virtual ~Counter() = default;\n", "", kUse),
       SkipReason::kUnsupportedShape, "virtual"},
      {"OverloadedMethod",
       Program("  void add(double x) { total_ += static_cast<long>(x); }\n", "", kUse),
       SkipReason::kUnsupportedShape, "overloaded"},
      {"ReferenceResult",
       Program("  const long &ref() const { return total_; }\n", "",
               "  Counter c(1);\n  c.add(2);\n  std::printf(\"%ld\\n\", c.ref());"),
       SkipReason::kUnsupportedShape, "returns a reference"},
      {"MethodThrows",
       Program("  void check() { if (total_ < 0) throw 1; }\n", "",
               "  Counter c(1);\n  c.add(2);\n  c.check();"),
       SkipReason::kMayThrow, "check"},
      {"CallbackMember",
       Program("  void fire() { if (hook_) hook_(); }\n  std::function<void()> hook_;\n",
               "", "  Counter c(1);\n  c.fire();"),
       SkipReason::kUnknownCallee, "fire"},
      {"MethodExits",
       Program("  void stop() { if (total_ > 5) std::exit(3); }\n", "",
               "  Counter c(1);\n  c.add(9);\n  c.stop();"),
       SkipReason::kEarlyExit, "stop"},
      {"NoMethodDoesMuch",
       std::string(kPrelude) +
           "class Tally {\n public:\n  void add(int n) { total_ += n; }\n"
           "  int total() const { return total_; }\n private:\n  int total_ = 0;\n};\n"
           "int main() {\n  Tally t;\n  t.add(2);\n  return t.total() == 2 ? 0 : 1;\n}\n",
       SkipReason::kTooFineGrained, "no method of Tally"},
      {"DeclaredInALoop",
       Program("", "",
               "  for (int i = 0; i < 3; ++i) {\n    Counter c(i);\n    c.add(2);\n"
               "    std::printf(\"%ld\\n\", c.total());\n  }"),
       SkipReason::kUnsupportedShape, "declared inside a loop"},
      {"DeclaredInAHelperCalledInALoop",
       Program("",
               "void trial(int i) {\n  Counter c(i);\n  c.add(2);\n"
               "  std::printf(\"%ld\\n\", c.total());\n}\n",
               "  for (int i = 0; i < 3; ++i) trial(i);"),
       SkipReason::kUnsupportedShape, "called more than once"},
      {"AddedInALoopOfRunTimeLength",
       Program("", "",
               "  int n = std::atoi(\"5\");\n  std::vector<Counter> v;\n"
               "  for (int i = 0; i < n; ++i) v.emplace_back(i);\n  for (auto &c : v) "
               "c.add(1);"),
       SkipReason::kUnsupportedShape, "may run more than 64 times"},
      {"DestructorPrints",
       Program("  ~Counter() { std::printf(\"bye\\n\"); }\n", "", kUse), SkipReason::kIo,
       "destroying an object of Counter"},
      // The implicit destructor runs the member's, which counts into a global that
      // the driver prints after the object is gone.
      {"MembersDestructorWritesAGlobal",
       Program("  struct Closer {\n    ~Closer() { ++g_closed; }\n  } closer_;\n", "",
               "  {\n    Counter c(1);\n    c.add(10);\n  }\n"
               "  std::printf(\"%d\\n\", g_closed);")
           .insert(std::string(kPrelude).size(), "int g_closed = 0;\n"),
       SkipReason::kGlobalWrite,
       "destroying an object of Counter writes the global 'g_closed'"},
      {"DefaultArgument",
       Program("  void bump(int by = 1) { total_ += by; }\n", "",
               "  Counter c(1);\n  c.bump();"),
       SkipReason::kUnsupportedShape, "default arguments"},
  };
}

INSTANTIATE_TEST_SUITE_P(Rules, ActorRefusalTest, ::testing::ValuesIn(RefusedClasses()),
                         testing::CaseName());

}  // namespace
}  // namespace rayify
