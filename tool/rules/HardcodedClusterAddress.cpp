// hardcoded-cluster-address: a literal address assigned to RayConfig::address. The
// program then runs on that one cluster only; read RAY_ADDRESS instead, as Ray's own
// tools do (resources/rules/hardcoded-cluster-address.md).
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// The string literal an address value is, as written: "host:port",
// std::string("host:port"), or a constant initialised with one. A variable that may
// change is not a literal.
const StringLiteral *LiteralOf(const Expr *value) {
  for (int depth = 0; value != nullptr && depth < 4; ++depth) {
    value = value->IgnoreUnlessSpelledInSource();
    if (const auto *literal = dyn_cast<StringLiteral>(value)) return literal;
    if (const auto *cast = dyn_cast<CXXFunctionalCastExpr>(value)) {
      value = cast->getSubExpr();
    } else if (const auto *construct = dyn_cast<CXXConstructExpr>(value);
               construct != nullptr && construct->getNumArgs() >= 1 &&
               (construct->getNumArgs() == 1 ||
                isa<CXXDefaultArgExpr>(construct->getArg(1)))) {
      value = construct->getArg(0);  // std::string(s), its allocator defaulted
    } else if (const auto *ref = dyn_cast<DeclRefExpr>(value)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      bool constant = var != nullptr && var->getType().isConstQualified();
      value = constant ? var->getInit() : nullptr;
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

class HardcodedClusterAddressCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    using namespace ast_matchers;
    auto address_field = memberExpr(member(fieldDecl(
        hasName("address"), hasDeclContext(cxxRecordDecl(hasName("::ray::RayConfig"))))));
    finder.addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                                          hasArgument(0, ignoringImplicit(address_field)),
                                          hasArgument(1, expr().bind("value")),
                                          unless(isExpansionInSystemHeader()))
                          .bind("assign"),
                      this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *value = result.Nodes.getNodeAs<Expr>("value");
    const StringLiteral *literal = LiteralOf(value);
    // An empty address is Ray's "start a local cluster": no address is fixed.
    if (literal == nullptr || literal->getLength() == 0) return;
    Warn(value->IgnoreUnlessSpelledInSource()->getSourceRange(),
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
