#include "analysis/BlockRows.h"

#include <clang/AST/ExprCXX.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <map>

#include "analysis/CarriedWrites.h"
#include "analysis/LoopSafety.h"
#include "analysis/PrivateValues.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// How many times `stmt` writes `var` by name (following references and pointers to
// it, as ResolveWriteTarget does).
int WritesOf(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return 0;
  int count = 0;
  ForEachWrite(stmt, [&](const Expr *target) {
    WriteTarget resolved = ResolveWriteTarget(target);
    if (resolved.kind == WriteTarget::kVariable && resolved.var == var) ++count;
  });
  for (const Stmt *child : stmt->children()) count += WritesOf(child, var);
  return count;
}

// A local integer that only its name reaches (no address, reference or lambda
// capture anywhere in its function), so that only the writes that name it change it.
bool OnlyReachedByName(const VarDecl *var, ASTContext &context) {
  if (var == nullptr || !var->hasLocalStorage() || var->isStaticLocal() ||
      !var->getType()->isIntegerType() || var->getType()->isReferenceType() ||
      var->getType().isVolatileQualified()) {
    return false;
  }
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  return function != nullptr && function->hasBody() &&
         !ReachedOtherThanByName(function->getBody(), var, context);
}

class RowChecker {
 public:
  RowChecker(const Stmt *loop, const VarDecl *var, const VarDecl *counter,
             ASTContext &context)
      : loop_(loop),
        body_(LoopBody(loop)),
        var_(var),
        counter_(counter),
        context_(context) {}

  std::optional<RowMentions> Check(std::string *why) {
    if (counter_ == nullptr || body_ == nullptr) {
      Fail("the loop has no counter a row could be numbered by");
    } else {
      Visit(body_);
    }
    if (failure_.empty() && rows_.mentions.empty())
      Fail("the loop does not mention '" + var_->getNameAsString() + "'");
    if (!failure_.empty()) {
      if (why != nullptr) *why = failure_;
      return std::nullopt;
    }
    rows_.walks = walks_;
    return rows_;
  }

 private:
  void Fail(const std::string &what) {
    if (failure_.empty()) failure_ = what;
  }

  void Visit(const Stmt *stmt) {
    if (stmt == nullptr || !failure_.empty()) return;
    if (const Expr *pointed = AddressTaken(stmt);
        pointed != nullptr && Mentions(pointed, var_)) {
      Fail("the loop takes the address of part of '" + var_->getNameAsString() + "'");
      return;
    }
    const Expr *container = nullptr;
    const Expr *index = nullptr;
    if (const auto *expr = dyn_cast<Expr>(stmt); expr != nullptr &&
                                                 MatchSubscript(expr, container, index) &&
                                                 ReferencedVar(container) == var_) {
      if (expr->getBeginLoc().isMacroID() || expr->getEndLoc().isMacroID()) {
        Fail("an element of '" + var_->getNameAsString() + "' is written by a macro");
      } else if (!InOwnRow(index)) {
        Fail("'" + var_->getNameAsString() + "[" + Text(index) +
             "]' is not shown to lie in the iteration's own row (`i * w + j`, or a "
             "local set to it just before, with `j` counting by one from 0 or more "
             "while `j < w`)");
      } else {
        rows_.mentions.push_back(expr->IgnoreParenImpCasts());
      }
      return;
    }
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt); ref && ref->getDecl() == var_) {
      Fail("the loop uses '" + var_->getNameAsString() + "' other than by its elements");
      return;
    }
    path_.push_back(stmt);
    for (const Stmt *child : stmt->children()) Visit(child);
    path_.pop_back();
  }

  // OnlyReachedByName, which walks the whole function, once per variable: every
  // subscript asks it again of the same index and width.
  bool ReachedByNameOnly(const VarDecl *var) const {
    auto known = reached_by_name_.find(var);
    if (known != reached_by_name_.end()) return known->second;
    return reached_by_name_[var] = OnlyReachedByName(var, context_);
  }

  std::string Text(const Expr *expr) const {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(expr->getSourceRange()),
                                context_.getSourceManager(), context_.getLangOpts())
        .str();
  }

  // `index` is `i * w + j + d`, where one positive term may be a local set to part
  // of that sum before the subscript (`k` or `k - 1` after `k = i * w + j;`).
  bool InOwnRow(const Expr *index) {
    using Terms = std::vector<std::pair<const Expr *, bool>>;
    Terms terms, expanded;
    if (!SplitTerms(index, false, terms)) return false;
    size_t scope = path_.size();
    bool substituted = false;
    for (const auto &[term, negative] : terms) {
      const VarDecl *named = negative || substituted ? nullptr : ReferencedVar(term);
      size_t at = 0;
      const Expr *value = named != nullptr ? DefinitionBefore(named, at) : nullptr;
      if (value == nullptr) {
        expanded.emplace_back(term, negative);
        continue;
      }
      // What holds where the local was set holds here, later in the same block.
      substituted = true;
      scope = at;
      if (!SplitTerms(value, false, expanded)) return false;
    }
    return RowSum(expanded, scope);
  }

  // The value `var` is given by the one statement of the body that sets it, when that
  // statement stands in a block on the path to the mention and before it; `scope` is
  // then that block's place on the path, where the value holds.
  const Expr *DefinitionBefore(const VarDecl *var, size_t &scope) const {
    if (var == counter_ || !ReachedByNameOnly(var)) return nullptr;
    const SourceManager &sources = context_.getSourceManager();
    bool inside = DeclaredWithin(var, body_, sources);
    int writes = WritesOf(body_, var);
    if (inside ? writes != 0 || var->getInit() == nullptr : writes != 1) return nullptr;
    for (size_t at = path_.size(); at-- > 0;) {
      const auto *block = dyn_cast<CompoundStmt>(path_[at]);
      if (block == nullptr) continue;
      const Stmt *toward = at + 1 < path_.size() ? path_[at + 1] : nullptr;
      const Expr *value = nullptr;
      for (const Stmt *stmt : block->body()) {
        // A label between the two lets a jump reach the mention past the statement.
        if (value != nullptr && isa<SwitchCase, LabelStmt>(stmt)) return nullptr;
        if (stmt == toward) break;
        if (value == nullptr) value = SetBy(stmt, var, inside);
      }
      if (value != nullptr) {
        scope = at + 1;
        return value;
      }
    }
    return nullptr;
  }

  // What `stmt` sets `var` to: `T var = value;` or `var = value;`.
  static const Expr *SetBy(const Stmt *stmt, const VarDecl *var, bool declared) {
    if (declared) {
      const auto *decl = dyn_cast<DeclStmt>(stmt);
      if (decl == nullptr) return nullptr;
      for (const Decl *each : decl->decls()) {
        if (each == var) return var->getInit();
      }
      return nullptr;
    }
    const auto *assign = dyn_cast<BinaryOperator>(stmt);
    if (assign == nullptr || assign->getOpcode() != BO_Assign ||
        ReferencedVar(assign->getLHS()) != var)
      return nullptr;
    return assign->getRHS();
  }

  // `expr` without parentheses and implicit conversions, or null when one of those
  // narrows an integer (`short k = i * w + j;` wraps what the sum says).
  const Expr *Bare(const Expr *expr) const {
    while (true) {
      expr = expr->IgnoreParens();
      const auto *cast = dyn_cast<ImplicitCastExpr>(expr);
      if (cast == nullptr) return expr;
      QualType to = cast->getType(), from = cast->getSubExpr()->getType();
      if (to->isIntegerType() && from->isIntegerType() &&
          context_.getIntWidth(to) < context_.getIntWidth(from))
        return nullptr;
      expr = cast->getSubExpr();
    }
  }

  // The terms of a sum, each with its sign: `c + w * r - 1` is +c, +(w * r), -1.
  bool SplitTerms(const Expr *expr, bool negative,
                  std::vector<std::pair<const Expr *, bool>> &terms) const {
    expr = Bare(expr);
    if (expr == nullptr) return false;
    const auto *binary = dyn_cast<BinaryOperator>(expr);
    if (binary != nullptr &&
        (binary->getOpcode() == BO_Add || binary->getOpcode() == BO_Sub)) {
      return SplitTerms(binary->getLHS(), negative, terms) &&
             SplitTerms(binary->getRHS(),
                        binary->getOpcode() == BO_Sub ? !negative : negative, terms);
    }
    terms.emplace_back(expr, negative);
    return terms.size() <= 8;
  }

  // The terms of `i * w + j + d`, in any order, with `j` the counter of a loop among
  // the first `scope` entries of the path that keeps it in [0, w), and `d` a
  // constant of at most 0 that keeps `j + d` at 0 or more: the element lies in row i.
  bool RowSum(const std::vector<std::pair<const Expr *, bool>> &terms, size_t scope) {
    const Expr *width = nullptr;
    const Expr *step = nullptr;
    llvm::APSInt shift(64, false);
    for (const auto &[term, negative] : terms) {
      Expr::EvalResult value;
      if (!term->isValueDependent() && term->EvaluateAsInt(value, context_)) {
        llvm::APSInt constant = value.Val.getInt().extOrTrunc(64);
        constant.setIsSigned(true);
        shift = negative ? shift - constant : shift + constant;
      } else if (const Expr *start = RowStart(term); start && !negative && !width) {
        width = start;
      } else if (ReferencedVar(term) != nullptr && !negative && step == nullptr) {
        step = term;
      } else {
        return false;
      }
    }
    return width != nullptr && step != nullptr && !shift.isStrictlyPositive() &&
           WithinWidth(step, width, scope, shift.getSExtValue()) && SameWidth(width);
  }

  // `w` of `i * w` or `w * i`, with w a width (IsWidth).
  const Expr *RowStart(const Expr *product) const {
    const auto *mul = dyn_cast<BinaryOperator>(product);
    if (mul == nullptr || mul->getOpcode() != BO_Mul) return nullptr;
    const Expr *left = Bare(mul->getLHS());
    const Expr *right = Bare(mul->getRHS());
    if (left == nullptr || right == nullptr) return nullptr;
    if (ReferencedVar(left) == counter_ && IsWidth(right)) return right;
    if (ReferencedVar(right) == counter_ && IsWidth(left)) return left;
    return nullptr;
  }

  // A positive integer constant, or a local integer declared before the loop that the
  // loop never sets and only its name reaches.
  bool IsWidth(const Expr *width) const {
    Expr::EvalResult value;
    if (!width->isValueDependent() && width->EvaluateAsInt(value, context_))
      return value.Val.getInt().isStrictlyPositive();
    const VarDecl *var = ReferencedVar(width);
    return var != nullptr && var != counter_ && ReachedByNameOnly(var) &&
           !DeclaredWithin(var, loop_, context_.getSourceManager()) &&
           WritesOf(loop_, var) == 0;
  }

  // Whether `a` and `b` are the same width: one variable, or equal constants.
  bool Same(const Expr *a, const Expr *b) const {
    const VarDecl *first = ReferencedVar(a);
    if (first != nullptr || ReferencedVar(b) != nullptr) return first == ReferencedVar(b);
    Expr::EvalResult x, y;
    return a->EvaluateAsInt(x, context_) && b->EvaluateAsInt(y, context_) &&
           llvm::APSInt::isSameValue(x.Val.getInt(), y.Val.getInt());
  }

  // Every mention has the width of the first.
  bool SameWidth(const Expr *width) {
    if (rows_.width == nullptr) rows_.width = width;
    return Same(rows_.width, width);
  }

  // `j`, the counter of a loop on the path (before `scope`) whose body holds the
  // mention, running from a constant of at least `-shift` by steps of one while
  // `j < w`.
  bool WithinWidth(const Expr *offset, const Expr *width, size_t scope, int64_t shift) {
    // A narrower counter may wrap before it reaches `w` (a `char` past 127).
    const VarDecl *inner = ReferencedVar(offset);
    if (inner == nullptr || inner == counter_ ||
        context_.getIntWidth(inner->getType()) < context_.getIntWidth(context_.IntTy))
      return false;
    for (size_t at = 0; at + 1 < scope && at + 1 < path_.size(); ++at) {
      const auto *loop = dyn_cast<ForStmt>(path_[at]);
      if (loop == nullptr || path_[at + 1] != loop->getBody() ||
          LoopCounter(loop) != inner || SteppedByOne(loop->getInc(), context_) != inner)
        continue;
      const auto *cond = dyn_cast_or_null<BinaryOperator>(
          loop->getCond() ? loop->getCond()->IgnoreParenImpCasts() : nullptr);
      const Expr *start = CounterStart(loop, inner);
      Expr::EvalResult first;
      if (cond == nullptr || cond->getOpcode() != BO_LT ||
          ReferencedVar(cond->getLHS()) != inner ||
          !Same(cond->getRHS()->IgnoreParenImpCasts(), width) || start == nullptr ||
          start->isValueDependent() || !start->EvaluateAsInt(first, context_) ||
          first.Val.getInt().getSignificantBits() > 62 ||
          first.Val.getInt().getSExtValue() + shift < 0)
        return false;
      if (std::find(walks_.begin(), walks_.end(), loop) == walks_.end())
        walks_.push_back(loop);
      return true;
    }
    return false;
  }

  const Stmt *loop_;
  const Stmt *body_;
  const VarDecl *var_;
  const VarDecl *counter_;
  ASTContext &context_;
  std::vector<const Stmt *> path_;  // from the body down to the statement visited
  RowMentions rows_;
  std::vector<const ForStmt *> walks_;  // found by WithinWidth, kept when it holds
  mutable std::map<const VarDecl *, bool> reached_by_name_;
  std::string failure_;
};

}  // namespace

std::optional<RowMentions> OwnRowMentions(const Stmt *loop, const VarDecl *var,
                                          const VarDecl *counter, ASTContext &context,
                                          std::string *why) {
  return RowChecker(loop, var, counter, context).Check(why);
}

}  // namespace rayify
