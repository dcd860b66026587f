#include "analysis/CopiedScratch.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "analysis/CarriedWrites.h"
#include "analysis/IndexRanges.h"
#include "analysis/IterationEffects.h"
#include "analysis/LoopSafety.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// Element combinations beyond this many are not enumerated to check a row's fill.
constexpr unsigned long long kLargestRow = 1 << 16;

std::vector<unsigned long long> Extents(QualType array) {
  std::vector<unsigned long long> extents;
  QualType type = array.getCanonicalType();
  while (const auto *constant = dyn_cast<ConstantArrayType>(type.getTypePtr())) {
    extents.push_back(constant->getSize().getZExtValue());
    type = constant->getElementType();
  }
  return extents;
}

// The subscripts of `expr` when it is an element of `var` (`var[a][b]`, as many as
// `depth`), outermost first; empty otherwise.
std::vector<const Expr *> ElementIndices(const Expr *expr, const VarDecl *var,
                                         size_t depth) {
  std::vector<const Expr *> indices;
  const Expr *at = expr->IgnoreParens();
  while (const auto *subscript = dyn_cast<ArraySubscriptExpr>(at)) {
    indices.push_back(subscript->getIdx());
    at = subscript->getBase()->IgnoreParenImpCasts();
  }
  const auto *ref = dyn_cast<DeclRefExpr>(at);
  if (ref == nullptr || ref->getDecl() != var || indices.size() != depth) return {};
  std::reverse(indices.begin(), indices.end());
  return indices;
}

// Whether every mention of `var` under `root` is a whole element that is read,
// assigned or stepped (ElementIndices): nothing else could hand out its address.
class WholeElementsOnly : public RecursiveASTVisitor<WholeElementsOnly> {
 public:
  WholeElementsOnly(const VarDecl *var, size_t depth, ASTContext &context)
      : var_(var), depth_(depth), context_(context) {}

  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (ref->getDecl() == var_ && !WholeElement(ref)) ok_ = false;
    return ok_;
  }
  bool ok() const { return ok_; }

 private:
  const Expr *Parent(const Expr *expr) const {
    DynTypedNodeList parents = context_.getParents(*expr);
    return parents.size() == 1 ? parents[0].get<Expr>() : nullptr;
  }

  bool WholeElement(const Expr *ref) const {
    const Expr *at = ref;
    size_t depth = 0;
    while (depth < depth_) {
      const Expr *parent = Parent(at);
      if (parent != nullptr && isa<ImplicitCastExpr, ParenExpr>(parent)) {
        at = parent;
        continue;
      }
      const auto *subscript = dyn_cast_or_null<ArraySubscriptExpr>(parent);
      if (subscript == nullptr || subscript->getBase() != at) return false;
      at = subscript;
      ++depth;
    }
    const Expr *use = Parent(at);
    while (use != nullptr && isa<ParenExpr>(use)) {
      at = use;
      use = Parent(at);
    }
    if (const auto *cast = dyn_cast_or_null<ImplicitCastExpr>(use))
      return cast->getCastKind() == CK_LValueToRValue;
    if (const auto *assign = dyn_cast_or_null<BinaryOperator>(use))
      return assign->isAssignmentOp() && assign->getLHS() == at;
    const auto *step = dyn_cast_or_null<UnaryOperator>(use);
    return step != nullptr && step->isIncrementDecrementOp();
  }

  const VarDecl *var_;
  size_t depth_;
  ASTContext &context_;
  bool ok_ = true;
};

class CopiedScratchCheck {
 public:
  CopiedScratchCheck(const VarDecl *var, const ForStmt *loop,
                     const FunctionDecl *function, EffectAnalyzer &effects,
                     const GlobalMutations &mutations, ASTContext &context)
      : var_(var),
        loop_(loop),
        function_(function),
        effects_(effects),
        mutations_(mutations),
        context_(context) {}

  bool Check() {
    std::optional<QualType> array = SentArrayType(var_, mutations_);
    if (!array || var_->getType().isVolatileQualified() || var_->isStaticLocal() ||
        var_->getTLSKind() != VarDecl::TLS_None ||
        (var_->hasGlobalStorage() && var_->isExternallyVisible()) ||
        (var_->hasLocalStorage() && var_->getDeclContext() != function_)) {
      return false;
    }
    extents_ = Extents(*array);
    if (extents_.empty() || HasJump(loop_->getBody()) || !OnlyWholeElements() ||
        CalleesMayName()) {
      return false;
    }
    CounterRanges counters = InvariantGlobals();
    return Refills(loop_->getBody(), counters);
  }

 private:
  bool OnlyWholeElements() {
    WholeElementsOnly visitor(var_, extents_.size(), context_);
    if (var_->hasGlobalStorage()) {
      visitor.TraverseDecl(context_.getTranslationUnitDecl());
    } else {
      visitor.TraverseStmt(const_cast<Stmt *>(function_->getBody()));
    }
    return visitor.ok();
  }

  // Whether a function the loop calls might read or write a global `var`: it names
  // it (its effects say so), or the call's target is unknown.
  bool CalleesMayName() {
    if (!var_->hasGlobalStorage()) return false;  // only by name, and no callee sees it
    const VarDecl *canonical = var_->getCanonicalDecl();
    bool may = false;
    auto check = [&](const FunctionDecl *callee) {
      if (callee == nullptr) {
        may = true;
        return;
      }
      Effects effects = effects_.OfFunction(callee);
      may = may || effects.globals_read.count(canonical) != 0 ||
            effects.globals_written.count(canonical) != 0 || !effects.unseen.empty();
    };
    VisitCalls(loop_, check);
    return may;
  }

  template <typename F>
  static void VisitCalls(const Stmt *stmt, F &check) {
    if (stmt == nullptr) return;
    if (const auto *call = dyn_cast<CallExpr>(stmt)) check(call->getDirectCallee());
    if (const auto *construct = dyn_cast<CXXConstructExpr>(stmt);
        construct != nullptr && !construct->getConstructor()->isTrivial()) {
      check(construct->getConstructor());
    }
    for (const Stmt *child : stmt->children()) VisitCalls(child, check);
  }

  // Integer globals the loop reads and nothing in it changes (itself, a callee): a
  // bound such as LU's `nx` is one value throughout, like a counter that stays put.
  CounterRanges InvariantGlobals() {
    CounterRanges invariants;
    Effects loop_effects = effects_.OfStmt(loop_);
    if (!loop_effects.unseen.empty() || !loop_effects.summary_globals_written.empty() ||
        !loop_effects.unshared_state.empty()) {
      return invariants;
    }
    std::set<const VarDecl *> seen;
    CollectInvariants(loop_, loop_effects, seen, invariants);
    return invariants;
  }

  void CollectInvariants(const Stmt *stmt, const Effects &loop_effects,
                         std::set<const VarDecl *> &seen, CounterRanges &invariants) {
    if (stmt == nullptr) return;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      const auto *global = dyn_cast<VarDecl>(ref->getDecl());
      if (global != nullptr && global->hasGlobalStorage() &&
          global->getType()->isIntegerType() &&
          !global->getType().isVolatileQualified() && seen.insert(global).second &&
          !Writes(loop_, global) &&
          loop_effects.globals_written.count(global->getCanonicalDecl()) == 0) {
        AffineBound value{global, 1, 0};
        invariants.emplace_back(global, IndexInterval{value, value});
      }
    }
    for (const Stmt *child : stmt->children())
      CollectInvariants(child, loop_effects, seen, invariants);
  }

  // The loop body's shape (IsCopiedScratch): its first statement naming `var` fills
  // it, or is a for loop of unchanging bounds whose body does, and is the last to
  // name it.
  bool Refills(const Stmt *body, CounterRanges &counters) {
    std::vector<const Stmt *> statements = BodyStatements(body);
    for (size_t k = 0; k < statements.size(); ++k) {
      const Stmt *stmt = statements[k];
      if (!Mentions(stmt, var_)) continue;
      if (std::optional<AffineBound> last_row = FilledRows(stmt, counters)) {
        for (size_t rest = k + 1; rest < statements.size(); ++rest) {
          if (!WritesWithin(statements[rest], *last_row, counters)) return false;
        }
        return true;
      }
      const auto *inner = dyn_cast<ForStmt>(stmt);
      std::optional<IndexInterval> range =
          inner != nullptr ? FixedRange(inner, counters) : std::nullopt;
      if (!range) return false;
      for (size_t rest = k + 1; rest < statements.size(); ++rest) {
        if (Mentions(statements[rest], var_)) return false;
      }
      counters.emplace_back(LoopCounter(inner), *range);
      bool refills = Refills(inner->getBody(), counters);
      counters.pop_back();
      return refills;
    }
    return false;
  }

  // The counter's range of a for loop that runs the same rounds in every iteration of
  // the loop: its header does not name `var`, and its bounds are one value each
  // (constants, invariant globals, parameters), not an enclosing counter's range.
  std::optional<IndexInterval> FixedRange(const ForStmt *inner,
                                          const CounterRanges &counters) {
    const Stmt *header[] = {inner->getInit(), inner->getCond(), inner->getInc()};
    for (const Stmt *part : header) {
      if (Mentions(part, var_)) return std::nullopt;
    }
    std::optional<IndexInterval> range = CounterRange(inner, counters, context_);
    if (!range) return std::nullopt;
    const auto *cond = cast<BinaryOperator>(inner->getCond()->IgnoreParenImpCasts());
    std::optional<IndexInterval> start =
        RangeOf(CounterStart(inner, LoopCounter(inner)), counters, context_);
    std::optional<IndexInterval> end = RangeOf(cond->getRHS(), counters, context_);
    if (!start || !end || !OneValue(*start) || !OneValue(*end) ||
        !SameInEveryIteration(start->low) || !SameInEveryIteration(end->high)) {
      return std::nullopt;
    }
    return range;
  }

  // A bound in a local of the loop body (`int n = 20 - k % 4;`) is one value within an
  // iteration but another in the next: rows one iteration fills, another may not.
  bool SameInEveryIteration(const AffineBound &bound) {
    return bound.symbol == nullptr ||
           !DeclaredWithin(bound.symbol, loop_, context_.getSourceManager());
  }

  // The last row `stmt` fills when it is `for (r = 0; r < n; r++) { ... }` storing
  // every element of row r (FillsRow) with `n` one value (FixedRange); nullopt
  // otherwise.
  std::optional<AffineBound> FilledRows(const Stmt *stmt, const CounterRanges &counters) {
    const auto *fill = dyn_cast<ForStmt>(stmt);
    std::optional<IndexInterval> rows =
        fill != nullptr ? FixedRange(fill, counters) : std::nullopt;
    if (!rows || rows->low.symbol != nullptr || rows->low.offset != 0 ||
        rows->high.scale < 0 || !FillsRow(fill->getBody(), LoopCounter(fill))) {
      return std::nullopt;
    }
    return rows->high;
  }

  // Whether `body` stores every element of row `row` of `var`, with statements naming
  // `var` only to store an element of that row a value that does not read `var`:
  // `var[row][2] = e;` or `for (m = 1; m < 5; m++) var[row][m] = e;`.
  bool FillsRow(const Stmt *body, const VarDecl *row) {
    unsigned long long size = 1;
    for (size_t d = 1; d < extents_.size(); ++d) {
      size *= extents_[d];
      if (size > kLargestRow) return false;
    }
    std::set<std::vector<unsigned long long>> stored;
    for (const Stmt *stmt : BodyStatements(body)) {
      if (!Mentions(stmt, var_)) continue;
      if (!StoresInRow(stmt, row, stored)) return false;
    }
    return stored.size() == size;
  }

  bool StoresInRow(const Stmt *stmt, const VarDecl *row,
                   std::set<std::vector<unsigned long long>> &stored) {
    const VarDecl *free_index = nullptr;
    IndexInterval free_range;  // the inner loop's rounds
    if (const auto *inner = dyn_cast<ForStmt>(stmt)) {
      std::optional<IndexInterval> range = CounterRange(inner, {}, context_);
      std::vector<const Stmt *> body = BodyStatements(inner->getBody());
      if (!range || body.size() != 1 || Mentions(inner->getInit(), var_) ||
          Mentions(inner->getCond(), var_) || Mentions(inner->getInc(), var_)) {
        return false;
      }
      free_index = LoopCounter(inner);
      free_range = *range;
      stmt = body.front();
    }
    const auto *expr = dyn_cast<Expr>(stmt);
    const auto *assign =
        expr != nullptr ? dyn_cast<BinaryOperator>(expr->IgnoreImplicit()) : nullptr;
    if (assign == nullptr || assign->getOpcode() != BO_Assign ||
        Mentions(assign->getRHS(), var_)) {
      return false;
    }
    std::vector<const Expr *> indices =
        ElementIndices(assign->getLHS(), var_, extents_.size());
    if (indices.empty() || ReferencedVar(indices[0]) != row) return false;
    std::vector<std::vector<unsigned long long>> tuples(1);
    for (size_t d = 1; d < indices.size(); ++d) {
      std::vector<unsigned long long> values;
      if (free_index != nullptr && ReferencedVar(indices[d]) == free_index) {
        // The inner loop's rounds: constants within the dimension.
        const IndexInterval &range = free_range;
        if (range.low.symbol != nullptr || range.high.symbol != nullptr ||
            range.low.offset < 0 ||
            range.high.offset >= static_cast<long long>(extents_[d])) {
          return false;
        }
        for (long long v = range.low.offset; v <= range.high.offset; ++v)
          values.push_back(static_cast<unsigned long long>(v));
        free_index = nullptr;  // one dimension per loop
      } else {
        std::optional<IndexInterval> at = RangeOf(indices[d], {}, context_);
        std::optional<AffineBound> value = at ? OneValue(*at) : std::nullopt;
        if (!value || value->symbol != nullptr || value->offset < 0 ||
            value->offset >= static_cast<long long>(extents_[d])) {
          return false;
        }
        values.push_back(static_cast<unsigned long long>(value->offset));
      }
      std::vector<std::vector<unsigned long long>> grown;
      for (const auto &tuple : tuples) {
        for (unsigned long long v : values) {
          grown.push_back(tuple);
          grown.back().push_back(v);
        }
      }
      tuples = std::move(grown);
    }
    if (free_index != nullptr) return false;  // the inner loop's counter went unused
    stored.insert(tuples.begin(), tuples.end());
    return true;
  }

  // Whether every write of `var` in `stmt` lands in a row from 0 to `last_row`
  // whatever the loops around it (in `stmt`) count; reads may go anywhere.
  bool WritesWithin(const Stmt *stmt, const AffineBound &last_row,
                    CounterRanges &counters) {
    if (stmt == nullptr || !Mentions(stmt, var_)) return true;
    if (isa<LambdaExpr>(stmt)) return false;
    if (const auto *inner = dyn_cast<ForStmt>(stmt)) {
      const Stmt *header[] = {inner->getInit(), inner->getCond(), inner->getInc()};
      for (const Stmt *part : header) {
        if (!WritesWithin(part, last_row, counters)) return false;
      }
      std::optional<IndexInterval> range = CounterRange(inner, counters, context_);
      if (range) counters.emplace_back(LoopCounter(inner), *range);
      bool within = WritesWithin(inner->getBody(), last_row, counters);
      if (range) counters.pop_back();
      return within;
    }
    bool within = true;
    ForEachWrite(stmt, [&](const Expr *element) {
      std::vector<const Expr *> indices = ElementIndices(element, var_, extents_.size());
      if (indices.empty()) return;
      // Below row 0 the program would index out of the array: only the last row
      // needs proving.
      std::optional<IndexInterval> rows = RangeOf(indices[0], counters, context_);
      within = within && rows && rows->high.symbol == last_row.symbol &&
               (rows->high.symbol == nullptr || rows->high.scale == last_row.scale) &&
               rows->high.offset <= last_row.offset;
    });
    if (!within) return false;
    for (const Stmt *child : stmt->children()) {
      if (!WritesWithin(child, last_row, counters)) return false;
    }
    return true;
  }

  const VarDecl *var_;
  const ForStmt *loop_;
  const FunctionDecl *function_;
  EffectAnalyzer &effects_;
  const GlobalMutations &mutations_;
  ASTContext &context_;
  std::vector<unsigned long long> extents_;
};

}  // namespace

bool IsCopiedScratch(const VarDecl *var, const ForStmt *loop,
                     const FunctionDecl *function, EffectAnalyzer &effects,
                     const GlobalMutations &mutations, ASTContext &context) {
  return CopiedScratchCheck(var, loop, function, effects, mutations, context).Check();
}

}  // namespace rayify
