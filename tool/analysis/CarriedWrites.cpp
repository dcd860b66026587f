#include "analysis/CarriedWrites.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/LoopDependences.h"
#include "analysis/LoopSafety.h"
#include "analysis/PrivateValues.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// Where in a chain of subscripts of `var` (`var[a][b][c]`, outermost expression
// given) the loop's counter stands alone, the indices before it neither reading `var`
// nor changing anything: the iteration's own slice of `var`. -1 when the chain is not
// such a slice.
int OwnSlicePosition(const Expr *expr, const VarDecl *var, const VarDecl *counter,
                     std::vector<const Expr *> &indices) {
  indices.clear();  // innermost (nearest `var`) last
  const Expr *container = nullptr;
  const Expr *index = nullptr;
  while (MatchSubscript(expr, container, index)) {
    indices.push_back(index);
    expr = container;
  }
  if (ReferencedVar(expr) != var) return -1;
  for (int position = 0; position < static_cast<int>(indices.size()); ++position) {
    const Expr *at = indices[indices.size() - 1 - position];
    if (ReferencedVar(at) == counter) return position;
    // Indices before the counter's may vary within the iteration (`a[m][i]` over m):
    // every element the iteration touches still has i at the counter's position.
    if (Mentions(at, var) || at->HasSideEffects(var->getASTContext())) return -1;
  }
  return -1;
}

// True when every mention of `var` in `stmt` is a subscript chain with the counter
// alone at the same position (`var[i]`, `var[i][j]`, `var[m][i]`), or `var.size()`
// and `var.empty()`: each iteration touches its own slice, none another's.
bool OnlyOwnElements(const Stmt *stmt, const VarDecl *var, const VarDecl *counter,
                     const Stmt *loop, int &position) {
  if (stmt == nullptr || IsSizeQuery(stmt, var)) return true;
  // A pointer into the slice reaches past it as easily (`double *p = &a[i][0];
  // p[4] = x;` writes row i + 1), and nothing follows where it goes.
  if (const Expr *pointed = AddressTaken(stmt); pointed != nullptr) {
    const Expr *base = pointed;
    const Expr *index = nullptr;
    while (MatchSubscript(base, base, index)) {
    }
    if (ReferencedVar(base) == var) return false;
  }
  if (const auto *expr = dyn_cast<Expr>(stmt)) {
    const Expr *container = nullptr;
    const Expr *index = nullptr;
    std::vector<const Expr *> indices;
    if (MatchSubscript(expr, container, index)) {
      int own = OwnSlicePosition(expr, var, counter, indices);
      if (own >= 0) {
        if (position >= 0 && position != own) return false;
        position = own;
        // Indices after the counter's may read anything, `var` included.
        for (size_t outer = 0; outer + own + 1 < indices.size(); ++outer) {
          if (!OnlyOwnElements(indices[outer], var, counter, loop, position))
            return false;
        }
        return true;
      }
    }
  }
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt);
      ref != nullptr && ref->getDecl() == var)
    return false;
  for (const Stmt *child : stmt->children()) {
    if (!OnlyOwnElements(child, var, counter, loop, position)) return false;
  }
  return true;
}

// Collects the `var[counter]` of `stmt` into `found`; false at a mention of `var` of
// another form, or an address taken of anything in it (`&p[i].x` reaches `p[i + 1]`
// as easily as `&v[i]` does).
bool NamesOwnElement(const DeclRefExpr *ref, const VarDecl *var, const VarDecl *counter,
                     const Stmt *loop);

bool CollectOwnElements(const Stmt *stmt, const VarDecl *var, const VarDecl *counter,
                        const Stmt *loop, std::vector<const Expr *> &found,
                        std::vector<const Expr *> *sizes) {
  if (stmt == nullptr) return true;
  // Storing elements leaves the size as it was: the task is sent it.
  if (sizes != nullptr && IsSizeQuery(stmt, var) && !stmt->getBeginLoc().isMacroID() &&
      !stmt->getEndLoc().isMacroID()) {
    sizes->push_back(cast<Expr>(stmt));
    return true;
  }
  if (const Expr *pointed = AddressTaken(stmt);
      pointed != nullptr && Mentions(pointed, var)) {
    return false;
  }
  const Expr *container = nullptr;
  const Expr *index = nullptr;
  if (const auto *expr = dyn_cast<Expr>(stmt); expr != nullptr &&
                                               MatchSubscript(expr, container, index) &&
                                               ReferencedVar(container) == var) {
    if (ReferencedVar(index) != counter || expr->getBeginLoc().isMacroID() ||
        expr->getEndLoc().isMacroID()) {
      return false;
    }
    // The subscript itself, so that renaming `sizeof(v[i])` keeps its parentheses.
    found.push_back(expr->IgnoreParenImpCasts());
    return true;
  }
  // `var` itself, or a local reference or pointer that leads to it, unless it is a
  // reference the iteration binds to its own element (`auto &row = grid[r];`).
  if (isa<DeclRefExpr>(stmt) && Mentions(stmt, var) &&
      !NamesOwnElement(cast<DeclRefExpr>(stmt), var, counter, loop)) {
    return false;
  }
  for (const Stmt *child : stmt->children()) {
    if (!CollectOwnElements(child, var, counter, loop, found, sizes)) return false;
  }
  return true;
}

// True when `ref` names a reference declared in `loop`'s body and bound to the
// iteration's own element of `var` (or a part of it: `double &x = p[i].x;`).
bool NamesOwnElement(const DeclRefExpr *ref, const VarDecl *var, const VarDecl *counter,
                     const Stmt *loop) {
  const auto *bound = dyn_cast<VarDecl>(ref->getDecl());
  if (bound == nullptr || bound == var || !bound->getType()->isReferenceType() ||
      bound->getInit() == nullptr ||
      !DeclaredWithin(bound, LoopBody(loop), var->getASTContext().getSourceManager())) {
    return false;
  }
  std::vector<const Expr *> elements;
  return CollectOwnElements(bound->getInit(), var, counter, loop, elements, nullptr) &&
         !elements.empty();
}

// Whether evaluating `stmt` always evaluates one of `mentions`.
bool AlwaysEvaluates(const Stmt *stmt, const std::vector<const Expr *> &mentions) {
  if (stmt == nullptr ||
      isa<LambdaExpr, UnaryExprOrTypeTraitExpr, CXXTypeidExpr, CXXNoexceptExpr>(stmt)) {
    return false;
  }
  if (std::find(mentions.begin(), mentions.end(), stmt) != mentions.end()) return true;
  if (const auto *conditional = dyn_cast<AbstractConditionalOperator>(stmt))
    return AlwaysEvaluates(conditional->getCond(), mentions);
  if (const auto *binary = dyn_cast<BinaryOperator>(stmt);
      binary && binary->isLogicalOp())
    return AlwaysEvaluates(binary->getLHS(), mentions);
  for (const Stmt *child : stmt->children()) {
    if (AlwaysEvaluates(child, mentions)) return true;
  }
  return false;
}

// Whether `stmt` holds a statement that may end the iteration before its end. A
// `continue` or `break` of a loop inside `stmt` (or a `break` of a switch) ends only
// that loop's step, or that switch; with `throws_caught`, a throw only leads to the
// handlers of a `try` around `stmt` that catches it.
bool MayLeave(const Stmt *stmt, bool throws_caught, bool in_loop = false,
              bool in_switch = false) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
  if (isa<CXXThrowExpr>(stmt)) return !throws_caught;
  if (isa<ReturnStmt, GotoStmt, CXXTryStmt>(stmt)) return true;
  if (isa<ContinueStmt>(stmt)) return !in_loop;
  if (isa<BreakStmt>(stmt)) return !in_loop && !in_switch;
  bool loop = in_loop || IsLoop(stmt);
  bool switch_stmt = in_switch || isa<SwitchStmt>(stmt);
  for (const Stmt *child : stmt->children()) {
    if (MayLeave(child, throws_caught, loop, switch_stmt)) return true;
  }
  return false;
}

bool TryEvaluates(const CXXTryStmt *attempt, const std::vector<const Expr *> &mentions,
                  llvm::function_ref<bool(const ForStmt *)> enters);

bool BlockEvaluates(const Stmt *stmt, const std::vector<const Expr *> &mentions,
                    llvm::function_ref<bool(const ForStmt *)> enters,
                    bool throws_caught = false) {
  for (const Stmt *statement : BodyStatements(stmt)) {
    if (isa<Expr, DeclStmt>(statement) && AlwaysEvaluates(statement, mentions))
      return true;
    if (const auto *if_stmt = dyn_cast<IfStmt>(statement);
        if_stmt != nullptr && AlwaysEvaluates(if_stmt->getCond(), mentions)) {
      return true;
    }
    if (isa<CompoundStmt>(statement) &&
        BlockEvaluates(statement, mentions, enters, throws_caught))
      return true;
    // An inner loop that surely runs its body once evaluates what its first step does.
    if (const auto *inner = dyn_cast<ForStmt>(statement);
        inner != nullptr && enters && enters(inner) &&
        BlockEvaluates(inner->getBody(), mentions, enters, throws_caught)) {
      return true;
    }
    if (const auto *attempt = dyn_cast<CXXTryStmt>(statement);
        attempt != nullptr && TryEvaluates(attempt, mentions, enters)) {
      return true;
    }
    if (MayLeave(statement, throws_caught)) return false;
  }
  return false;
}

// Whether a handler of `attempt` catches every throw written in `stmt`, its block.
// (What a callee throws either reaches a handler, or is `may-throw`, which keeps the
// loop sequential by itself.)
bool CatchesEveryThrowIn(const CXXTryStmt *attempt, const Stmt *stmt) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return true;
  if (const auto *thrown = dyn_cast<CXXThrowExpr>(stmt);
      thrown != nullptr && !CatchesThrow(attempt, thrown)) {
    return false;
  }
  for (const Stmt *child : stmt->children()) {
    if (!CatchesEveryThrowIn(attempt, child)) return false;
  }
  return true;
}

// A `try` evaluates a mention when its block does before anything may leave it, or,
// when it catches whatever its block throws, when every handler does and so does its
// block unless something throws, which leads to a handler.
bool TryEvaluates(const CXXTryStmt *attempt, const std::vector<const Expr *> &mentions,
                  llvm::function_ref<bool(const ForStmt *)> enters) {
  if (BlockEvaluates(attempt->getTryBlock(), mentions, enters)) return true;
  if (!CatchesEveryThrowIn(attempt, attempt->getTryBlock())) return false;
  for (unsigned i = 0; i < attempt->getNumHandlers(); ++i) {
    if (!BlockEvaluates(attempt->getHandler(i)->getHandlerBlock(), mentions, enters))
      return false;
  }
  return BlockEvaluates(attempt->getTryBlock(), mentions, enters, /*throws_caught=*/true);
}

// The range-for's element variable, when it is a reference: writes through it reach
// each element once.
const VarDecl *ElementReference(const Stmt *loop) {
  const auto *range = dyn_cast<CXXForRangeStmt>(loop);
  if (range == nullptr || !range->getLoopVariable()->getType()->isReferenceType()) {
    return nullptr;
  }
  return range->getLoopVariable();
}

struct CarriedWriteFinder {
  const Stmt *loop;
  const Stmt *body;
  const SourceManager &sources;
  const VarDecl *counter;
  const VarDecl *element;

  // Whether a write to `var` can carry a value to a later iteration.
  bool Carries(const VarDecl *var) const {
    if (var == nullptr || var->isImplicit() || var == element) return false;
    QualType type = var->getType();
    bool inside = DeclaredWithin(var, loop, sources);
    // A reference or pointer declared inside may still lead outside.
    if (inside && !type->isReferenceType() && !type->isPointerType()) return false;
    if (inside) return true;
    if (IsPrivateValue(var, body)) return false;
    int position = -1;
    return counter == nullptr || !OnlyOwnElements(body, var, counter, loop, position);
  }

  const VarDecl *Find(const Stmt *stmt) const {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return nullptr;
    const VarDecl *found = nullptr;
    ForEachWrite(stmt, [&](const Expr *target) {
      const VarDecl *var = BaseVariable(target);
      if (found == nullptr && Carries(var)) found = var;
    });
    if (found != nullptr) return found;
    for (const Stmt *child : stmt->children()) {
      if (const VarDecl *var = Find(child)) return var;
    }
    return nullptr;
  }
};

}  // namespace

const Expr *AddressTaken(const Stmt *stmt) {
  if (const auto *unary = dyn_cast<UnaryOperator>(stmt);
      unary != nullptr && unary->getOpcode() == UO_AddrOf) {
    return unary->getSubExpr();
  }
  if (const auto *cast = dyn_cast<ImplicitCastExpr>(stmt);
      cast != nullptr && cast->getCastKind() == CK_ArrayToPointerDecay) {
    return cast->getSubExpr();
  }
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee != nullptr && callee->isInStdNamespace() && callee->getIdentifier() &&
        callee->getName() == "addressof" && call->getNumArgs() == 1) {
      return call->getArg(0);
    }
  }
  return nullptr;
}

const VarDecl *SteppedByOne(const Expr *step, ASTContext &context) {
  if (step == nullptr) return nullptr;
  step = step->IgnoreParenImpCasts();
  if (const auto *unary = dyn_cast<UnaryOperator>(step)) {
    return unary->isIncrementOp() ? ReferencedVar(unary->getSubExpr()) : nullptr;
  }
  const auto *compound = dyn_cast<CompoundAssignOperator>(step);
  Expr::EvalResult amount;
  if (compound == nullptr || compound->getOpcode() != BO_AddAssign ||
      !compound->getRHS()->EvaluateAsInt(amount, context) || amount.Val.getInt() != 1) {
    return nullptr;
  }
  return ReferencedVar(compound->getLHS());
}

const Expr *CounterStart(const ForStmt *loop, const VarDecl *counter) {
  if (const auto *decl = dyn_cast_or_null<DeclStmt>(loop->getInit())) {
    return decl->isSingleDecl() && decl->getSingleDecl() == counter ? counter->getInit()
                                                                    : nullptr;
  }
  const auto *init = dyn_cast_or_null<Expr>(loop->getInit());
  const auto *assign =
      init != nullptr ? dyn_cast<BinaryOperator>(init->IgnoreImplicit()) : nullptr;
  return assign != nullptr && assign->getOpcode() == BO_Assign &&
                 ReferencedVar(assign->getLHS()) == counter
             ? assign->getRHS()
             : nullptr;
}

namespace {

// A step every iteration takes alike: a constant, or arithmetic on variables the
// loop never writes (`i += block_size`). Distinct iterations then see distinct
// counters, as with a constant step. Only plain variables: what a pointer, a
// reference or a member leads to may change behind the loop's back.
bool IsInvariantStep(const Expr *step, const VarDecl *counter, const Stmt *body) {
  const ASTContext &context = counter->getASTContext();
  if (step->isIntegerConstantExpr(context)) return true;
  if (!step->getType()->isIntegerType()) return false;
  bool invariant = true;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr || !invariant) return;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      const auto *var = dyn_cast<VarDecl>(ref->getDecl());
      invariant = var == nullptr
                      ? isa<EnumConstantDecl>(ref->getDecl())
                      : var != counter && !var->getType()->isReferenceType() &&
                            !var->getType().isVolatileQualified() && !Writes(body, var);
    } else if (!isa<ImplicitCastExpr, ParenExpr, BinaryOperator, IntegerLiteral>(stmt) ||
               (isa<BinaryOperator>(stmt) &&
                cast<BinaryOperator>(stmt)->isAssignmentOp())) {
      invariant = false;
    }
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(step);
  return invariant;
}

// Whether the body of `loop` may change `counter`: by name, or through a pointer or
// reference rayify cannot follow (`iN[i] = i - 1` with `iN` assigned a block earlier).
// Such a write cannot reach a counter the loop declares itself when nothing in the
// loop reaches it other than by name (its address, a reference, a lambda); one
// declared before the loop may have been let out anywhere.
bool BodyMayWriteCounter(const ForStmt *loop, const VarDecl *counter) {
  bool by_name = false;
  bool unknown = false;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr) return;
    ForEachWrite(stmt, [&](const Expr *target) {
      WriteTarget resolved = ResolveWriteTarget(target);
      by_name =
          by_name || (resolved.kind == WriteTarget::kVariable && resolved.var == counter);
      unknown = unknown || resolved.kind == WriteTarget::kUnknown;
    });
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(loop->getBody());
  if (by_name || !unknown) return by_name;
  const auto *init = dyn_cast_or_null<DeclStmt>(loop->getInit());
  bool own = init != nullptr && init->isSingleDecl() && init->getSingleDecl() == counter;
  return !own || ReachedOtherThanByName(loop, counter, counter->getASTContext());
}

}  // namespace

const VarDecl *LoopCounter(const Stmt *loop) {
  const auto *for_stmt = dyn_cast<ForStmt>(loop);
  if (for_stmt == nullptr || for_stmt->getInc() == nullptr) return nullptr;
  const VarDecl *counter = nullptr;
  if (const auto *decl = dyn_cast_or_null<DeclStmt>(for_stmt->getInit())) {
    if (decl->isSingleDecl()) counter = dyn_cast<VarDecl>(decl->getSingleDecl());
  } else if (const auto *init = dyn_cast_or_null<Expr>(for_stmt->getInit())) {
    const auto *assign = dyn_cast<BinaryOperator>(init->IgnoreImplicit());
    if (assign != nullptr && assign->getOpcode() == BO_Assign) {
      counter = ReferencedVar(assign->getLHS());
    }
  }
  if (counter == nullptr || !counter->getType()->isIntegerType()) return nullptr;
  const Expr *inc = for_stmt->getInc()->IgnoreImplicit();
  const auto *unary = dyn_cast<UnaryOperator>(inc);
  const auto *compound = dyn_cast<CompoundAssignOperator>(inc);
  bool steps =
      (unary != nullptr && unary->isIncrementDecrementOp() &&
       ReferencedVar(unary->getSubExpr()) == counter) ||
      (compound != nullptr &&
       (compound->getOpcode() == BO_AddAssign || compound->getOpcode() == BO_SubAssign) &&
       ReferencedVar(compound->getLHS()) == counter &&
       IsInvariantStep(compound->getRHS(), counter, for_stmt->getBody()));
  if (!steps || BodyMayWriteCounter(for_stmt, counter)) return nullptr;
  return counter;
}

int OwnSlicePosition(const Stmt *loop, const VarDecl *var) {
  const VarDecl *counter = LoopCounter(loop);
  int position = -1;
  if (counter == nullptr ||
      !OnlyOwnElements(LoopBody(loop), var, counter, loop, position))
    return -1;
  return position;
}

std::vector<const Expr *> OwnElementMentions(const Stmt *loop, const VarDecl *var,
                                             const VarDecl *counter,
                                             std::vector<const Expr *> &sizes) {
  std::vector<const Expr *> found;
  sizes.clear();
  if (counter == nullptr ||
      !CollectOwnElements(LoopBody(loop), var, counter, loop, found, &sizes)) {
    found.clear();
    sizes.clear();
  }
  return found;
}

bool EveryIterationEvaluates(const Stmt *loop, const std::vector<const Expr *> &mentions,
                             llvm::function_ref<bool(const ForStmt *)> enters) {
  return BlockEvaluates(LoopBody(loop), mentions, enters);
}

const VarDecl *FirstCarriedWrite(const Stmt *loop, const SourceManager &sources) {
  const Stmt *body = LoopBody(loop);
  CarriedWriteFinder finder{loop, body, sources, LoopCounter(loop),
                            ElementReference(loop)};
  return finder.Find(body);
}

}  // namespace rayify
