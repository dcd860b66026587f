#include "analysis/LocalBlocks.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include "analysis/Writes.h"

using namespace clang;

namespace rayify {
namespace {

bool Names(const Expr *expr, const VarDecl *var) {
  const auto *ref =
      dyn_cast_or_null<DeclRefExpr>(expr ? expr->IgnoreParenImpCasts() : nullptr);
  return ref != nullptr && ref->getDecl()->getCanonicalDecl() == var->getCanonicalDecl();
}

// Fills the size of `block` from `init`, an allocation of its elements; false for
// anything else.
bool ReadAllocation(const Expr *init, LocalBlock &block, ASTContext &context) {
  if (init == nullptr) return false;
  init = init->IgnoreParenCasts();
  auto pure = [&](const Expr *expr) {
    // Spelled in the file, so the converted code can write it again.
    return expr != nullptr && !expr->isValueDependent() &&
           !expr->HasSideEffects(context) && !expr->getBeginLoc().isMacroID() &&
           !expr->getEndLoc().isMacroID();
  };
  if (const auto *fresh = dyn_cast<CXXNewExpr>(init)) {
    if (!fresh->isArray() || !fresh->getArraySize() ||
        fresh->getNumPlacementArgs() != 0 ||
        !context.hasSameUnqualifiedType(fresh->getAllocatedType(), block.element) ||
        !pure(*fresh->getArraySize())) {
      return false;
    }
    block.count = *fresh->getArraySize();
    return true;
  }
  const auto *call = dyn_cast<CallExpr>(init);
  const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
  if (callee == nullptr || !callee->getDeclName().isIdentifier() ||
      (!callee->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
       !callee->isInStdNamespace())) {
    return false;
  }
  llvm::StringRef name = callee->getName();
  if (name == "malloc" && call->getNumArgs() == 1 && pure(call->getArg(0))) {
    block.bytes = call->getArg(0);
    return true;
  }
  if (name == "calloc" && call->getNumArgs() == 2 && pure(call->getArg(0)) &&
      pure(call->getArg(1))) {
    block.count = call->getArg(0);
    block.size = call->getArg(1);
    return true;
  }
  return false;
}

// The statements of `body` that set `var`, or let it be set under another name; and
// whether `body` has a `goto`, after which no statement order says what ran first.
class PointerChanges : public RecursiveASTVisitor<PointerChanges> {
 public:
  explicit PointerChanges(const VarDecl *var) : var_(var) {}

  bool VisitBinaryOperator(BinaryOperator *binary) {
    if (binary->isAssignmentOp() && Names(binary->getLHS(), var_)) {
      if (binary->getOpcode() == BO_Assign && assignment_ == nullptr) {
        assignment_ = binary;
      } else {
        escaped_ = true;
      }
    }
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *unary) {
    if (unary->isIncrementDecrementOp() && Names(unary->getSubExpr(), var_))
      escaped_ = true;
    return true;
  }
  bool VisitStmt(Stmt *stmt) {
    if (LetsOut(stmt, var_)) escaped_ = true;
    if (isa<GotoStmt>(stmt) || isa<IndirectGotoStmt>(stmt)) escaped_ = true;
    return true;
  }
  bool VisitCallExpr(CallExpr *call) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr) return true;
    unsigned first = FirstParameterArgument(call, callee);
    for (unsigned i = first; i < call->getNumArgs(); ++i) {
      bool by_reference =
          i - first < callee->getNumParams() &&
          IsNonConstLValueReference(callee->getParamDecl(i - first)->getType());
      if (by_reference && Names(call->getArg(i), var_)) escaped_ = true;
    }
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *construct) {
    const CXXConstructorDecl *constructor = construct->getConstructor();
    for (unsigned i = 0; i < construct->getNumArgs() && i < constructor->getNumParams();
         ++i) {
      if (IsNonConstLValueReference(constructor->getParamDecl(i)->getType()) &&
          Names(construct->getArg(i), var_)) {
        escaped_ = true;
      }
    }
    return true;
  }

  const BinaryOperator *assignment_ = nullptr;  // the first plain `var = ...`
  bool escaped_ = false;  // set otherwise, or reachable under another name

 private:
  const VarDecl *var_;
};

// The statement of `function`'s body directly inside a compound statement that holds
// `stmt` (itself or an ancestor), and that compound statement.
std::pair<const Stmt *, const CompoundStmt *> StatementInBlock(const Stmt *stmt,
                                                               ASTContext &context) {
  DynTypedNodeList parents = context.getParents(*stmt);
  while (!parents.empty()) {
    if (const auto *block = parents[0].get<CompoundStmt>()) return {stmt, block};
    stmt = parents[0].get<Stmt>();
    if (stmt == nullptr) break;
    parents = context.getParents(*stmt);
  }
  return {nullptr, nullptr};
}

}  // namespace

std::optional<LocalBlock> LocalBlockOf(const VarDecl *var, ASTContext &context) {
  if (var == nullptr || !var->hasLocalStorage() || isa<ParmVarDecl>(var) ||
      var->getLocation().isMacroID() || !var->getType()->isPointerType() ||
      var->getType().isVolatileQualified()) {
    return std::nullopt;
  }
  LocalBlock block;
  block.pointer = var;
  QualType pointee = var->getType()->getPointeeType();
  // Numbers a std::vector holds as they are (not bool, which it packs into bits) and
  // msgpack encodes (not long double).
  const auto *builtin = pointee->getAs<BuiltinType>();
  if (builtin == nullptr || pointee.isVolatileQualified() || pointee->isBooleanType() ||
      !(builtin->isInteger() || builtin->getKind() == BuiltinType::Float ||
        builtin->getKind() == BuiltinType::Double)) {
    return std::nullopt;
  }
  block.element = pointee.getUnqualifiedType();
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  if (function == nullptr || function->getBody() == nullptr) return std::nullopt;
  PointerChanges changes(var);
  changes.TraverseStmt(function->getBody());
  if (changes.escaped_) return std::nullopt;
  const Expr *init = var->getInit();
  const Stmt *made = nullptr;
  if (init != nullptr && changes.assignment_ == nullptr) {
    // The declaration itself, when it is a statement of its own in a block.
    DynTypedNodeList parents = context.getParents(*var);
    made = parents.empty() ? nullptr : parents[0].get<DeclStmt>();
  } else if (init == nullptr && changes.assignment_ != nullptr) {
    init = changes.assignment_->getRHS();
    made = changes.assignment_;
  }
  if (made == nullptr || made->getBeginLoc().isMacroID() ||
      !ReadAllocation(init, block, context)) {
    return std::nullopt;
  }
  // The making statement must be one of a block's own, so that what follows it in the
  // block runs after it.
  auto [statement, compound] = StatementInBlock(made, context);
  if (statement != made) return std::nullopt;
  block.made = made;
  return block;
}

std::optional<LocalBlock> LocalBlockAt(const VarDecl *var, const Stmt *loop,
                                       ASTContext &context) {
  std::optional<LocalBlock> block = LocalBlockOf(var, context);
  if (!block) return std::nullopt;
  auto [made, compound] = StatementInBlock(block->made, context);
  // The loop is in the same block, in a statement after the one making the block.
  const Stmt *holder = loop;
  while (holder != nullptr) {
    auto [statement, parent] = StatementInBlock(holder, context);
    if (statement == nullptr) return std::nullopt;
    if (parent == compound) {
      for (const Stmt *child : compound->body()) {
        if (child == made) return block;
        if (child == statement) return std::nullopt;
      }
      return std::nullopt;
    }
    holder = parent;
  }
  return std::nullopt;
}

}  // namespace rayify
