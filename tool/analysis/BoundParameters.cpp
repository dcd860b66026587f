#include "analysis/BoundParameters.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/DeclNames.h"
#include "analysis/GlobalMutations.h"
#include "analysis/LocalBlocks.h"
#include "analysis/LoopSafety.h"
#include "analysis/Serializability.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// How deep ReturnsFreshBlocks follows allocators calling allocators.
constexpr int kFreshDepth = 4;

// Every direct call of each function, and how often each function is named at all.
class CallSites : public RecursiveASTVisitor<CallSites> {
 public:
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitCallExpr(CallExpr *call) {
    const auto *callee = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
    const auto *function =
        callee != nullptr ? dyn_cast<FunctionDecl>(callee->getDecl()) : nullptr;
    if (function != nullptr) calls[function->getCanonicalDecl()].push_back(call);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (const auto *function = dyn_cast<FunctionDecl>(ref->getDecl()))
      ++named[function->getCanonicalDecl()];
    return true;
  }

  std::map<const FunctionDecl *, std::vector<const CallExpr *>> calls;
  std::map<const FunctionDecl *, size_t> named;
};

// Whether `stmt` points `param` elsewhere, lets it be pointed elsewhere (its address,
// a non-const reference to it, passed or declared, a lambda capturing it by reference)
// or asks its size, which an array standing in for it would answer differently.
bool ChangesOrMeasures(const Stmt *stmt, const ParmVarDecl *param) {
  if (stmt == nullptr) return false;
  auto is_param = [&](const Expr *expr) {
    const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts());
    return ref != nullptr && ref->getDecl() == param;
  };
  bool changed = false;
  ForEachWrite(stmt, [&](const Expr *target) { changed = changed || is_param(target); });
  // `double *&alias = p;` reseats `p` through `alias`.
  if (changed || LetsOut(stmt, param)) return true;
  if (const auto *trait = dyn_cast<UnaryExprOrTypeTraitExpr>(stmt))
    return Mentions(trait, param);
  for (const Stmt *child : stmt->children()) {
    if (ChangesOrMeasures(child, param)) return true;
  }
  return false;
}

// Every write to `var` in `stmt` (its declaration's initializer aside), and whether
// anything takes its address or binds a non-const reference to it, after which
// anything might write it. With `allow_filled`, `&var` given to posix_memalign, which
// stores a fresh block there, counts as an assignment rather than its address taken.
void CollectAssignments(const Stmt *stmt, const VarDecl *var,
                        std::vector<const Expr *> &assigned, bool &escapes,
                        bool allow_filled) {
  if (stmt == nullptr) return;
  auto is_var = [&](const Expr *expr) {
    const VarDecl *named = ReferencedVar(expr);
    return named != nullptr && named->getCanonicalDecl() == var->getCanonicalDecl();
  };
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (allow_filled && HasName(callee, "posix_memalign") && call->getNumArgs() == 3) {
      const auto *address = dyn_cast<UnaryOperator>(call->getArg(0)->IgnoreParenCasts());
      if (address != nullptr && address->getOpcode() == UO_AddrOf &&
          is_var(address->getSubExpr())) {
        assigned.push_back(call);  // a fresh block, or nothing on failure
        for (unsigned i = 1; i < call->getNumArgs(); ++i)
          CollectAssignments(call->getArg(i), var, assigned, escapes, allow_filled);
        return;
      }
    }
  }
  if (const auto *assign = dyn_cast<BinaryOperator>(stmt);
      assign != nullptr && assign->getOpcode() == BO_Assign && is_var(assign->getLHS())) {
    assigned.push_back(assign->getRHS());
    CollectAssignments(assign->getRHS(), var, assigned, escapes, allow_filled);
    return;
  }
  // The variable itself, not what it points to: `free(p)` or `fill(p)` is given a copy.
  ForEachWrite(stmt, [&](const Expr *target) {
    const auto *ref = dyn_cast<DeclRefExpr>(target->IgnoreParens());
    escapes = escapes || (ref != nullptr &&
                          ref->getDecl()->getCanonicalDecl() == var->getCanonicalDecl());
  });
  escapes = escapes || LetsOut(stmt, var, /*any_reference=*/true);
  for (const Stmt *child : stmt->children())
    CollectAssignments(child, var, assigned, escapes, allow_filled);
}

bool ReturnsFreshBlocks(const FunctionDecl *function, int depth);

// Whether `expr` is a block of memory nothing else holds, or null: malloc, calloc,
// aligned_alloc or new[] (under any casts), or a call of a function of the program
// that returns only such blocks.
bool IsFreshBlock(const Expr *expr, int depth) {
  expr = expr->IgnoreParenCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(expr)) return true;
  if (const auto *literal = dyn_cast<IntegerLiteral>(expr))
    return literal->getValue() == 0;
  if (const auto *fresh = dyn_cast<CXXNewExpr>(expr))
    return fresh->isArray() && fresh->getNumPlacementArgs() == 0;
  const auto *call = dyn_cast<CallExpr>(expr);
  const FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
  if (callee == nullptr) return false;
  static const char *const kAllocators[] = {"malloc", "calloc", "aligned_alloc"};
  bool library = callee->getDeclContext()->getRedeclContext()->isTranslationUnit() ||
                 callee->isInStdNamespace();
  for (const char *name : kAllocators) {
    if (library && HasName(callee, name) && !callee->hasBody()) return true;
  }
  return ReturnsFreshBlocks(callee, depth - 1);
}

// Whether every return of `function` gives a fresh block (IsFreshBlock), directly or
// through a local set only to fresh blocks: PolyBench's polybench_alloc_data returns
// xmalloc's block, which posix_memalign filled in.
bool ReturnsFreshBlocks(const FunctionDecl *function, int depth) {
  const FunctionDecl *definition = function->getDefinition();
  if (depth <= 0 || definition == nullptr || !definition->getBody() ||
      !definition->getReturnType()->isPointerType())
    return false;
  std::vector<const ReturnStmt *> returns;
  std::function<void(const Stmt *)> find = [&](const Stmt *stmt) {
    if (stmt == nullptr || isa<LambdaExpr>(stmt)) return;
    if (const auto *ret = dyn_cast<ReturnStmt>(stmt)) returns.push_back(ret);
    for (const Stmt *child : stmt->children()) find(child);
  };
  find(definition->getBody());
  if (returns.empty()) return false;
  for (const ReturnStmt *ret : returns) {
    const Expr *value = ret->getRetValue();
    if (value == nullptr) return false;
    if (IsFreshBlock(value, depth)) continue;
    const VarDecl *local = ReferencedVar(value->IgnoreParenCasts());
    if (local == nullptr || !local->hasLocalStorage() || isa<ParmVarDecl>(local) ||
        local->getType()->isReferenceType())
      return false;
    std::vector<const Expr *> assigned;
    if (local->getInit() != nullptr) assigned.push_back(local->getInit());
    bool escapes = false;
    CollectAssignments(definition->getBody(), local, assigned, escapes, true);
    if (escapes) return false;
    for (const Expr *source : assigned) {
      if (!isa<CallExpr>(source) ||
          !HasName(cast<CallExpr>(source)->getDirectCallee(), "posix_memalign")) {
        if (!IsFreshBlock(source, depth)) return false;
      }
    }
  }
  return true;
}

// The product of a call's arguments, all constants; nullopt otherwise.
std::optional<unsigned long long> ConstantProduct(const CallExpr *call,
                                                  ASTContext &context) {
  unsigned long long product = 1;
  for (const Expr *arg : call->arguments()) {
    Expr::EvalResult value;
    if (arg->isValueDependent() || !arg->EvaluateAsInt(value, context) ||
        value.Val.getInt().isNegative())
      return std::nullopt;
    product *= value.Val.getInt().getZExtValue();
  }
  return product;
}

// For `*p`, `p` a local pointer to an array of numbers (PolyBench's
// `double (*A)[N][M]`): the array type, when p is set once, in its declaration or one
// assignment, to a fresh block of exactly that size, and nothing else writes p or
// takes its address. Calls passing two such pointers then pass two arrays. A block of
// a malloc or calloc must have the array's size; one of a function of the program
// (`polybench_alloc_data(N * M, sizeof(double))`) must be called with constants whose
// product is that size.
std::optional<QualType> OwnBlockArray(const Expr *arg, ASTContext &context) {
  const auto *deref = dyn_cast<UnaryOperator>(arg->IgnoreParenImpCasts());
  if (deref == nullptr || deref->getOpcode() != UO_Deref) return std::nullopt;
  const VarDecl *pointer = ReferencedVar(deref->getSubExpr());
  if (pointer == nullptr || !pointer->hasLocalStorage() || isa<ParmVarDecl>(pointer) ||
      !pointer->getType()->isPointerType() || pointer->getType().isVolatileQualified())
    return std::nullopt;
  QualType array = pointer->getType()->getPointeeType();
  const auto *function = dyn_cast<FunctionDecl>(pointer->getDeclContext());
  if (!IsNumberArray(array) || array.isVolatileQualified() || function == nullptr ||
      !function->getBody())
    return std::nullopt;
  std::vector<const Expr *> assigned;
  if (pointer->getInit() != nullptr) assigned.push_back(pointer->getInit());
  bool escapes = false;
  CollectAssignments(function->getBody(), pointer, assigned, escapes, false);
  if (escapes || assigned.size() != 1) return std::nullopt;
  unsigned long long size = context.getTypeSizeInChars(array).getQuantity();
  const Expr *source = assigned.front();
  if (std::optional<unsigned long long> bytes = FreshBlockBytes(source, context))
    return *bytes == size ? std::optional<QualType>(array) : std::nullopt;
  const auto *call = dyn_cast<CallExpr>(source->IgnoreParenCasts());
  const FunctionDecl *callee = call != nullptr ? call->getDirectCallee() : nullptr;
  if (callee == nullptr || !ReturnsFreshBlocks(callee, kFreshDepth) ||
      ConstantProduct(call, context) != size)
    return std::nullopt;
  return array;
}

// The array `arg` names, as a bound parameter of pointee `pointee` would see it.
std::optional<BoundArray> ArrayPassed(const Expr *arg, QualType pointee,
                                      const GlobalMutations &mutations,
                                      ASTContext &context) {
  if (std::optional<QualType> block = OwnBlockArray(arg, context)) {
    const auto *array = cast<ConstantArrayType>(block->getCanonicalType().getTypePtr());
    if (array->getElementType().getUnqualifiedType() !=
        pointee.getCanonicalType().getUnqualifiedType())
      return std::nullopt;
    const auto *deref = cast<UnaryOperator>(arg->IgnoreParenImpCasts());
    return BoundArray{ReferencedVar(deref->getSubExpr())->getCanonicalDecl(), *block};
  }
  const VarDecl *var = ReferencedVar(arg);
  if (var == nullptr || isa<ParmVarDecl>(var) || var->getType()->isReferenceType() ||
      var->getType().isVolatileQualified()) {
    return std::nullopt;
  }
  // main's pointer to a block of a run-time size: its count lives in a global main
  // sets right after the only statement setting the pointer, so the count is always
  // that of the block the pointer holds. Only main's: a function called again, its
  // own pointer in each call, would overwrite the count of a block still in use.
  if (var->getType()->isPointerType()) {
    const auto *owner = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
    std::optional<LocalBlock> block = LocalBlockOf(var, context);
    if (block && owner != nullptr && owner->isMain() &&
        context.hasSameUnqualifiedType(block->element, pointee)) {
      return BoundArray{var->getCanonicalDecl(), QualType()};
    }
    if (!var->hasGlobalStorage()) return std::nullopt;
  }
  std::optional<QualType> type;
  if (IsNumberArray(var->getType())) {
    type = var->getType();
  } else if (var->hasGlobalStorage()) {
    type = mutations.FixedBlock(var);
  }
  if (!type || !IsNumberArray(*type)) return std::nullopt;
  const auto *array = dyn_cast<ConstantArrayType>(type->getCanonicalType().getTypePtr());
  if (array->getElementType().getUnqualifiedType() !=
      pointee.getCanonicalType().getUnqualifiedType()) {
    return std::nullopt;
  }
  return BoundArray{var->getCanonicalDecl(), *type};
}

// What parameter `index` of `function` is bound to, given all its calls.
std::optional<BoundArray> BindingOf(const FunctionDecl *function, unsigned index,
                                    const std::vector<const CallExpr *> &calls,
                                    const GlobalMutations &mutations,
                                    ASTContext &context) {
  const ParmVarDecl *param = function->getParamDecl(index);
  QualType type = param->getType();
  if (!type->isPointerType() || type.isVolatileQualified() || calls.empty())
    return std::nullopt;
  std::optional<BoundArray> bound;
  for (const CallExpr *call : calls) {
    if (index >= call->getNumArgs()) return std::nullopt;
    std::optional<BoundArray> passed =
        ArrayPassed(call->getArg(index), type->getPointeeType(), mutations, context);
    if (!passed || (bound && bound->array != passed->array)) return std::nullopt;
    bound = passed;
  }
  if (ChangesOrMeasures(function->getBody(), param)) return std::nullopt;
  return bound;
}

// Whether every declaration of `function` is in the file being converted.
bool DeclaredHereOnly(const FunctionDecl *function, const SourceManager &sources) {
  for (const FunctionDecl *declaration : function->redecls()) {
    if (!sources.isInMainFile(declaration->getLocation())) return false;
  }
  return true;
}

}  // namespace

const VarDecl *WholeObject(const Expr *arg) {
  const VarDecl *var = ReferencedVar(arg);
  if (var == nullptr || var->getType()->isReferenceType()) return nullptr;
  return var->getCanonicalDecl();
}

std::string ObjectKey(const VarDecl *var) {
  std::string usr = UsrOf(var->getCanonicalDecl());
  if (!usr.empty()) return usr;
  char address[32];
  std::snprintf(address, sizeof address, "@%p", static_cast<const void *>(var));
  return address;
}

const VarDecl *PointedObject(const Expr *arg) {
  arg = arg->IgnoreParenImpCasts();
  if (const auto *step = dyn_cast<BinaryOperator>(arg); step && step->isAdditiveOp()) {
    const Expr *base =
        step->getLHS()->getType()->isPointerType() ? step->getLHS() : step->getRHS();
    return PointedObject(base);
  }
  // What `&x`, `&a[k]`, `&v[k]` and `&s.part` point into is the variable they start at.
  if (const auto *address = dyn_cast<UnaryOperator>(arg);
      address != nullptr && address->getOpcode() == UO_AddrOf) {
    const Expr *part = address->getSubExpr()->IgnoreParenImpCasts();
    while (true) {
      if (const auto *member = dyn_cast<MemberExpr>(part); member && !member->isArrow()) {
        part = member->getBase()->IgnoreParenImpCasts();
      } else if (const auto *element = dyn_cast<ArraySubscriptExpr>(part);
                 element != nullptr &&
                 element->getBase()->IgnoreParenImpCasts()->getType()->isArrayType()) {
        part = element->getBase()->IgnoreParenImpCasts();
      } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(part);
                 op != nullptr && op->getOperator() == OO_Subscript &&
                 IsStdClass(op->getArg(0)->getType(), {"vector", "array", "deque"})) {
        part = op->getArg(0)->IgnoreParenImpCasts();
      } else {
        break;
      }
    }
    return WholeObject(part);
  }
  if (const auto *call = dyn_cast<CXXMemberCallExpr>(arg)) {
    const CXXMethodDecl *method = call->getMethodDecl();
    if (HasName(method, "data") &&
        IsStdClass(call->getImplicitObjectArgument()->getType(),
                   {"vector", "array", "basic_string"}))
      return WholeObject(call->getImplicitObjectArgument());
    return nullptr;
  }
  // An array decays to a pointer to its first element.
  if (arg->getType()->isArrayType()) return WholeObject(arg);
  return nullptr;
}

CallArguments PassedBy(const CallExpr *call, const FunctionDecl *callee) {
  CallArguments passed;
  passed.callee = UsrOf(callee->getCanonicalDecl());
  for (unsigned i = 0; i < call->getNumArgs(); ++i) {
    const Expr *arg = call->getArg(i);
    // A pointer parameter stands for what it points into, never for a pointer
    // variable, which may point anywhere.
    bool pointer =
        i < callee->getNumParams() && callee->getParamDecl(i)->getType()->isPointerType();
    const VarDecl *object = pointer ? PointedObject(arg) : WholeObject(arg);
    passed.objects.push_back(object != nullptr ? ObjectKey(object) : "");
    passed.locals.push_back(object != nullptr && object->hasLocalStorage());
  }
  return passed;
}

void ListCallArguments(ASTContext &context, UnitCalls &out) {
  CallSites sites;
  sites.TraverseDecl(context.getTranslationUnitDecl());
  const SourceManager &sources = context.getSourceManager();
  for (const auto &[function, calls] : sites.calls) {
    if (isa<CXXMethodDecl>(function) || function->isTemplated() ||
        sources.isInSystemHeader(sources.getExpansionLoc(function->getLocation()))) {
      continue;
    }
    std::string usr = UsrOf(function);
    if (usr.empty()) continue;
    if (sites.named[function] != calls.size()) out.used_otherwise.push_back(usr);
    for (const CallExpr *call : calls) out.arguments.push_back(PassedBy(call, function));
  }
}

namespace {

// What every call of the function declaring `parameter` passes, when all of its
// calls are known: the function is no method or template, has at least one call,
// and is named nowhere but in its calls; declared in this file alone, its calls are
// this unit's, and declared where other files may see it (a header), the project's
// account of every unit's calls gives them, when the project is known whole.
std::optional<std::vector<CallArguments>> EveryKnownCall(const ParmVarDecl *parameter,
                                                         ASTContext &context,
                                                         const ProjectCalls *project) {
  const auto *function = dyn_cast_or_null<FunctionDecl>(parameter->getDeclContext());
  if (function == nullptr || isa<CXXMethodDecl>(function) || function->isTemplated()) {
    return std::nullopt;
  }
  if (!DeclaredHereOnly(function, context.getSourceManager())) {
    if (project == nullptr) return std::nullopt;
    return project->EveryCallOf(UsrOf(function->getCanonicalDecl()));
  }
  CallSites sites;
  sites.TraverseDecl(context.getTranslationUnitDecl());
  const FunctionDecl *canonical = function->getCanonicalDecl();
  const std::vector<const CallExpr *> &calls = sites.calls[canonical];
  if (calls.empty() || sites.named[canonical] != calls.size()) return std::nullopt;
  std::vector<CallArguments> passed;
  for (const CallExpr *call : calls) passed.push_back(PassedBy(call, canonical));
  return passed;
}

}  // namespace

bool DistinctAtEveryCall(const ParmVarDecl *a, const ParmVarDecl *b, ASTContext &context,
                         const ProjectCalls *project) {
  if (b->getDeclContext() != a->getDeclContext()) return false;
  std::optional<std::vector<CallArguments>> calls = EveryKnownCall(a, context, project);
  if (!calls) return false;
  unsigned first = a->getFunctionScopeIndex();
  unsigned second = b->getFunctionScopeIndex();
  for (const CallArguments &call : *calls) {
    if (first >= call.objects.size() || second >= call.objects.size()) return false;
    const std::string &one = call.objects[first];
    const std::string &other = call.objects[second];
    if (one.empty() || other.empty() || one == other) return false;
  }
  return true;
}

bool LocalAtEveryCall(const ParmVarDecl *parameter, ASTContext &context,
                      const ProjectCalls *project) {
  std::optional<std::vector<CallArguments>> calls =
      EveryKnownCall(parameter, context, project);
  if (!calls) return false;
  unsigned index = parameter->getFunctionScopeIndex();
  for (const CallArguments &call : *calls) {
    if (index >= call.objects.size() || call.objects[index].empty() ||
        !call.locals[index])
      return false;
  }
  return true;
}

std::map<const ParmVarDecl *, BoundArray> BindParameters(
    ASTContext &context, const GlobalMutations &mutations) {
  CallSites sites;
  sites.TraverseDecl(context.getTranslationUnitDecl());
  const SourceManager &sources = context.getSourceManager();
  std::map<const ParmVarDecl *, BoundArray> bound;
  for (const auto &[function, calls] : sites.calls) {
    const FunctionDecl *definition = function->getDefinition();
    // Only this unit can call a function of internal linkage; one named other than
    // by a call may be called from anywhere.
    if (definition == nullptr || definition->isExternallyVisible() ||
        isa<CXXMethodDecl>(definition) || definition->isTemplated() ||
        sources.isInSystemHeader(definition->getLocation()) ||
        sites.named[function] != calls.size()) {
      continue;
    }
    // Two parameters given one variable, by any call, would be two names for the
    // same memory.
    std::map<const VarDecl *, std::set<unsigned>> positions;
    for (const CallExpr *call : calls) {
      for (unsigned i = 0; i < call->getNumArgs(); ++i) {
        const Expr *arg = call->getArg(i)->IgnoreParenImpCasts();
        if (const auto *deref = dyn_cast<UnaryOperator>(arg);
            deref != nullptr && deref->getOpcode() == UO_Deref)
          arg = deref->getSubExpr();  // `*A`: A's block
        if (const VarDecl *var = ReferencedVar(arg))
          positions[var->getCanonicalDecl()].insert(i);
      }
    }
    for (unsigned i = 0; i < definition->getNumParams(); ++i) {
      std::optional<BoundArray> binding =
          BindingOf(definition, i, calls, mutations, context);
      if (binding && positions[binding->array].size() == 1)
        bound.emplace(definition->getParamDecl(i), *binding);
    }
  }
  return bound;
}

}  // namespace rayify
