#include "conversions/OverlappedLoops.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <functional>

#include "analysis/LoopSafety.h"
#include "analysis/Writes.h"

namespace rayify {

using namespace clang;

namespace {

bool IsNameOf(const Stmt *stmt, const VarDecl *var) {
  const auto *ref = dyn_cast<DeclRefExpr>(stmt);
  return ref != nullptr && ref->getDecl() == var;
}

int CountNames(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return 0;
  int count = IsNameOf(stmt, var) ? 1 : 0;
  for (const Stmt *child : stmt->children()) count += CountNames(child, var);
  return count;
}

bool LetsOutAnywhere(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  if (LetsOut(stmt, var, /*any_reference=*/true)) return true;
  for (const Stmt *child : stmt->children())
    if (LetsOutAnywhere(child, var)) return true;
  return false;
}

// Whether anything in `stmt` names `var` (or a local alias of it), or lets it out
// under another name.
bool NamesOrLetsOut(const Stmt *stmt, const VarDecl *var) {
  return Mentions(stmt, var) || LetsOutAnywhere(stmt, var);
}

// Whether a statement of `var`'s function that begins before `loop` ends, other than
// `skipped`, takes its address or binds a reference to it: a pointer or reference
// taken later sees the results stored.
bool LetOutBefore(const VarDecl *var, const Stmt *loop, const Stmt *skipped,
                  const SourceManager &sources) {
  const auto *function = dyn_cast<FunctionDecl>(var->getDeclContext());
  if (function == nullptr) return true;
  bool let_out = false;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr || stmt == skipped || let_out ||
        sources.isBeforeInTranslationUnit(loop->getEndLoc(), stmt->getBeginLoc()))
      return;
    let_out = LetsOut(stmt, var, /*any_reference=*/true);
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(function->getBody());
  return let_out;
}

// Whether a statement of `var`'s function that begins after `loop` names it.
bool NamedAfter(const VarDecl *var, const Stmt *loop, const SourceManager &sources) {
  const auto *function = dyn_cast<FunctionDecl>(var->getDeclContext());
  if (function == nullptr) return true;
  std::function<bool(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr) return false;
    if (sources.isBeforeInTranslationUnit(loop->getEndLoc(), stmt->getBeginLoc()))
      return NamesOrLetsOut(stmt, var);
    for (const Stmt *child : stmt->children())
      if (visit(child)) return true;
    return false;
  };
  return visit(function->getBody());
}

// The statements of `block` strictly between `first` and `last`; none when `first`
// does not come before `last` in it.
std::optional<std::vector<const Stmt *>> Between(const CompoundStmt *block,
                                                 const Stmt *first, const Stmt *last) {
  std::vector<const Stmt *> between;
  bool after_first = false;
  for (const Stmt *stmt : block->body()) {
    if (stmt == last) {
      if (after_first) return between;
      return std::nullopt;
    }
    if (after_first) between.push_back(stmt);
    after_first |= stmt == first;
  }
  return std::nullopt;
}

// A declaration of locals that does nothing a task's failure could be seen to come
// after: no initializer, one without side effects, or a default-constructed standard
// library object (`std::vector<double> var99;`).
bool IsInertDeclaration(const Stmt *stmt, ASTContext &context) {
  const auto *declaration = dyn_cast<DeclStmt>(stmt);
  if (declaration == nullptr) return isa<NullStmt>(stmt);
  for (const Decl *decl : declaration->decls()) {
    const auto *var = dyn_cast<VarDecl>(decl);
    if (var == nullptr || !var->hasLocalStorage()) return false;
    const Expr *init = var->getInit();
    if (init == nullptr || !init->HasSideEffects(context)) continue;
    const auto *construct = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit());
    const CXXRecordDecl *record = var->getType()->getAsCXXRecordDecl();
    if (construct == nullptr || construct->getNumArgs() != 0 || record == nullptr ||
        !record->isInStdNamespace())
      return false;
  }
  return true;
}

// Whether `loop` may submit its tasks before the gathers of `chain` store the earlier
// loops' results: only inert declarations stand between them, nothing the loop
// evaluates on the driver, its arguments and its condition or range, has side effects
// (which would otherwise run before a failed task's error is reported), and no target of
// the chain is named by the loop (but for the range `fed_from` it walks), by what stands
// between, or under another name.
bool MayOverlap(const std::vector<PendingGather> &chain, const Stmt *loop,
                const TaskShape &shape, const Stmt *parent, const VarDecl *fed_from,
                ASTContext &context) {
  const auto *block = dyn_cast<CompoundStmt>(parent);
  if (block == nullptr) return false;
  std::optional<std::vector<const Stmt *>> between =
      Between(block, chain.back().loop, loop);
  if (!between) return false;
  for (const Stmt *stmt : *between)
    if (!IsInertDeclaration(stmt, context)) return false;
  for (const Expr *arg : shape.call->arguments())
    if (arg->HasSideEffects(context)) return false;
  if (const auto *for_loop = dyn_cast<ForStmt>(loop);
      for_loop != nullptr && for_loop->getCond() != nullptr &&
      for_loop->getCond()->HasSideEffects(context))
    return false;
  if (const auto *range_for = dyn_cast<CXXForRangeStmt>(loop);
      range_for != nullptr && range_for->getRangeInit()->HasSideEffects(context))
    return false;
  const SourceManager &sources = context.getSourceManager();
  for (const PendingGather &pending : chain) {
    if (!pending.target->hasLocalStorage()) return false;
    const Stmt *range = nullptr;
    if (pending.target == fed_from) {
      const auto *range_for = cast<CXXForRangeStmt>(loop);
      range = range_for->getRangeStmt();
      // By its own name: the loop variable, an alias of the elements, goes whole to
      // the task (PassesElementWhole), which is what taking the refs replaces.
      const Stmt *body = range_for->getBody();
      if (CountNames(body, fed_from) > 0 || LetsOutAnywhere(body, fed_from)) return false;
    } else if (NamesOrLetsOut(loop, pending.target)) {
      return false;
    }
    for (const Stmt *stmt : *between)
      if (NamesOrLetsOut(stmt, pending.target)) return false;
    if (LetOutBefore(pending.target, loop, range, sources)) return false;
  }
  return true;
}

// The edit that inserted `pending`, in the decision that made it.
Edit *InsertionOf(const PendingGather &pending, TranslationUnit &unit) {
  for (auto finding = unit.findings.rbegin(); finding != unit.findings.rend();
       ++finding) {
    for (Edit &edit : finding->fix) {
      if (edit.length == 0 && edit.offset == pending.offset &&
          edit.text == pending.text && edit.file == unit.edits.Main().Path())
        return &edit;
    }
  }
  return nullptr;
}

// Takes back the insertions of every gather of `chain`, or of none when one is not
// where it was put.
bool WithdrawAll(const std::vector<PendingGather> &chain, TranslationUnit &unit) {
  std::vector<Edit *> insertions;
  for (const PendingGather &pending : chain) {
    insertions.push_back(InsertionOf(pending, unit));
    if (insertions.back() == nullptr) return false;
  }
  for (Edit *edit : insertions) edit->text.clear();
  return true;
}

// The element type of a standard sequence container that keeps what is appended in
// order (vector, deque, list).
std::optional<QualType> SequenceElement(QualType type) {
  const auto *record =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(type->getAsCXXRecordDecl());
  if (record == nullptr || !record->isInStdNamespace()) return std::nullopt;
  std::string name = record->getName().str();
  if (name != "vector" && name != "deque" && name != "list") return std::nullopt;
  return record->getTemplateArgs()[0].getAsType().getCanonicalType();
}

bool SameValueType(QualType a, QualType b) {
  return a.getNonReferenceType().getCanonicalType().getUnqualifiedType() ==
         b.getNonReferenceType().getCanonicalType().getUnqualifiedType();
}

// Whether `loop`, an append loop of `shape`, leaves its target holding exactly its
// tasks' results in order: the target is declared empty just above it in `parent`,
// nothing in between names it, and the loop names it only to append.
bool FillsFromEmpty(const Stmt *loop, const TaskShape &shape, const Stmt *parent) {
  const auto *block = dyn_cast<CompoundStmt>(parent);
  const VarDecl *target = shape.target;
  if (block == nullptr || shape.kind != ShapeKind::kAppend ||
      CountNames(loop, target) != 1)
    return false;
  std::optional<QualType> element = SequenceElement(target->getType());
  const FunctionDecl *callee = shape.call->getDirectCallee();
  if (!element || callee == nullptr || !SameValueType(*element, callee->getReturnType()))
    return false;
  for (const Stmt *stmt : block->body()) {
    const auto *declaration = dyn_cast<DeclStmt>(stmt);
    if (declaration == nullptr || !declaration->isSingleDecl() ||
        declaration->getSingleDecl() != target)
      continue;
    const auto *construct =
        target->getInit() == nullptr
            ? nullptr
            : dyn_cast<CXXConstructExpr>(target->getInit()->IgnoreImplicit());
    if (construct == nullptr || construct->getNumArgs() != 0) return false;
    std::optional<std::vector<const Stmt *>> between = Between(block, stmt, loop);
    if (!between) return false;
    for (const Stmt *middle : *between)
      if (NamesOrLetsOut(middle, target)) return false;
    return true;
  }
  return false;
}

// Whether the loop variable of `loop` goes whole, as it is, to the one task `shape`
// calls, and nowhere else.
bool PassesElementWhole(const CXXForRangeStmt *loop, const TaskShape &shape,
                        QualType element) {
  const VarDecl *var = loop->getLoopVariable();
  QualType type = var->getType();
  if ((type->isLValueReferenceType() && !type.getNonReferenceType().isConstQualified()) ||
      !SameValueType(type, element) || var->getBeginLoc().isMacroID() ||
      CountNames(loop->getBody(), var) != 1)
    return false;
  const FunctionDecl *callee = shape.call->getDirectCallee();
  for (unsigned i = 0; i < shape.call->getNumArgs() && i < callee->getNumParams(); ++i) {
    const Expr *arg = shape.call->getArg(i)->IgnoreImplicit();
    if (const auto *construct = dyn_cast<CXXConstructExpr>(arg);
        construct != nullptr && construct->getNumArgs() == 1)
      arg = construct->getArg(0)->IgnoreImplicit();
    const auto *ref = dyn_cast<DeclRefExpr>(arg->IgnoreParenImpCasts());
    if (ref != nullptr && ref->getDecl() == var)
      return SameValueType(callee->getParamDecl(i)->getType(), element);
  }
  return false;
}

}  // namespace

std::optional<PendingGather> FeedingLoop(const Stmt *loop, const TaskShape &shape,
                                         const Stmt *parent, TranslationUnit &unit) {
  const auto *range_for = dyn_cast<CXXForRangeStmt>(loop);
  if (range_for == nullptr) return std::nullopt;
  const auto *range =
      dyn_cast<DeclRefExpr>(range_for->getRangeInit()->IgnoreParenImpCasts());
  if (range == nullptr || range->getBeginLoc().isMacroID()) return std::nullopt;
  for (const PendingGather &pending : unit.pending_gathers[parent]) {
    if (pending.target != range->getDecl() || pending.refs.empty()) continue;
    std::optional<QualType> element = SequenceElement(pending.target->getType());
    if (element && PassesElementWhole(range_for, shape, *element)) return pending;
  }
  return std::nullopt;
}

bool OverlapEarlierGathers(const Stmt *loop, const TaskShape &shape, const Stmt *parent,
                           const LoopLayout &layout, const VarDecl *fed_from,
                           TranslationUnit &unit) {
  std::vector<PendingGather> &chain = unit.pending_gathers[parent];
  if (chain.empty()) return false;
  if (!MayOverlap(chain, loop, shape, parent, fed_from, unit.context)) {
    chain.clear();
    return false;
  }
  if (!WithdrawAll(chain, unit)) {
    chain.clear();
    return false;
  }
  FileEditor &edits = unit.edits.Main();
  const SourceManager &sources = unit.context.getSourceManager();
  std::vector<PendingGather> moved;
  for (PendingGather pending : chain) {
    // Results nothing reads any more need not come to the driver at all.
    if (pending.target == fed_from && !NamedAfter(fed_from, loop, sources)) continue;
    if (pending.text.find("// The results of the loop") == std::string::npos) {
      pending.text = "\n" + layout.indent + "// The results of the loop at line " +
                     std::to_string(edits.Line(pending.loop->getBeginLoc())) +
                     ", stored once the loops below it submitted\n" + layout.indent +
                     "// their tasks too, so that the tasks of all of them run at once." +
                     pending.text;
    }
    pending.offset = layout.loop_end;
    edits.Insert(pending.offset, pending.text);
    moved.push_back(std::move(pending));
  }
  chain = std::move(moved);
  return true;
}

void RecordGather(const Stmt *loop, const TaskShape &shape, const Stmt *parent,
                  unsigned offset, std::string text, const std::string &refs,
                  bool throttled, TranslationUnit &unit) {
  std::vector<PendingGather> &chain = unit.pending_gathers[parent];
  // A throttled loop already has tasks in flight up to its window: no more on top.
  if (throttled) {
    chain.clear();
    return;
  }
  chain.push_back({loop, offset, std::move(text), shape.target,
                   FillsFromEmpty(loop, shape, parent) ? refs : ""});
}

}  // namespace rayify
