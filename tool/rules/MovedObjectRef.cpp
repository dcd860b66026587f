// moved-object-ref: a ray::ObjectRef is moved. Ray's ObjectRef move constructor lets
// go of the reference before it takes its own, so moving an object's only ref makes
// Ray forget that this process owns the object, and the driver aborts when a result
// too large to inline comes back (resources/rules/moved-object-ref.md).
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

// Ray's own functions take refs by const reference or copy them; only other code
// (the standard containers, std::pair, the program's functions) moves from an rvalue
// reference.
bool InRay(const Decl *decl) {
  for (const DeclContext *scope = decl->getDeclContext(); scope != nullptr;
       scope = scope->getParent()) {
    if (IsRayNamespace(scope)) return true;
  }
  return false;
}

bool IsObjectRef(QualType type) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  return record != nullptr && IsNamed(record, "ObjectRef") &&
         IsRayNamespace(record->getDeclContext());
}

constexpr const char *kWhy =
    "on Ray, moving an object's only ref loses the record that this process owns it, "
    "and the driver aborts when a result too large to inline comes back";

class MovedObjectRefCheck : public LintCheck {
 public:
  void RegisterMatchers(MatchFinder &finder) override {
    // Ray's headers (Ray's own or the bundled runtime's) are not checked.
    auto outside_ray = unless(hasAncestor(namespaceDecl(hasName("::ray"))));
    finder.addMatcher(
        callExpr(unless(isExpansionInSystemHeader()), outside_ray).bind("call"), this);
    finder.addMatcher(
        cxxConstructExpr(unless(isExpansionInSystemHeader()), outside_ray,
                         hasDeclaration(cxxConstructorDecl(isMoveConstructor())))
            .bind("construct"),
        this);
  }

  void Check(const MatchFinder::MatchResult &result) override {
    if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call")) CheckCall(call);
    if (const auto *construct = result.Nodes.getNodeAs<CXXConstructExpr>("construct")) {
      CheckConstruct(construct);
    }
  }

 private:
  // An rvalue ref handed to an rvalue-reference parameter: `refs.push_back(
  // ray::Task(f).Remote(x))`, `emplace_back`, `std::make_pair`, a function of the
  // program's. The callee moves it (a copy would be made from a const reference).
  void CheckCall(const CallExpr *call) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr || InRay(callee)) return;
    // An operator written as a member takes the object as its first argument.
    unsigned skipped =
        isa<CXXOperatorCallExpr>(call) && isa<CXXMethodDecl>(callee) ? 1 : 0;
    for (unsigned i = skipped; i < call->getNumArgs(); ++i) {
      unsigned parameter = i - skipped;
      if (parameter >= callee->getNumParams()) break;
      const Expr *arg = call->getArg(i);
      if (!callee->getParamDecl(parameter)->getType()->isRValueReferenceType() ||
          !IsObjectRef(arg->getType()) || arg->isLValue()) {
        continue;
      }
      Warn(arg->getSourceRange(),
           "this ObjectRef is moved into '" + callee->getNameAsString() + "': " + kWhy +
               "; store a copy (name the ref first, or pass it through a const "
               "reference)");
    }
  }

  // A ref moved by hand: `ObjectRef<T> b = std::move(a);`, `f(std::move(a))` for a
  // by-value parameter. A prvalue initialises in place and moves nothing; an elidable
  // `return ref;` is not moved by GCC or Clang.
  void CheckConstruct(const CXXConstructExpr *construct) {
    if (construct->isElidable() || construct->getNumArgs() != 1 ||
        !IsObjectRef(construct->getType())) {
      return;
    }
    // `return ref;` of a local that Clang marks for the named return value
    // optimisation: GCC and Clang build it in the caller's object, moving nothing.
    if (const auto *named =
            dyn_cast<DeclRefExpr>(construct->getArg(0)->IgnoreImplicit())) {
      if (const auto *var = dyn_cast<VarDecl>(named->getDecl());
          var && var->isNRVOVariable()) {
        return;
      }
    }
    Warn(construct->getSourceRange(),
         std::string("this ObjectRef is moved: ") + kWhy + "; copy it instead");
  }
};

}  // namespace

std::unique_ptr<Pass> MakeMovedObjectRefCheck() {
  return std::make_unique<MovedObjectRefCheck>();
}

}  // namespace rayify
