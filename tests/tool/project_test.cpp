// Loops calling functions that another translation unit of the project defines: each
// is judged with that function's effect summary (followed through further units),
// converted only when safe, and registered by the file that defines it.
#include <gtest/gtest.h>

#include <map>

#include "Commands.h"
#include "driver/Installation.h"
#include "model/FileConversion.h"
#include "temp_dir.h"

namespace rayify {
namespace {

const char kWorkHeader[] = R"(#pragma once
double Work(int x);
void SetScale(double s);
)";

const char kMain[] = R"(#include <vector>
#include "work.h"
int main() {
  std::vector<double> v(8);
  for (int i = 0; i < 8; ++i) v[i] = Work(i);
  return v[3] > 0 ? 0 : 1;
}
)";
const unsigned kLoopLine = 5;

// A project of `files` (name to text) beside work.h, with a compilation database
// naming every .cpp; converted as a batch.
// With `relative`, the database names each file relative to its command's directory,
// as bear records a Makefile's `-c main.cpp`.
std::map<std::string, FileConversion> ConvertProject(
    const std::map<std::string, std::string> &files, bool compile_check = false,
    bool relative = false, const std::map<std::string, std::string> &headers = {},
    const std::string &exclude = "") {
  TempDir dir;
  dir.Write("work.h", kWorkHeader);
  for (const auto &[name, text] : headers) dir.Write(name, text);
  std::string database = "[\n";
  for (const auto &[name, text] : files) {
    std::string path = dir.Write(name, text);
    std::string named = relative ? name : path;
    database += std::string(database.size() > 2 ? ",\n" : "") + "{\"directory\": \"" +
                dir.Path("") + "\", \"file\": \"" + named +
                "\", \"arguments\": [\"clang++\", \"-std=c++17\", \"-I" +
                RuntimeIncludeDir() + "\", \"-c\", \"" + named + "\"]}";
  }
  dir.Write("compile_commands.json", database + "\n]\n");
  ConvertOptions options;
  options.compile_commands_dir = dir.Path("");
  options.project_root = dir.Path("");
  options.output_dir = dir.Path("out");
  options.compile_check = compile_check;
  options.exclude = exclude;
  options.jobs = 2;
  std::vector<FileConversion> converted;
  ConvertFiles(options, converted, nullptr, nullptr);
  std::map<std::string, FileConversion> by_name;
  for (FileConversion &file : converted) {
    by_name[file.input.substr(file.input.rfind('/') + 1)] = file;
  }
  return by_name;
}

Finding LoopDecision(const FileConversion &file) {
  for (const Finding *decision : file.LoopDecisions()) {
    if (decision->Line() == kLoopLine) return *decision;
  }
  ADD_FAILURE() << "no decision for the loop of " << file.input;
  return {};
}

const char kPureWork[] = R"(#include "work.h"
double Work(int x) {
  double s = 0;
  for (int i = 0; i < 1000000; ++i) s += x * i;
  return s;
}
)";

TEST(ProjectTest, PureCalleeOfAnotherFileBecomesATaskRegisteredWhereItIsDefined) {
  auto files = ConvertProject({{"main.cpp", kMain}, {"work.cpp", kPureWork}}, true);
  const FileConversion &main = files["main.cpp"];
  const FileConversion &work = files["work.cpp"];
  ASSERT_TRUE(main.error.empty()) << main.error;
  EXPECT_TRUE(LoopDecision(main).IsConversion()) << LoopDecision(main).message;
  EXPECT_NE(main.converted.find("ray::Task(Work)"), std::string::npos);
  EXPECT_EQ(main.converted.find("RAY_REMOTE(Work"), std::string::npos)
      << "registered twice: by the caller too";
  EXPECT_NE(work.converted.find("#include <ray/api.h>"), std::string::npos);
  EXPECT_NE(work.converted.find("\nRAY_REMOTE(Work);\n"), std::string::npos)
      << work.converted;
  EXPECT_EQ(main.depends_on, std::vector<std::string>{work.input});
}

// C-style sizes defined before the last include, in the file and in a header of the
// program's: `N` names template parameters in the headers the conversion adds, so
// each is hidden from them and restored after; the converted file must compile.
TEST(ProjectTest, MacrosDefinedBeforeTheIncludesAreHiddenFromTheAddedHeaders) {
  const char kSizes[] = "#pragma once\n#define N 8\n#define NDEBUG 1\n";
  const char kMacroMain[] = R"(#define ARRAY 3
#include "sizes.h"
#include <vector>
#include "work.h"
int main() {
  std::vector<double> v(N + ARRAY);
  for (int i = 0; i < N; ++i) v[i] = Work(i);
  return v[3] > 0 ? 0 : 1;
}
)";
  auto files = ConvertProject({{"main.cpp", kMacroMain}, {"work.cpp", kPureWork}}, true,
                              false, {{"sizes.h", kSizes}});
  const FileConversion &main = files["main.cpp"];
  ASSERT_TRUE(main.error.empty()) << main.error;
  ASSERT_NE(main.converted, main.original) << "left unconverted";
  for (const char *name : {"N", "ARRAY"}) {
    std::string push =
        std::string("#pragma push_macro(\"") + name + "\")\n#undef " + name;
    std::string pop = std::string("#pragma pop_macro(\"") + name + "\")";
    size_t include = main.converted.find("#include <ray/api.h>");
    EXPECT_LT(main.converted.find(push), include) << main.converted;
    EXPECT_GT(main.converted.find(pop), include) << main.converted;
  }
  // A library switch stays in effect for the libraries.
  EXPECT_EQ(main.converted.find("push_macro(\"NDEBUG\")"), std::string::npos);
}

TEST(ProjectTest, FilesTheDatabaseNamesRelativelyArePlanned) {
  auto files = ConvertProject({{"main.cpp", kMain}, {"work.cpp", kPureWork}}, true, true);
  ASSERT_TRUE(files["main.cpp"].error.empty()) << files["main.cpp"].error;
  EXPECT_TRUE(LoopDecision(files["main.cpp"]).IsConversion());
  EXPECT_NE(files["work.cpp"].converted.find("RAY_REMOTE(Work);"), std::string::npos);
}

TEST(ProjectTest, TheDefinitionsResourceAnnotationApplies) {
  std::string annotated = kPureWork;
  annotated.insert(annotated.find("double Work"), "// rayify: resources(CPU=2)\n");
  auto files = ConvertProject({{"main.cpp", kMain}, {"work.cpp", annotated}});
  EXPECT_NE(files["main.cpp"].converted.find("ray::Task(Work).SetResource(\"CPU\", 2)"),
            std::string::npos)
      << files["main.cpp"].converted;
}

TEST(ProjectTest, AFileThatAlreadyRegistersTheCalleeIsLeftAlone) {
  std::string registered =
      std::string("#include <ray/api.h>\n") + kPureWork + "RAY_REMOTE(Work);\n";
  auto files = ConvertProject({{"main.cpp", kMain}, {"work.cpp", registered}});
  EXPECT_TRUE(LoopDecision(files["main.cpp"]).IsConversion());
  EXPECT_EQ(files["work.cpp"].converted, files["work.cpp"].original);
  EXPECT_TRUE(files["main.cpp"].depends_on.empty());
}

TEST(ProjectTest, TheCallerIsLeftUnconvertedWhenTheRegisteringFileIs) {
  // The registration cannot compile where `ray` names a macro: work.cpp is left as
  // it was, so main.cpp, whose task it registers, must be too.
  std::string hostile = std::string(kPureWork) + "#define ray broken\n";
  auto files = ConvertProject({{"main.cpp", kMain}, {"work.cpp", hostile}}, true);
  EXPECT_EQ(files["work.cpp"].converted, files["work.cpp"].original);
  EXPECT_EQ(files["main.cpp"].converted, files["main.cpp"].original);
  EXPECT_EQ(LoopDecision(files["main.cpp"]).code, "does-not-compile");
  EXPECT_NE(LoopDecision(files["main.cpp"]).message.find("work.cpp"), std::string::npos);
}

struct HazardCase {
  const char *name;
  std::map<std::string, std::string> files;  // besides main.cpp
  const char *code;
  const char *says;  // part of the message
};

void PrintTo(const HazardCase &hazard, std::ostream *out) { *out << hazard.name; }

class ProjectHazardTest : public ::testing::TestWithParam<HazardCase> {};

TEST_P(ProjectHazardTest, LoopStaysSequentialWithTheCalleesReason) {
  std::map<std::string, std::string> files = GetParam().files;
  files["main.cpp"] = kMain;
  auto converted = ConvertProject(files);
  Finding decision = LoopDecision(converted["main.cpp"]);
  EXPECT_EQ(decision.code, GetParam().code) << decision.message;
  EXPECT_NE(decision.message.find(GetParam().says), std::string::npos)
      << decision.message;
  EXPECT_EQ(converted["main.cpp"].converted, converted["main.cpp"].original);
  for (const auto &[name, file] : converted) {
    EXPECT_EQ(file.converted.find("RAY_REMOTE"), std::string::npos) << name;
  }
}

const char kLoopy[] = "  double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i;\n";

std::string WorkWith(const std::string &before, const std::string &body) {
  return "#include \"work.h\"\n" + before + "double Work(int x) {\n" + kLoopy + body +
         "  return s;\n}\n";
}

std::vector<HazardCase> HazardCases() {
  return {
      {"WritesAGlobal",
       {{"work.cpp", WorkWith("int calls = 0;\n", "  ++calls;\n")}},
       "global-write",
       "calls"},
      {"DoesIo",
       {{"work.cpp", WorkWith("#include <cstdio>\n", "  std::printf(\"%d\\n\", x);\n")}},
       "io",
       "printf"},
      {"ThrowsTwoFilesAway",
       {{"work.cpp", WorkWith("void Check(int);\n", "  Check(x);\n")},
        {"check.cpp", "void Check(int x) { if (x < 0) throw 1; }\n"}},
       "may-throw",
       "throws"},
      {"ReadsAGlobalAThirdFileChanges",
       {{"work.cpp", WorkWith("double scale = 1;\n", "  s *= scale;\n")},
        {"scale.cpp",
         "#include \"work.h\"\nextern double scale;\n"
         "void SetScale(double s) { scale = s; }\n"}},
       "global-read",
       "scale"},
      {"DefinedInTwoFiles",
       {{"work.cpp", kPureWork}, {"work_copy.cpp", kPureWork}},
       "callee-not-visible",
       "more than one file"},
      {"CallsAFunctionNoFileDefines",
       {{"work.cpp", WorkWith("double Elsewhere(double);\n", "  s = Elsewhere(s);\n")}},
       "callee-not-visible",
       "no file of the project"},
      {"HasNoLoop",
       {{"work.cpp", "#include \"work.h\"\ndouble Work(int x) { return x; }\n"}},
       "too-fine-grained",
       "Work"},
  };
}

INSTANTIATE_TEST_SUITE_P(AcrossFiles, ProjectHazardTest,
                         ::testing::ValuesIn(HazardCases()),
                         [](const auto &info) { return std::string(info.param.name); });

// NPB EP's shape across files: main.cpp seeds a generator each iteration and has a
// helper of fill.cpp fill part of a global block, lending it `&t` before the loop
// too. Only fill.cpp's summary says what the helper fills and that it keeps no copy
// of either pointer.
const char kScratchMain[] = R"(#include <cstdio>
void Fill(int n, double *seed, double *y);
static double block[17];
int main() {
  double t = 1.0, v, sum = 0.0;
  int i, k;
  Fill(0, &t, block);
  for (k = 0; k < 8; k++) {
    t = k;
    Fill(16, &t, block);
    for (i = 0; i < 8; i++) {
      v = block[2 * i + 1];
      sum = sum + v;
    }
  }
  std::printf("%f\n", sum);
}
)";
const unsigned kScratchLoopLine = 8;

std::string FillFile(const std::string &after) {
  return "double Weigh(int x) {\n" + std::string(kLoopy) +
         "  return s;\n}\nvoid Fill(int n, double *seed, double *y) {\n"
         "  double s = *seed;\n  for (int i = 0; i < n; i++) {\n"
         "    s = s * 0.5 + Weigh(i);\n    y[i] = s;\n  }\n" +
         after + "}\n";
}

Finding DecisionAtLine(const FileConversion &file, unsigned line) {
  for (const Finding *decision : file.LoopDecisions()) {
    if (decision->Line() == line) return *decision;
  }
  ADD_FAILURE() << "no decision for the loop at line " << line << " of " << file.input;
  return {};
}

Finding ScratchLoopDecision(const FileConversion &file) {
  return DecisionAtLine(file, kScratchLoopLine);
}

TEST(ProjectTest, WhatAHelperOfAnotherFileFillsIsPrivateToEachTask) {
  auto files = ConvertProject(
      {{"main.cpp", kScratchMain}, {"fill.cpp", FillFile("  *seed = s;\n")}});
  const FileConversion &main = files["main.cpp"];
  ASSERT_TRUE(main.error.empty()) << main.error;
  Finding decision = ScratchLoopDecision(main);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(main.converted.find("  double block[17]{};\n"), std::string::npos)
      << main.converted;
}

TEST(ProjectTest, AHelperOfAnotherFileReadingPastItsFillKeepsTheLoopSequential) {
  auto files = ConvertProject(
      {{"main.cpp", kScratchMain}, {"fill.cpp", FillFile("  *seed = s + y[n];\n")}});
  Finding decision = ScratchLoopDecision(files["main.cpp"]);
  EXPECT_EQ(decision.code, "non-const-reference") << decision.message;
  EXPECT_NE(decision.message.find("Fill()"), std::string::npos) << decision.message;
}

// A global another file defines and main's file declares through a shared header:
// main changes it before the loop, the callee reads it. The task is sent main's
// value and installs it, as for a global of main's own file.
const char kScaleHeader[] = R"(#pragma once
namespace cfg {
extern double scale;
}
extern int passes;
)";

const char kScaleMain[] = R"(#include <vector>
#include "work.h"
#include "scale.h"
int main() {
  cfg::scale = 2.5; passes = 3;
  std::vector<double> v(8);
  for (int i = 0; i < 8; ++i) v[i] = Work(i);
  return v[3] > 0 ? 0 : 1;
}
)";
const unsigned kScaleLoopLine = 7;

// `main` beside a work.cpp whose Work() reads the two globals scale.h declares,
// converted whole and compile-checked.
std::map<std::string, FileConversion> ConvertWithScale(const std::string &main) {
  return ConvertProject(
      {{"main.cpp", main},
       {"work.cpp", "#include \"scale.h\"\n" +
                        WorkWith("namespace cfg { double scale = 1; }\nint passes = 1;\n",
                                 "  s *= cfg::scale * passes;\n")}},
      true, false, {{"scale.h", kScaleHeader}});
}

TEST(ProjectTest, AGlobalOfAnotherFileMainChangesIsSentAndInstalled) {
  auto files = ConvertWithScale(kScaleMain);
  const FileConversion &main = files["main.cpp"];
  ASSERT_TRUE(main.error.empty()) << main.error;
  Finding decision = DecisionAtLine(main, kScaleLoopLine);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
  // Installed in the task from what the driver sent, by the names main's file knows.
  EXPECT_NE(main.converted.find("std::memcpy(&::cfg::scale, "), std::string::npos)
      << main.converted;
  EXPECT_NE(main.converted.find("std::memcpy(&::passes, "), std::string::npos)
      << main.converted;
}

TEST(ProjectTest, AGlobalReadHereAndInAnotherFileIsSentOnce) {
  std::string main = kScaleMain;
  main.replace(main.find("int main() {"), 12,
               "static double Near(int i) { return Work(i) + passes; }\nint main() {");
  main.replace(main.find("v[i] = Work(i)"), 14, "v[i] = Near(i)");
  auto files = ConvertWithScale(main);
  const FileConversion &converted = files["main.cpp"];
  ASSERT_TRUE(converted.error.empty()) << converted.error;
  EXPECT_TRUE(DecisionAtLine(converted, kScaleLoopLine + 1).IsConversion())
      << DecisionAtLine(converted, kScaleLoopLine + 1).message;
  size_t first = converted.converted.find("std::memcpy(&::passes, ");
  ASSERT_NE(first, std::string::npos) << converted.converted;
  EXPECT_EQ(converted.converted.find("std::memcpy(&::passes, ", first + 1),
            std::string::npos)
      << "installed twice:\n"
      << converted.converted;
}

// Work() keeps in a static what `cfg::scale` held at its first call: installing the
// driver's value in each task would not give that.
TEST(ProjectTest,
     AStaticOfAnotherFileInitializedFromAChangedGlobalKeepsTheLoopSequential) {
  auto files = ConvertProject(
      {{"main.cpp", kScaleMain},
       {"work.cpp", "#include \"scale.h\"\n" +
                        WorkWith("namespace cfg { double scale = 1; }\nint passes = 1;\n",
                                 "  static const double k = cfg::scale * 2;\n"
                                 "  s *= k;\n")}},
      false, false, {{"scale.h", kScaleHeader}});
  Finding decision = DecisionAtLine(files["main.cpp"], kScaleLoopLine);
  EXPECT_EQ(decision.code, "global-read") << decision.message;
  EXPECT_NE(decision.message.find("initialises a static from 'cfg::scale'"),
            std::string::npos)
      << decision.message;
}

TEST(ProjectTest, AFileStaticOfAnotherFileMainChangesKeepsTheLoopSequential) {
  // main's file cannot name `scale`: only the setter of work.cpp reaches it.
  auto files = ConvertProject(
      {{"main.cpp",
        std::string(kScaleMain)
            .replace(std::string(kScaleMain).find("cfg::scale = 2.5; passes = 3;"), 29,
                     "SetScale(2.5);")},
       {"work.cpp", WorkWith("static double scale = 1;\n"
                             "void SetScale(double s) { scale = s; }\n",
                             "  s *= scale;\n")}},
      false, false, {{"scale.h", kScaleHeader}});
  Finding decision = DecisionAtLine(files["main.cpp"], kScaleLoopLine);
  EXPECT_EQ(decision.code, "global-read") << decision.message;
  EXPECT_NE(decision.message.find("'scale'"), std::string::npos) << decision.message;
}

// NPB's timers, kept by a file of their own (c_timers.cpp): only that file's summary
// says which globals timer_start() and timer_stop() write, and that nothing the loop
// of main.cpp does touches them, so the driver replays the calls.
const char kTimedMain[] = R"(#include <cstdio>
void timer_start(int n);
void timer_stop(int n);
double timer_read(int n);
double Weigh(int x);
int main() {
  double sum = 0.0;
  int k;
  for (k = 0; k < 8; k++) {
    timer_start(1);
    sum = sum + Weigh(k)LATER;
    timer_stop(1);
  }
  std::printf("%f %f\n", sum, timer_read(1));
}
)";
const unsigned kTimedLoopLine = 9;

std::string TimedMain(const std::string &later) {
  std::string source = kTimedMain;
  return source.replace(source.find("LATER"), 5, later);
}

const char kTimersFile[] = R"(static double start[4], elapsed[4];
static long ticks = 0;
void timer_start(int n) { start[n] = (double)++ticks; }
void timer_stop(int n) { elapsed[n] += (double)++ticks - start[n]; }
double timer_read(int n) { return elapsed[n]; }
double Weigh(int x) {
  double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i;
  return s;
}
)";

Finding TimedLoopDecision(const FileConversion &file) {
  return DecisionAtLine(file, kTimedLoopLine);
}

TEST(ProjectTest, TimersOfAnotherFileAreReplayedOnTheDriver) {
  auto files = ConvertProject({{"main.cpp", TimedMain("")}, {"timers.cpp", kTimersFile}});
  Finding decision = TimedLoopDecision(files["main.cpp"]);
  ASSERT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_EQ(decision.conversion->replayed,
            (std::vector<std::string>{"timer_start", "timer_stop"}));
}

// Weigh() itself is no problem; timer_read(), in the work, reads what timer_stop()
// writes: the task would read its own process's timers.
TEST(ProjectTest, WorkReadingTheTimersOfAnotherFileKeepsTheLoopSequential) {
  auto files = ConvertProject(
      {{"main.cpp", TimedMain(" + timer_read(1)")}, {"timers.cpp", kTimersFile}});
  Finding decision = TimedLoopDecision(files["main.cpp"]);
  EXPECT_EQ(decision.code, "global-write") << decision.message;
  EXPECT_NE(decision.message.find("uses what it changes"), std::string::npos)
      << decision.message;
}

// Driver code across files: main.cpp calls Solve() of solver.cpp, whose loop is
// independent and heavy. Solve is driver code when every call of it, in every file of
// the program, is made by driver code.
const char kSolverHeader[] = R"(#pragma once
#include <vector>
std::vector<double> Solve(int n);
std::vector<double> Outer(int n);
)";

const char kSolveMain[] = R"(#include "solver.h"
int main() {
  std::vector<double> r = Solve(8);
  return r[3] > 0 ? 0 : 1;
}
)";

const char kSolver[] = R"(#include "solver.h"
#include <cmath>
static double Heavy(int i) {
  double s = 0;
  for (int k = 0; k < 1000000; ++k) s += std::sin(i + k * 1e-3);
  return s;
}
std::vector<double> Solve(int n) {
  std::vector<double> r(n);
  for (int i = 0; i < n; ++i) r[i] = Heavy(i);
  return r;
}
)";
const unsigned kHeavyLoopLine = 5;
const unsigned kSolveLoopLine = 10;

Finding DecisionAt(const FileConversion &file, unsigned line) {
  for (const Finding *decision : file.LoopDecisions()) {
    if (decision->Line() == line) return *decision;
  }
  ADD_FAILURE() << "no decision for line " << line << " of " << file.input;
  return {};
}

std::map<std::string, FileConversion> ConvertSolver(
    std::map<std::string, std::string> files, bool compile_check = false,
    const std::string &exclude = "") {
  files.emplace("main.cpp", kSolveMain);
  files.emplace("solver.cpp", kSolver);
  return ConvertProject(files, compile_check, false, {{"solver.h", kSolverHeader}},
                        exclude);
}

TEST(ProjectDriverTest, ALoopOfAFunctionOnlyMainCallsInAnotherFileConverts) {
  auto files = ConvertSolver({}, true);
  const FileConversion &main = files["main.cpp"];
  const FileConversion &solver = files["solver.cpp"];
  ASSERT_TRUE(solver.error.empty()) << solver.error;
  Finding decision = DecisionAt(solver, kSolveLoopLine);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(solver.converted.find("ray::Task("), std::string::npos);
  EXPECT_NE(solver.converted.find("RAY_REMOTE("), std::string::npos) << solver.converted;
  EXPECT_EQ(solver.converted.find("ray::Init"), std::string::npos)
      << "only main's file connects to Ray";
  // main's file has no loop of its own to convert, but connects to Ray for Solve's
  // tasks, and solver.cpp's tasks need it.
  EXPECT_NE(main.converted.find("ray::Init"), std::string::npos) << main.converted;
  EXPECT_EQ(solver.depends_on, std::vector<std::string>{main.input});
  // Heavy runs inside the tasks.
  Finding heavy = DecisionAt(solver, kHeavyLoopLine);
  EXPECT_EQ(heavy.code, "not-driver-code");
  EXPECT_NE(heavy.message.find("runs inside Ray tasks"), std::string::npos)
      << heavy.message;
}

TEST(ProjectDriverTest, DriverCodeReachesThroughAThirdFile) {
  const char outer[] = R"(#include "solver.h"
std::vector<double> Outer(int n) { return Solve(n); }
)";
  const char main[] = R"(#include "solver.h"
int main() { return Outer(8)[3] > 0 ? 0 : 1; }
)";
  auto files = ConvertSolver({{"main.cpp", main}, {"outer.cpp", outer}});
  Finding decision = DecisionAt(files["solver.cpp"], kSolveLoopLine);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
  EXPECT_NE(files["main.cpp"].converted.find("ray::Init"), std::string::npos);
  EXPECT_EQ(files["outer.cpp"].converted, files["outer.cpp"].original);
}

// A template's loop in a file without main says it is a template, whether or not
// the file is planned again.
TEST(ProjectDriverTest, ATemplatesLoopInAnotherFileSaysItIsATemplate) {
  const char templated[] = R"(template <class T> T Twice(int n) {
  T s = 0;
  for (int i = 0; i < n; ++i) s += i;
  return s;
}
double UseTwice() { return Twice<double>(3); }
)";
  auto files = ConvertSolver({{"twice.cpp", templated}});
  Finding decision = DecisionAt(files["twice.cpp"], 3);
  EXPECT_EQ(decision.code, "not-driver-code");
  EXPECT_NE(decision.message.find("Twice(), a template"), std::string::npos)
      << decision.message;
}

// A helper of another file filling one vector from another by reference: whether
// `in` may be `out` depends on every call in every file, which the project lists.
const char kSmoothHeader[] = R"(#pragma once
#include <vector>
void Smooth(std::vector<double> &out, const std::vector<double> &in);
void Again(std::vector<double> v);
)";

const char kSmooth[] = R"(#include "smooth.h"
static double Heavy(double x) {
  double s = 0;
  for (int k = 0; k < 1000000; ++k) s += x * k;
  return s;
}
void Smooth(std::vector<double> &out, const std::vector<double> &in) {
  for (std::size_t i = 1; i + 1 < out.size(); ++i) out[i] = Heavy(in[i - 1] + in[i + 1]);
}
)";
const unsigned kSmoothLoopLine = 8;

const char kSmoothMain[] = R"(#include "smooth.h"
int main() {
  std::vector<double> a(16, 1.0), b(16, 2.0);
  Smooth(a, b);
  Smooth(b, a);
  Again(a);
  return a[3] > 0 ? 0 : 1;
}
)";

std::map<std::string, FileConversion> ConvertSmooth(const std::string &again) {
  return ConvertProject(
      {{"main.cpp", kSmoothMain}, {"smooth.cpp", kSmooth}, {"again.cpp", again}}, false,
      false, {{"smooth.h", kSmoothHeader}});
}

TEST(ProjectCallsTest, TwoDifferentVectorsAtEveryCallOfEveryFileLetTheLoopConvert) {
  auto files = ConvertSmooth(
      "#include \"smooth.h\"\nvoid Again(std::vector<double> v) {\n"
      "  std::vector<double> copy(v);\n  Smooth(v, copy);\n}\n");
  Finding decision = DecisionAt(files["smooth.cpp"], kSmoothLoopLine);
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

TEST(ProjectCallsTest, OneVectorTwiceInAThirdFileKeepsTheLoopSequential) {
  auto files = ConvertSmooth(
      "#include \"smooth.h\"\nvoid Again(std::vector<double> v) { Smooth(v, v); }\n");
  Finding decision = DecisionAt(files["smooth.cpp"], kSmoothLoopLine);
  EXPECT_EQ(decision.code, "loop-carried-dependency") << decision.message;
  EXPECT_NE(decision.message.find("'in' may refer to the same data as 'out'"),
            std::string::npos)
      << decision.message;
  EXPECT_EQ(files["smooth.cpp"].converted, files["smooth.cpp"].original);
}

TEST(ProjectCallsTest, AVectorAndAReferenceToItKeepTheLoopSequential) {
  auto files = ConvertSmooth(
      "#include \"smooth.h\"\nvoid Again(std::vector<double> v) {\n"
      "  std::vector<double> &same = v;\n  Smooth(v, same);\n}\n");
  EXPECT_EQ(DecisionAt(files["smooth.cpp"], kSmoothLoopLine).code,
            "loop-carried-dependency");
}

TEST(ProjectCallsTest, AFileLeftOutOfTheRunKeepsTheLoopSequential) {
  // Again's calls are unknown when again.cpp is not converted with the rest.
  auto files =
      ConvertProject({{"main.cpp", kSmoothMain},
                      {"smooth.cpp", kSmooth},
                      {"again.cpp",
                       "#include \"smooth.h\"\nvoid Again(std::vector<double> v) {\n"
                       "  std::vector<double> copy(v);\n  Smooth(v, copy);\n}\n"}},
                     false, false, {{"smooth.h", kSmoothHeader}}, "again\\.cpp$");
  EXPECT_FALSE(DecisionAt(files["smooth.cpp"], kSmoothLoopLine).IsConversion());
}

// A helper of another file taking a table by plain `T &`: its own file's summary
// says whether it only reads through it, which lets the loop hand it a task's copy.
const char kLookupHeader[] = R"(#pragma once
#include <vector>
double Lookup(std::vector<double> &t, int i);
void Touch(std::vector<double> &t);
)";

const char kLookupMain[] = R"(#include "lookup.h"
int main() {
  std::vector<double> table(64, 0.5), v(8);
  for (int i = 0; i < 8; ++i) v[i] = Lookup(table, i);
  return v[3] > 0 ? 0 : 1;
}
)";
const unsigned kLookupLoopLine = 4;

std::string LookupFile(const std::string &body) {
  return "#include \"lookup.h\"\ndouble Lookup(std::vector<double> &t, int i) {\n"
         "  double s = 0;\n  for (int k = 0; k < 1000000; ++k) s += t[(k + i) % 64];\n" +
         body + "  return s;\n}\n";
}

Finding LookupDecision(const std::map<std::string, std::string> &files) {
  std::map<std::string, std::string> all = files;
  all.emplace("main.cpp", kLookupMain);
  auto converted = ConvertProject(all, false, false, {{"lookup.h", kLookupHeader}});
  return DecisionAt(converted["main.cpp"], kLookupLoopLine);
}

TEST(ProjectCallsTest, AReferenceAHelperOfAnotherFileOnlyReadsIsSentACopy) {
  Finding decision = LookupDecision({{"lookup.cpp", LookupFile("")}});
  EXPECT_TRUE(decision.IsConversion()) << decision.message;
}

TEST(ProjectCallsTest, AReferenceAHelperOfAnotherFileWritesKeepsTheLoopSequential) {
  Finding decision = LookupDecision({{"lookup.cpp", LookupFile("  t[0] += 1;\n")}});
  EXPECT_EQ(decision.code, "non-const-reference") << decision.message;
}

TEST(ProjectCallsTest, AReferenceHandedToAThirdFileThatWritesKeepsTheLoopSequential) {
  Finding decision = LookupDecision(
      {{"lookup.cpp", LookupFile("  Touch(t);\n")},
       {"touch.cpp",
        "#include \"lookup.h\"\nvoid Touch(std::vector<double> &t) { t[1] = 2; }\n"}});
  EXPECT_FALSE(decision.IsConversion()) << decision.message;
}

struct DriverCase {
  const char *name;
  std::map<std::string, std::string> files;  // besides solver.cpp (and main.cpp)
  const char *says;                          // part of the solver loop's reason
};

void PrintTo(const DriverCase &driver, std::ostream *out) { *out << driver.name; }

class ProjectNotDriverTest : public ::testing::TestWithParam<DriverCase> {};

// A function another file may run outside driver code keeps its loops: in tasks they
// would be submitted from wherever it runs, at any time.
TEST_P(ProjectNotDriverTest, TheLoopStaysWithTheReason) {
  auto files = ConvertSolver(
      GetParam().files, false,
      std::string(GetParam().name) == "NotEveryFileIsConverted" ? "left_out" : "");
  Finding decision = DecisionAt(files["solver.cpp"], kSolveLoopLine);
  EXPECT_EQ(decision.code, "not-driver-code") << decision.message;
  EXPECT_NE(decision.message.find(GetParam().says), std::string::npos)
      << decision.message;
  EXPECT_EQ(files["solver.cpp"].converted.find("ray::Task("), std::string::npos);
}

std::vector<DriverCase> DriverCases() {
  return {
      {"CalledFromAMethod",
       {{"user.cpp",
         "#include \"solver.h\"\nstruct User { double Go() { return Solve(4)[0]; } };\n"
         "double UseUser() { User u; return u.Go(); }\n"}},
       "User::Go() calls, and that is not driver code"},
      {"UsedByAddress",
       {{"user.cpp",
         "#include \"solver.h\"\nstd::vector<double> (*keep)(int) = Solve;\n"}},
       "other than by calling it"},
      {"CalledWhileAGlobalIsInitialised",
       {{"user.cpp", "#include \"solver.h\"\nstd::vector<double> early = Solve(2);\n"}},
       "initialising a global"},
      {"CalledByAConvertedLoopOfAnotherFile",
       {{"main.cpp",
         "#include \"solver.h\"\n#include <cstdio>\nint main() {\n"
         "  std::vector<double> v(8);\n"
         "  for (int i = 0; i < 8; ++i) v[i] = Solve(4)[i % 4];\n"
         "  std::printf(\"%f\\n\", v[3]);\n}\n"}},
       "runs inside Ray tasks"},
      {"NotEveryFileIsConverted",
       {{"left_out.cpp", "int Unused() { return 0; }\n"}},
       "only when every file of the program is converted together"},
  };
}

INSTANTIATE_TEST_SUITE_P(AcrossFiles, ProjectNotDriverTest,
                         ::testing::ValuesIn(DriverCases()),
                         [](const auto &info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rayify
