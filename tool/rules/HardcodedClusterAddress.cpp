// hardcoded-cluster-address: a literal address assigned to RayConfig::address. The
// program then runs on that one cluster only; read RAY_ADDRESS instead, as Ray's own
// tools do (resources/rules/hardcoded-cluster-address.md).
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

class HardcodedClusterAddressCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    using namespace ast_matchers;
    auto address_field = memberExpr(member(fieldDecl(
        hasName("address"), hasDeclContext(cxxRecordDecl(hasName("::ray::RayConfig"))))));
    auto literal = ignoringImplicit(stringLiteral().bind("literal"));
    finder.addMatcher(
        cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                            hasArgument(0, ignoringImplicit(address_field)),
                            hasArgument(1, literal), unless(isExpansionInSystemHeader()))
            .bind("assign"),
        this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *literal = result.Nodes.getNodeAs<StringLiteral>("literal");
    // An empty address is Ray's "start a local cluster": no address is fixed.
    if (literal->getLength() == 0) return;
    Warn(literal->getSourceRange(),
         "the cluster address '" + literal->getString().str() +
             "' is fixed in the source, so the program runs on that cluster only; read "
             "it from the RAY_ADDRESS environment variable (std::getenv)");
  }
};

}  // namespace

std::unique_ptr<Pass> MakeHardcodedClusterAddressCheck() {
  return std::make_unique<HardcodedClusterAddressCheck>();
}

}  // namespace rayify
