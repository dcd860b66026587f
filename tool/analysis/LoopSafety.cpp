#include "analysis/LoopSafety.h"

#include "analysis/CarriedWrites.h"
#include "analysis/IterationEffects.h"
#include "analysis/ParameterWrites.h"
#include "analysis/PrivateValues.h"
#include "analysis/ReplayedCalls.h"
#include "analysis/Serializability.h"
#include "analysis/Writes.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <algorithm>

namespace rayify {
namespace {

using namespace clang;

// A break or continue binds to the innermost loop or switch; return, goto and throw
// leave the loop from anywhere, except a throw that a `try` around it in the body
// catches (`trying`: the tries whose blocks hold `stmt`; what a handler throws is
// outside its own try). Lambda bodies are separate functions.
std::string FindEarlyExit(const Stmt *stmt, bool inside_inner_breakable,
                          std::vector<const CXXTryStmt *> &trying) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return "";
  if (isa<BreakStmt>(stmt) && !inside_inner_breakable)
    return "'break' leaves the loop early";
  if (isa<ReturnStmt>(stmt)) return "'return' leaves the loop early";
  if (isa<GotoStmt>(stmt) || isa<IndirectGotoStmt>(stmt)) {
    return "'goto' may leave the loop early";
  }
  if (const auto *thrown = dyn_cast<CXXThrowExpr>(stmt)) {
    bool caught = std::any_of(
        trying.begin(), trying.end(),
        [&](const CXXTryStmt *around) { return CatchesThrow(around, thrown); });
    if (!caught) return "'throw' leaves the loop early";
  }
  bool inner = inside_inner_breakable || IsLoop(stmt) || isa<SwitchStmt>(stmt);
  if (const auto *attempt = dyn_cast<CXXTryStmt>(stmt)) {
    trying.push_back(attempt);
    std::string found = FindEarlyExit(attempt->getTryBlock(), inner, trying);
    trying.pop_back();
    for (unsigned i = 0; i < attempt->getNumHandlers() && found.empty(); ++i)
      found = FindEarlyExit(attempt->getHandler(i), inner, trying);
    return found;
  }
  for (const Stmt *child : stmt->children()) {
    std::string found = FindEarlyExit(child, inner, trying);
    if (!found.empty()) return found;
  }
  return "";
}

void CollectUserCalls(const Stmt *stmt, EffectAnalyzer &effects,
                      std::vector<const CallExpr *> &calls) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee != nullptr && !effects.IsLibraryFunction(callee)) calls.push_back(call);
  }
  for (const Stmt *child : stmt->children()) CollectUserCalls(child, effects, calls);
}

std::string CalleeName(const CallExpr *call) {
  return call->getDirectCallee()->getQualifiedNameAsString();
}

}  // namespace

const Expr *OnlyExpression(const Stmt *body) {
  if (const auto *block = dyn_cast_or_null<CompoundStmt>(body)) {
    if (block->size() != 1) return nullptr;
    body = block->body_front();
  }
  const auto *expression = dyn_cast_or_null<Expr>(body);
  return expression == nullptr ? nullptr : expression->IgnoreImplicit();
}

const Stmt *LoopBody(const Stmt *loop) {
  if (const auto *for_stmt = dyn_cast<ForStmt>(loop)) return for_stmt->getBody();
  if (const auto *range = dyn_cast<CXXForRangeStmt>(loop)) return range->getBody();
  if (const auto *while_stmt = dyn_cast<WhileStmt>(loop)) return while_stmt->getBody();
  if (const auto *do_stmt = dyn_cast<DoStmt>(loop)) return do_stmt->getBody();
  return nullptr;
}

std::vector<const Stmt *> BodyStatements(const Stmt *body) {
  if (const auto *block = dyn_cast<CompoundStmt>(body))
    return {block->body_begin(), block->body_end()};
  return {body};
}

bool HasJump(const Stmt *stmt) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
  if (isa<BreakStmt, ContinueStmt, ReturnStmt, GotoStmt, IndirectGotoStmt, CXXThrowExpr>(
          stmt)) {
    return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (HasJump(child)) return true;
  }
  return false;
}

LoopFacts CollectLoopFacts(const Stmt *loop, EffectAnalyzer &effects,
                           const GlobalMutations &mutations) {
  LoopFacts facts;
  facts.loop = loop;
  facts.body = LoopBody(loop);
  CollectUserCalls(facts.body, effects, facts.user_calls);
  facts.replayed = ReplayedCalls(loop, effects, mutations);
  return facts;
}

bool DeclaredWithin(const Decl *decl, const Stmt *stmt, const SourceManager &sources) {
  return LocatedWithin(decl->getLocation(), stmt, sources);
}

bool LocatedWithin(SourceLocation loc, const Stmt *stmt, const SourceManager &sources) {
  SourceRange range = stmt->getSourceRange();
  return !sources.isBeforeInTranslationUnit(loc, range.getBegin()) &&
         !sources.isBeforeInTranslationUnit(range.getEnd(), loc);
}

const VarDecl *FirstWrittenVariable(const Stmt *stmt,
                                    llvm::function_ref<bool(const VarDecl *)> counts) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return nullptr;
  const VarDecl *found = nullptr;
  ForEachWrite(stmt, [&](const Expr *target) {
    const VarDecl *var = BaseVariable(target);
    if (found == nullptr && var != nullptr && !var->isImplicit() && counts(var))
      found = var;
  });
  if (found != nullptr) return found;
  for (const Stmt *child : stmt->children()) {
    if (const VarDecl *var = FirstWrittenVariable(child, counts)) return var;
  }
  return nullptr;
}

const VarDecl *FirstOutsideWrite(const Stmt *stmt, const Stmt *loop,
                                 const SourceManager &sources) {
  return FirstWrittenVariable(stmt, [&](const VarDecl *var) {
    // A reference or pointer declared inside may still lead outside.
    QualType type = var->getType();
    return !DeclaredWithin(var, loop, sources) || type->isReferenceType() ||
           type->isPointerType();
  });
}

bool MatchSubscript(const Expr *expr, const Expr *&container, const Expr *&index) {
  expr = expr->IgnoreParenImpCasts();
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(expr)) {
    container = subscript->getBase();
    index = subscript->getIdx();
    return true;
  }
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
    if (op->getOperator() == OO_Subscript && op->getNumArgs() == 2) {
      container = op->getArg(0);
      index = op->getArg(1);
      return true;
    }
  }
  return false;
}

const VarDecl *ReferencedVar(const Expr *expr) {
  const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts());
  return ref == nullptr ? nullptr : dyn_cast<VarDecl>(ref->getDecl());
}

bool Writes(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  bool written = false;
  ForEachWrite(stmt, [&](const Expr *target) {
    WriteTarget resolved = ResolveWriteTarget(target);
    written = written || resolved.kind == WriteTarget::kUnknown || resolved.var == var;
  });
  if (written) return true;
  for (const Stmt *child : stmt->children()) {
    if (Writes(child, var)) return true;
  }
  return false;
}

size_t MentionCount(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return 0;
  const auto *ref = dyn_cast<DeclRefExpr>(stmt);
  size_t count = ref != nullptr && ref->getDecl() == var ? 1 : 0;
  for (const Stmt *child : stmt->children()) count += MentionCount(child, var);
  return count;
}

bool Mentions(const Stmt *stmt, const VarDecl *var) {
  if (stmt == nullptr) return false;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
    if (ref->getDecl() == var) return true;
    // A local reference, pointer or iterator initialised from `var` is `var`, however
    // it is used (`src[i - 1]` with `src = v.data()`), and even when set elsewhere
    // later: it may still lead there.
    const auto *other = dyn_cast<VarDecl>(ref->getDecl());
    if (other != nullptr && other->hasLocalStorage() && other->getInit() != nullptr) {
      WriteTarget target = ResolveWriteTarget(ref);
      if (target.kind == WriteTarget::kVariable && target.var == var) return true;
      if (IsIndirection(other->getType()) && !other->getType()->isReferenceType() &&
          !isa<ParmVarDecl>(other)) {
        target = ResolveWriteTarget(other->getInit());
        if (target.kind == WriteTarget::kVariable && target.var == var) return true;
      }
    }
  }
  for (const Stmt *child : stmt->children()) {
    if (Mentions(child, var)) return true;
  }
  return false;
}

namespace {

// The calls a task runs: the driver replays the others.
std::vector<const CallExpr *> TaskCalls(const LoopFacts &facts) {
  std::vector<const CallExpr *> calls;
  for (const CallExpr *call : facts.user_calls) {
    if (facts.replayed.count(call) == 0) calls.push_back(call);
  }
  return calls;
}

// Whether `vars` holds a declaration of the variable `var` declares.
bool Listed(const std::vector<const VarDecl *> &vars, const VarDecl *var) {
  return std::any_of(vars.begin(), vars.end(), [&](const VarDecl *other) {
    return other->getCanonicalDecl() == var->getCanonicalDecl();
  });
}

// The globals the program changes that a callee with effects `callee` reads: its own
// unit's, and those another unit defines that this unit declares (a shared header's
// `extern`), which the project's summaries name by USR.
std::vector<const VarDecl *> ChangedGlobalsRead(const Effects &callee,
                                                const GlobalMutations &mutations) {
  std::vector<const VarDecl *> read;
  for (const VarDecl *var : callee.globals_read) {
    if (mutations.MayChange(var)) read.push_back(var);
  }
  for (const auto &[usr, name] : callee.summary_globals_read) {
    const VarDecl *declared = mutations.DeclaredHere(usr);
    if (declared != nullptr && !Listed(read, declared) && mutations.MayChange(declared))
      read.push_back(declared);
  }
  return read;
}

std::optional<Refusal> CheckIo(const LoopFacts &facts, const Effects &body,
                               EffectAnalyzer &effects) {
  if (body.io.empty()) return std::nullopt;
  for (const CallExpr *call : TaskCalls(facts)) {
    Effects callee = effects.OfFunction(call->getDirectCallee());
    if (!callee.io.empty()) {
      return Refusal{SkipReason::kIo, CalleeName(call) + "() does I/O (it " + callee.io +
                                          "), whose order would change across tasks."};
    }
  }
  return Refusal{SkipReason::kIo, "the loop body does I/O (it " + body.io +
                                      "), which must stay in order on the driver."};
}

// What the functions the loop calls do to state a task does not share: globals they
// write, and globals they read that the program changes.
std::optional<Refusal> CheckGlobals(const LoopFacts &facts, EffectAnalyzer &effects,
                                    const GlobalMutations &mutations) {
  for (const CallExpr *call : TaskCalls(facts)) {
    Effects callee = effects.OfFunction(call->getDirectCallee());
    if (!callee.global_write.empty()) {
      return Refusal{SkipReason::kGlobalWrite,
                     CalleeName(call) + "() " + callee.global_write +
                         WhyNotReplayed(call, facts.loop, effects, mutations) +
                         "; a task would change its own process's copy, not the "
                         "driver's."};
    }
  }
  auto refuse_read = [](const CallExpr *call, const std::string &global) {
    return Refusal{SkipReason::kGlobalRead,
                   CalleeName(call) + "() reads '" + global +
                       "', which the program changes; a task would read its own "
                       "process's copy."};
  };
  for (const CallExpr *call : TaskCalls(facts)) {
    Effects callee = effects.OfFunction(call->getDirectCallee());
    std::vector<std::string> read_once = ChangedGlobalsReadOnce(callee, mutations);
    if (!read_once.empty()) {
      return Refusal{SkipReason::kGlobalRead,
                     CalleeName(call) + "() initialises a static from '" +
                         read_once.front() +
                         "' at its first call, and the program changes it; a task's "
                         "process would make its first call at another time."};
    }
    for (const VarDecl *var : ChangedGlobalsRead(callee, mutations)) {
      if (!IsRestorableGlobal(var, mutations))
        return refuse_read(call, var->getQualifiedNameAsString());
      // A task installs the value the loop found; the loop must not change it.
      if (Writes(facts.loop, var)) {
        return Refusal{SkipReason::kGlobalRead,
                       CalleeName(call) + "() reads '" + var->getQualifiedNameAsString() +
                           "', which the loop itself changes; a task would read its own "
                           "process's copy."};
      }
    }
    // Known by USR only, and this unit does not declare it: the task cannot name it.
    for (const auto &[usr, name] : callee.summary_globals_read) {
      if (mutations.MayChange(usr) && mutations.DeclaredHere(usr) == nullptr)
        return refuse_read(call, name);
    }
  }
  return std::nullopt;
}

// A global the body changes without naming it: through a constructor, destructor,
// operator or default argument it runs (`{ Guard g; ... }` whose destructor counts). The
// outliner replays the body's writes it can see; these it cannot.
std::optional<Refusal> CheckUnnamedGlobalWrites(const LoopFacts &facts,
                                                const Effects &body) {
  for (const VarDecl *var : body.globals_written) {
    if (Writes(facts.body, var)) continue;
    return Refusal{SkipReason::kGlobalWrite,
                   "the loop writes the global '" + var->getNameAsString() +
                       "' through code it runs without naming it (a constructor, "
                       "destructor, operator or default argument); a task would change "
                       "its own process's copy, not the driver's."};
  }
  return std::nullopt;
}

// A static or thread-local variable declared in the body lives on from one iteration
// to the next, as a global does: the iterations share it, and a task would have its
// process's own.
std::optional<Refusal> CheckStaticLocals(const Stmt *stmt) {
  if (stmt == nullptr) return std::nullopt;
  if (const auto *declaration = dyn_cast<DeclStmt>(stmt)) {
    for (const Decl *decl : declaration->decls()) {
      const auto *var = dyn_cast<VarDecl>(decl);
      if (var == nullptr || var->getType().isConstQualified() ||
          (!var->isStaticLocal() && var->getTLSKind() == VarDecl::TLS_None))
        continue;
      return Refusal{SkipReason::kGlobalWrite,
                     "the loop declares the static variable '" + var->getNameAsString() +
                         "', which every iteration shares; a task would change its own "
                         "process's copy, not the driver's."};
    }
  }
  for (const Stmt *child : stmt->children()) {
    if (auto refusal = CheckStaticLocals(child)) return refusal;
  }
  return std::nullopt;
}

// A global the loop hands by address (a pointer or a reference) to a function that
// also uses the global by name: a task gets a copy of the global for the loop's own
// uses while the function reads its process's global, so two addresses the program
// sees as one would differ (`p >= table && p < table + n`, `p - table`).
std::optional<Refusal> CheckGlobalAddresses(const LoopFacts &facts,
                                            EffectAnalyzer &effects) {
  for (const CallExpr *call : facts.user_calls) {
    const FunctionDecl *callee = call->getDirectCallee();
    unsigned first = FirstParameterArgument(call, callee);
    for (unsigned i = first; i < call->getNumArgs(); ++i) {
      const Expr *arg = call->getArg(i);
      QualType passed = i - first < callee->getNumParams()
                            ? callee->getParamDecl(i - first)->getType()
                            : arg->getType();
      const VarDecl *var = BaseVariable(arg);
      if (!passed->isPointerType() && !passed->isReferenceType()) continue;
      if (var == nullptr || !var->hasGlobalStorage() ||
          effects.OfFunction(callee).globals_read.count(var->getCanonicalDecl()) == 0)
        continue;
      std::string name = var->getNameAsString();
      return Refusal{SkipReason::kGlobalRead,
                     CalleeName(call) + "() is given the address of '" + name +
                         "' and uses '" + name +
                         "' by name too; in a task those are two different copies, "
                         "so addresses that are one in the program would differ."};
    }
  }
  return std::nullopt;
}

}  // namespace

bool IsRestorableGlobal(const VarDecl *var, const GlobalMutations &mutations) {
  if (!var->hasGlobalStorage() || var->isStaticLocal() || var->isStaticDataMember() ||
      var->getTLSKind() != VarDecl::TLS_None ||
      !var->getDeclContext()->getRedeclContext()->isFileContext()) {
    return false;
  }
  QualType type = var->getType();
  if (type->isReferenceType() || type.isVolatileQualified()) return false;
  if (type->isPointerType()) return SentArrayType(var, mutations).has_value();
  return type->isArithmeticType() || type->isEnumeralType() || IsNumberArray(type);
}

std::vector<const VarDecl *> GlobalsCalleesRead(const LoopFacts &facts,
                                                EffectAnalyzer &effects,
                                                const GlobalMutations &mutations) {
  std::vector<const VarDecl *> read;
  for (const CallExpr *call : TaskCalls(facts)) {
    Effects callee = effects.OfFunction(call->getDirectCallee());
    for (const VarDecl *var : ChangedGlobalsRead(callee, mutations)) {
      if (!Listed(read, var)) read.push_back(var);
    }
  }
  // In the order the file declares them (a set of pointers has none of its own).
  std::sort(read.begin(), read.end(), [](const VarDecl *a, const VarDecl *b) {
    return a->getLocation().getRawEncoding() < b->getLocation().getRawEncoding();
  });
  return read;
}

namespace {

// The function whose body holds `stmt`.
const FunctionDecl *EnclosingFunction(const Stmt *stmt, ASTContext &context) {
  DynTypedNode node = DynTypedNode::create(*stmt);
  for (;;) {
    DynTypedNodeList parents = context.getParents(node);
    if (parents.empty()) return nullptr;
    if (const auto *function = parents[0].get<FunctionDecl>()) return function;
    node = parents[0];
  }
}

// `x` or `&x` for a variable of the iteration's own: one the loop body declares, or
// scratch declared before the loop that each iteration sets afresh before anything
// reads it (`t1 = S; ... randlc(&t1, a)`, NPB's way). What a callee changes through
// it stays in the iteration; the outliner declares such scratch inside the task.
bool IsIterationLocal(const Expr *arg, const LoopFacts &facts, ASTContext &context,
                      const ProjectSummaries *project) {
  arg = arg->IgnoreParenImpCasts();
  if (const auto *address = dyn_cast<UnaryOperator>(arg);
      address != nullptr && address->getOpcode() == UO_AddrOf) {
    arg = address->getSubExpr()->IgnoreParenImpCasts();
  }
  const VarDecl *var = ReferencedVar(arg);
  // A pointer, a reference, or a view or struct holding one, made in the iteration
  // may still lead to data from before it.
  bool pointer = var != nullptr && var->getType()->isPointerType();
  if (var == nullptr || var->getType()->isReferenceType() ||
      (pointer && var->hasLocalStorage()) ||
      (var->getType()->isRecordType() && IsMutableByReference(var->getType()))) {
    return false;
  }
  if (DeclaredWithin(var, facts.body, context.getSourceManager())) return true;
  if (!IsPrivateValue(var, facts.body, project)) return false;
  if (var->hasLocalStorage()) return true;
  // A global only `main` names may be scratch too (IterationsMayKeepPrivate), a
  // pointer to a fixed block among them: the task holds the block as an array.
  const FunctionDecl *function = EnclosingFunction(facts.loop, context);
  return function != nullptr &&
         IterationsMayKeepPrivate(var, facts.loop, function, context, project);
}

// Whether `arg` is the iteration's own element of a container the body mentions only
// by its own elements (`ax[i]` in `force_on(b, i, ax[i])` over i): a task can be sent
// that element, let the call store into it, and send it back.
bool IsOwnElementArgument(const Expr *arg, const LoopFacts &facts) {
  const VarDecl *counter = LoopCounter(facts.loop);
  const Expr *container = nullptr;
  const Expr *index = nullptr;
  if (counter == nullptr || !MatchSubscript(arg, container, index) ||
      ReferencedVar(index) != counter)
    return false;
  const VarDecl *var = ReferencedVar(container);
  std::vector<const Expr *> sizes;
  return var != nullptr && !var->getType()->isReferenceType() &&
         !OwnElementMentions(facts.loop, var, counter, sizes).empty();
}

std::optional<Refusal> CheckReferenceParameters(const LoopFacts &facts,
                                                ASTContext &context,
                                                const ProjectSummaries *project) {
  for (const CallExpr *call : facts.user_calls) {
    const FunctionDecl *callee = call->getDirectCallee();
    for (unsigned i = 0; i < callee->getNumParams(); ++i) {
      const ParmVarDecl *param = callee->getParamDecl(i);
      // (An operator's arguments start with its object, not its first parameter.)
      if (!isa<CXXOperatorCallExpr>(call) && i < call->getNumArgs() &&
          IsIterationLocal(call->getArg(i), facts, context, project)) {
        continue;
      }
      if (IsMutableByReference(param->getType())) {
        QualType type = param->getType();
        // A plain `T &` the callee's body only reads through. (Pointers stay refused:
        // the task would need the array they lead to, not a copy of the pointer.)
        if (type->isLValueReferenceType() && !MayWriteThroughParameter(callee, i))
          continue;
        // An out-parameter given the iteration's own element stores into that alone.
        if (!isa<CXXOperatorCallExpr>(call) && i < call->getNumArgs() &&
            OnlyStoresThroughParameter(callee, i) &&
            IsOwnElementArgument(call->getArg(i), facts))
          continue;
        // A view (an iterator, a shared_ptr) or a struct holding a pointer reaches
        // the caller's data by value or const reference too.
        bool view =
            !type->isPointerType() && !(type->isLValueReferenceType() &&
                                        (!type.getNonReferenceType().isConstQualified() ||
                                         ChangesWhenConst(type.getNonReferenceType())));
        // A view from outside the iteration is followed where the call writes through
        // it (the effects see the global or the captured variable it leads to); one
        // made in the iteration is what the analysis cannot follow.
        if (view) {
          const VarDecl *made =
              i < call->getNumArgs() ? ReferencedVar(call->getArg(i)) : nullptr;
          if (made == nullptr ||
              !DeclaredWithin(made, facts.body, context.getSourceManager()))
            continue;
        }
        QualType referent =
            type->isPointerType() ? type->getPointeeType() : type.getNonReferenceType();
        std::string how =
            view ? "', which leads to the caller's data, so it may change that data"
            : referent.isConstQualified()
                ? "', a const object with a mutable member the call may "
                  "still change"
                : "' by non-const reference or pointer, so it may change the "
                  "caller's data";
        return Refusal{SkipReason::kNonConstReference,
                       CalleeName(call) + "() takes '" +
                           type.getAsString(context.getPrintingPolicy()) + how +
                           ", which a task cannot do."};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> CheckLoopSafety(const LoopFacts &facts, EffectAnalyzer &effects,
                                       const GlobalMutations &mutations,
                                       ASTContext &context) {
  std::vector<const CXXTryStmt *> trying;
  std::string exit = FindEarlyExit(facts.body, false, trying);
  if (!exit.empty())
    return Refusal{SkipReason::kEarlyExit,
                   exit + ", so later iterations depend on earlier results."};
  Effects body = effects.OfStmtWithout(facts.body, facts.replayed);
  if (!body.exits.empty()) {
    return Refusal{SkipReason::kEarlyExit,
                   "the loop " + body.exits + ", which a task cannot do for the driver."};
  }
  // I/O wins over global writes: stream objects are globals too.
  if (auto refusal = CheckIo(facts, body, effects)) return refusal;
  if (auto refusal = CheckGlobals(facts, effects, mutations)) return refusal;
  if (auto refusal = CheckUnnamedGlobalWrites(facts, body)) return refusal;
  // The loop's own statements, not only its callees (CheckGlobals): `rand()` in the
  // body draws from each task's process's own generator.
  if (!body.unshared_state.empty()) {
    return Refusal{SkipReason::kGlobalWrite,
                   "the loop " + body.unshared_state +
                       "; a task would change its own process's copy, not the driver's."};
  }
  if (auto refusal = CheckStaticLocals(facts.body)) return refusal;
  if (auto refusal = CheckGlobalAddresses(facts, effects)) return refusal;
  if (!body.unknown_call.empty()) {
    return Refusal{SkipReason::kUnknownCallee, "the loop " + body.unknown_call +
                                                   ", so its effects cannot be checked."};
  }
  if (auto refusal = CheckReferenceParameters(facts, context, effects.Project()))
    return refusal;
  if (!body.not_visible.empty()) {
    return Refusal{
        SkipReason::kCalleeNotVisible,
        "the loop " + body.not_visible + ", so its effects cannot be checked."};
  }
  if (!body.may_throw.empty()) {
    std::string who = "the loop";
    for (const CallExpr *call : TaskCalls(facts)) {
      if (!effects.OfFunction(call->getDirectCallee()).may_throw.empty()) {
        who = CalleeName(call) + "()";
        break;
      }
    }
    return Refusal{
        SkipReason::kMayThrow,
        who + " " + body.may_throw +
            "; an exception from a task would reach the program as a different "
            "one, at a different point."};
  }
  return std::nullopt;
}

}  // namespace rayify
