// The Clang-free parts of lint: suppressions, configuration files, fingerprints,
// SARIF and baselines, and that every rule is registered, documented and configured.
#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "emit/AtomicFile.h"
#include "lint/Config.h"
#include "lint/LintReport.h"
#include "lint/RuleCatalog.h"
#include "lint/Suppressions.h"
#include "passes/PassRegistry.h"

namespace rayify {
namespace {

Finding At(unsigned line, std::string rule) {
  Finding finding;
  finding.file = "a.cpp";
  finding.range = {{line, 3}, {line, 9}};
  finding.code = std::move(rule);
  finding.severity = Severity::kWarning;
  finding.message = "m";
  return finding;
}

TEST(SuppressionsTest, TrailingCommentSilencesItsLineOnly) {
  auto list = ParseSuppressions("a();\nb();  // rayify: ignore\nc();\n");
  EXPECT_FALSE(Suppress(At(1, "x"), list));
  EXPECT_TRUE(Suppress(At(2, "x"), list));
  EXPECT_FALSE(Suppress(At(3, "x"), list));
}

TEST(SuppressionsTest, CommentLineSilencesTheNextLineOfCode) {
  auto list =
      ParseSuppressions("// rayify: ignore\n// why: it is fine\n\nloop();\nz();\n");
  EXPECT_TRUE(Suppress(At(4, "x"), list));
  EXPECT_FALSE(Suppress(At(5, "x"), list));
}

TEST(SuppressionsTest, RuleListsNarrowWhatIsSilenced) {
  auto list = ParseSuppressions("f();  // rayify: ignore(a, rayify-b)\n");
  EXPECT_TRUE(Suppress(At(1, "a"), list));
  EXPECT_TRUE(Suppress(At(1, "b"), list));
  EXPECT_FALSE(Suppress(At(1, "c"), list));
}

TEST(SuppressionsTest, BeginEndCoversTheLinesBetween) {
  std::vector<std::string> errors;
  auto list = ParseSuppressions(
      "a();\n// rayify: ignore-begin(r)\nb();\nc();\n// rayify: ignore-end\nd();\n",
      &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(Suppress(At(1, "r"), list));
  EXPECT_TRUE(Suppress(At(3, "r"), list));
  EXPECT_TRUE(Suppress(At(4, "r"), list));
  EXPECT_FALSE(Suppress(At(6, "r"), list));
}

TEST(SuppressionsTest, UnbalancedDirectivesAreReported) {
  std::vector<std::string> errors;
  ParseSuppressions("// rayify: ignore-end\n// rayify: ignore-begin\n", &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0],
            "line 1: 'rayify: ignore-end' without an 'ignore-begin' before it");
  EXPECT_EQ(errors[1], "line 2: 'rayify: ignore-begin' is never ended by 'ignore-end'");
}

TEST(SuppressionsTest, UsedSuppressionsAreMarked) {
  auto list = ParseSuppressions("a();  // rayify: ignore\nb();  // rayify: ignore(q)\n");
  Suppress(At(1, "x"), list);
  Suppress(At(2, "x"), list);
  EXPECT_TRUE(list[0].used);
  EXPECT_FALSE(list[1].used);
  EXPECT_EQ(list[1].text, "rayify: ignore(q)");
}

TEST(SuppressionsTest, OtherRayifyCommentsAndLookalikesAreNotSuppressions) {
  EXPECT_TRUE(
      ParseSuppressions("// rayify: resources(CPU=2)\n// rayify: ignored\n").empty());
  EXPECT_TRUE(CommentIgnores("// rayify: ignore\n", "task-loop", "parallelizable-loop"));
  EXPECT_TRUE(CommentIgnores("// rayify: ignore(parallelizable-loop)\n", "task-loop",
                             "parallelizable-loop"));
  EXPECT_FALSE(CommentIgnores("// rayify: ignore(tiny-remote-task)\n", "task-loop",
                              "parallelizable-loop"));
}

std::string ConfigError(const std::string &text) {
  Settings settings;
  try {
    ApplyConfig(text, "c.yaml", settings);
  } catch (const rayify::ConfigError &error) {
    return error.what();
  }
  return "";
}

TEST(ConfigTest, ReadsRulesThresholdsAndFunctionLists) {
  Settings settings;
  bool inherit = ApplyConfig(
      "inherit: true\nrules:\n  tiny-remote-task: off\n  get-in-submit-loop: error\n"
      "thresholds:\n  max-in-flight: 8\n  chunks-per-cpu: 3\n  min-task-operations: 500\n"
      "  operations-per-byte-moved: 0\n  min-chunk-microseconds: 0\n"
      "functions:\n  pure: "
      "[lib::hash]\n"
      "  io: [log]\n",
      "c.yaml", settings);
  EXPECT_TRUE(inherit);
  EXPECT_FALSE(settings.Rule("tiny-remote-task").enabled);
  EXPECT_EQ(settings.Rule("get-in-submit-loop").severity, Severity::kError);
  EXPECT_EQ(settings.max_in_flight, 8);
  EXPECT_EQ(settings.chunks_per_cpu, 3);
  EXPECT_EQ(settings.min_task_operations, 500);
  EXPECT_EQ(settings.operations_per_byte_moved, 0);
  EXPECT_EQ(settings.min_chunk_microseconds, 0);
  EXPECT_EQ(settings.pure_functions.count("lib::hash"), 1u);
  EXPECT_EQ(settings.io_functions.count("log"), 1u);
}

TEST(ConfigTest, MistakesNameFileLineAndColumn) {
  EXPECT_EQ(ConfigError("rulez: {}\n"),
            "c.yaml:1:1: unknown key 'rulez' (known: inherit, rules, thresholds, "
            "functions, help-base-uri)");
  EXPECT_EQ(ConfigError("thresholds:\n  max-in-flight: -3\n"),
            "c.yaml:2:18: 'max-in-flight' must be at least 1");
  EXPECT_EQ(
      ConfigError("thresholds:\n  window: 3\n"),
      "c.yaml:2:3: unknown threshold 'window' (known: max-in-flight, "
      "submit-all-limit, large-argument-bytes, chunks-per-cpu, min-task-operations, "
      "min-chunk-microseconds, operations-per-byte-moved)");
  EXPECT_EQ(ConfigError("thresholds:\n  operations-per-byte-moved: -1\n"),
            "c.yaml:2:30: 'operations-per-byte-moved' must be at least 0");
  EXPECT_EQ(ConfigError("thresholds:\n  min-chunk-microseconds: -5\n"),
            "c.yaml:2:27: 'min-chunk-microseconds' must be at least 0");
  EXPECT_EQ(ConfigError("inherit: maybe\n"),
            "c.yaml:1:10: 'inherit' takes true or false");
  EXPECT_EQ(ConfigError("functions:\n  pure: lib::hash\n"),
            "c.yaml:2:9: 'functions.pure' must be a list of function names");
  EXPECT_NE(ConfigError("rules: [\n").find("c.yaml:2:1: not valid YAML"),
            std::string::npos);
  EXPECT_EQ(ConfigError(""), "");
}

TEST(ConfigTest, DefaultsFileListsEveryRuleAtItsCatalogSeverity) {
  Settings settings;
  ApplyConfig(ReadFile(DefaultConfigFile()), DefaultConfigFile(), settings);
  for (const RuleInfo &rule : LintRules()) {
    auto configured = settings.rules.find(rule.id);
    ASSERT_NE(configured, settings.rules.end()) << rule.id;
    EXPECT_EQ(configured->second.severity, rule.severity) << rule.id;
  }
  EXPECT_EQ(settings.max_in_flight, Settings().max_in_flight);
  EXPECT_EQ(settings.submit_all_limit, Settings().submit_all_limit);
  EXPECT_EQ(settings.chunks_per_cpu, Settings().chunks_per_cpu);
}

TEST(ConfigTest, DumpedConfigReadsBackTheSame) {
  Settings settings;
  ApplyConfig(
      "rules:\n  tiny-remote-task: off\nthresholds:\n  max-in-flight: 9\n"
      "functions:\n  io: [log]\n",
      "c.yaml", settings);
  Settings again;
  ApplyConfig(DumpConfig(settings), "dump.yaml", again);
  EXPECT_EQ(DumpConfig(again), DumpConfig(settings));
  EXPECT_FALSE(again.Rule("tiny-remote-task").enabled);
  EXPECT_EQ(again.max_in_flight, 9);
}

TEST(ConfigTest, NearestFileWinsUnlessItInherits) {
  char root[] = "/tmp/rayify-config-XXXXXX";
  ASSERT_NE(mkdtemp(root), nullptr);
  std::string top = root, sub = top + "/sub";
  mkdir(sub.c_str(), 0700);
  std::ofstream(top + "/.rayify.yaml") << "rules:\n  tiny-remote-task: error\n";
  std::ofstream(sub + "/.rayify.yaml") << "rules:\n  discarded-object-ref: off\n";
  std::ofstream(sub + "/a.cpp") << "";
  std::ofstream(top + "/b.cpp") << "";
  {
    ConfigResolver resolver(DefaultConfigFile(), "");
    const Settings &nested = resolver.For(sub + "/a.cpp");
    EXPECT_FALSE(nested.Rule("discarded-object-ref").enabled);
    EXPECT_EQ(nested.Rule("tiny-remote-task").severity, Severity::kWarning);
    EXPECT_EQ(resolver.For(top + "/b.cpp").Rule("tiny-remote-task").severity,
              Severity::kError);
  }
  std::ofstream(sub + "/.rayify.yaml")
      << "inherit: true\nrules:\n  discarded-object-ref: off\n";
  ConfigResolver resolver(DefaultConfigFile(), "");
  const Settings &merged = resolver.For(sub + "/a.cpp");
  EXPECT_FALSE(merged.Rule("discarded-object-ref").enabled);
  EXPECT_EQ(merged.Rule("tiny-remote-task").severity, Severity::kError);
  EXPECT_EQ(resolver.FilesFor(sub + "/a.cpp").size(), 2u);
  for (const char *file :
       {"/sub/.rayify.yaml", "/sub/a.cpp", "/.rayify.yaml", "/b.cpp"}) {
    unlink((top + file).c_str());
  }
  rmdir(sub.c_str());
  rmdir(root);
}

LintFinding Lint(unsigned line, const std::string &text, std::string rule = "r") {
  return {At(line, std::move(rule)), "src/a.cpp", text, ""};
}

TEST(FingerprintTest, SurvivesMovesAndReindentingButNotOtherCode) {
  std::vector<LintFinding> before = {Lint(3, "  f(x);"), Lint(9, "g();")};
  std::vector<LintFinding> after = {Lint(40, "\tf(x);  "), Lint(52, "g(1);")};
  AssignFingerprints(before);
  AssignFingerprints(after);
  EXPECT_EQ(before[0].fingerprint, after[0].fingerprint);
  EXPECT_NE(before[1].fingerprint, after[1].fingerprint);
}

TEST(FingerprintTest, RepeatedLinesAreTellApartByOccurrence) {
  std::vector<LintFinding> findings = {Lint(3, "f();"), Lint(8, "f();"),
                                       Lint(8, "f();", "s")};
  AssignFingerprints(findings);
  EXPECT_NE(findings[0].fingerprint, findings[1].fingerprint);
  EXPECT_NE(findings[1].fingerprint, findings[2].fingerprint);
}

TEST(SarifTest, BaselineReadsBackTheFingerprintsWritten) {
  std::vector<LintFinding> findings = {Lint(3, "f();", "discarded-object-ref"),
                                       Lint(8, "g();", "tiny-remote-task")};
  AssignFingerprints(findings);
  Settings settings;
  settings.help_base_uri = "https://example.org/rules/";
  std::string log = SarifLog(findings, settings, "/work/project", "1.2.3");
  std::set<std::string> prints = BaselineFingerprints(log, "old.sarif");
  EXPECT_EQ(prints,
            (std::set<std::string>{findings[0].fingerprint, findings[1].fingerprint}));
  auto parsed = llvm::json::parse(log);
  ASSERT_TRUE(bool(parsed));
  const auto *run = parsed->getAsObject()->getArray("runs")->front().getAsObject();
  const auto *rules = run->getObject("tool")->getObject("driver")->getArray("rules");
  EXPECT_EQ(rules->size(), LintRules().size());
  EXPECT_EQ(*rules->front().getAsObject()->getString("helpUri"),
            "https://example.org/rules/" + LintRules().front().id + ".md");
  const auto *result = run->getArray("results")->front().getAsObject();
  const auto *region = result->getArray("locations")
                           ->front()
                           .getAsObject()
                           ->getObject("physicalLocation")
                           ->getObject("region");
  EXPECT_EQ(*region->getInteger("startColumn"), 3);
  EXPECT_EQ(*region->getInteger("endColumn"), 10);  // one past the last character
}

TEST(SarifTest, NonSarifBaselinesAreRefusedByName) {
  EXPECT_THROW(BaselineFingerprints("[1]", "b.sarif"), std::runtime_error);
  EXPECT_THROW(BaselineFingerprints("{", "b.sarif"), std::runtime_error);
  EXPECT_TRUE(BaselineFingerprints("{\"runs\": [{\"results\": []}]}", "b.sarif").empty());
}

TEST(RuleCatalogTest, EveryRegisteredRuleIsDocumentedAndEveryDocumentedRuleRegistered) {
  std::vector<std::string> registered = PassRegistry::Lint().Names();
  EXPECT_GE(registered.size(), 10u);
  for (const std::string &id : registered) {
    const RuleInfo *rule = FindLintRule(id);
    ASSERT_NE(rule, nullptr) << id;
    struct stat info;
    std::string page = std::string(RAYIFY_SOURCE_DIR) + "/" + RuleDocPath(id);
    EXPECT_EQ(stat(page.c_str(), &info), 0) << "no doc page " << page;
  }
  for (const RuleInfo &rule : LintRules()) {
    bool is_pass =
        std::find(registered.begin(), registered.end(), rule.id) != registered.end();
    EXPECT_TRUE(is_pass || rule.id == kUnusedSuppressionRule) << rule.id;
  }
}

}  // namespace
}  // namespace rayify
