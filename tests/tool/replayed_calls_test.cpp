// Calls the driver replays in the tasks' stead (analysis/ReplayedCalls.h): timers
// and other bookkeeping in globals nothing else in the iteration touches run on the
// driver, in order, while the rest of the body runs as tasks; every way such a call
// could share state with the work, or do what a driver cannot redo, keeps the loop
// sequential with its reason. Whether a converted program still prints the same is
// checked by e2e.verify_outlined over tests/outline/replayed.cpp.
#include <algorithm>

#include "converter_test_support.h"
#include "report/Report.h"

namespace rayify {
namespace {

using testing::ConvertSnippet;
using testing::LineOf;
using testing::RefusalCase;

// A tick clock and NPB's timers over it, work, and a trace of what the work found.
const char kBooks[] = R"(#include <cstdio>
double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; return s; }
static long ticks = 0;
static double started[4], elapsed[4];
static int notes[64], noted = 0;
static double last_seen = 0;
void timer_start(int n) { started[n] = (double)++ticks; }
void timer_stop(int n) { elapsed[n] += (double)++ticks - started[n]; }
void note(int i, double v) { if (noted < 64) notes[noted++] = i + (v > 0 ? 100 : 0); }
)";

std::string Program(const std::string &before_main, const std::string &main_body) {
  return std::string(kBooks) + before_main + "int main() {\n" + main_body +
         "\nstd::printf(\"%f %d\\n\", elapsed[1], noted);\n}\n";
}

const char kTimedLoop[] =
    "bool timed = true;\ndouble total = 0;\n"
    "for (int i = 0; i < 9; ++i) { // LOOP\n  if (timed) timer_start(1);\n"
    "  double v = heavy(i);\n  total += v;\n  note(i, v);\n  if (timed) timer_stop(1); "
    "}\n"
    "std::printf(\"%f\\n\", total);";

size_t Count(const std::string &text, const std::string &what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

TEST(ReplayedCallTest, TimersAndATraceRunOnTheDriverInTheirOrder) {
  std::string source = Program("", kTimedLoop);
  FileConversion file = ConvertSnippet(source);
  const Finding *decision = nullptr;
  for (const Finding *finding : file.LoopDecisions()) {
    if (finding->Line() == LineOf(source, "// LOOP")) decision = finding;
  }
  ASSERT_NE(decision, nullptr);
  ASSERT_TRUE(decision->IsConversion()) << decision->message;
  EXPECT_EQ(decision->conversion->replayed,
            (std::vector<std::string>{"timer_start", "note", "timer_stop"}));
  EXPECT_EQ(decision->conversion->calls, std::vector<std::string>{"heavy"});
  // The task counts the timer calls and keeps the trace's arguments; each call is
  // made once, by the driver, after ray::Get.
  EXPECT_NE(file.converted.find("if (timed) ++iteration_result.timer_start;"),
            std::string::npos)
      << file.converted;
  EXPECT_NE(file.converted.find("iteration_result.note = std::make_tuple(i, v);"),
            std::string::npos)
      << file.converted;
  const std::string kCalls[] = {"timer_start(1);", "note(", "timer_stop(1);"};
  size_t get = file.converted.find("ray::Get(");
  ASSERT_NE(get, std::string::npos);
  size_t previous = get;
  for (const std::string &call : kCalls) {
    EXPECT_EQ(Count(file.converted, call), Count(source, call)) << call;
    size_t at = file.converted.find(call, get);
    EXPECT_GT(at, previous) << call << " is not replayed after the one before it";
    previous = at;
  }
  std::string message = ConversionSummary(*decision->conversion);
  EXPECT_NE(message.find("calls of timer_start(), note(), timer_stop() replayed on the "
                         "driver in order"),
            std::string::npos)
      << message;
}

// A C struct's trivial constructor (`timeval tv;` in NPB's wtime) runs nothing.
TEST(ReplayedCallTest, ATimerDeclaringACStructIsReplayedToo) {
  std::string source = std::string(kBooks) +
                       "struct stamp { long sec; long usec; };\n"
                       "void timer_read_now(int n) { stamp s; s.sec = ++ticks; "
                       "started[n] = (double)s.sec; }\n"
                       "int main() {\ndouble total = 0;\n"
                       "for (int i = 0; i < 9; ++i) { // LOOP\n  timer_read_now(2);\n"
                       "  total += heavy(i); }\nstd::printf(\"%f %f\\n\", total, "
                       "started[2]);\n}\n";
  Finding decision = testing::DecisionFor(source);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->replayed, std::vector<std::string>{"timer_read_now"});
}

class ReplayedCallRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ReplayedCallRefusalTest, LoopStaysSequentialWithItsReason) {
  testing::ExpectRefused(GetParam());
}

std::string Loop(const std::string &body) {
  return "double total = 0;\nfor (int i = 0; i < 9; ++i) { // LOOP\n" + body +
         " }\nstd::printf(\"%f\\n\", total);";
}

std::vector<RefusalCase> Refusals() {
  const SkipReason kGlobal = SkipReason::kGlobalWrite;
  return {
      // The work reads what the replayed call writes: a task would see its own copy.
      {"TheWorkReadsWhatTheCallWrites",
       Program("", Loop("  timer_stop(1);\n  total += heavy(i) + elapsed[1];")), kGlobal,
       "uses what it changes"},
      {"AnArgumentReadsWhatTheCallWrites",
       Program("", Loop("  total += heavy(i);\n  note(noted, total);")), kGlobal,
       "note()"},
      {"AnotherFunctionOfTheWorkReadsIt",
       Program(
           "double seen() { return elapsed[1]; }\n",
           Loop("  timer_start(1);\n  total += heavy(i) + seen();\n  timer_stop(1);")),
       kGlobal, "timer_st"},
      // The call reads what the work writes.
      {"TheCallReadsWhatTheWorkWrites",
       Program("static double g_sum = 0;\nvoid remember() { last_seen = g_sum; }\n",
               Loop("  g_sum += heavy(i);\n  remember();")),
       kGlobal, "remember()"},
      // The driver runs the header for every iteration before it replays a call.
      {"TheHeaderChangesWhatTheCallReads",
       Program("static int phase = 0;\nvoid log_phase() { notes[0] += phase; }\n",
               "double total = 0;\n"
               "for (int i = 0; i < 9; ++i, ++phase) { // LOOP\n  log_phase();\n"
               "  total += heavy(i); }\nstd::printf(\"%f %d\\n\", total, notes[0]);"),
       kGlobal, "log_phase()"},
      {"TheHeaderReadsWhatTheCallChanges",
       Program("static int limit = 9;\nvoid shrink() { if (limit > 4) --limit; }\n",
               "double total = 0;\n"
               "for (int i = 0; i < limit; ++i) { // LOOP\n  shrink();\n"
               "  total += heavy(i); }\nstd::printf(\"%f\\n\", total);"),
       kGlobal, "shrink()"},
      // Runs of two replayed calls, one in an inner loop, would lose their order.
      {"TwoReplayedCallsOneInAnInnerLoop",
       Program("",
               Loop("  timer_start(1);\n  for (int j = 0; j < 3; ++j) timer_stop(1);\n"
                    "  total += heavy(i);")),
       SkipReason::kUnsupportedShape, "inner loop"},
      // What a driver cannot redo alone.
      {"ACallWritingThroughAGlobalPointer",
       Program("static double *cursor = elapsed;\nvoid push(double v) { *cursor = v; }\n",
               Loop("  push(1.0);\n  total += heavy(i);")),
       kGlobal, "push()"},
      {"ACallGivenAPointer",
       Program("void stamp(double *at) { *at = (double)++ticks; }\n",
               Loop("  stamp(&started[1]);\n  total += heavy(i);")),
       kGlobal, "stamp()"},
      {"ACallThatPrints",
       Program("void tick(int i) { ++ticks; std::printf(\"%d\\n\", i); }\n",
               Loop("  tick(i);\n  total += heavy(i);")),
       SkipReason::kIo, "tick()"},
      {"ACallThatMayThrow",
       Program("void check(int i) { if (i > 99) throw i; ++ticks; }\n",
               Loop("  check(i);\n  total += heavy(i);")),
       kGlobal, "check()"},
      {"AMemberFunctionKeepingCount",
       Program("struct Books { void add() { ++ticks; } };\n",
               "Books books;\n" + Loop("  books.add();\n  total += heavy(i);")),
       kGlobal, "Books::add()"},
      {"ACallWhoseValueIsUsed",
       Program("double lap(int n) { elapsed[n] += 1; return elapsed[n]; }\n",
               Loop("  total += heavy(i) * lap(1);")),
       kGlobal, "lap()"},
      // The driver would make every call itself: nothing is left for a task.
      {"ALoopOfNothingButTheCall", Program("", Loop("  timer_start(i % 4);")), kGlobal,
       "does nothing else"},
      // The work keeps nothing: the replayed calls would be all that is left.
      {"WorkThatKeepsNothingBesideTheCall",
       Program("", Loop("  heavy(i);\n  timer_start(1);")), kGlobal, "does nothing else"},
      // A call under an if with a declaration is not where the planner replays.
      {"ACallUnderAnIfDeclaringAVariable",
       Program("", Loop("  if (bool on = i > 2) timer_start(1);\n  total += heavy(i);")),
       kGlobal, "timer_start()"},
  };
}

INSTANTIATE_TEST_SUITE_P(Replayed, ReplayedCallRefusalTest,
                         ::testing::ValuesIn(Refusals()), testing::CaseName());

}  // namespace
}  // namespace rayify
