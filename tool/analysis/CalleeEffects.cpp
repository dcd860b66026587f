#include "analysis/CalleeEffects.h"

#include "analysis/LibraryModel.h"
#include "analysis/Writes.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>

#include <algorithm>
#include <cstdint>
#include <unordered_set>

namespace rayify {
namespace {

using namespace clang;

std::string NameOf(const NamedDecl *decl) { return decl->getQualifiedNameAsString(); }

void SetOnce(std::string &slot, const std::string &text) {
  if (slot.empty()) slot = text;
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
  // A local object of class type has the dynamic type it was declared with.
  const auto *ref =
      dyn_cast<DeclRefExpr>(call->getImplicitObjectArgument()->IgnoreParenImpCasts());
  const auto *var = ref == nullptr ? nullptr : dyn_cast<VarDecl>(ref->getDecl());
  return var == nullptr || !var->getType()->isRecordType();
}

}  // namespace

void Effects::Merge(const Effects &other) {
  MergePhrases(other);
  globals_read.insert(other.globals_read.begin(), other.globals_read.end());
  globals_written.insert(other.globals_written.begin(), other.globals_written.end());
  summary_globals_read.insert(other.summary_globals_read.begin(),
                              other.summary_globals_read.end());
  unseen.insert(other.unseen.begin(), other.unseen.end());
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

const VarDecl *BaseVariable(const Expr *expr) {
  while (expr != nullptr) {
    expr = expr->IgnoreParenImpCasts();
    if (const auto *ref = dyn_cast<DeclRefExpr>(expr))
      return dyn_cast<VarDecl>(ref->getDecl());
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

bool IsMutableGlobal(const VarDecl *var, ASTContext &context) {
  if (var == nullptr || !var->hasGlobalStorage() || IsStandardStream(var) ||
      IsIoStreamType(var->getType())) {
    return false;
  }
  // A constant pointer may still lead to memory that changes.
  QualType type = var->getType();
  if (type->isPointerType() || type->isReferenceType()) return true;
  return !var->isConstexpr() && !type.isConstant(context);
}

bool EffectAnalyzer::IsLibraryFunction(const FunctionDecl *function) const {
  const SourceManager &sources = context_.getSourceManager();
  if (sources.isInSystemHeader(function->getLocation())) return true;
  return function->isInStdNamespace() || function->getBuiltinID() != 0;
}

Effects EffectAnalyzer::OfFunction(const FunctionDecl *function) {
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
  Effects effects;
  if (definition->hasBody()) Scan(definition->getBody(), effects);  // not `= default`
  stack_.pop_back();
  // Inside an open cycle the result misses the effects of the cycle's head: it is
  // complete, and worth keeping, only once the head itself is done.
  if (lowest_open_cycle_ >= depth) {
    lowest_open_cycle_ = SIZE_MAX;
    cache_[definition] = effects;
  }
  return effects;
}

const FunctionSummary *EffectAnalyzer::SummaryOf(const FunctionDecl *function) const {
  if (project_ == nullptr || function->getDefinition() != nullptr) return nullptr;
  return project_->Find(UsrOf(function->getCanonicalDecl()));
}

Effects EffectAnalyzer::OfBodiless(const FunctionDecl *function) {
  std::string usr = UsrOf(function->getCanonicalDecl());
  asked_without_body_.insert(usr);
  Effects effects;
  if (const FunctionSummary *summary = SummaryOf(function)) {
    static_cast<EffectPhrases &>(effects) = summary->effects;
    effects.summary_globals_read = summary->effects.globals_read;
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
  Effects effects;
  Scan(stmt, effects);
  return effects;
}

void EffectAnalyzer::NoteWrite(const Expr *target, Effects &effects) {
  WriteTarget written = ResolveWriteTarget(target);
  switch (written.kind) {
    case WriteTarget::kThisObject:
      effects.writes_object = true;
      return;
    case WriteTarget::kFreshMemory:
      return;
    case WriteTarget::kUnknown:
      SetOnce(effects.global_write,
              "writes through a reference or pointer rayify cannot follow to a "
              "variable (it may be a global)");
      return;
    case WriteTarget::kVariable:
      break;
  }
  const VarDecl *var = written.var;
  if (!IsMutableGlobal(var, context_)) {
    if (var->hasGlobalStorage() && IsIoStreamType(var->getType())) return;  // I/O
    if (!var->hasGlobalStorage()) return;
  }
  effects.globals_written.insert(var->getCanonicalDecl());
  SetOnce(effects.global_write,
          std::string("writes the ") +
              (var->isStaticLocal() ? "static variable '" : "global '") + NameOf(var) +
              "'");
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

void EffectAnalyzer::ScanLibraryCall(const FunctionDecl *callee, const Expr *call,
                                     Effects &effects) {
  std::string name = NameOf(callee);
  switch (ClassifyLibraryFunction(callee)) {
    case LibraryEffect::kPure:
      break;
    case LibraryEffect::kIo:
      SetOnce(effects.io, "calls " + name);
      break;
    case LibraryEffect::kHiddenState:
      SetOnce(effects.global_write, "calls " + name + " (hidden global state)");
      break;
    case LibraryEffect::kExit:
      SetOnce(effects.exits, "calls " + name + ", which ends the program");
      break;
    case LibraryEffect::kMayThrow:
      SetOnce(effects.may_throw, "calls " + name + ", which throws on bad input");
      break;
    case LibraryEffect::kUnknown:
      SetOnce(
          effects.unknown_call,
          "calls " + name + ", which rayify does not know to be free of hidden effects");
      break;
  }
  ScanCallableArguments(call, effects);
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
  // Compiler-provided special members only copy or destroy members.
  if (callee->isImplicit() || callee->isDefaulted() || callee->isTrivial()) return;
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

void EffectAnalyzer::Scan(const Stmt *stmt, Effects &effects) {
  if (stmt == nullptr) return;
  if (IsLoop(stmt)) effects.has_loop = true;
  if (const auto *expr = dyn_cast<Expr>(stmt)) {
    if (effects.io.empty() && !isa<ImplicitCastExpr>(expr) &&
        IsIoStreamType(expr->getType())) {
      effects.io = "uses a stream";
      if (const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts())) {
        effects.io = "uses " + NameOf(ref->getDecl());
      }
    }
  }
  if (isa<CXXThrowExpr>(stmt)) SetOnce(effects.may_throw, "throws an exception");
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
  }
  ScanChildren(stmt, effects);
}

void EffectAnalyzer::ScanChildren(const Stmt *stmt, Effects &effects) {
  for (const Stmt *child : stmt->children()) Scan(child, effects);
}

}  // namespace rayify
