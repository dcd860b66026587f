#include "analysis/TaskCost.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Lex/Lexer.h>

#include <map>
#include <vector>

#include "analysis/LoopSafety.h"

namespace rayify {

using namespace clang;

namespace {

// Nesting deeper than this is not followed through constant locals.
constexpr int kMaxDepth = 8;

// A read the driver may repeat: a variable, a field, an element of an array or of a
// standard sequence, with indices of the same kind or literals.
bool IsPlainRead(const Expr *expr) {
  expr = expr->IgnoreImplicit()->IgnoreParenImpCasts();
  if (const auto *construct = dyn_cast<CXXConstructExpr>(expr)) {
    return construct->getNumArgs() == 1 &&
           construct->getConstructor()->isCopyOrMoveConstructor() &&
           IsPlainRead(construct->getArg(0));
  }
  if (isa<IntegerLiteral>(expr)) return true;
  if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) return isa<VarDecl>(ref->getDecl());
  if (const auto *member = dyn_cast<MemberExpr>(expr))
    return !member->isArrow() && isa<FieldDecl>(member->getMemberDecl()) &&
           IsPlainRead(member->getBase());
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(expr))
    return IsPlainRead(subscript->getBase()) && IsPlainRead(subscript->getIdx());
  const auto *element = dyn_cast<CXXOperatorCallExpr>(expr);
  if (element == nullptr || element->getOperator() != OO_Subscript) return false;
  const CXXRecordDecl *container = element->getArg(0)->getType()->getAsCXXRecordDecl();
  if (container == nullptr || !container->isInStdNamespace() ||
      container->getIdentifier() == nullptr)
    return false;
  llvm::StringRef name = container->getName();
  return (name == "vector" || name == "array" || name == "deque") &&
         IsPlainRead(element->getArg(0)) && IsPlainRead(element->getArg(1));
}

class KeyFinder {
 public:
  KeyFinder(const FunctionDecl *callee, ASTContext &context)
      : callee_(callee), context_(context) {}

  // The caller's text of each argument the driver may read again and that changes
  // with the iteration (it names `counter`): the others set the same trip counts for
  // every task.
  void BindArguments(const CallExpr *call, const VarDecl *counter) {
    for (unsigned i = 0; i < call->getNumArgs() && i < callee_->getNumParams(); ++i) {
      const Expr *arg = call->getArg(i);
      if (!IsPlainRead(arg) || !Mentions(arg, counter) ||
          arg->getBeginLoc().isMacroID() || arg->getEndLoc().isMacroID())
        continue;
      std::string text = Text(arg);
      if (!text.empty()) arguments_[callee_->getParamDecl(i)] = text;
    }
  }

  // The deepest nest's trip counts, as (driver expression, callee text) pairs.
  std::vector<std::pair<std::string, std::string>> Best() {
    Walk(callee_->getBody(), {});
    return best_;
  }

 private:
  using Factors = std::vector<std::pair<std::string, std::string>>;

  void Walk(const Stmt *stmt, const Factors &factors) {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
    Factors inner = factors;
    const Stmt *body = nullptr;
    if (const auto *loop = dyn_cast<ForStmt>(stmt)) {
      if (auto factor = BoundOf(loop)) inner.push_back(*factor);
      body = loop->getBody();
    } else if (const auto *range = dyn_cast<CXXForRangeStmt>(stmt)) {
      if (auto factor = SizeOf(range->getRangeInit())) inner.push_back(*factor);
      body = range->getBody();
    }
    if (inner.size() > best_.size()) best_ = inner;
    if (body != nullptr) {
      Walk(body, inner);
      return;
    }
    for (const Stmt *child : stmt->children()) Walk(child, factors);
  }

  // `i < E` or `i <= E` with E set by the arguments.
  std::optional<std::pair<std::string, std::string>> BoundOf(const ForStmt *loop) {
    const auto *cond = dyn_cast_or_null<BinaryOperator>(
        loop->getCond() != nullptr ? loop->getCond()->IgnoreParenImpCasts() : nullptr);
    if (cond == nullptr || (cond->getOpcode() != BO_LT && cond->getOpcode() != BO_LE))
      return std::nullopt;
    std::optional<std::string> value = Symbol(cond->getRHS(), 0);
    if (!value) return std::nullopt;
    return std::make_pair(*value, Text(cond->getRHS()));
  }

  // A range-for over a container parameter: its size.
  std::optional<std::pair<std::string, std::string>> SizeOf(const Expr *range) {
    const auto *ref = dyn_cast_or_null<DeclRefExpr>(range->IgnoreParenImpCasts());
    const auto *param = ref != nullptr ? dyn_cast<ParmVarDecl>(ref->getDecl()) : nullptr;
    std::optional<std::string> argument = Unchanged(param);
    if (!argument || !IsStandardContainer(param)) return std::nullopt;
    return std::make_pair("(" + *argument + ").size()", Text(range) + ".size()");
  }

  // A container of the standard library, whose size() only reads (a user type's
  // might not, or might not exist).
  static bool IsStandardContainer(const ParmVarDecl *param) {
    const CXXRecordDecl *record =
        param->getType().getNonReferenceType()->getAsCXXRecordDecl();
    return record != nullptr && record->isInStdNamespace();
  }

  // The argument a parameter the callee never changes was given.
  std::optional<std::string> Unchanged(const ParmVarDecl *param) {
    if (param == nullptr) return std::nullopt;
    auto bound = arguments_.find(param);
    if (bound == arguments_.end()) return std::nullopt;
    QualType type = param->getType();
    if (type->isReferenceType() && !type.getNonReferenceType().isConstQualified())
      return std::nullopt;
    if (Writes(callee_->getBody(), param)) return std::nullopt;
    return bound->second;
  }

  // `expr` in the callee as the driver writes it: a parameter, a field of one, a
  // container parameter's size, or a constant local made from those.
  std::optional<std::string> Symbol(const Expr *expr, int depth) {
    if (depth > kMaxDepth) return std::nullopt;
    expr = expr->IgnoreParenImpCasts();
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
      if (const auto *param = dyn_cast<ParmVarDecl>(ref->getDecl())) {
        std::optional<std::string> argument = Unchanged(param);
        if (!argument || !param->getType()->isArithmeticType()) return std::nullopt;
        return "(" + *argument + ")";
      }
      const auto *local = dyn_cast<VarDecl>(ref->getDecl());
      if (local == nullptr || !local->hasLocalStorage() ||
          !local->getType().isConstQualified() || local->getInit() == nullptr)
        return std::nullopt;
      return Symbol(local->getInit(), depth + 1);
    }
    if (const auto *member = dyn_cast<MemberExpr>(expr)) {
      const auto *base = dyn_cast<DeclRefExpr>(member->getBase()->IgnoreParenImpCasts());
      const auto *param =
          base != nullptr ? dyn_cast<ParmVarDecl>(base->getDecl()) : nullptr;
      const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl());
      std::optional<std::string> argument = Unchanged(param);
      if (member->isArrow() || field == nullptr || !argument ||
          !field->getType()->isArithmeticType())
        return std::nullopt;
      return "(" + *argument + ")." + field->getNameAsString();
    }
    if (const auto *size = dyn_cast<CXXMemberCallExpr>(expr)) {
      const CXXMethodDecl *method = size->getMethodDecl();
      if (method == nullptr || !method->getDeclName().isIdentifier() ||
          method->getName() != "size" || size->getNumArgs() != 0)
        return std::nullopt;
      const auto *base =
          dyn_cast<DeclRefExpr>(size->getImplicitObjectArgument()->IgnoreParenImpCasts());
      const auto *param =
          base != nullptr ? dyn_cast<ParmVarDecl>(base->getDecl()) : nullptr;
      std::optional<std::string> argument = Unchanged(param);
      if (!argument || !IsStandardContainer(param)) return std::nullopt;
      return "(" + *argument + ").size()";
    }
    return std::nullopt;
  }

  std::string Text(const Expr *expr) const {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(expr->getSourceRange()),
                                context_.getSourceManager(), context_.getLangOpts())
        .str();
  }

  const FunctionDecl *callee_;
  ASTContext &context_;
  std::map<const ParmVarDecl *, std::string> arguments_;
  Factors best_;
};

}  // namespace

std::optional<TaskCostKey> TaskCostKeyOf(const CallExpr *call, const VarDecl *counter,
                                         ASTContext &context) {
  const FunctionDecl *callee = call->getDirectCallee();
  const FunctionDecl *definition = nullptr;
  if (callee == nullptr || !callee->hasBody(definition) || definition->isVariadic())
    return std::nullopt;
  KeyFinder finder(definition, context);
  finder.BindArguments(call, counter);
  std::vector<std::pair<std::string, std::string>> factors = finder.Best();
  if (factors.empty()) return std::nullopt;
  TaskCostKey key;
  for (const auto &[expression, described] : factors) {
    key.expression += (key.expression.empty() ? "" : " * ") +
                      std::string("static_cast<double>(") + expression + ")";
    key.described += (key.described.empty() ? "" : " * ") + described;
  }
  return key;
}

}  // namespace rayify
