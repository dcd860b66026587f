// large-arg-by-value: the same loop-invariant container or large object passed to
// .Remote() on every iteration. Ray copies an argument into the object store at each
// submission; ray::Put once and pass the ObjectRef instead
// (resources/rules/large-arg-by-value.md).
#include <set>

#include "analysis/CalleeEffects.h"
#include "analysis/LoopSafety.h"
#include "analysis/Writes.h"
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// Whether `stmt` may change `var`. Passing it to .Remote() does not: Ray's
// Remote(Args &&...) binds a reference only to serialise the value.
bool ChangesIn(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  bool changed = false;
  if (!AsSubmission(dyn_cast<Expr>(stmt))) {
    ForEachWrite(stmt, [&](const Expr *target) {
      changed = changed || BaseVariable(target) == var ||
                ResolveWriteTarget(target).kind == WriteTarget::kUnknown;
    });
  }
  for (const Stmt *child : stmt->children()) changed = changed || ChangesIn(child, var);
  return changed;
}

bool HasMethod(const CXXRecordDecl *record, llvm::StringRef name) {
  return !record->lookup(&record->getASTContext().Idents.get(name)).empty();
}

// Containers own a heap buffer of unknown size: their sizeof says nothing.
bool IsContainer(const CXXRecordDecl *record) {
  return record != nullptr && record->hasDefinition() && HasMethod(record, "begin") &&
         HasMethod(record, "end") && HasMethod(record, "size");
}

bool IsObjectRef(QualType type) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  return IsNamed(record, "ObjectRef");
}

// Why `type` is worth putting once, or "" when it is not.
std::string Largeness(QualType type, ASTContext &context, long long threshold) {
  type = type.getNonReferenceType();
  if (type->isDependentType() || type->isIncompleteType() || IsObjectRef(type)) return "";
  if (IsContainer(type->getAsCXXRecordDecl())) return "a container";
  long long bytes = context.getTypeSizeInChars(type).getQuantity();
  if (bytes >= threshold) return std::to_string(bytes) + " bytes";
  return "";
}

class LargeArgByValueCheck : public LintCheck {
 public:
  void RegisterMatchers(ast_matchers::MatchFinder &finder) override {
    finder.addMatcher(AnyLoop(), this);
  }

  void Check(const ast_matchers::MatchFinder::MatchResult &result) override {
    const auto *loop = result.Nodes.getNodeAs<Stmt>("loop");
    const SourceManager &sources = *result.SourceManager;
    for (const Submission &submission : SubmissionsIn(loop)) {
      if (submission.kind == SubmissionKind::kActorCreation) continue;
      for (const Expr *arg : submission.remote->arguments()) {
        const VarDecl *var = ReferencedVar(arg);
        if (var == nullptr || reported_.count(arg) != 0 ||
            DeclaredWithin(var, loop, sources) || ChangesIn(LoopBody(loop), var)) {
          continue;
        }
        std::string size = Largeness(var->getType(), *result.Context,
                                     Unit().settings.large_argument_bytes);
        if (size.empty()) continue;
        reported_.insert(arg);
        Warn(arg->getSourceRange(),
             "'" + var->getNameAsString() + "' (" + size +
                 ") does not change in this loop but is copied into the object store "
                 "at every submission; ray::Put it once before the loop and pass the "
                 "ObjectRef");
      }
    }
  }

 private:
  std::set<const Expr *> reported_;
};

}  // namespace

std::unique_ptr<Pass> MakeLargeArgByValueCheck() {
  return std::make_unique<LargeArgByValueCheck>();
}

}  // namespace rayify
