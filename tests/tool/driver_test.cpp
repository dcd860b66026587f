// The driver: plans become outputs file by file. A file that fails, whatever the
// reason, is reported and leaves the others alone; edits to project headers are
// merged across translation units or reported as conflicts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "Commands.h"
#include "driver/Project.h"
#include "driver/Realize.h"
#include "emit/AtomicFile.h"
#include "passes/Pass.h"
#include "passes/PassRegistry.h"
#include "temp_dir.h"

namespace rayify {
namespace {

const char kConvertible[] = R"(#include <vector>
double heavy(int x) { double s = 0; for (int i = 0; i < 1000000; ++i) s += x * i; return s; }
int main() {
  std::vector<double> v;
  for (int i = 0; i < 8; ++i) v.push_back(heavy(i));
  return v.size() == 8 ? 0 : 1;
}
)";

// Fails on any translation unit whose main file mentions EXPLODE.
class ExplodingPass : public Pass {
 public:
  void Finish() override {
    if (Unit().edits.Main().FileText().find("EXPLODE") != std::string::npos) {
      throw std::runtime_error("refusing to go on");
    }
  }
};

TEST(DriverTest, AFailingFileDoesNotStopTheOthers) {
  TempDir dir;
  ConvertOptions options;
  options.inputs = {dir.Write("a.cpp", kConvertible),
                    dir.Write("b.cpp", std::string("// EXPLODE\n") + kConvertible),
                    dir.Write("c.cpp", kConvertible)};
  options.output_dir = dir.Path("out");
  options.report_file = dir.Path("report.json");
  options.jobs = 2;
  PassRegistry registry = PassRegistry::Builtin();
  registry.Add("explode", [] { return std::make_unique<ExplodingPass>(); });
  ::testing::internal::CaptureStderr();
  int code = RunConvert(options, &registry);
  std::string errors = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, kExitUsage) << errors;
  EXPECT_TRUE(dir.Exists("out/a.cpp"));
  EXPECT_FALSE(dir.Exists("out/b.cpp"));
  EXPECT_TRUE(dir.Exists("out/c.cpp"));
  EXPECT_NE(ReadFile(dir.Path("out/c.cpp")).find("ray::Task(heavy)"), std::string::npos);
  EXPECT_NE(errors.find("b.cpp: error: pass 'explode' failed: refusing to go on"),
            std::string::npos)
      << errors;
  EXPECT_NE(ReadFile(dir.Path("report.json")).find("\"status\": \"failed\""),
            std::string::npos);
}

Plan PlanFor(const std::string &input, const std::string &text, std::vector<Edit> edits) {
  Plan plan;
  plan.input = input;
  plan.sources[input] = text;
  plan.edits = std::move(edits);
  return plan;
}

Edit EditOf(const std::string &file, unsigned offset, unsigned length, std::string text) {
  return Edit{file, offset, length, std::move(text), std::nullopt};
}

TEST(DriverTest, AnInputSpelledWithDotDotIsPlanned) {
  TempDir dir;
  dir.Write("a.cpp", kConvertible);
  mkdir(dir.Path("sub").c_str(), 0755);
  ConvertOptions options;
  options.inputs = {dir.Path("sub/../a.cpp")};
  options.output_dir = dir.Path("out");
  options.compile_check = false;
  std::vector<FileConversion> files;
  ConvertFiles(options, files);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].error, "");
  EXPECT_NE(files[0].converted, files[0].original);
}

TEST(DriverTest, OverlappingEditsFailTheirFileWithAFinding) {
  std::vector<Plan> plans = {
      PlanFor("a.cpp", "abcdef",
              {EditOf("a.cpp", 1, 3, "x"), EditOf("a.cpp", 2, 1, "y")}),
      PlanFor("b.cpp", "abc", {EditOf("b.cpp", 0, 1, "A")})};
  auto files = RealizePlans(plans, {"out/a.cpp", "out/b.cpp"}, Templates{});
  EXPECT_NE(files[0].error.find("edits overlap at line 1, column 3"), std::string::npos)
      << files[0].error;
  EXPECT_EQ(files[0].converted, "abcdef");
  EXPECT_TRUE(files[0].output.empty());
  ASSERT_EQ(files[0].findings.size(), 1u);
  EXPECT_EQ(files[0].findings[0].severity, Severity::kError);
  EXPECT_TRUE(files[1].error.empty());
  EXPECT_EQ(files[1].converted, "Abc");
}

TEST(DriverTest, TemplateEditsAreFilledByTheDriver) {
  Templates templates;
  templates.prologue = "// from {{INPUT}}\n";
  Plan plan = PlanFor("a.cpp", "int x;\n", {});
  Edit edit = EditOf("a.cpp", 0, 0, "");
  edit.from_template = TemplateUse{"prologue.inc", {{"INPUT", "a.cpp"}}};
  plan.edits.push_back(edit);
  auto files = RealizePlans({plan}, {"out/a.cpp"}, templates);
  EXPECT_EQ(files[0].converted, "// from a.cpp\n#line 1\nint x;\n");
}

TEST(DriverTest, AHeaderEditedIdenticallyByTwoUnitsIsWrittenOnce) {
  TempDir dir;
  std::string header = dir.Write("shared.h", "struct S { int a; };\n");
  std::string a = dir.Write("a.cpp", "#include \"shared.h\"\n");
  std::string b = dir.Write("b.cpp", "#include \"shared.h\"\n");
  Edit define = EditOf(header, 18, 0, "MSGPACK_DEFINE(a); ");
  Plan plan_a = PlanFor(a, "#include \"shared.h\"\n", {define});
  Plan plan_b = PlanFor(b, "#include \"shared.h\"\n", {define});
  plan_a.sources[header] = plan_b.sources[header] = "struct S { int a; };\n";
  auto files = RealizePlans({plan_a, plan_b},
                            {dir.Path("out/a.cpp"), dir.Path("out/b.cpp")}, Templates{});
  ASSERT_TRUE(files[0].error.empty()) << files[0].error;
  ASSERT_TRUE(files[1].error.empty()) << files[1].error;
  ASSERT_EQ(files[0].headers.size() + files[1].headers.size(), 1u);
  EXPECT_EQ(files[0].headers[0].output, dir.Path("out/shared.h"));
  EXPECT_EQ(files[0].headers[0].converted, "struct S { int a; MSGPACK_DEFINE(a); };\n");
}

TEST(DriverTest, EditsOfTwoUnitsToOneHeaderAreMerged) {
  TempDir dir;
  std::string header =
      dir.Write("shared.h", "struct S { int a; };\nstruct T { int b; };\n");
  std::string a = dir.Write("a.cpp", "");
  std::string b = dir.Write("b.cpp", "");
  Edit include = EditOf(header, 0, 0, "#include <ray/api.h>\n");
  Plan plan_a = PlanFor(a, "", {include, EditOf(header, 18, 0, "MSGPACK_DEFINE(a); ")});
  Plan plan_b = PlanFor(b, "", {include, EditOf(header, 39, 0, "MSGPACK_DEFINE(b); ")});
  plan_a.sources[header] = plan_b.sources[header] =
      "struct S { int a; };\nstruct T { int b; };\n";
  auto files = RealizePlans({plan_a, plan_b},
                            {dir.Path("out/a.cpp"), dir.Path("out/b.cpp")}, Templates{});
  ASSERT_TRUE(files[0].error.empty()) << files[0].error;
  ASSERT_TRUE(files[1].error.empty()) << files[1].error;
  ASSERT_EQ(files[0].headers.size(), 1u);
  EXPECT_TRUE(files[1].headers.empty());  // written once
  EXPECT_EQ(files[0].headers[0].converted,
            "#include <ray/api.h>\n#line 1\nstruct S { int a; MSGPACK_DEFINE(a); };\n"
            "struct T { int b; MSGPACK_DEFINE(b); };\n");
}

TEST(DriverTest, OverlappingEditsOfTwoUnitsToOneHeaderFailBoth) {
  TempDir dir;
  std::string header = dir.Write("shared.h", "struct S { int a; };\n");
  std::string a = dir.Write("a.cpp", "");
  std::string b = dir.Write("b.cpp", "");
  Plan plan_a = PlanFor(a, "", {EditOf(header, 11, 6, "long a;")});
  Plan plan_b = PlanFor(b, "", {EditOf(header, 15, 2, "b;")});
  plan_a.sources[header] = plan_b.sources[header] = "struct S { int a; };\n";
  auto files = RealizePlans({plan_a, plan_b},
                            {dir.Path("out/a.cpp"), dir.Path("out/b.cpp")}, Templates{});
  EXPECT_NE(files[0].error.find("conflicting edits to the header"), std::string::npos);
  EXPECT_NE(files[1].error.find("conflicting edits to the header"), std::string::npos);
  EXPECT_EQ(files[0].converted, files[0].original);  // left unchanged
}

TEST(DriverTest, AHeaderTakesNoEditOfAUnitThatFailed) {
  TempDir dir;
  // a.h sorts before b.cpp: the failing unit's header edits are collected before its
  // own file fails.
  std::string header = dir.Write("a.h", "struct S { int a; };\n");
  std::string b = dir.Write("b.cpp", "int b;\n");
  std::string c = dir.Write("c.cpp", "");
  Plan plan_b = PlanFor(b, "int b;\n",
                        {EditOf(header, 0, 0, "// from b\n"), EditOf(b, 0, 3, "long"),
                         EditOf(b, 1, 3, "x")});
  Plan plan_c = PlanFor(c, "", {EditOf(header, 21, 0, "// from c\n")});
  plan_b.sources[header] = plan_c.sources[header] = "struct S { int a; };\n";
  auto files = RealizePlans({plan_b, plan_c},
                            {dir.Path("out/b.cpp"), dir.Path("out/c.cpp")}, Templates{});
  EXPECT_FALSE(files[0].error.empty());
  ASSERT_TRUE(files[1].error.empty()) << files[1].error;
  ASSERT_EQ(files[1].headers.size(), 1u);
  EXPECT_EQ(files[1].headers[0].converted, "struct S { int a; };\n// from c\n");
  EXPECT_EQ(files[1].headers[0].edited_by, std::vector<std::string>{c});
}

TEST(DriverTest, DifferentEditsToOneHeaderAreAConflictForEveryUnitThatNeedsIt) {
  TempDir dir;
  std::string header = dir.Write("shared.h", "struct S { int a; };\n");
  std::string a = dir.Write("a.cpp", "");
  std::string b = dir.Write("b.cpp", "");
  std::string c = dir.Write("c.cpp", "");
  Plan plan_a = PlanFor(a, "", {EditOf(header, 19, 0, " A")});
  Plan plan_b = PlanFor(b, "", {EditOf(header, 19, 0, " B")});
  Plan plan_c = PlanFor(c, "", {});
  plan_a.sources[header] = plan_b.sources[header] = "struct S { int a; };\n";
  auto files = RealizePlans(
      {plan_a, plan_b, plan_c},
      {dir.Path("out/a.cpp"), dir.Path("out/b.cpp"), dir.Path("out/c.cpp")}, Templates{});
  EXPECT_NE(files[0].error.find("conflicting edits to the header"), std::string::npos);
  EXPECT_NE(files[1].error.find("conflicting edits to the header"), std::string::npos);
  EXPECT_TRUE(files[0].headers.empty());
  EXPECT_TRUE(files[2].error.empty());
}

TEST(DriverTest, AHeaderOutsideTheInputsDirectoryCannotBeEdited) {
  TempDir dir;
  std::string header = dir.Write("outside.h", "struct S {};\n");
  MakeDirectories(dir.Path("src"));
  std::string a = dir.Write("src/a.cpp", "");
  Plan plan = PlanFor(a, "", {EditOf(header, 0, 0, "// x\n")});
  plan.sources[header] = "struct S {};\n";
  auto files = RealizePlans({plan}, {dir.Path("out/a.cpp")}, Templates{});
  EXPECT_NE(files[0].error.find("outside the input's directory"), std::string::npos)
      << files[0].error;
}

TEST(DriverTest, UserTypesInAProjectHeaderGetMsgpackDefineThere) {
  TempDir dir;
  std::string header_text = "#pragma once\nstruct Point {\n  double x, y;\n};\n";
  dir.Write("point.h", header_text);
  ConvertOptions options;
  options.inputs = {dir.Write("main.cpp", R"(#include <vector>
#include "point.h"
Point walk(int n) { Point p{0, 0}; for (int i = 0; i < n; ++i) p.x += i; return p; }
int main() {
  std::vector<Point> v;
  for (int i = 0; i < 8; ++i) v.push_back(walk(1000000 + i));
  return v.size() == 8 ? 0 : 1;
}
)")};
  options.output_dir = dir.Path("out");
  ::testing::internal::CaptureStderr();
  int code = RunConvert(options);
  std::string errors = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(code, kExitClean) << errors;
  EXPECT_EQ(ReadFile(dir.Path("point.h")), header_text);  // the input stays as it was
  std::string converted = ReadFile(dir.Path("out/point.h"));
  EXPECT_NE(converted.find("  MSGPACK_DEFINE(x, y);\n  auto rayify_fields() { return "
                           "std::tie(x, y); }  // for rayify's runtime\n};"),
            std::string::npos)
      << converted;
  EXPECT_EQ(ReadFile(dir.Path("out/main.cpp")).find("MSGPACK_DEFINE"), std::string::npos);
}

TEST(DriverTest, AFileChangedSinceItWasReadIsNotReplacedInPlace) {
  TempDir dir;
  std::string kept = dir.Write("kept.cpp", "int a;\n");
  std::string edited = dir.Write("edited.cpp", "int b;\n");
  StagedFiles staged;
  staged.Stage(kept, "int a = 1;\n", std::string("int a;\n"));
  staged.Stage(edited, "int b = 1;\n", std::string("int b;\n"));
  dir.Write("edited.cpp", "int b; // the user's edit\n");  // after rayify read it
  std::vector<std::string> changed = staged.Commit();
  EXPECT_EQ(changed, std::vector<std::string>{edited});
  EXPECT_EQ(ReadFile(kept), "int a = 1;\n");
  EXPECT_EQ(ReadFile(edited), "int b; // the user's edit\n");
}

TEST(DriverTest, AFileReplacedInPlaceKeepsItsPermissions) {
  TempDir dir;
  std::string script = dir.Write("tool.cpp", "int a;\n");
  ASSERT_EQ(chmod(script.c_str(), 0750), 0);
  WriteFileAtomically(script, "int a = 1;\n");
  struct stat info;
  ASSERT_EQ(stat(script.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0750u);
}

TEST(DriverTest, MirroredOutputsKeepTheirFoldersAndHeadersFollow) {
  OutputLayout layout;
  layout.kind = OutputLayout::Kind::kMirror;
  layout.output_dir = "out";
  layout.root = "/project";
  EXPECT_EQ(layout.OutputOf("/project/src/geo/util.cpp"), "out/src/geo/util.cpp");
  EXPECT_EQ(layout.OutputOf("/project/src/io/util.cpp"), "out/src/io/util.cpp");
  EXPECT_EQ(layout.HeaderOutputOf("/project/include/a.h", "/project/src/x.cpp", "unused"),
            "out/include/a.h");
  EXPECT_EQ(layout.DiffName("/project/include/a.h"), "include/a.h");
  EXPECT_THROW(layout.OutputOf("/elsewhere/x.cpp"), std::runtime_error);
}

TEST(DriverTest, ABatchTakesTheProjectsOwnCxxFilesOnly) {
  DatabaseSelection selection =
      SelectProjectFiles({"/p/src/b.cpp", "/p/src/a.cpp", "/p/build/gen.cpp",
                          "/usr/src/x.cpp", "/p/c.c", "/p/tests/t.cpp"},
                         "/p", "/p/build", "", "tests/");
  EXPECT_EQ(selection.files, (std::vector<std::string>{"/p/src/a.cpp", "/p/src/b.cpp"}));
  EXPECT_EQ(selection.generated, 1u);
  EXPECT_EQ(selection.outside_root, 1u);
  EXPECT_EQ(selection.not_cxx, 1u);
  EXPECT_EQ(selection.filtered, 1u);
  EXPECT_THROW(SelectProjectFiles({}, "/p", "", "(", ""), std::regex_error);
}

}  // namespace
}  // namespace rayify
