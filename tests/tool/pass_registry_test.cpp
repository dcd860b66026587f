// The pass registry and the Clang stage's contract with passes: a registered pass
// hears its matches, reports findings with positions, and its edits reach the output
// through the driver, which applies them per file.
#include <clang/ASTMatchers/ASTMatchers.h>
#include <gtest/gtest.h>

#include <fstream>

#include "driver/Realize.h"
#include "frontend/ConvertFrontend.h"
#include "passes/Pass.h"
#include "passes/PassRegistry.h"

namespace rayify {
namespace {

using namespace clang::ast_matchers;

// Renames every function called `answer` to `reply`, reporting each one.
class RenameAnswerPass : public Pass {
 public:
  void RegisterMatchers(MatchFinder &finder) override {
    finder.addMatcher(functionDecl(hasName("answer"), isDefinition()).bind("f"), this);
  }
  void Check(const MatchFinder::MatchResult &result) override {
    const auto *function = result.Nodes.getNodeAs<clang::FunctionDecl>("f");
    FileEditor &editor = Unit().edits.Main();
    Finding finding;
    finding.file = editor.Path();
    finding.range = editor.RangeOf(function->getSourceRange());
    finding.code = "renamed";
    finding.severity = Severity::kWarning;
    finding.message = "answer() is now reply()";
    unsigned name = editor.Offset(function->getLocation());
    editor.Replace(name, name + 6, "reply");
    finding.fix = Unit().edits.Take();
    Report(finding);
  }
};

std::string WriteSource(const std::string &dir, const std::string &name,
                        const std::string &text) {
  std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(PassRegistryTest, BuiltinPassesRunInOrder) {
  EXPECT_EQ(PassRegistry::Builtin().Names(),
            (std::vector<std::string>{"actor-class", "task-loop", "ray-boilerplate"}));
}

TEST(PassRegistryTest, NamesAreUnique) {
  PassRegistry registry;
  registry.Add("a", [] { return std::make_unique<RenameAnswerPass>(); });
  EXPECT_THROW(registry.Add("a", [] { return std::make_unique<RenameAnswerPass>(); }),
               std::invalid_argument);
}

TEST(PassRegistryTest, ARegisteredPassReportsFindingsAndItsEditsAreApplied) {
  char dir[] = "/tmp/rayify-pass-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string input = WriteSource(
      dir, "a.cpp", "int answer() { return 42; }\nint main() { return answer(); }\n");
  PassRegistry registry;
  registry.Add("rename-answer", [] { return std::make_unique<RenameAnswerPass>(); });
  ConvertRequest request;
  request.inputs = {input};
  request.passes = &registry;
  std::string diagnostics;
  std::vector<Plan> plans = PlanConversions(request, diagnostics);
  ASSERT_EQ(plans.size(), 1u);
  ASSERT_TRUE(plans[0].error.empty()) << plans[0].error << diagnostics;
  ASSERT_EQ(plans[0].findings.size(), 1u);
  const Finding &finding = plans[0].findings[0];
  EXPECT_EQ(finding.rule, "rename-answer");
  EXPECT_EQ(finding.file, input);
  EXPECT_EQ(finding.range.begin.line, 1u);
  EXPECT_EQ(finding.range.begin.column, 1u);
  EXPECT_EQ(finding.range.end.column, 27u);  // the closing brace
  ASSERT_EQ(finding.fix.size(), 1u);
  EXPECT_EQ(finding.fix[0].file, input);

  std::vector<FileConversion> files =
      RealizePlans(plans, {std::string(dir) + "/out.cpp"}, Templates{});
  EXPECT_EQ(files[0].converted,
            "int reply() { return 42; }\nint main() { return answer(); }\n");
  std::system(("rm -rf " + std::string(dir)).c_str());
}

}  // namespace
}  // namespace rayify
