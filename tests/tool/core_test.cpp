// The Clang-free parts: edits, diffs, annotations, templates, reports, files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/ResourceAnnotation.h"
#include "emit/AtomicFile.h"
#include "emit/Templates.h"
#include "emit/UnifiedDiff.h"
#include "report/Conversion.h"
#include "report/Report.h"

namespace rayify {
namespace {

TEST(ApplyEditsTest, AppliesInsertionsAndReplacementsInOffsetOrder) {
  std::string text = "int main() { f(1); }";
  std::vector<TextEdit> edits = {{13, 1, "g"}, {0, 0, "// x\n"}, {13, 0, "A::"}};
  EXPECT_EQ(ApplyEdits(text, edits), "// x\nint main() { A::g(1); }");
}

TEST(ApplyEditsTest, RejectsOverlappingEdits) {
  EXPECT_THROW(ApplyEdits("abcdef", {{1, 3, "x"}, {2, 1, "y"}}), std::invalid_argument);
  EXPECT_THROW(ApplyEdits("abc", {{2, 5, "x"}}), std::invalid_argument);
}

TEST(UnifiedDiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
}

TEST(UnifiedDiffTest, ShowsChangesWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(
      UnifiedDiff(before, after, "a.cpp", "out/a.cpp"),
      "--- a.cpp\n+++ out/a.cpp\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiffTest, SeparatesDistantChangesIntoHunks) {
  std::string before, after;
  for (int i = 1; i <= 30; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 3 ? "three\n" : i == 25 ? "" : std::to_string(i) + "\n");
  }
  after = "top\n" + after;
  std::string diff = UnifiedDiff(before, after, "a", "b");
  EXPECT_NE(diff.find("@@ -1,6 +1,7 @@\n+top\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n"),
            std::string::npos)
      << diff;
  EXPECT_NE(diff.find("@@ -22,7 +23,6 @@\n 22\n 23\n 24\n-25\n 26\n 27\n 28\n"),
            std::string::npos)
      << diff;
}

TEST(ResourceAnnotationTest, ParsesAmountsAndMemoryUnits) {
  auto resources = ParseResourceAnnotation(
      "// Renders.\n// rayify: resources(CPU=2, GPU=0.5, memory=512MB)\n");
  ASSERT_TRUE(resources.has_value());
  EXPECT_EQ(resources->at("CPU"), 2);
  EXPECT_EQ(resources->at("GPU"), 0.5);
  EXPECT_EQ(resources->at("memory"), 512.0 * 1024 * 1024);
  EXPECT_EQ(ParseResourceAnnotation("// rayify: resources(memory=4GB)")->at("memory"),
            4.0 * 1024 * 1024 * 1024);
}

TEST(ResourceAnnotationTest, AbsentAnnotationIsNothing) {
  EXPECT_FALSE(ParseResourceAnnotation("// just a comment").has_value());
  EXPECT_FALSE(ParseResourceAnnotation("// rayify: ignore").has_value());
}

TEST(ResourceAnnotationTest, MalformedAnnotationsAreErrors) {
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(CPU=two)"),
               std::invalid_argument);
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(CPU 2)"),
               std::invalid_argument);
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(CPU=2"),
               std::invalid_argument);
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(memory=2XB)"),
               std::invalid_argument);
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(CPU=0)"),
               std::invalid_argument);
}

TEST(ResourceAnnotationTest, SetResourceCallsAreStable) {
  EXPECT_EQ(SetResourceCalls({{"memory", 536870912}, {"CPU", 1}}),
            ".SetResource(\"CPU\", 1).SetResource(\"memory\", 536870912)");
  EXPECT_EQ(FormatAmount(0.25), "0.25");
}

TEST(TemplatesTest, FillsPlaceholdersAndRejectsUnknownOnes) {
  EXPECT_EQ(FillTemplate("a {{X}} b {{X}}", {{"X", "1"}}, "t"), "a 1 b 1");
  EXPECT_THROW(FillTemplate("{{Y}}", {{"X", "1"}}, "t.inc"), std::runtime_error);
}

TEST(TemplatesTest, ShippedTemplatesLoadAndMissingOnesAreNamed) {
  Templates templates = LoadTemplates(DefaultTemplatesDir());
  EXPECT_NE(templates.prologue.find(kConvertedMarker), std::string::npos);
  EXPECT_NE(templates.main.find("{{ORIGINAL_MAIN_CALL}}"), std::string::npos);
  try {
    LoadTemplates("/nonexistent-templates");
    FAIL();
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-templates/prologue.inc"),
              std::string::npos);
  }
}

FileConversion SampleFile() {
  FileConversion file;
  file.input = "in/a.cpp";
  file.output = "out/a.cpp";
  file.original = "x";
  file.converted = "y";
  LoopDecision task;
  task.line = 12;
  task.converted = true;
  task.kind = "task";
  task.function = "render";
  task.variable = "tiles";
  task.resources = {{"CPU", 2}};
  task.put_variables = {"scene"};
  LoopDecision skip;
  skip.line = 20;
  skip.reason = SkipReason::kIo;
  skip.message = "prints \"progress\"";
  file.decisions = {task, skip};
  return file;
}

TEST(ReportTest, JsonFollowsTheSchema) {
  FileConversion failed;
  failed.input = "bad.cpp";
  failed.error = "does not compile";
  std::string json = JsonReport({SampleFile(), failed});
  EXPECT_NE(
      json.find(
          R"("input": "in/a.cpp", "output": "out/a.cpp", "status": "converted", "error": null)"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"({"kind": "task", "line": 12, "function": "render", "class": null, "variable": "tiles", "resources": {"CPU": 2}})"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"({"kind": "put", "line": 12, "function": "render", "class": null, "variable": "scene")"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(R"({"line": 20, "reason": "io", "message": "prints \"progress\""})"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("status": "failed", "error": "does not compile")"),
            std::string::npos);
}

TEST(ReportTest, SummaryNamesEveryDecisionAndCountsFiles) {
  std::string text = TextSummary({SampleFile()});
  EXPECT_NE(text.find("in/a.cpp:12: converted: render() runs as Ray tasks (results in "
                      "'tiles', each with CPU=2, 'scene' put in the object store once)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("in/a.cpp:20: skipped [io]: prints \"progress\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("rayify: 1 converted, 0 unchanged, 0 failed"), std::string::npos)
      << text;
}

TEST(AtomicFileTest, WritesCompletelyAndLeavesNoTemporaryFiles) {
  char dir[] = "/tmp/rayify-atomic-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string nested = std::string(dir) + "/a/b";
  MakeDirectories(nested);
  std::string path = nested + "/out.cpp";
  WriteFileAtomically(path, "first");
  WriteFileAtomically(path, "second");
  EXPECT_EQ(ReadFile(path), "second");
  EXPECT_EQ(system(("test $(ls -A " + nested + " | wc -l) -eq 1").c_str()), 0);
  EXPECT_THROW(WriteFileAtomically(std::string(dir) + "/missing/x.cpp", "x"),
               std::runtime_error);
  EXPECT_THROW(ReadFile(std::string(dir) + "/missing.cpp"), std::runtime_error);
  system(("rm -rf " + std::string(dir)).c_str());
}

}  // namespace
}  // namespace rayify
