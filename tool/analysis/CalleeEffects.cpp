#include "analysis/CalleeEffects.h"

#include "analysis/Writes.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <unordered_set>

namespace rayify {
namespace {

using namespace clang;

// Library functions that read or write files, the terminal or the environment.
const std::unordered_set<std::string> kIoFunctions = {
    "printf",  "fprintf",  "vprintf", "vfprintf", "dprintf", "puts",    "fputs",
    "putchar", "putc",     "fputc",   "fwrite",   "fread",   "fopen",   "freopen",
    "fclose",  "fflush",   "fgets",   "fgetc",    "getc",    "getchar", "gets",
    "scanf",   "fscanf",   "vscanf",  "perror",   "remove",  "rename",  "tmpfile",
    "system",  "write",    "read",    "open",     "close",   "getenv",  "setenv",
    "putenv",  "unsetenv", "sleep",   "usleep"};

// Library functions whose results depend on, or change, hidden global state.
const std::unordered_set<std::string> kGlobalStateFunctions = {
    "rand",    "srand",  "random",    "srandom", "drand48", "srand48",
    "lrand48", "strtok", "setlocale", "time",    "clock"};

std::string NameOf(const NamedDecl *decl) { return decl->getQualifiedNameAsString(); }

std::string PlainName(const FunctionDecl *function) {
  return function->getDeclName().isIdentifier() ? function->getName().str() : "";
}

}  // namespace

void Effects::Merge(const Effects &other) {
  if (io.empty()) io = other.io;
  if (global_write.empty()) global_write = other.global_write;
  if (not_visible.empty()) not_visible = other.not_visible;
  has_loop = has_loop || other.has_loop;
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
  return kAccessors.count(method->getNameAsString()) != 0;
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

bool EffectAnalyzer::IsLibraryFunction(const FunctionDecl *function) const {
  const SourceManager &sources = context_.getSourceManager();
  if (sources.isInSystemHeader(function->getLocation())) return true;
  return function->isInStdNamespace() || function->getBuiltinID() != 0;
}

Effects EffectAnalyzer::OfFunction(const FunctionDecl *function) {
  const FunctionDecl *definition = function->getDefinition();
  if (definition == nullptr) definition = function;
  auto cached = cache_.find(definition);
  if (cached != cache_.end()) return cached->second;
  Effects effects;
  if (in_progress_.count(definition) != 0) {
    effects.has_loop = true;  // recursion repeats work like a loop does
    return effects;
  }
  in_progress_.insert(definition);
  if (definition->hasBody()) Scan(definition->getBody(), effects);
  in_progress_.erase(definition);
  cache_[definition] = effects;
  return effects;
}

Effects EffectAnalyzer::OfStmt(const Stmt *stmt) {
  Effects effects;
  Scan(stmt, effects);
  return effects;
}

void EffectAnalyzer::NoteWrite(const Expr *target, Effects &effects) {
  const VarDecl *var = BaseVariable(target);
  if (var == nullptr || !var->hasGlobalStorage() || IsStandardStream(var)) return;
  if (IsIoStreamType(var->getType())) return;  // reported as I/O instead
  if (effects.global_write.empty()) {
    effects.global_write = std::string("writes the ") +
                           (var->isStaticLocal() ? "static variable '" : "global '") +
                           NameOf(var) + "'";
  }
}

void EffectAnalyzer::ScanCall(const FunctionDecl *callee, Effects &effects) {
  std::string plain = PlainName(callee);
  bool library = IsLibraryFunction(callee);
  if (library && kIoFunctions.count(plain) != 0 && !callee->isCXXClassMember()) {
    if (effects.io.empty()) effects.io = "calls " + NameOf(callee);
    return;
  }
  if (library && kGlobalStateFunctions.count(plain) != 0 && !callee->isCXXClassMember()) {
    if (effects.global_write.empty()) {
      effects.global_write =
          "calls " + NameOf(callee) + ", which uses hidden global state";
    }
    return;
  }
  if (library) return;
  // Compiler-provided special members only copy or destroy members.
  if (callee->isImplicit() || callee->isDefaulted() || callee->isTrivial()) return;
  const FunctionDecl *definition = callee->getDefinition();
  if (definition == nullptr || !definition->hasBody()) {
    if (effects.not_visible.empty()) {
      effects.not_visible =
          "calls " + NameOf(callee) + ", whose body is not in this file";
    }
    return;
  }
  effects.Merge(OfFunction(definition));
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
  ForEachWrite(stmt, [&](const Expr *target) { NoteWrite(target, effects); });
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      ScanCall(callee, effects);
    } else if (!isa<CXXPseudoDestructorExpr>(call->getCallee()->IgnoreParenImpCasts()) &&
               effects.not_visible.empty()) {
      effects.not_visible =
          "calls through a function pointer or object rayify cannot see";
    }
  } else if (const auto *construct = dyn_cast<CXXConstructExpr>(stmt)) {
    ScanCall(construct->getConstructor(), effects);
  }
  for (const Stmt *child : stmt->children()) Scan(child, effects);
}

}  // namespace rayify
