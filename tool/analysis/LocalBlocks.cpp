#include "analysis/LocalBlocks.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include "analysis/GlobalMutations.h"
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

// The plain assignments of `var` in a function body, and the first way, if any, in
// which the body could set it otherwise or under another name, or leave no order of
// statements (a `goto`).
class PointerChanges : public RecursiveASTVisitor<PointerChanges> {
 public:
  explicit PointerChanges(const VarDecl *var) : var_(var) {}

  bool VisitBinaryOperator(BinaryOperator *binary) {
    if (binary->isAssignmentOp() && Names(binary->getLHS(), var_)) {
      if (binary->getOpcode() != BO_Assign) {
        Escape("is stepped");
      } else if (assignment_ != nullptr) {
        Escape("is set more than once");
      } else {
        assignment_ = binary;
      }
    }
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *unary) {
    if (unary->isIncrementDecrementOp() && Names(unary->getSubExpr(), var_))
      Escape("is stepped");
    return true;
  }
  bool VisitStmt(Stmt *stmt) {
    if (LetsOut(stmt, var_))
      Escape(
          "has its address taken, a reference bound to it or a lambda capturing it "
          "by reference");
    if (isa<GotoStmt>(stmt) || isa<IndirectGotoStmt>(stmt))
      Escape("is in a function with a goto, after which no order of statements holds");
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
      if (by_reference && Names(call->getArg(i), var_))
        Escape("is passed by non-const reference");
    }
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *construct) {
    const CXXConstructorDecl *constructor = construct->getConstructor();
    for (unsigned i = 0; i < construct->getNumArgs() && i < constructor->getNumParams();
         ++i) {
      if (IsNonConstLValueReference(constructor->getParamDecl(i)->getType()) &&
          Names(construct->getArg(i), var_)) {
        Escape("is passed by non-const reference");
      }
    }
    return true;
  }

  const BinaryOperator *assignment_ = nullptr;  // the first plain `var = ...`
  std::string escaped_;  // why it may be set otherwise, or under another name

 private:
  void Escape(const char *why) {
    if (escaped_.empty()) escaped_ = why;
  }

  const VarDecl *var_;
};

// The statement directly inside a compound statement that holds `stmt` (itself or
// an ancestor), and that compound statement; none past a lambda, whose body runs
// whenever it is called.
std::pair<const Stmt *, const CompoundStmt *> StatementInBlock(const Stmt *stmt,
                                                               ASTContext &context) {
  DynTypedNodeList parents = context.getParents(*stmt);
  while (!parents.empty()) {
    if (const auto *block = parents[0].get<CompoundStmt>()) return {stmt, block};
    stmt = parents[0].get<Stmt>();
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) break;
    parents = context.getParents(*stmt);
  }
  return {nullptr, nullptr};
}

}  // namespace

std::optional<LocalBlock> LocalBlockOf(const VarDecl *var, ASTContext &context,
                                       std::string *why) {
  auto no = [&](std::string reason) -> std::optional<LocalBlock> {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
  };
  if (var == nullptr || !var->hasLocalStorage() || isa<ParmVarDecl>(var) ||
      var->getLocation().isMacroID() || !var->getType()->isPointerType() ||
      var->getType().isVolatileQualified()) {
    return no("is not a local pointer of the function");
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
    return no("points to " + pointee.getAsString(context.getPrintingPolicy()) +
              (pointee->isBooleanType() ? ", which a std::vector packs into bits"
                                        : ", not to integers, float or double"));
  }
  block.element = pointee.getUnqualifiedType();
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  if (function == nullptr || function->getBody() == nullptr)
    return no("is not in a function body");
  PointerChanges changes(var);
  changes.TraverseStmt(function->getBody());
  if (!changes.escaped_.empty()) return no(changes.escaped_);
  const Expr *init = var->getInit();
  const Stmt *made = nullptr;
  if (init != nullptr && changes.assignment_ != nullptr)
    return no("is set more than once");
  if (init != nullptr) {
    // The declaration itself, when it is a statement of its own in a block.
    DynTypedNodeList parents = context.getParents(*var);
    made = parents.empty() ? nullptr : parents[0].get<DeclStmt>();
  } else if (changes.assignment_ != nullptr) {
    init = changes.assignment_->getRHS();
    made = changes.assignment_;
  }
  if (made == nullptr || made->getBeginLoc().isMacroID() ||
      !ReadAllocation(init, block, context)) {
    return no("is not set to malloc, calloc or new[] of a size free of side effects");
  }
  // The making statement must be one of a block's own, so that what follows it in the
  // block runs after it.
  auto [statement, compound] = StatementInBlock(made, context);
  if (statement != made) return no("gets its block inside another statement");
  block.made = made;
  return block;
}

std::optional<LocalBlock> LocalBlockAt(const VarDecl *var, const Stmt *loop,
                                       ASTContext &context, std::string *why) {
  std::optional<LocalBlock> block = LocalBlockOf(var, context, why);
  if (!block) return std::nullopt;
  auto [made, compound] = StatementInBlock(block->made, context);
  // The loop is in the same block, in a statement after the one making the block.
  const Stmt *holder = loop;
  while (holder != nullptr) {
    auto [statement, parent] = StatementInBlock(holder, context);
    if (statement == nullptr) break;
    if (parent == compound) {
      for (const Stmt *child : compound->body()) {
        if (child == made) return block;
        if (child == statement) break;
      }
      break;
    }
    holder = parent;
  }
  if (why != nullptr)
    *why = "gets its block where the loop cannot be sure it was made first";
  return std::nullopt;
}

std::optional<LocalBlock> SentBlock(const VarDecl *var, const Stmt *loop,
                                    const GlobalMutations &mutations,
                                    ASTContext &context) {
  if (var == nullptr || !var->getType()->isPointerType()) return std::nullopt;
  if (isa<ParmVarDecl>(var)) {
    const BoundArray *bound = mutations.BoundTo(var);
    if (bound == nullptr || !bound->type.isNull()) return std::nullopt;
    return LocalBlockOf(bound->array, context);
  }
  return LocalBlockAt(var, loop, context);
}

}  // namespace rayify
