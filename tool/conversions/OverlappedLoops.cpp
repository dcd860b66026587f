#include "conversions/OverlappedLoops.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>

#include <functional>

#include "analysis/LoopSafety.h"
#include "analysis/Writes.h"

namespace rayify {

using namespace clang;

namespace {

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

// Whether a statement of `var`'s function that begins before `loop` ends takes its
// address or binds a reference to it: a pointer or reference taken later sees the
// results stored.
bool LetOutBefore(const VarDecl *var, const Stmt *loop, const SourceManager &sources) {
  const auto *function = dyn_cast<FunctionDecl>(var->getDeclContext());
  if (function == nullptr) return true;
  bool let_out = false;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr || let_out ||
        sources.isBeforeInTranslationUnit(loop->getEndLoc(), stmt->getBeginLoc()))
      return;
    let_out = LetsOut(stmt, var, /*any_reference=*/true);
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(function->getBody());
  return let_out;
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
// the chain is named by the loop, by what stands between, or under another name.
bool MayOverlap(const std::vector<PendingGather> &chain, const Stmt *loop,
                const TaskShape &shape, const Stmt *parent, ASTContext &context) {
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
    if (!pending.target->hasLocalStorage() || NamesOrLetsOut(loop, pending.target))
      return false;
    for (const Stmt *stmt : *between)
      if (NamesOrLetsOut(stmt, pending.target)) return false;
    if (LetOutBefore(pending.target, loop, sources)) return false;
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

}  // namespace

void OverlapEarlierGathers(const Stmt *loop, const TaskShape &shape, const Stmt *parent,
                           const LoopLayout &layout, TranslationUnit &unit) {
  std::vector<PendingGather> &chain = unit.pending_gathers[parent];
  if (chain.empty()) return;
  if (!MayOverlap(chain, loop, shape, parent, unit.context) ||
      !WithdrawAll(chain, unit)) {
    chain.clear();
    return;
  }
  FileEditor &edits = unit.edits.Main();
  for (PendingGather &pending : chain) {
    if (pending.text.find("// The results of the loop") == std::string::npos) {
      pending.text = "\n" + layout.indent + "// The results of the loop at line " +
                     std::to_string(edits.Line(pending.loop->getBeginLoc())) +
                     ", stored once the loops below it submitted\n" + layout.indent +
                     "// their tasks too, so that the tasks of all of them run at once." +
                     pending.text;
    }
    pending.offset = layout.loop_end;
    edits.Insert(pending.offset, pending.text);
  }
}

void RecordGather(const Stmt *loop, const TaskShape &shape, const Stmt *parent,
                  unsigned offset, std::string text, bool throttled,
                  TranslationUnit &unit) {
  std::vector<PendingGather> &chain = unit.pending_gathers[parent];
  // A throttled loop already has tasks in flight up to its window: no more on top.
  if (throttled) {
    chain.clear();
    return;
  }
  chain.push_back({loop, offset, std::move(text), shape.target});
}

}  // namespace rayify
