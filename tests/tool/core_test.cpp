// The Clang-free parts: edits, diffs, annotations, templates, reports, files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <functional>

#include <llvm/Support/JSON.h>

#include "analysis/ResourceAnnotation.h"
#include "driver/Installation.h"
#include "emit/AtomicFile.h"
#include "emit/Templates.h"
#include "emit/UnifiedDiff.h"
#include "model/Edits.h"
#include "model/FileConversion.h"
#include "model/Plan.h"
#include "model/ReasonCodes.h"
#include "model/Summaries.h"
#include "report/Report.h"

namespace rayify {
namespace {

Edit At(unsigned offset, unsigned length, std::string text, std::string file = "a.cpp") {
  return Edit{std::move(file), offset, length, std::move(text), std::nullopt};
}

TEST(ApplyEditsTest, AppliesInsertionsAndReplacementsInOffsetOrder) {
  std::string text = "int main() { f(1); }";
  std::vector<Edit> edits = {At(13, 1, "g"), At(0, 0, "// x\n"), At(13, 0, "A::")};
  AppliedEdits applied = ApplyEdits(text, edits);
  EXPECT_FALSE(applied.conflict.has_value());
  EXPECT_EQ(applied.text, "// x\n#line 1\nint main() { A::g(1); }");
}

TEST(ApplyEditsTest, InsertionsMadeAheadPrecedeEarlierOnesAtTheirOffset) {
  Edit include = At(0, 0, "#include <ray/api.h>\n");
  include.ahead = true;
  AppliedEdits applied = ApplyEdits(
      "int main() {}", {At(0, 0, "struct R {};\n"), include, At(0, 3, "long")});
  // The line begins with what replaced its start: no directive can precede the rest.
  EXPECT_EQ(applied.text, "#include <ray/api.h>\nstruct R {};\nlong main() {}");
}

// Code added or removed above a line must not change its number: a logging macro
// printing __LINE__ would print another line. The first original line after such an
// edit that may take a directive gets `#line N`.
TEST(ApplyEditsTest, OriginalLinesKeepTheirNumbers) {
  std::string text = "int a;\nint b;\nint c;\nint d;\n";
  // Two lines added before line 2; line 3 removed.
  AppliedEdits applied = ApplyEdits(text, {At(7, 0, "// one\n// two\n"), At(14, 7, "")});
  EXPECT_EQ(applied.text, "int a;\n// one\n// two\n#line 2\nint b;\n#line 4\nint d;\n");
  // Lines the edits leave where they were get nothing.
  EXPECT_EQ(ApplyEdits(text, {At(4, 1, "alpha")}).text,
            "int alpha;\nint b;\nint c;\nint d;\n");
}

// Inside a block comment, a raw string or a #define continued by a backslash, a
// directive would be text of theirs or cut them: it waits for the first line outside.
TEST(ApplyEditsTest, NoDirectiveInsideACommentARawStringOrAContinuedLine) {
  std::string text =
      "int a = 1'000; /* a\nb */ int b;\nauto s = R\"x(\none\n)x\";\n"
      "#define TWICE(v) \\\n  ((v) * 2)\nint c;\n";
  auto with_line_at = [&](const std::string &where) {
    auto at = static_cast<unsigned>(text.find(where));
    return ApplyEdits(text, {At(at, 0, "\n")}).text;
  };
  // In the comment the digit separator does not hide (1'000 is no character literal).
  std::string comment = with_line_at("\nb */");
  EXPECT_NE(comment.find("b */ int b;\n#line 3\nauto s"), std::string::npos) << comment;
  std::string raw = with_line_at("one\n");
  EXPECT_NE(raw.find(")x\";\n#line 6\n#define"), std::string::npos) << raw;
  std::string define = with_line_at("  ((v)");
  EXPECT_NE(define.find("((v) * 2)\n#line 8\nint c;"), std::string::npos) << define;
  EXPECT_EQ(std::count(define.begin(), define.end(), '#'), 2) << define;
}

TEST(ApplyEditsTest, AFileThatNumbersItsOwnLinesIsLeftToIt) {
  std::string text = "#line 40 \"grammar.y\"\nint a;\nint b;\n";
  EXPECT_EQ(ApplyEdits(text, {At(28, 0, "int added;\n")}).text,
            "#line 40 \"grammar.y\"\nint a;\nint added;\nint b;\n");
}

TEST(ApplyEditsTest, OverlappingEditsAreAConflictNamingThePosition) {
  AppliedEdits overlap = ApplyEdits("ab\ncdef", {At(4, 3, "x"), At(5, 1, "y")});
  ASSERT_TRUE(overlap.conflict.has_value());
  EXPECT_NE(overlap.conflict->find("line 2, column 3"), std::string::npos)
      << *overlap.conflict;
  EXPECT_EQ(overlap.text, "ab\ncdef");  // nothing half-applied
  EXPECT_TRUE(ApplyEdits("abc", {At(2, 5, "x")}).conflict.has_value());
}

// A plan whose edits overlap names the converted loop whose edits cause it, so that
// the driver can plan the file again with that loop left alone.
Finding Converted(const char *rule, unsigned line, std::vector<Edit> fix) {
  Finding finding;
  finding.rule = rule;
  finding.code = kConvertedCode;
  finding.conversion = LoopConversion{};
  finding.range.begin.line = line;
  finding.fix = std::move(fix);
  return finding;
}

TEST(EditsTest, TheLoopWhoseEditsOverlapAnothersIsNamed) {
  Plan plan;
  plan.input = "a.cpp";
  plan.sources["a.cpp"] = "0123456789\nabcdefghij\n";
  plan.edits = {At(0, 0, "#include <ray/api.h>\n")};
  plan.findings = {Converted(kActorRule, 1, {At(3, 2, "X")}),
                   Converted(kTaskLoopRule, 2, {At(12, 1, "Y")})};
  EXPECT_FALSE(OverlappingLoopLine(plan).has_value());  // nothing overlaps
  plan.findings.push_back(Converted(kTaskLoopRule, 1, {At(2, 4, "Z")}));
  ASSERT_TRUE(OverlappingLoopLine(plan).has_value());
  EXPECT_EQ(*OverlappingLoopLine(plan), 1u);
  // Edits to another file, and overlaps no one loop explains, name none.
  Plan headers = plan;
  headers.findings.back().fix = {At(3, 2, "Z", "a.h")};
  EXPECT_FALSE(OverlappingLoopLine(headers).has_value());
  Plan classes = plan;
  classes.findings.back().rule = kActorRule;
  EXPECT_FALSE(OverlappingLoopLine(classes).has_value());
}

TEST(EditsTest, GroupsEditsByTheFileTheyName) {
  auto by_file = EditsByFile({At(0, 0, "1"), At(3, 1, "h", "a.h"), At(2, 0, "2")});
  ASSERT_EQ(by_file.size(), 2u);
  ASSERT_EQ(by_file["a.cpp"].size(), 2u);
  EXPECT_EQ(by_file["a.cpp"][1].text, "2");
  EXPECT_EQ(by_file["a.h"].front().offset, 3u);
}

TEST(EditsTest, SameEditsIgnoresOrderButNotContent) {
  EXPECT_TRUE(SameEdits({At(1, 0, "x"), At(5, 2, "y")}, {At(5, 2, "y"), At(1, 0, "x")}));
  EXPECT_FALSE(SameEdits({At(1, 0, "x")}, {At(1, 0, "z")}));
  EXPECT_FALSE(SameEdits({At(1, 0, "x")}, {At(1, 0, "x"), At(2, 0, "x")}));
}

TEST(EditsTest, PositionsAreOneBasedLinesAndColumns) {
  std::string text = "ab\ncd\n";
  EXPECT_EQ(PositionOf(text, 0).line, 1u);
  EXPECT_EQ(PositionOf(text, 0).column, 1u);
  EXPECT_EQ(PositionOf(text, 4).line, 2u);
  EXPECT_EQ(PositionOf(text, 4).column, 2u);
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

// Found by tests/fuzz/annotation_fuzzer: these were accepted.
TEST(ResourceAnnotationTest, NamelessAndNonFiniteAmountsAreErrors) {
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(=.3)"),
               std::invalid_argument);
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(CPU=nan)"),
               std::invalid_argument);
  EXPECT_THROW(ParseResourceAnnotation("// rayify: resources(CPU=inf)"),
               std::invalid_argument);
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

TEST(ActorAnnotationTest, NameAndNamespace) {
  auto annotation = ParseActorAnnotation(
      "// Ledger.\n// rayify: actor(name=ledger-1, namespace=bank)\n");
  ASSERT_TRUE(annotation.has_value());
  EXPECT_EQ(annotation->name, "ledger-1");
  EXPECT_EQ(annotation->ray_namespace, "bank");
  EXPECT_EQ(ParseActorAnnotation("// rayify: actor(name=solo)")->ray_namespace, "");
  EXPECT_FALSE(ParseActorAnnotation("// rayify: resources(CPU=1)").has_value());
}

TEST(ActorAnnotationTest, MalformedNamesAreErrors) {
  EXPECT_THROW(ParseActorAnnotation("// rayify: actor(namespace=x)"),
               std::invalid_argument);
  EXPECT_THROW(ParseActorAnnotation("// rayify: actor(name=a\"b)"),
               std::invalid_argument);
  EXPECT_THROW(ParseActorAnnotation("// rayify: actor(name=)"), std::invalid_argument);
  EXPECT_THROW(ParseActorAnnotation("// rayify: actor(label=x)"), std::invalid_argument);
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

Finding LoopFinding(unsigned line, unsigned column) {
  Finding finding;
  finding.file = "in/a.cpp";
  finding.rule = kTaskLoopRule;
  finding.range = {{line, column}, {line + 2, 3}};
  return finding;
}

FileConversion SampleFile() {
  FileConversion file;
  file.input = "in/a.cpp";
  file.output = "out/a.cpp";
  file.original = "x";
  file.converted = "y";
  Finding task = LoopFinding(12, 5);
  task.code = kConvertedCode;
  LoopConversion conversion;
  conversion.kind = "task";
  conversion.function = "render";
  conversion.variable = "tiles";
  conversion.resources = {{"CPU", 2}, {"GPU", 0.5}};
  conversion.put_variables = {"scene"};
  task.conversion = conversion;
  Finding skip = LoopFinding(20, 3);
  skip.code = "io";
  skip.message = "prints \"progress\"";
  file.findings = {skip, task};  // reports sort by line
  return file;
}

const llvm::json::Object &Member(const llvm::json::Object &object, const char *key) {
  const llvm::json::Object *member = object.getObject(key);
  if (member == nullptr) throw std::runtime_error(std::string("no object ") + key);
  return *member;
}

TEST(ReportTest, JsonFollowsTheSchema) {
  FileConversion failed;
  failed.input = "bad.cpp";
  failed.error = "does not compile";
  std::string text = JsonReport({SampleFile(), failed});
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError()) << text;
  const llvm::json::Array &files = *parsed->getAsObject()->getArray("files");
  ASSERT_EQ(files.size(), 2u);
  const llvm::json::Object &file = *files[0].getAsObject();
  EXPECT_EQ(file.getString("output"), "out/a.cpp");
  EXPECT_EQ(file.getString("status"), "converted");
  EXPECT_TRUE(file.get("error")->getAsNull().has_value());
  const llvm::json::Array &conversions = *file.getArray("conversions");
  ASSERT_EQ(conversions.size(), 2u);  // the task and its put
  const llvm::json::Object &task = *conversions[0].getAsObject();
  EXPECT_EQ(task.getString("kind"), "task");
  EXPECT_EQ(task.getInteger("line"), 12);
  EXPECT_EQ(task.getInteger("column"), 5);
  EXPECT_EQ(task.getInteger("end_line"), 14);
  EXPECT_EQ(task.getString("rule"), "task-loop");
  EXPECT_EQ(task.getString("severity"), "note");
  EXPECT_EQ(task.getString("function"), "render");
  EXPECT_TRUE(task.get("class")->getAsNull().has_value());
  EXPECT_EQ(Member(task, "resources").getInteger("CPU"), 2);
  EXPECT_EQ(Member(task, "resources").getNumber("GPU"), 0.5);
  EXPECT_EQ(conversions[1].getAsObject()->getString("kind"), "put");
  EXPECT_EQ(conversions[1].getAsObject()->getString("variable"), "scene");
  const llvm::json::Object &skip = *(*file.getArray("skips"))[0].getAsObject();
  EXPECT_EQ(skip.getInteger("line"), 20);
  EXPECT_EQ(skip.getString("reason"), "io");
  EXPECT_EQ(skip.getString("message"), "prints \"progress\"");
  const llvm::json::Object &bad = *files[1].getAsObject();
  EXPECT_EQ(bad.getString("status"), "failed");
  EXPECT_EQ(bad.getString("error"), "does not compile");
  EXPECT_TRUE(bad.get("output")->getAsNull().has_value());
}

// Whoever reads the report (the mutation suite does) can tell a generated task
// function from one of the program's, also when the generated one calls nothing.
TEST(ReportTest, AnOutlinedBodyListsItsCallsEvenWhenThereAreNone) {
  for (bool outlined : {false, true}) {
    FileConversion file = SampleFile();
    for (Finding &finding : file.findings) {
      if (finding.conversion) finding.conversion->outlined = outlined;
    }
    llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(JsonReport({file}));
    ASSERT_TRUE(static_cast<bool>(parsed));
    const llvm::json::Object &task =
        *(*(*parsed->getAsObject()->getArray("files"))[0].getAsObject()->getArray(
            "conversions"))[0]
             .getAsObject();
    const llvm::json::Array *calls = task.getArray("calls");
    EXPECT_EQ(calls != nullptr, outlined);
    if (calls != nullptr) {
      EXPECT_TRUE(calls->empty());
    }
  }
}

TEST(ReportTest, BytesReadAsPeopleWriteThem) {
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(32768), "32 KiB");
  EXPECT_EQ(FormatBytes(1536 * 1024), "1.5 MiB");
  EXPECT_EQ(FormatBytes(3LL << 30), "3.0 GiB");
}

TEST(ReportTest, APutOfAKnownSizeSaysHowBig) {
  FileConversion file = SampleFile();
  for (Finding &finding : file.findings) {
    if (finding.conversion) finding.conversion->sent_bytes["scene"] = 40960;
  }
  EXPECT_NE(TextSummary({file}).find("'scene' (40 KiB) put in the object store once"),
            std::string::npos)
      << TextSummary({file});
}

// Loops outside driver code are counted among those left sequential, and the count
// says how many of them they are.
TEST(ReportTest, TheSummarySaysHowManyLoopsAreOutsideDriverCode) {
  FileConversion file = SampleFile();
  EXPECT_NE(TextSummary({file}).find("1 left sequential\n"), std::string::npos)
      << TextSummary({file});
  Finding outside = LoopFinding(30, 3);
  outside.code = ReasonCode(SkipReason::kNotDriverCode);
  outside.message = "the loop is in Grid::fill(), a member function";
  file.findings.push_back(outside);
  EXPECT_NE(TextSummary({file}).find("2 left sequential (1 outside driver code)\n"),
            std::string::npos)
      << TextSummary({file});
}

// The sample file with `set` applied to its conversion, reported: the text summary
// must contain `text`, and the JSON of the task list `{"variable": "rhs", "bytes":
// bytes}` alone under `key` and nothing under `absent`.
void ExpectSizeReported(const std::function<void(LoopConversion &)> &set,
                        const std::string &text, const char *key, const char *absent,
                        long long bytes) {
  FileConversion file = SampleFile();
  for (Finding &finding : file.findings) {
    if (finding.conversion) set(*finding.conversion);
  }
  EXPECT_NE(TextSummary({file}).find(text), std::string::npos) << TextSummary({file});
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(JsonReport({file}));
  ASSERT_TRUE(static_cast<bool>(parsed));
  const llvm::json::Object &task =
      *(*(*parsed->getAsObject()->getArray("files"))[0].getAsObject()->getArray(
          "conversions"))[0]
           .getAsObject();
  const llvm::json::Array *sizes = task.getArray(key);
  ASSERT_NE(sizes, nullptr);
  ASSERT_EQ(sizes->size(), 1u);
  EXPECT_EQ((*sizes)[0].getAsObject()->getString("variable"), "rhs");
  EXPECT_EQ((*sizes)[0].getAsObject()->getInteger("bytes"), bytes);
  EXPECT_EQ(task.getArray(absent), nullptr);
}

// An outlined body's own slices: what each iteration sends back, in the text and
// in the JSON of the task.
TEST(ReportTest, SlicesSentBackAreReportedWithTheirSize) {
  ExpectSizeReported([](LoopConversion &c) { c.slice_bytes["rhs"] = 960; },
                     "'rhs' back as a 960 B slice per iteration", "slices", "returned",
                     960);
}

// Values an outlined body returns one by one: about how many bytes per iteration.
TEST(ReportTest, ValuesSentBackAreReportedWithTheirSize) {
  ExpectSizeReported([](LoopConversion &c) { c.returned_bytes["rhs"] = 2048; },
                     "'rhs' back as about 2.0 KiB of values per iteration", "returned",
                     "slices", 2048);
}

TEST(ReportTest, SummaryNamesEveryDecisionInLineOrderAndCountsFiles) {
  std::string text = TextSummary({SampleFile()});
  size_t task = text.find(
      "in/a.cpp:12: converted: render() runs as Ray tasks (results in 'tiles', each with "
      "CPU=2 GPU=0.5, 'scene' put in the object store once)");
  size_t skip = text.find("in/a.cpp:20: skipped [io]: prints \"progress\"");
  EXPECT_NE(task, std::string::npos) << text;
  EXPECT_NE(skip, std::string::npos) << text;
  EXPECT_LT(task, skip) << text;
  EXPECT_NE(text.find("rayify: 1 converted, 0 unchanged, 0 failed"), std::string::npos)
      << text;
}

// A class declared in a header becomes an actor; a loop over its actors is a pool.
FileConversion ActorFile() {
  FileConversion file;
  file.input = "in/b.cpp";
  file.original = "x";
  file.converted = "y";
  Finding actor;
  actor.file = "in/ledger.h";
  actor.rule = kActorRule;
  actor.range = {{7, 1}, {30, 2}};
  actor.code = kConvertedCode;
  LoopConversion conversion;
  conversion.kind = "actor";
  conversion.class_name = "Ledger";
  conversion.function = "CreateLedger";
  conversion.variable = "books";
  conversion.methods = {"post", "total"};
  actor.conversion = conversion;
  Finding pool = actor;
  pool.file = "in/b.cpp";
  pool.range = {{14, 3}, {15, 20}};
  pool.conversion->kind = "actor-pool";
  pool.conversion->function = "post";
  file.findings = {actor, pool};
  return file;
}

TEST(ReportTest, ActorsCarryTheirClassMethodsAndFile) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(JsonReport({ActorFile()}));
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object &file =
      *(*parsed->getAsObject()->getArray("files"))[0].getAsObject();
  const llvm::json::Array &conversions = *file.getArray("conversions");
  ASSERT_EQ(conversions.size(), 2u);
  const llvm::json::Object &actor = *conversions[0].getAsObject();
  EXPECT_EQ(actor.getString("kind"), "actor");
  EXPECT_EQ(actor.getString("class"), "Ledger");
  EXPECT_EQ(actor.getString("file"), "in/ledger.h");
  EXPECT_EQ(actor.getString("rule"), "actor-class");
  ASSERT_NE(actor.getArray("methods"), nullptr);
  EXPECT_EQ(actor.getArray("methods")->size(), 2u);
  const llvm::json::Object &pool = *conversions[1].getAsObject();
  EXPECT_EQ(pool.getString("kind"), "actor-pool");
  EXPECT_EQ(pool.getString("file"), "in/b.cpp");
  EXPECT_EQ(pool.getArray("methods"), nullptr);  // the class's entry lists them

  std::string text = TextSummary({ActorFile()});
  EXPECT_NE(text.find("in/ledger.h:7: converted: Ledger becomes a Ray actor (created by "
                      "CreateLedger)"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("in/b.cpp:14: converted: post() is submitted to every Ledger actor of "
                "'books', then awaited (an actor pool)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("0 loop(s) converted, 1 class(es) made actors"), std::string::npos)
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

namespace rayify {
namespace {

FunctionSummary Summary(const std::string &usr,
                        std::map<std::string, std::string> calls) {
  FunctionSummary summary;
  summary.usr = usr;
  summary.name = usr;
  summary.file = usr + ".cpp";
  summary.calls_unseen = std::move(calls);
  return summary;
}

TEST(SummariesTest, LinkFollowsCallsThroughFilesAndCycles) {
  ProjectSummaries project;
  FunctionSummary a = Summary("a", {{"b", "b"}});
  FunctionSummary b = Summary("b", {{"c", "c"}, {"a", "a"}});  // a and b call each other
  FunctionSummary c = Summary("c", {});
  c.effects.io = "calls printf";
  c.effects.globals_read = {{"g", "g"}};
  c.effects.writes_object = true;  // c's own object, not its callers'
  b.effects.has_loop = true;
  project.Add(a);
  project.Add(b);
  project.Add(c);
  project.Link();
  const FunctionSummary *linked = project.Find("a");
  ASSERT_NE(linked, nullptr);
  EXPECT_EQ(linked->effects.io, "calls printf");
  EXPECT_EQ(linked->effects.globals_read.count("g"), 1u);
  EXPECT_TRUE(linked->effects.has_loop);
  EXPECT_FALSE(linked->effects.writes_object);
  EXPECT_TRUE(linked->effects.not_visible.empty());
  EXPECT_TRUE(project.Find("c")->effects.writes_object);
}

TEST(SummariesTest, ACallNoSummaryOrTwoSummariesAnswerIsNotVisible) {
  ProjectSummaries project;
  project.Add(Summary("a", {{"missing", "missing"}}));
  project.Add(Summary("b", {{"twice", "twice"}}));
  project.Add(Summary("twice", {}));
  project.Add(Summary("twice", {}));
  project.Link();
  EXPECT_NE(project.Find("a")->effects.not_visible.find("no file of the project"),
            std::string::npos);
  EXPECT_NE(project.Find("b")->effects.not_visible.find("more than one file"),
            std::string::npos);
  EXPECT_EQ(project.Find("twice"), nullptr);
  EXPECT_TRUE(project.DefinedTwice("twice"));
}

TEST(SummariesTest, ChangedGlobalsAreKnownByUsr) {
  ProjectSummaries project;
  project.AddChangedGlobals({"c:@g"});
  EXPECT_TRUE(project.Changes("c:@g"));
  EXPECT_FALSE(project.Changes("c:@h"));
}

}  // namespace
}  // namespace rayify
