// invalid-resource: a resource amount Ray rejects when the task or actor is
// submitted: zero or negative, fractional above 1, or a `rayify: resources(...)`
// annotation rayify cannot read (an unknown unit, say). Found here, before a cluster
// run fails on it (resources/rules/invalid-resource.md).
#include <set>
#include <stdexcept>

#include "analysis/ResourceAnnotation.h"
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

class InvalidResourceCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    using namespace ast_matchers;
    finder.addMatcher(
        cxxMemberCallExpr(callee(cxxMethodDecl(hasName("SetResource"))),
                          argumentCountIs(2), unless(isExpansionInSystemHeader()))
            .bind("set"),
        this);
    finder.addMatcher(
        decl(anyOf(functionDecl(isDefinition()), cxxRecordDecl(isDefinition())),
             unless(isExpansionInSystemHeader()), unless(isImplicit()))
            .bind("annotated"),
        this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    if (const auto *set = result.Nodes.getNodeAs<CXXMemberCallExpr>("set")) {
      CheckAmount(set, *result.Context);
    } else if (const auto *decl = result.Nodes.getNodeAs<Decl>("annotated")) {
      CheckAnnotation(decl);
    }
  }

 private:
  void CheckAmount(const CXXMemberCallExpr *set, ASTContext &context) {
    const CXXRecordDecl *caller = set->getMethodDecl()->getParent();
    if (!llvm::StringRef(caller->getQualifiedNameAsString()).starts_with("ray::")) return;
    const Expr *amount = set->getArg(1);
    Expr::EvalResult value;
    if (amount->isValueDependent() || !amount->EvaluateAsRValue(value, context)) return;
    double number = 0;
    if (value.Val.isFloat()) {
      number = value.Val.getFloat().convertToDouble();
    } else if (value.Val.isInt()) {
      number = static_cast<double>(value.Val.getInt().getExtValue());
    } else {
      return;
    }
    std::string problem = ResourceAmountProblem(number);
    if (problem.empty()) return;
    Warn(amount->getSourceRange(),
         "this resource amount " + problem + "; Ray refuses the submission at run time");
  }

  void CheckAnnotation(const Decl *decl) {
    // Each declaration once: a function's redeclarations share the comment above.
    if (!seen_.insert(decl->getBeginLoc()).second) return;
    FileEditor *file = Unit().edits.For(decl->getBeginLoc());
    if (file == nullptr || decl->getBeginLoc().isMacroID()) return;
    std::string comment = file->CommentAbove(decl->getBeginLoc());
    if (comment.find("rayify:") == std::string::npos) return;
    try {
      ParseResourceAnnotation(comment);
    } catch (const std::invalid_argument &error) {
      Warn(decl->getBeginLoc(), std::string("the rayify: resources(...) annotation above "
                                            "this declaration is invalid: ") +
                                    error.what());
    }
  }

  std::set<SourceLocation> seen_;
};

}  // namespace

std::unique_ptr<Pass> MakeInvalidResourceCheck() {
  return std::make_unique<InvalidResourceCheck>();
}

}  // namespace rayify
