#include "analysis/CalleeEffects.h"

#include "analysis/DeclNames.h"
#include "analysis/LibraryModel.h"
#include "analysis/Serializability.h"
#include "analysis/Writes.h"

#include <clang/AST/Attr.h>
#include <clang/AST/CXXInheritance.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclFriend.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <unordered_set>
#include <utility>

namespace rayify {
namespace {

using namespace clang;

std::string NameOf(const NamedDecl *decl) { return decl->getQualifiedNameAsString(); }

void SetOnce(std::string &slot, const std::string &text) {
  if (slot.empty()) slot = text;
}

void NoteUnsharedState(Effects &effects, const std::string &text) {
  SetOnce(effects.global_write, text);
  SetOnce(effects.unshared_state, text);
}

// The container a range-for variable walks (`for (Cell &c : cells)`): the type of
// the range the loop's hidden `__begin` was taken from. Null type otherwise.
QualType WalkedRange(const VarDecl *var) {
  if (!var->isCXXForRangeDecl() || var->getInit() == nullptr) return {};
  const Expr *init = var->getInit()->IgnoreParenImpCasts();
  const Expr *iterator = nullptr;
  if (const auto *deref = dyn_cast<UnaryOperator>(init);
      deref != nullptr && deref->getOpcode() == UO_Deref) {
    iterator = deref->getSubExpr();
  } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(init);
             op != nullptr && op->getOperator() == OO_Star && op->getNumArgs() == 1) {
    iterator = op->getArg(0);
  }
  const auto *begin_ref =
      iterator ? dyn_cast<DeclRefExpr>(iterator->IgnoreParenImpCasts()) : nullptr;
  const auto *begin = begin_ref ? dyn_cast<VarDecl>(begin_ref->getDecl()) : nullptr;
  if (begin == nullptr || !begin->isImplicit() || begin->getInit() == nullptr) return {};
  const Expr *start = begin->getInit()->IgnoreParenImpCasts();
  if (const auto *call = dyn_cast<CXXMemberCallExpr>(start))  // `__range.begin()`
    start = call->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const auto *range_ref = dyn_cast<DeclRefExpr>(start);
  const auto *range = range_ref ? dyn_cast<VarDecl>(range_ref->getDecl()) : nullptr;
  return range && range->isImplicit() ? range->getType() : QualType();
}

// Whether `object` names an object whose dynamic type is its static type: a
// variable or member of class type (not a reference), an element of a container
// that holds exactly that class (HoldsExactly), or a range-for variable bound to
// one. A virtual call on it runs the function its static type finds.
bool HasKnownDynamicType(const Expr *object) {
  object = object->IgnoreParenImpCasts();
  QualType type = object->getType();
  if (!type->isRecordType()) return false;
  if (const auto *ref = dyn_cast<DeclRefExpr>(object)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr) return false;
    if (var->getType()->isRecordType()) return true;
    QualType walked = WalkedRange(var);
    return var->getType()->isLValueReferenceType() && !walked.isNull() &&
           HoldsExactly(walked, type);
  }
  if (const auto *member = dyn_cast<MemberExpr>(object)) {
    const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl());
    return field != nullptr && field->getType()->isRecordType();
  }
  if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(object)) {
    // The base decays from an array to a pointer; a pointer alone may lead anywhere.
    const Expr *base = subscript->getBase()->IgnoreParenImpCasts();
    return base->getType()->isConstantArrayType() && HoldsExactly(base->getType(), type);
  }
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(object)) {
    return op->getOperator() == OO_Subscript && op->getNumArgs() == 2 &&
           HoldsExactly(op->getArg(0)->getType(), type);
  }
  if (const auto *call = dyn_cast<CXXMemberCallExpr>(object)) {
    const CXXMethodDecl *method = call->getMethodDecl();
    bool element = method != nullptr && method->getIdentifier() != nullptr &&
                   (method->getName() == "at" || method->getName() == "front" ||
                    method->getName() == "back");
    return element && HoldsExactly(call->getImplicitObjectArgument()->getType(), type);
  }
  return false;
}

// A virtual call whose target depends on the object's dynamic type.
bool IsVirtualDispatch(const CXXMemberCallExpr *call) {
  const CXXMethodDecl *method = call->getMethodDecl();
  if (method == nullptr || !method->isVirtual() || method->hasAttr<FinalAttr>() ||
      method->getParent()->hasAttr<FinalAttr>()) {
    return false;
  }
  const auto *member = dyn_cast<MemberExpr>(call->getCallee()->IgnoreParens());
  if (member != nullptr && member->hasQualifier()) return false;  // Base::f()
  if (member != nullptr && member->isArrow()) return true;
  return !HasKnownDynamicType(call->getImplicitObjectArgument());
}

}  // namespace

void Effects::Merge(const Effects &other) {
  MergePhrases(other);
  globals_read.insert(other.globals_read.begin(), other.globals_read.end());
  globals_read_once.insert(other.globals_read_once.begin(),
                           other.globals_read_once.end());
  globals_written.insert(other.globals_written.begin(), other.globals_written.end());
  summary_globals_read_once.insert(other.summary_globals_read_once.begin(),
                                   other.summary_globals_read_once.end());
  summary_globals_read.insert(other.summary_globals_read.begin(),
                              other.summary_globals_read.end());
  summary_globals_written.insert(other.summary_globals_written.begin(),
                                 other.summary_globals_written.end());
  summary_reads_through_global =
      summary_reads_through_global || other.summary_reads_through_global;
  unseen.insert(other.unseen.begin(), other.unseen.end());
  if (unshared_state.empty()) unshared_state = other.unshared_state;
  thrown_classes.insert(other.thrown_classes.begin(), other.thrown_classes.end());
  throws_standard_library = throws_standard_library || other.throws_standard_library;
  throws_unknown = throws_unknown || other.throws_unknown;
}

std::string UsrOf(const Decl *decl) {
  llvm::SmallString<128> usr;
  if (index::generateUSRForDecl(decl, usr)) return "";
  return usr.str().str();
}

bool IsLoop(const Stmt *stmt) {
  return isa<ForStmt>(stmt) || isa<WhileStmt>(stmt) || isa<DoStmt>(stmt) ||
         isa<CXXForRangeStmt>(stmt);
}

bool CatchesEverything(const CXXTryStmt *attempt) {
  for (unsigned i = 0; i < attempt->getNumHandlers(); ++i) {
    if (attempt->getHandler(i)->getExceptionDecl() == nullptr) return true;
  }
  return false;
}

namespace {

// Whether a handler of `attempt` catches an object of class `thrown`: `catch (...)`,
// or that class or a public unambiguous base of it.
bool CatchesClass(const CXXTryStmt *attempt, const CXXRecordDecl *thrown) {
  if (CatchesEverything(attempt)) return true;
  if (thrown == nullptr || !thrown->hasDefinition()) return false;
  for (unsigned i = 0; i < attempt->getNumHandlers(); ++i) {
    QualType caught = attempt->getHandler(i)->getCaughtType().getNonReferenceType();
    const CXXRecordDecl *caught_class = caught->getAsCXXRecordDecl();
    if (caught_class == nullptr) continue;
    if (caught_class->getCanonicalDecl() == thrown->getCanonicalDecl()) return true;
    CXXBasePaths paths(/*FindAmbiguities=*/true, /*RecordPaths=*/true,
                       /*DetectVirtual=*/false);
    if (!thrown->isDerivedFrom(caught_class, paths)) continue;
    // One path, public all the way: otherwise the handler does not match.
    size_t count = 0;
    bool public_path = true;
    for (const CXXBasePath &path : paths) {
      ++count;
      public_path = public_path && path.Access == AS_public;
    }
    if (count == 1 && public_path) return true;
  }
  return false;
}

}  // namespace

bool CatchesThrow(const CXXTryStmt *attempt, const CXXThrowExpr *thrown) {
  const Expr *object = thrown->getSubExpr();  // null for a rethrow
  return CatchesEverything(attempt) ||
         (object != nullptr &&
          CatchesClass(attempt, object->getType()->getAsCXXRecordDecl()));
}

namespace {

// Declared in namespace std, or in a class or namespace inside it.
bool InStd(const Decl *decl) {
  for (const DeclContext *scope = decl->getDeclContext(); scope != nullptr;
       scope = scope->getParent()) {
    if (scope->isStdNamespace()) return true;
  }
  return false;
}

// A handler of std::exception itself: it catches whatever the standard library throws.
bool CatchesStdExceptions(const CXXTryStmt *attempt) {
  for (unsigned i = 0; i < attempt->getNumHandlers(); ++i) {
    QualType caught = attempt->getHandler(i)->getCaughtType().getNonReferenceType();
    const CXXRecordDecl *record = caught->getAsCXXRecordDecl();
    if (record != nullptr && record->getName() == "exception" &&
        record->getDeclContext()->isStdNamespace()) {
      return true;
    }
  }
  return false;
}

// Whether `attempt` catches everything its block, with `inside` effects, may throw.
bool CatchesAllThrown(const CXXTryStmt *attempt, const Effects &inside) {
  if (CatchesEverything(attempt)) return true;
  if (inside.throws_unknown) return false;
  if (inside.throws_standard_library && !CatchesStdExceptions(attempt)) return false;
  return std::all_of(
      inside.thrown_classes.begin(), inside.thrown_classes.end(),
      [&](const CXXRecordDecl *thrown) { return CatchesClass(attempt, thrown); });
}

}  // namespace

const VarDecl *BaseVariable(const Expr *expr) {
  while (expr != nullptr) {
    expr = expr->IgnoreParenImpCasts();
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) return NamedVariable(ref);
    if (const auto *member = dyn_cast<MemberExpr>(expr)) {
      expr = member->getBase();
    } else if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(expr)) {
      expr = subscript->getBase();
    } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
      if (op->getNumArgs() == 0) return nullptr;
      expr = op->getArg(0);
    } else if (const auto *unary = dyn_cast<UnaryOperator>(expr)) {
      expr = unary->getSubExpr();
    } else if (const auto *call = dyn_cast<CXXMemberCallExpr>(expr)) {
      expr = call->getImplicitObjectArgument();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

bool IsAccessor(const CXXMethodDecl *method) {
  static const std::unordered_set<std::string> kAccessors = {
      "operator[]",  "at",          "front",       "back",      "begin",      "end",
      "rbegin",      "rend",        "cbegin",      "cend",      "data",       "find",
      "lower_bound", "upper_bound", "equal_range", "operator*", "operator->", "get"};
  std::string name = method->getNameAsString();
  if (kAccessors.count(name) == 0) return false;
  // map[key] inserts the key when it is missing: a write to the map.
  if (name == "operator[]") {
    std::string record = method->getParent()->getNameAsString();
    return record.find("map") == std::string::npos;
  }
  return true;
}

bool IsStandardStream(const VarDecl *var) {
  static const std::unordered_set<std::string> kStreams = {
      "std::cout",  "std::cerr",  "std::clog",  "std::cin",
      "std::wcout", "std::wcerr", "std::wclog", "std::wcin"};
  return var != nullptr && kStreams.count(NameOf(var)) != 0;
}

bool IsIoStreamType(QualType type) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  if (record == nullptr || !record->hasDefinition()) return false;
  std::string name = NameOf(record);
  if (name.find("stringstream") != std::string::npos ||
      name.find("stringbuf") != std::string::npos) {
    return false;
  }
  if (name == "std::ios_base") return true;
  bool derives = false;
  record->forallBases([&](const CXXRecordDecl *base) {
    if (NameOf(base) == "std::ios_base") derives = true;
    return true;
  });
  return derives;
}

// The variable a stream expression works on, through chained operators, member calls
// and functions given the stream first: `os` in `os << a << b`, `os.write(p, n)`,
// `std::getline(is, line)`.
const VarDecl *StreamVariable(const Expr *expr) {
  for (;;) {
    expr = expr->IgnoreParenImpCasts();
    if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
      if (op->getNumArgs() == 0 ||
          (op->getOperator() != OO_LessLess && op->getOperator() != OO_GreaterGreater))
        return nullptr;
      expr = op->getArg(0);
    } else if (const auto *call = dyn_cast<CXXMemberCallExpr>(expr)) {
      expr = call->getImplicitObjectArgument();
      if (expr == nullptr) return nullptr;
    } else if (const auto *call = dyn_cast<CallExpr>(expr);
               call != nullptr && call->getNumArgs() > 0 &&
               IsIoStreamType(call->getArg(0)->getType())) {
      expr = call->getArg(0);
    } else if (const auto *ref = dyn_cast<DeclRefExpr>(expr)) {
      return dyn_cast<VarDecl>(ref->getDecl());
    } else {
      return nullptr;
    }
  }
}

// A stream expression on a string stream the function declares itself (not a
// reference, which may be bound to any stream): formatting into memory, not I/O.
bool OnOwnStringStream(const Expr *expr) {
  const VarDecl *var = StreamVariable(expr);
  if (var == nullptr || !var->hasLocalStorage() || var->getType()->isReferenceType())
    return false;
  const auto *record = var->getType()->getAsCXXRecordDecl();
  return record != nullptr && record->hasDefinition() &&
         NameOf(record).find("stringstream") != std::string::npos;
}

bool IsMutableGlobal(const VarDecl *var, ASTContext &context) {
  if (var == nullptr || !var->hasGlobalStorage() || IsStandardStream(var) ||
      IsIoStreamType(var->getType())) {
    return false;
  }
  // A constant pointer may still lead to memory that changes.
  QualType type = var->getType();
  if (type->isPointerType() || type->isReferenceType() || ChangesWhenConst(type))
    return true;
  return !var->isConstexpr() && !type.isConstant(context);
}

bool EffectAnalyzer::IsLibraryFunction(const FunctionDecl *function) const {
  const SourceManager &sources = context_.getSourceManager();
  if (sources.isInSystemHeader(function->getLocation())) return true;
  return function->isInStdNamespace() || function->getBuiltinID() != 0;
}

Effects EffectAnalyzer::OfFunction(const FunctionDecl *function) {
  ReplacedAllocationEffects();  // before anything is cached without them
  const FunctionDecl *definition = function->getDefinition();
  if (definition == nullptr) definition = function->getCanonicalDecl();
  auto cached = cache_.find(definition);
  if (cached != cache_.end()) return cached->second;
  if (function->getDefinition() == nullptr)
    return cache_[definition] = OfBodiless(function);
  for (size_t depth = 0; depth < stack_.size(); ++depth) {
    if (stack_[depth] == definition) {
      // Recursion: the outer scan of this function collects its effects.
      lowest_open_cycle_ = std::min(lowest_open_cycle_, depth);
      Effects recursion;
      recursion.has_loop = true;  // recursion repeats work like a loop does
      return recursion;
    }
  }
  size_t depth = stack_.size();
  stack_.push_back(definition);
  // A function is cached whole, its every call included, whoever asks.
  const std::set<const CallExpr *> *left_out = std::exchange(left_out_, nullptr);
  Effects effects;
  ScanBody(definition, effects);
  // A constructor runs its initializers first: members' and bases' constructors and
  // default member initializers (`int id = ++made;`), none of them in the body.
  if (const auto *constructor = dyn_cast<CXXConstructorDecl>(definition)) {
    for (const CXXCtorInitializer *init : constructor->inits())
      Scan(init->getInit(), effects);
  }
  // Parameters taken by value are destroyed when the call ends.
  for (const ParmVarDecl *param : definition->parameters())
    ScanDestruction(param->getType(), effects);
  stack_.pop_back();
  left_out_ = left_out;
  // Inside an open cycle the result misses the effects of the cycle's head: it is
  // complete, and worth keeping, only once the head itself is done.
  if (lowest_open_cycle_ >= depth) {
    lowest_open_cycle_ = SIZE_MAX;
    cache_[definition] = effects;
  }
  return effects;
}

const FunctionSummary *EffectAnalyzer::SummaryOf(const FunctionDecl *function) const {
  return SummaryElsewhere(function, project_);
}

const FunctionSummary *SummaryElsewhere(const FunctionDecl *function,
                                        const ProjectSummaries *project) {
  if (project == nullptr || function->getDefinition() != nullptr) return nullptr;
  return project->Find(UsrOf(function->getCanonicalDecl()));
}

// The class std::`name` when this unit defines it, else null.
const CXXRecordDecl *EffectAnalyzer::StandardClass(const std::string &name) const {
  for (const NamedDecl *space :
       context_.getTranslationUnitDecl()->lookup(&context_.Idents.get("std"))) {
    const auto *std_namespace = dyn_cast<NamespaceDecl>(space);
    if (std_namespace == nullptr) continue;
    for (const NamedDecl *decl : std_namespace->lookup(&context_.Idents.get(name))) {
      const auto *record = dyn_cast<CXXRecordDecl>(decl);
      if (record != nullptr && record->hasDefinition())
        return record->getDefinition()->getCanonicalDecl();
    }
  }
  return nullptr;
}

// The classes a throwing standard function throws, when this unit defines them all
// (std::out_of_range for `at`); else only that they are the standard library's own.
void EffectAnalyzer::NoteStandardThrows(const FunctionDecl *callee, Effects &effects) {
  std::vector<std::string> names = StandardExceptionsThrown(callee);
  std::vector<const CXXRecordDecl *> classes;
  for (const std::string &name : names) {
    if (const CXXRecordDecl *found = StandardClass(name)) classes.push_back(found);
  }
  if (names.empty() || classes.size() != names.size()) {
    effects.throws_standard_library = true;
    return;
  }
  effects.thrown_classes.insert(classes.begin(), classes.end());
}

void EffectAnalyzer::ScanBody(const FunctionDecl *definition, Effects &effects) {
  if (!definition->hasBody()) return;  // `= default`
  // A constructor's or destructor's function-try-block throws again what a handler
  // caught when the handler ends: it catches nothing for good.
  const auto *attempt = dyn_cast<CXXTryStmt>(definition->getBody());
  if (attempt != nullptr && isa<CXXConstructorDecl, CXXDestructorDecl>(definition)) {
    Scan(attempt->getTryBlock(), effects);
    for (unsigned i = 0; i < attempt->getNumHandlers(); ++i)
      Scan(attempt->getHandler(i), effects);
    return;
  }
  Scan(definition->getBody(), effects);
}

Effects EffectAnalyzer::OfBodiless(const FunctionDecl *function) {
  std::string usr = UsrOf(function->getCanonicalDecl());
  asked_without_body_.insert(usr);
  Effects effects;
  if (const FunctionSummary *summary = SummaryOf(function)) {
    static_cast<EffectPhrases &>(effects) = summary->effects;
    effects.throws_unknown = !effects.may_throw.empty();  // its types are not kept
    effects.summary_globals_read = summary->effects.globals_read;
    effects.summary_globals_read_once = summary->effects.globals_read_once;
    effects.summary_globals_written = summary->effects.globals_written;
    effects.summary_reads_through_global = summary->effects.reads_through_global;
    return effects;
  }
  bool twice = project_ != nullptr && project_->DefinedTwice(usr);
  effects.not_visible = "calls " + NameOf(function) +
                        (twice ? ", which more than one file of the project defines"
                               : ", whose body is not in this file");
  effects.unseen[usr] = NameOf(function);
  // A project's summaries are linked without the objects calls pass: a member function
  // that may change its object is taken to, so the caller notes what it passes.
  // Alone, the call is refused as not visible anyway, and that is the reason to give.
  const auto *method = dyn_cast<CXXMethodDecl>(function);
  effects.writes_object = project_ != nullptr && method != nullptr &&
                          !method->isStatic() && !method->isConst();
  return effects;
}

Effects EffectAnalyzer::OfStmt(const Stmt *stmt) {
  ReplacedAllocationEffects();  // before anything is cached without them
  Effects effects;
  Scan(stmt, effects);
  return effects;
}

Effects EffectAnalyzer::OfStmtWithout(const Stmt *stmt,
                                      const std::set<const CallExpr *> &left_out) {
  ReplacedAllocationEffects();
  Effects effects;
  // Only in `stmt` itself: OfFunction scans every function whole.
  left_out_ = &left_out;
  Scan(stmt, effects);
  left_out_ = nullptr;
  return effects;
}

namespace {

// A cast that turns read-only access into writable access (const_cast, or a C-style
// cast from const T* to T*): what was passed to be read may then be written, and
// the write is no longer seen as one through the caller's argument.
bool CastsAwayConst(const ExplicitCastExpr *cast) {
  QualType to = cast->getTypeAsWritten();
  QualType from = cast->getSubExpr()->getType();
  if (to->isPointerType() && from->isPointerType()) {
    return from->getPointeeType().isConstQualified() &&
           !to->getPointeeType().isConstQualified();
  }
  if (to->isReferenceType())
    return from.isConstQualified() && !to.getNonReferenceType().isConstQualified();
  return false;
}

// Whether `target`, an lvalue written, is reached through such a cast
// (`const_cast<double &>(x) += 1`): the cast is the reason to give.
bool WrittenThroughConstCast(const Expr *target) {
  while (target != nullptr) {
    target = target->IgnoreParenImpCasts();
    if (const auto *cast = dyn_cast<ExplicitCastExpr>(target)) {
      if (CastsAwayConst(cast)) return true;
      target = cast->getSubExpr();
    } else if (const auto *member = dyn_cast<MemberExpr>(target)) {
      target = member->getBase();
    } else if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(target)) {
      target = subscript->getBase();
    } else if (const auto *unary = dyn_cast<UnaryOperator>(target)) {
      target = unary->getSubExpr();
    } else {
      return false;
    }
  }
  return false;
}

}  // namespace

void EffectAnalyzer::NoteWrite(const Expr *target, Effects &effects) {
  WriteTarget written = ResolveWriteTarget(target);
  switch (written.kind) {
    case WriteTarget::kThisObject:
      effects.writes_object = true;
      return;
    case WriteTarget::kFreshMemory:
      return;
    case WriteTarget::kUnknown:
      effects.untracked_write = true;
      SetOnce(effects.global_write,
              "writes through a reference or pointer rayify cannot follow to a "
              "variable (it may be a global)");
      return;
    case WriteTarget::kVariable:
      break;
  }
  const VarDecl *var = written.var;
  // A const reference the function still writes through (a `mutable` member of an
  // element of a `const std::vector<Memo> &`): its caller, seeing a const parameter,
  // would not count the argument as changed.
  if (isa<ParmVarDecl>(var) && var->getType()->isLValueReferenceType() &&
      var->getType().getNonReferenceType().isConstQualified() &&
      !IsMutableByReference(var->getType()) && !WrittenThroughConstCast(target)) {
    effects.untracked_write = true;
    SetOnce(effects.global_write,
            "changes what its const reference parameter '" + NameOf(var) +
                "' refers to (a mutable member), which its caller cannot see");
    return;
  }
  if (!IsMutableGlobal(var, context_)) {
    if (var->hasGlobalStorage() && IsIoStreamType(var->getType())) return;  // I/O
    if (!var->hasGlobalStorage()) return;
  }
  effects.globals_written.insert(var->getCanonicalDecl());
  // `++*g_sink` changes what the pointer leads to, not the pointer.
  const auto *named = dyn_cast<DeclRefExpr>(target->IgnoreParenImpCasts());
  bool through =
      var->getType()->isPointerType() && (named == nullptr || named->getDecl() != var);
  // A const object is changed only through what it holds: `g_logger.log()` counting
  // through its `int *count`.
  if (!through && var->getType().isConstQualified()) {
    SetOnce(effects.global_write,
            "writes through the const " +
                std::string(var->isStaticLocal() ? "static '" : "global '") +
                NameOf(var) + "' (a pointer or mutable member it holds)");
    return;
  }
  SetOnce(effects.global_write,
          std::string(through ? "writes through the " : "writes the ") +
              (var->isStaticLocal() ? "static " : "global ") +
              (through                ? "pointer '"
               : var->isStaticLocal() ? "variable '"
                                      : "'") +
              NameOf(var) + "'");
}

namespace {

// A parameter, local or `this` that `expr` reads: what differs from call to call.
std::string CallValueRead(const Stmt *stmt) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return "";
  if (isa<CXXThisExpr>(stmt)) return "the object it runs on";
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (var != nullptr && var->hasLocalStorage() &&
        !var->isUsableInConstantExpressions(var->getASTContext()))
      return "'" + NameOf(var) + "'";
  }
  for (const Stmt *child : stmt->children()) {
    std::string read = CallValueRead(child);
    if (!read.empty()) return read;
  }
  return "";
}

}  // namespace

// `static const double k = scale * i;` is initialised at the function's first call,
// once per process: in a task's process at another call than the driver's first.
void EffectAnalyzer::NoteStaticInitializer(const VarDecl *var, Effects &effects) {
  const Expr *init = var->getInit();
  if (init == nullptr || init->isValueDependent() || var->hasConstantInitialization())
    return;
  std::string from = CallValueRead(init);
  if (!from.empty()) {
    NoteUnsharedState(effects, "initialises the static '" + NameOf(var) + "' from " +
                                   from +
                                   " at its first call, which a task's process "
                                   "makes at another iteration");
  }
  Effects initializer = OfStmt(init);
  effects.globals_read_once.insert(initializer.globals_read.begin(),
                                   initializer.globals_read.end());
  effects.summary_globals_read_once.insert(initializer.summary_globals_read.begin(),
                                           initializer.summary_globals_read.end());
}

void EffectAnalyzer::NoteRead(const VarDecl *var, Effects &effects) {
  if (IsMutableGlobal(var, context_))
    effects.globals_read.insert(var->getCanonicalDecl());
}

std::optional<LibraryEffect> EffectAnalyzer::ListedEffect(
    const FunctionDecl *callee) const {
  if (settings_ == nullptr) return std::nullopt;
  std::string name = callee->getQualifiedNameAsString();
  if (settings_->io_functions.count(name) != 0) return LibraryEffect::kIo;
  if (settings_->pure_functions.count(name) != 0) return LibraryEffect::kPure;
  return std::nullopt;
}

namespace {

// Every call, in `stmt`, of a function with a plain name.
void ForEachNamedCall(const Stmt *stmt,
                      llvm::function_ref<void(const FunctionDecl *)> visit) {
  if (stmt == nullptr) return;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee != nullptr && callee->getDeclName().isIdentifier()) visit(callee);
  }
  for (const Stmt *child : stmt->children()) ForEachNamedCall(child, visit);
}

// Visits every declaration of the user's files (in namespaces, linkage blocks and
// classes too), with function templates as their pattern, until `visit` says stop.
bool AnyUserDecl(const DeclContext *scope, const SourceManager &sources,
                 llvm::function_ref<bool(const Decl *)> visit) {
  for (const Decl *decl : scope->decls()) {
    if (sources.isInSystemHeader(decl->getLocation())) continue;
    if (const auto *pattern = dyn_cast<FunctionTemplateDecl>(decl))
      decl = pattern->getTemplatedDecl();
    if (visit(decl)) return true;
    if (const auto *inner = dyn_cast<DeclContext>(decl);
        inner != nullptr && !isa<FunctionDecl>(decl) &&
        AnyUserDecl(inner, sources, visit))
      return true;
  }
  return false;
}

// A function of the C library (the compiler's own builtins are not).
bool IsCLibraryFunction(const FunctionDecl *function) {
  if (!function->isExternC()) return false;
  unsigned id = function->getBuiltinID();
  return id == 0 || function->getASTContext().BuiltinInfo.isPredefinedLibFunction(id);
}

}  // namespace

const EffectAnalyzer::ExposedState &EffectAnalyzer::ProgramExposes() {
  if (exposed_) return *exposed_;
  exposed_.emplace();
  ExposedState &state = *exposed_;
  static const std::set<llvm::StringRef> kFloatEnvironment = {
      "fesetround",      "fesetenv",      "feupdateenv",   "feholdexcept",
      "fesetexceptflag", "feraiseexcept", "feclearexcept", "fetestexcept",
      "fegetexceptflag", "fegetround",    "fegetenv",      "_mm_setcsr"};
  auto note = [&](const FunctionDecl *callee) {
    llvm::StringRef name = callee->getName();
    // glibc's errno is `(*__errno_location ())`; other C libraries name it otherwise.
    if (name == "__errno_location" || name == "__errno" || name == "___errno" ||
        name == "_errno" || name == "__error")
      state.errno_used = true;
    const auto *method = dyn_cast<CXXMethodDecl>(callee);
    if (name == "setlocale" || name == "uselocale" ||
        (name == "global" && method != nullptr &&
         method->getParent()->isInStdNamespace() &&
         method->getParent()->getName() == "locale"))
      state.locale_set = true;
    if (kFloatEnvironment.count(name) != 0) state.float_environment_used = true;
  };
  AnyUserDecl(context_.getTranslationUnitDecl(), context_.getSourceManager(),
              [&](const Decl *decl) {
                if (const auto *function = dyn_cast<FunctionDecl>(decl)) {
                  if (function->hasBody()) ForEachNamedCall(function->getBody(), note);
                } else if (const auto *var = dyn_cast<VarDecl>(decl)) {
                  ForEachNamedCall(var->getInit(), note);
                }
                return false;
              });
  return state;
}

const Effects &EffectAnalyzer::ReplacedAllocationEffects() {
  // Asked again from inside the replacements (their malloc is a library call): what
  // they do is being gathered right now.
  static const Effects kGathering;
  if (replaced_allocation_) return *replaced_allocation_;
  if (gathering_allocation_) return kGathering;
  gathering_allocation_ = true;
  Effects gathered;
  const SourceManager &sources = context_.getSourceManager();
  for (const Decl *decl : context_.getTranslationUnitDecl()->decls()) {
    const auto *function = dyn_cast<FunctionDecl>(decl);
    // Only definitions the user wrote: the compiler declares every one implicitly.
    if (function == nullptr || function->isImplicit() ||
        !function->doesThisDeclarationHaveABody() ||
        sources.isInSystemHeader(function->getLocation()) ||
        !function->isReplaceableGlobalAllocationFunction())
      continue;
    // Scanned here rather than through OfFunction: the first ask may come from
    // inside a replacement, where OfFunction would take it for recursion.
    Scan(function->getBody(), gathered);
  }
  gathered.writes_object = false;
  replaced_allocation_ = gathered;
  gathering_allocation_ = false;
  return *replaced_allocation_;
}

void EffectAnalyzer::ScanLibraryCall(const FunctionDecl *callee, const Expr *call,
                                     Effects &effects) {
  std::string name = NameOf(callee);
  // Formatting into a string stream the code declares itself is work on a local.
  bool on_own_stream = call != nullptr && OnOwnStringStream(call);
  switch (on_own_stream ? LibraryEffect::kPure : ClassifyLibraryFunction(callee)) {
    case LibraryEffect::kPure:
      if (IsCLibraryFunction(callee)) {
        if (ProgramExposes().errno_used) {
          NoteUnsharedState(effects, "calls " + name +
                                         ", which may set errno, and the program "
                                         "reads errno");
        }
      }
      // strtod, isalpha, toupper read the locale, and so does std::to_string (through
      // vsnprintf); a task's process may have started before the program set it.
      if ((IsCLibraryFunction(callee) || HasName(callee, "to_string") ||
           HasName(callee, "to_wstring")) &&
          ProgramExposes().locale_set) {
        NoteUnsharedState(
            effects, "calls " + name + ", which may read the locale the program sets");
      }
      break;
    case LibraryEffect::kIo:
      SetOnce(effects.io, "calls " + name);
      break;
    case LibraryEffect::kHiddenState:
      NoteUnsharedState(effects, "calls " + name + " (hidden global state)");
      break;
    case LibraryEffect::kExit:
      SetOnce(effects.exits, "calls " + name + ", which ends the program");
      break;
    case LibraryEffect::kMayThrow:
      SetOnce(effects.may_throw, "calls " + name + ", which throws on bad input");
      // The standard library throws its own classes; a listed library, anything.
      if (InStd(callee)) {
        NoteStandardThrows(callee, effects);
      } else {
        effects.throws_unknown = true;
      }
      break;
    case LibraryEffect::kUnknown:
      SetOnce(
          effects.unknown_call,
          "calls " + name + ", which rayify does not know to be free of hidden effects");
      break;
  }
  ScanCallableArguments(call, effects);
  ScanLibraryCallbacks(callee, call, effects);
  // Any library call may allocate, and a program that replaces operator new gets its
  // own version called from inside the library.
  effects.Merge(ReplacedAllocationEffects());
}

namespace {

// Operators a library calls on the values it holds, sorts, hashes or folds; not the
// stream operators, which only the user's own code calls.
bool IsOperatorLibrariesCall(OverloadedOperatorKind kind) {
  switch (kind) {
    case OO_Less:
    case OO_Greater:
    case OO_LessEqual:
    case OO_GreaterEqual:
    case OO_EqualEqual:
    case OO_ExclaimEqual:
    case OO_Spaceship:
    case OO_Equal:
    case OO_Call:
    case OO_Plus:
    case OO_Minus:
    case OO_Star:
      return true;
    default:
      return false;
  }
}

bool IsNamedCallback(const FunctionDecl *function) {
  if (function->isOverloadedOperator())
    return IsOperatorLibrariesCall(function->getOverloadedOperator());
  return HasName(function, "swap");
}

// The user's record behind a parameter type: `const Key &` -> Key.
const CXXRecordDecl *ParameterRecord(QualType type) {
  const CXXRecordDecl *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  return record != nullptr && record->hasDefinition() ? record->getDefinition() : nullptr;
}

}  // namespace

const EffectAnalyzer::NamedCallbacks &EffectAnalyzer::UserNamedCallbacks() {
  if (named_callbacks_) return *named_callbacks_;
  named_callbacks_.emplace();
  AnyUserDecl(context_.getTranslationUnitDecl(), context_.getSourceManager(),
              [&](const Decl *decl) {
                const auto *function = dyn_cast<FunctionDecl>(decl);
                if (function != nullptr && !isa<CXXMethodDecl>(function) &&
                    IsNamedCallback(function)) {
                  named_callbacks_->functions.push_back(function);
                }
                if (const auto *special = dyn_cast<ClassTemplateSpecializationDecl>(decl);
                    special != nullptr && special->isInStdNamespace()) {
                  named_callbacks_->specializations.push_back(special);
                }
                return false;
              });
  return *named_callbacks_;
}

void EffectAnalyzer::CollectUserRecords(QualType type,
                                        std::set<const CXXRecordDecl *> &records,
                                        std::set<const CXXRecordDecl *> &seen) {
  if (type.isNull()) return;
  type = type.getNonReferenceType();
  while (type->isPointerType() || type->isArrayType()) {
    type = type->isPointerType() ? type->getPointeeType()
                                 : QualType(type->getArrayElementTypeNoTypeQual(), 0);
  }
  const CXXRecordDecl *record = type->getAsCXXRecordDecl();
  if (record == nullptr || !record->hasDefinition()) return;
  record = record->getDefinition();
  if (!seen.insert(record).second || record->isLambda()) return;
  if (!context_.getSourceManager().isInSystemHeader(record->getLocation())) {
    records.insert(record);
    return;
  }
  if (const auto *holder = dyn_cast<ClassTemplateSpecializationDecl>(record)) {
    for (const TemplateArgument &arg : holder->getTemplateArgs().asArray()) {
      if (arg.getKind() == TemplateArgument::Type)
        CollectUserRecords(arg.getAsType(), records, seen);
    }
  }
}

void EffectAnalyzer::CollectContainedRecords(QualType type,
                                             std::set<const CXXRecordDecl *> &records,
                                             std::set<const CXXRecordDecl *> &seen) {
  std::set<const CXXRecordDecl *> found;
  CollectUserRecords(type, found, seen);
  for (const CXXRecordDecl *record : found) {
    if (!records.insert(record).second) continue;
    for (const FieldDecl *field : record->fields())
      CollectContainedRecords(field->getType(), records, seen);
    for (const CXXBaseSpecifier &base : record->bases())
      CollectContainedRecords(base.getType(), records, seen);
  }
}

Effects EffectAnalyzer::OfCopies(QualType type) {
  Effects effects;
  std::set<const CXXRecordDecl *> records, seen;
  CollectContainedRecords(type, records, seen);
  for (const CXXRecordDecl *record : records) {
    // Converting constructors run only where the program calls them.
    for (const CXXConstructorDecl *constructor : record->ctors()) {
      if (constructor->isDefaultConstructor() || constructor->isCopyOrMoveConstructor())
        ScanCall(constructor, nullptr, effects);
    }
    for (const FieldDecl *field : record->fields()) {
      if (field->hasInClassInitializer()) Scan(field->getInClassInitializer(), effects);
    }
  }
  ScanDestruction(type.getNonReferenceType(), effects);
  effects.writes_object = false;  // the copy's own members
  return effects;
}

Effects EffectAnalyzer::OfDestruction(QualType type) {
  Effects effects;
  ScanDestruction(type, effects);
  effects.writes_object = false;  // the object's own members, gone with it
  return effects;
}

void EffectAnalyzer::ScanLibraryCallbacks(const FunctionDecl *callee, const Expr *call,
                                          Effects &effects) {
  std::set<const CXXRecordDecl *> records, seen;
  if (const TemplateArgumentList *args = callee->getTemplateSpecializationArgs()) {
    for (const TemplateArgument &arg : args->asArray()) {
      if (arg.getKind() == TemplateArgument::Type)
        CollectUserRecords(arg.getAsType(), records, seen);
    }
  }
  if (const auto *method = dyn_cast<CXXMethodDecl>(callee))
    CollectUserRecords(context_.getRecordType(method->getParent()), records, seen);
  if (const auto *plain = dyn_cast_or_null<CallExpr>(call)) {
    for (const Expr *arg : plain->arguments())
      CollectUserRecords(arg->getType(), records, seen);
  } else if (const auto *construct = dyn_cast_or_null<CXXConstructExpr>(call)) {
    for (const Expr *arg : construct->arguments())
      CollectUserRecords(arg->getType(), records, seen);
  }
  for (const CXXRecordDecl *record : records) effects.Merge(CallbackEffectsOf(record));
}

Effects EffectAnalyzer::CallbackEffectsOf(const CXXRecordDecl *record) {
  auto cached = callback_effects_.find(record);
  if (cached != callback_effects_.end()) return cached->second;
  // A record reached again while its own effects are being gathered (a trie whose
  // members hold tries): the outer gathering collects them.
  if (!callbacks_in_progress_.insert(record).second) return Effects{};
  Effects effects;
  std::set<const CXXRecordDecl *> seen;
  ScanCallbacksOf(record, effects, seen);
  effects.writes_object = false;  // the library's objects, not the caller's
  callbacks_in_progress_.erase(record);
  // Inside another record's gathering the result may miss that record's effects.
  if (callbacks_in_progress_.empty()) callback_effects_[record] = effects;
  return effects;
}

void EffectAnalyzer::ScanCallbacksOf(const CXXRecordDecl *record, Effects &effects,
                                     std::set<const CXXRecordDecl *> &seen) {
  if (!seen.insert(record).second) return;
  for (const CXXConstructorDecl *constructor : record->ctors())
    ScanCall(constructor, nullptr, effects);
  for (const FieldDecl *field : record->fields()) {
    if (field->hasInClassInitializer()) Scan(field->getInClassInitializer(), effects);
  }
  ScanDestruction(context_.getRecordType(record), effects);
  for (const CXXMethodDecl *method : record->methods()) {
    if (!isa<CXXConstructorDecl, CXXDestructorDecl>(method) && IsNamedCallback(method))
      ScanCall(method, nullptr, effects);
  }
  // Operators defined as friends inside the class, found only by argument lookup.
  for (const FriendDecl *befriended : record->friends()) {
    const auto *function = dyn_cast_or_null<FunctionDecl>(befriended->getFriendDecl());
    if (function != nullptr && IsNamedCallback(function))
      ScanCall(function, nullptr, effects);
  }
  const NamedCallbacks &named = UserNamedCallbacks();
  for (const FunctionDecl *function : named.functions) {
    for (const ParmVarDecl *param : function->parameters()) {
      if (ParameterRecord(param->getType()) == record) {
        ScanCall(function, nullptr, effects);
        break;
      }
    }
  }
  for (const CXXRecordDecl *special : named.specializations) {
    const auto *spec = cast<ClassTemplateSpecializationDecl>(special);
    for (const TemplateArgument &arg : spec->getTemplateArgs().asArray()) {
      if (arg.getKind() != TemplateArgument::Type ||
          ParameterRecord(arg.getAsType()) != record)
        continue;
      for (const CXXMethodDecl *method : special->methods()) {
        if (method->getOverloadedOperator() == OO_Call)
          ScanCall(method, nullptr, effects);
      }
    }
  }
  // Members and bases are built, copied, compared and destroyed with the record.
  std::set<const CXXRecordDecl *> parts, parts_seen;
  for (const FieldDecl *field : record->fields())
    CollectUserRecords(field->getType(), parts, parts_seen);
  for (const CXXBaseSpecifier &base : record->bases())
    CollectUserRecords(base.getType(), parts, parts_seen);
  for (const CXXRecordDecl *part : parts) ScanCallbacksOf(part, effects, seen);
}

// A callable handed to a library function (std::sort's comparator, std::for_each's
// action) runs as part of the call: its effects are the caller's.
void EffectAnalyzer::ScanCallableArguments(const Expr *call, Effects &effects) {
  llvm::ArrayRef<const Expr *> args;
  if (const auto *plain = dyn_cast<CallExpr>(call)) {
    args = llvm::ArrayRef(plain->getArgs(), plain->getNumArgs());
  } else if (const auto *construct = dyn_cast<CXXConstructExpr>(call)) {
    args = llvm::ArrayRef(construct->getArgs(), construct->getNumArgs());
  }
  for (const Expr *arg : args) {
    const auto *record = arg->getType()->getAsCXXRecordDecl();
    if (record == nullptr || !record->hasDefinition() || record->isLambda()) {
      continue;  // lambda bodies are scanned where they are written
    }
    if (context_.getSourceManager().isInSystemHeader(record->getLocation())) {
      if (record->getName() == "function") {
        SetOnce(effects.unknown_call,
                "passes a std::function, whose target rayify cannot see");
      }
      continue;
    }
    for (const CXXMethodDecl *method : record->methods()) {
      if (method->getOverloadedOperator() == OO_Call) ScanCall(method, nullptr, effects);
    }
  }
}

void EffectAnalyzer::ScanCall(const FunctionDecl *callee, const Expr *call,
                              Effects &effects) {
  // The configuration's lists win: an I/O function is I/O wherever its body is, and
  // a pure one needs no body.
  if (std::optional<LibraryEffect> listed = ListedEffect(callee)) {
    if (*listed == LibraryEffect::kIo) {
      SetOnce(effects.io,
              "calls " + NameOf(callee) + " (an I/O function by configuration)");
    }
    if (call != nullptr) ScanCallableArguments(call, effects);
    return;
  }
  if (IsLibraryFunction(callee)) {
    if (call != nullptr) ScanLibraryCall(callee, call, effects);
    return;
  }
  // A trivial special member only copies bytes. A compiler-provided one that is not
  // trivial runs members' and bases' special members and default member
  // initializers: the definition the compiler made holds those (one never made
  // cannot have been called).
  if (callee->isTrivial()) return;
  if ((callee->isImplicit() || callee->isDefaulted()) && !callee->hasBody()) return;
  const FunctionDecl *definition = callee->getDefinition();
  Effects called = OfFunction(definition != nullptr ? definition : callee);
  // The callee's own object is the caller's argument, not the caller's object.
  bool changes_object = called.writes_object;
  called.writes_object = false;
  effects.Merge(called);
  if (changes_object && call != nullptr) {
    if (const auto *member_call = dyn_cast<CXXMemberCallExpr>(call)) {
      NoteWrite(member_call->getImplicitObjectArgument(), effects);
    } else if (const auto *op_call = dyn_cast<CXXOperatorCallExpr>(call);
               op_call != nullptr && op_call->getNumArgs() > 0) {
      NoteWrite(op_call->getArg(0), effects);
    }
  }
}

void EffectAnalyzer::ScanDestruction(QualType type, Effects &effects) {
  std::set<const CXXRecordDecl *> seen;
  ScanDestruction(type, effects, seen);
}

void EffectAnalyzer::ScanDestruction(QualType type, Effects &effects,
                                     std::set<const CXXRecordDecl *> &seen) {
  if (type->isReferenceType()) return;  // a reference destroys nothing
  const CXXRecordDecl *record = type->getBaseElementTypeUnsafe()->getAsCXXRecordDecl();
  if (record == nullptr || !record->hasDefinition()) return;
  record = record->getDefinition();
  if (!seen.insert(record).second || record->hasTrivialDestructor()) return;
  if (context_.getSourceManager().isInSystemHeader(record->getLocation())) {
    // A library container or smart pointer destroys what it holds; a smart pointer
    // to a class with a virtual destructor may hold a derived one.
    if (const auto *holder = dyn_cast<ClassTemplateSpecializationDecl>(record)) {
      bool smart = holder->getName() == "unique_ptr" || holder->getName() == "shared_ptr";
      for (const TemplateArgument &arg : holder->getTemplateArgs().asArray()) {
        if (arg.getKind() != TemplateArgument::Type) continue;
        const CXXRecordDecl *held = arg.getAsType()->getAsCXXRecordDecl();
        const CXXDestructorDecl *virtual_destructor =
            smart && held != nullptr && held->hasDefinition() ? held->getDestructor()
                                                              : nullptr;
        if (virtual_destructor != nullptr && virtual_destructor->isVirtual() &&
            !held->hasAttr<FinalAttr>()) {
          SetOnce(effects.unknown_call, "destroys a " + NameOf(held) +
                                            " through its virtual destructor, which "
                                            "any derived class may implement");
        }
        ScanDestruction(arg.getAsType(), effects, seen);
      }
    }
    return;
  }
  const CXXDestructorDecl *destructor = record->getDestructor();
  if (destructor != nullptr && destructor->isUserProvided())
    ScanCall(destructor, nullptr, effects);
  for (const FieldDecl *field : record->fields())
    ScanDestruction(field->getType(), effects, seen);
  for (const CXXBaseSpecifier &base : record->bases())
    ScanDestruction(base.getType(), effects, seen);
}

void EffectAnalyzer::NoteFloatingPoint(const Expr *expr, Effects &effects) {
  bool arithmetic = isa<BinaryOperator, UnaryOperator, CallExpr>(expr);
  if (const auto *cast = dyn_cast<ImplicitCastExpr>(expr)) {
    arithmetic = cast->getCastKind() == CK_IntegralToFloating ||
                 cast->getCastKind() == CK_FloatingCast;
  }
  // SIMD arithmetic on floating-point lanes obeys the same environment.
  QualType type = expr->getType();
  if (const auto *vector = type->getAs<VectorType>()) type = vector->getElementType();
  if (!arithmetic || !type->isRealFloatingType() ||
      !ProgramExposes().float_environment_used)
    return;
  NoteUnsharedState(
      effects,
      "computes in floating point, and the program sets or reads the "
      "floating-point environment (fesetround, fetestexcept, _mm_setcsr, ...), which a "
      "task's thread or process does not share");
}

void EffectAnalyzer::Scan(const Stmt *stmt, Effects &effects) {
  if (stmt == nullptr) return;
  // What a `try` catches does not leave it: the statement has every other effect of
  // its block, and its handlers' own (a rethrow included). (A lambda's body is scanned
  // where it is written, as if called there: one written in the block leaves it only
  // as a function pointer or std::function, whose calls are unknown callees.)
  if (const auto *attempt = dyn_cast<CXXTryStmt>(stmt); attempt != nullptr) {
    Effects inside;
    Scan(attempt->getTryBlock(), inside);
    if (CatchesAllThrown(attempt, inside)) {
      inside.may_throw.clear();
      inside.thrown_classes.clear();
      inside.throws_standard_library = inside.throws_unknown = false;
    }
    effects.Merge(inside);
    for (unsigned i = 0; i < attempt->getNumHandlers(); ++i)
      Scan(attempt->getHandler(i), effects);
    return;
  }
  if (const auto *call = dyn_cast<CallExpr>(stmt);
      call != nullptr && left_out_ != nullptr && left_out_->count(call) != 0) {
    for (const Expr *argument : call->arguments()) Scan(argument, effects);
    return;
  }
  if (IsLoop(stmt)) effects.has_loop = true;
  if (const auto *expr = dyn_cast<Expr>(stmt)) {
    if (effects.global_write.empty()) NoteFloatingPoint(expr, effects);
    if (effects.io.empty() && !isa<ImplicitCastExpr>(expr) &&
        IsIoStreamType(expr->getType())) {
      if (!OnOwnStringStream(expr)) {
        effects.io = "uses a stream";
        if (const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts()))
          effects.io = "uses " + NameOf(ref->getDecl());
      } else if (ProgramExposes().locale_set) {
        // A stream formats with the global locale of when it was made.
        NoteUnsharedState(effects,
                          "formats with a string stream, which reads the "
                          "locale the program sets");
      }
    }
  }
  if (const auto *thrown = dyn_cast<CXXThrowExpr>(stmt)) {
    SetOnce(effects.may_throw, "throws an exception");
    const Expr *object = thrown->getSubExpr();  // null for a rethrow
    const CXXRecordDecl *thrown_class =
        object != nullptr ? object->getType()->getAsCXXRecordDecl() : nullptr;
    if (thrown_class != nullptr && thrown_class->hasDefinition()) {
      effects.thrown_classes.insert(thrown_class->getCanonicalDecl());
    } else {
      effects.throws_unknown = true;  // a number, a pointer, whatever was caught
    }
  }
  if (const auto *cast = dyn_cast<ExplicitCastExpr>(stmt);
      cast != nullptr && CastsAwayConst(cast)) {
    effects.untracked_write = true;
    NoteUnsharedState(effects,
                      "casts away const, so it may write what it was given to read");
  }
  ForEachWrite(stmt, [&](const Expr *target) { NoteWrite(target, effects); });
  if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
    if (const auto *var = dyn_cast<VarDecl>(ref->getDecl())) NoteRead(var, effects);
    // A function named other than as the callee of a call (a callback, a pointer
    // taken): it may run from anywhere, so its effects are this code's.
    if (const auto *function = dyn_cast<FunctionDecl>(ref->getDecl())) {
      if (IsLibraryFunction(function)) {
        ScanLibraryCall(function, ref, effects);
      } else {
        ScanCall(function, nullptr, effects);
      }
    }
    return;
  }
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      const auto *member_call = dyn_cast<CXXMemberCallExpr>(call);
      if (member_call != nullptr && IsVirtualDispatch(member_call)) {
        SetOnce(effects.unknown_call, "calls the virtual function " + NameOf(callee) +
                                          ", which any override may implement");
      }
      ScanCall(callee, call, effects);
      // The callee expression names the function called: not a callback.
      if (member_call != nullptr) Scan(member_call->getImplicitObjectArgument(), effects);
      for (const Expr *arg : call->arguments()) Scan(arg, effects);
      return;
    }
    if (!isa<CXXPseudoDestructorExpr>(call->getCallee()->IgnoreParenImpCasts())) {
      SetOnce(effects.unknown_call,
              "calls through a function pointer or object rayify cannot see");
    }
  } else if (const auto *construct = dyn_cast<CXXConstructExpr>(stmt)) {
    ScanCall(construct->getConstructor(), construct, effects);
  } else if (const auto *member_default = dyn_cast<CXXDefaultInitExpr>(stmt)) {
    // `int id = ++made;` in the class runs wherever a constructor uses it; the AST
    // shows it as a leaf.
    Scan(member_default->getExpr(), effects);
  } else if (const auto *argument_default = dyn_cast<CXXDefaultArgExpr>(stmt)) {
    Scan(argument_default->getExpr(), effects);  // `f(x, int id = next_id())`
  } else if (const auto *decls = dyn_cast<DeclStmt>(stmt)) {
    for (const Decl *decl : decls->decls()) {
      const auto *var = dyn_cast<VarDecl>(decl);
      if (var != nullptr && var->hasLocalStorage())
        ScanDestruction(var->getType(), effects);
      if (var != nullptr && var->isStaticLocal()) NoteStaticInitializer(var, effects);
    }
  } else if (const auto *temporary = dyn_cast<CXXBindTemporaryExpr>(stmt)) {
    ScanDestruction(temporary->getType(), effects);
  } else if (const auto *allocation = dyn_cast<CXXNewExpr>(stmt)) {
    // The program's own operator new (a class's, or a replacement of the global
    // one); the compiler's implicit declarations are the library's.
    const FunctionDecl *allocate = allocation->getOperatorNew();
    if (allocate != nullptr && !allocate->isImplicit())
      ScanCall(allocate, allocation, effects);
  } else if (const auto *deletion = dyn_cast<CXXDeleteExpr>(stmt)) {
    const FunctionDecl *release = deletion->getOperatorDelete();
    if (release != nullptr && !release->isImplicit())
      ScanCall(release, deletion, effects);
    QualType destroyed = deletion->getDestroyedType();
    const CXXRecordDecl *record =
        destroyed.isNull() ? nullptr : destroyed->getAsCXXRecordDecl();
    const CXXDestructorDecl *destructor =
        record != nullptr && record->hasDefinition() ? record->getDestructor() : nullptr;
    if (destructor != nullptr && destructor->isVirtual() &&
        !record->hasAttr<FinalAttr>()) {
      SetOnce(effects.unknown_call, "deletes through the virtual destructor of " +
                                        NameOf(record) +
                                        ", which any derived class may implement");
    }
    if (!destroyed.isNull()) ScanDestruction(destroyed, effects);
  }
  ScanChildren(stmt, effects);
}

void EffectAnalyzer::ScanChildren(const Stmt *stmt, Effects &effects) {
  for (const Stmt *child : stmt->children()) Scan(child, effects);
}

}  // namespace rayify
