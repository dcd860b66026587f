#include "analysis/PointerAliases.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>

#include <algorithm>
#include <set>
#include <string>

#include "analysis/BoundParameters.h"
#include "analysis/DeclNames.h"
#include "analysis/LocalBlocks.h"
#include "analysis/LoopSafety.h"
#include "analysis/PrivateValues.h"
#include "analysis/Writes.h"

namespace rayify {
namespace {

using namespace clang;

// A standard container that holds its elements itself (not a view or pointer).
bool OwnsItsElements(QualType type) {
  return IsStdClass(type, {"vector", "array", "deque", "map", "unordered_map",
                           "basic_string", "valarray"});
}

// How many of a standard class template's leading arguments are the types of the
// values it holds, and nothing else: a container's element (a map's key and value),
// a `std::pair`'s two parts. Zero for any other library class, which may hold anything.
unsigned HeldArguments(const CXXRecordDecl *record) {
  if (!isa<ClassTemplateSpecializationDecl>(record) || !record->getIdentifier()) return 0;
  StringRef name = record->getName();
  if (name == "pair" || name == "optional" || name == "complex") return 2;
  if (OwnsItsElements(QualType(record->getTypeForDecl(), 0)))
    return name.contains("map") ? 2 : 1;
  return 0;
}

// Whether `part` holds for a type `record` holds: one of the values a standard class
// holds (HeldArguments, at least one; an argument that is no type counts), or a base
// or field of the program's class.
bool AnyPart(const CXXRecordDecl *record, llvm::function_ref<bool(QualType)> part) {
  if (record->isInStdNamespace()) {
    const TemplateArgumentList &args =
        cast<ClassTemplateSpecializationDecl>(record)->getTemplateArgs();
    unsigned held = HeldArguments(record);
    for (unsigned i = 0; i < held && i < args.size(); ++i) {
      if (args[i].getKind() != TemplateArgument::Type || part(args[i].getAsType()))
        return true;
    }
    return false;
  }
  for (const CXXBaseSpecifier &parent : record->bases()) {
    if (part(parent.getType())) return true;
  }
  for (const FieldDecl *field : record->fields()) {
    if (part(field->getType())) return true;
  }
  return false;
}

// The same type, bytes (`char`, `void`), the element of a standard container, a part
// of a `std::pair` or `std::optional`, or a member of a class (anything, past a few
// levels or in any other library class).
bool TypeMayHold(QualType held, QualType pointee, int depth) {
  auto base = [](QualType of) {
    of = QualType(of.getNonReferenceType()->getBaseElementTypeUnsafe(), 0);
    return of.getCanonicalType().getUnqualifiedType();
  };
  pointee = base(pointee);
  held = base(held);
  if (pointee == held || pointee->isVoidType() || pointee->isCharType() ||
      pointee->isStdByteType()) {
    return true;
  }
  const auto *record = held->getAsCXXRecordDecl();
  if (record == nullptr) return false;
  if (depth > 4 || !record->hasDefinition()) return true;
  if (record->isInStdNamespace() && HeldArguments(record) == 0) return true;
  return AnyPart(record,
                 [&](QualType part) { return TypeMayHold(part, pointee, depth + 1); });
}

// Whether a value of `type` is or holds a pointer, reference, iterator or view that
// may lead to something `lands` accepts (given the type pointed to): through C
// arrays, the values a standard container holds, and the fields and bases of the
// program's classes. A lambda, a smart pointer, a `std::function` or another view may
// lead anywhere.
bool MayLeadTo(QualType type, const std::function<bool(QualType)> &lands, int depth) {
  type = type.getCanonicalType();
  if (type->isPointerType() || type->isReferenceType()) {
    QualType pointee = type->getPointeeType();
    return !pointee->isFunctionType() && lands(pointee);
  }
  if (type->isArithmeticType() || type->isEnumeralType() || type->isNullPtrType())
    return false;
  if (const auto *array = dyn_cast<ArrayType>(type.getTypePtr()))
    return MayLeadTo(array->getElementType(), lands, depth + 1);
  const auto *record = type->getAsCXXRecordDecl();
  if (record == nullptr || depth > 4 || !record->hasDefinition()) return true;
  if (record->isLambda()) return !record->isCapturelessLambda();
  if (record->isInStdNamespace() && HeldArguments(record) == 0) {
    return IsIndirection(type) ||
           (record->getIdentifier() && record->getName().contains("function"));
  }
  return AnyPart(record,
                 [&](QualType part) { return MayLeadTo(part, lands, depth + 1); });
}

class PointerAliasFinder {
 public:
  PointerAliasFinder(const std::map<const VarDecl *, std::vector<const Expr *>> &writes,
                     const Stmt *body, const FunctionDecl *function,
                     const std::function<bool(const VarDecl *)> &outside,
                     EffectAnalyzer &effects, const GlobalMutations &mutations,
                     ASTContext &context)
      : writes_(writes),
        body_(body),
        function_(function),
        outside_(outside),
        effects_(effects),
        mutations_(mutations),
        context_(context) {}

  std::optional<PointerAlias> Find(const std::vector<const VarDecl *> &targets) {
    std::optional<std::vector<const VarDecl *>> read;
    for (const VarDecl *target : targets) {
      if (writes_.count(target) != 0) {
        if (!read) read = VariablesRead();
        for (const VarDecl *var : *read) {
          if (var->getCanonicalDecl() != target->getCanonicalDecl() &&
              !ViewOf(var, target) && MayPointInto(var, target)) {
            return PointerAlias{target, var, true};
          }
        }
      }
      for (QualType pointee : TypesReachedThrough(target)) {
        if (!read) read = VariablesRead();
        for (const VarDecl *var : *read) {
          if (var->getCanonicalDecl() != target->getCanonicalDecl() &&
              !ViewOf(var, target) && MayReach(var, pointee)) {
            return PointerAlias{target, var};
          }
        }
      }
    }
    return std::nullopt;
  }

  // A reference the body reads that may share storage with `target` (MayShareStorage).
  std::optional<PointerAlias> FindReference(const VarDecl *target) {
    if (!ReachedIndirectly(target)) return std::nullopt;
    for (const VarDecl *var : VariablesRead()) {
      if (var->getType()->isReferenceType() &&
          var->getCanonicalDecl() != target->getCanonicalDecl() && !ViewOf(var, target) &&
          MayShareStorage(var, target, context_, effects_.ProjectCallsKnown())) {
        return PointerAlias{target, var};
      }
    }
    return std::nullopt;
  }

 private:
  // The types of what the body's writes to `target` may change outside its own
  // storage: what a global or parameter pointer (or reference) points to, and what
  // a write through a pointer or view the target holds lands on.
  std::vector<QualType> TypesReachedThrough(const VarDecl *target) const {
    std::vector<QualType> types;
    auto found = writes_.find(target);
    if (found == writes_.end()) return types;
    QualType type = target->getType();
    bool elsewhere = (isa<ParmVarDecl>(target) || target->hasGlobalStorage()) &&
                     !mutations_.FixedBlock(target) &&
                     mutations_.BoundTo(target) == nullptr;
    // A reference stands for one object of its type, whose own parts its writes
    // change; a pointer for memory of whatever type its writes store (a `void *`
    // parameter is written through a typed view of it).
    if (elsewhere && type->isReferenceType()) types.push_back(type.getNonReferenceType());
    bool pointer = elsewhere && type->isPointerType();
    for (const Expr *write : found->second) {
      if (pointer || LeavesOwnStorage(write)) types.push_back(write->getType());
    }
    return types;
  }

  // Whether `var`, which the body reads, is or holds a pointer, iterator or view that
  // may point into the storage of `target`, which the loop writes by name: the
  // caller's vector behind a reference parameter, a global, or a local whose address
  // went elsewhere, with `src = v.data()` given by a caller, kept in a global, a
  // struct or a vector of pointers. Not a pointer to a block of its own, one bound to
  // another array, or a view of another local; nor a parameter, which was set before
  // a local target existed.
  bool MayPointInto(const VarDecl *var, const VarDecl *target) const {
    QualType type = var->getType();
    const VarDecl *storage = StorageOf(target);
    // A reference is FindReference's; a pointer target other than a block or a bound
    // parameter TypesReachedThrough's.
    if (type->isReferenceType() || storage == nullptr) return false;
    auto lands = [&](QualType pointee) { return WritesMayLandIn(pointee, target); };
    if (!MayLeadTo(type, lands, 0)) return false;
    if (mutations_.FixedBlock(var) || LocalBlockOf(var, context_)) return false;
    if (const BoundArray *bound = mutations_.BoundTo(var))
      return bound->array->getCanonicalDecl() == storage->getCanonicalDecl();
    if (const Expr *source = ViewSource(var)) {
      WriteTarget resolved = ResolveWriteTarget(source);
      if (resolved.kind == WriteTarget::kFreshMemory) return false;
      // A view of another local, or of another local pointer's own block.
      if (resolved.kind == WriteTarget::kVariable && resolved.var->hasLocalStorage() &&
          !isa<ParmVarDecl>(resolved.var) &&
          (!IsIndirection(resolved.var->getType()) ||
           LocalBlockOf(resolved.var, context_)))
        return resolved.var->getCanonicalDecl() == storage->getCanonicalDecl();
    }
    // `fill(out, in.data())`: every call points the parameter into another object.
    const auto *pointer = dyn_cast<ParmVarDecl>(var);
    const auto *object = dyn_cast<ParmVarDecl>(storage);
    if (pointer != nullptr && object != nullptr && type->isPointerType() &&
        object->getType()->isReferenceType() && !Writes(function_->getBody(), var) &&
        DistinctAtEveryCall(pointer, object, context_, effects_.ProjectCallsKnown()))
      return false;
    if (storage->hasLocalStorage() && !isa<ParmVarDecl>(storage)) {
      if (isa<ParmVarDecl>(var)) return Writes(function_->getBody(), var);
      // A block's pointer leaves by value (`g_view = J;`), which no address
      // taken shows.
      if (var->hasGlobalStorage())
        return storage->getType()->isPointerType() ||
               ReachedOtherThanByName(function_->getBody(), storage, context_,
                                      effects_.Project());
    }
    return true;
  }

  // The variable whose own storage the loop's writes to `target` change: the target,
  // a pointer to a block of its own, or the array a bound pointer parameter stands
  // for; null for another pointer.
  const VarDecl *StorageOf(const VarDecl *target) const {
    if (!target->getType()->isPointerType()) return target;
    if (mutations_.FixedBlock(target) || LocalBlockOf(target, context_)) return target;
    if (const BoundArray *bound = mutations_.BoundTo(target)) return bound->array;
    return nullptr;
  }

  // Whether a pointer to `pointee` may point to what a write to `target` stores, or
  // into a part of it. A byte pointer counts only against bytes stored: a loop does
  // not read the numbers or structs it stores through a `const char *`, and every
  // table of strings (`struct Material { const char *name; ... }`) would otherwise
  // alias every output.
  bool WritesMayLandIn(QualType pointee, const VarDecl *target) const {
    if (pointee->isVoidType()) return true;
    auto bytes = [](QualType type) {
      type = type.getCanonicalType();
      return type->isCharType() || type->isStdByteType();
    };
    for (const Expr *write : writes_.at(target)) {
      QualType stored = write->getType();
      if (bytes(pointee)) {
        if (bytes(stored)) return true;
        continue;
      }
      if (TypeMayHold(pointee, stored, 0) || TypeMayHold(stored, pointee, 0)) return true;
    }
    return false;
  }

  // What a local view (a pointer, reference or iterator declared in the function and
  // never changed) stands for: its initializer; null for anything else.
  const Expr *ViewSource(const VarDecl *var) const {
    if (var == nullptr || !var->hasLocalStorage() || isa<ParmVarDecl>(var) ||
        !IsIndirection(var->getType()) || var->getInit() == nullptr ||
        Writes(function_->getBody(), var)) {
      return nullptr;
    }
    return var->getInit();
  }

  // Whether `var`, which the loop reads, is a local view of `target` itself: its reads
  // are reads of the target, which the plan judges.
  bool ViewOf(const VarDecl *var, const VarDecl *target) const {
    const Expr *source = ViewSource(var);
    if (source == nullptr) return false;
    WriteTarget resolved = ResolveWriteTarget(source);
    return resolved.kind == WriteTarget::kVariable &&
           resolved.var->getCanonicalDecl() == target->getCanonicalDecl();
  }

  // Whether the path from `write` down to the variable it is rooted at passes through
  // a pointer, a smart pointer, an iterator or a view: it then lands outside that
  // variable's own storage. A standard container's elements are its own; a global
  // block from malloc, a local pointer's block (LocalBlocks.h), or a parameter bound
  // to one array, is its pointer's own.
  bool LeavesOwnStorage(const Expr *write) const {
    // Through `base` to what it leads to: its own block, what a local view was set
    // from, or (null) somewhere else.
    auto follow = [&](const Expr *base) -> const Expr * {
      const VarDecl *var = ReferencedVar(base);
      if (var != nullptr &&
          (mutations_.FixedBlock(var) || mutations_.BoundTo(var) != nullptr ||
           LocalBlockOf(var, context_))) {
        return base;
      }
      return ViewSource(var);
    };
    const Expr *expr = write;
    for (int steps = 0; expr != nullptr && steps < 64; ++steps) {
      expr = expr->IgnoreParenCasts();
      if (const auto *member = dyn_cast<MemberExpr>(expr)) {
        expr = member->isArrow() ? follow(member->getBase()) : member->getBase();
        if (expr == nullptr) return true;
      } else if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(expr)) {
        // Not an array's decay: a pointer, which leads wherever it was set.
        const Expr *base = subscript->getBase();
        expr =
            base->IgnoreParenImpCasts()->getType()->isPointerType() ? follow(base) : base;
        if (expr == nullptr) return true;
      } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
        if (op->getNumArgs() == 0) return true;
        OverloadedOperatorKind kind = op->getOperator();
        if (kind == OO_Star || kind == OO_Arrow) return true;
        if (kind == OO_Subscript && !OwnsItsElements(op->getArg(0)->getType()))
          return true;
        expr = op->getArg(0);
      } else if (const auto *unary = dyn_cast<UnaryOperator>(expr)) {
        expr = unary->getOpcode() == UO_Deref ? follow(unary->getSubExpr())
                                              : unary->getSubExpr();
        if (expr == nullptr) return true;
      } else if (const auto *call = dyn_cast<CXXMemberCallExpr>(expr)) {
        if (!OwnsItsElements(call->getImplicitObjectArgument()->getType())) return true;
        expr = call->getImplicitObjectArgument();
      } else {
        return false;
      }
    }
    return true;
  }

  // What the body reads that was declared before the loop, in order of first
  // mention (a variable named only to be assigned, `out[j] = e`, is not read), then
  // the globals the functions it calls read.
  std::vector<const VarDecl *> VariablesRead() const {
    std::set<const Expr *> assigned;  // roots of `x = e`, `x[i] = e`, `x.f = e`
    std::function<void(const Stmt *)> find_assigned = [&](const Stmt *stmt) {
      if (stmt == nullptr) return;
      if (const auto *assign = dyn_cast<BinaryOperator>(stmt);
          assign != nullptr && assign->getOpcode() == BO_Assign) {
        const Expr *root = assign->getLHS()->IgnoreParenImpCasts();
        while (true) {
          if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(root)) {
            root = subscript->getBase()->IgnoreParenImpCasts();
          } else if (const auto *member = dyn_cast<MemberExpr>(root)) {
            root = member->getBase()->IgnoreParenImpCasts();
          } else {
            break;
          }
        }
        assigned.insert(root);
      }
      for (const Stmt *child : stmt->children()) find_assigned(child);
    };
    find_assigned(body_);
    std::vector<const VarDecl *> read;
    auto add = [&](const VarDecl *var) {
      if (std::find(read.begin(), read.end(), var) == read.end()) read.push_back(var);
    };
    std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
      if (stmt == nullptr) return;
      if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
        const auto *var = dyn_cast<VarDecl>(ref->getDecl());
        if (var != nullptr && outside_(var) && assigned.count(ref) == 0) add(var);
      }
      for (const Stmt *child : stmt->children()) visit(child);
    };
    visit(body_);
    Effects effects = effects_.OfStmt(body_);
    for (const VarDecl *global : effects.globals_read) add(global);
    return read;
  }

  // Whether reading `var` may read an object of type `pointee` that a write through a
  // pointer changed: what a pointer the loop reads through points to (`in[j]` of a
  // parameter, bound or not), or the variable itself when it may hold such an object
  // and its address may be elsewhere (a global, or a local whose address the function
  // hands out). A reference the loop reads is MayAlias's to judge.
  bool MayReach(const VarDecl *var, QualType pointee) const {
    QualType type = var->getType();
    if (type->isReferenceType()) return false;
    if (type->isPointerType() && TypeMayHold(type->getPointeeType(), pointee, 0))
      return true;
    if (!TypeMayHold(type, pointee, 0)) return false;
    return var->hasGlobalStorage() ||
           ReachedOtherThanByName(function_->getBody(), var, context_,
                                  effects_.Project());
  }

  const std::map<const VarDecl *, std::vector<const Expr *>> &writes_;
  const Stmt *body_;
  const FunctionDecl *function_;
  const std::function<bool(const VarDecl *)> &outside_;
  EffectAnalyzer &effects_;
  const GlobalMutations &mutations_;
  ASTContext &context_;
};

// A type whose value the object holds whole, with nothing that could lead elsewhere:
// numbers, enumerations, and standard containers, pairs and optionals of them, C
// arrays of them, and classes of nothing else (no pointer, reference or view).
bool HoldsOnlyValues(QualType type, int depth) {
  type = type.getCanonicalType();
  if (type->isArithmeticType() || type->isEnumeralType()) return true;
  if (const auto *array = dyn_cast<ConstantArrayType>(type.getTypePtr()))
    return HoldsOnlyValues(array->getElementType(), depth + 1);
  const auto *record = type->getAsCXXRecordDecl();
  if (record == nullptr || depth > 4 || !record->hasDefinition()) return false;
  if (record->isInStdNamespace() ? HeldArguments(record) == 0
                                 : record->isLambda() || record->isPolymorphic())
    return false;
  return !AnyPart(record,
                  [&](QualType part) { return !HoldsOnlyValues(part, depth + 1); });
}

}  // namespace

std::string DescribeAlias(const PointerAlias &alias) {
  std::string written = alias.written->getNameAsString();
  std::string read = alias.read->getNameAsString();
  if (alias.read_points_in) {
    return "the loop reads through '" + read + "', which may point into '" + written +
           "', which the loop updates, so iterations may depend on each other.";
  }
  if (alias.read->getType()->isReferenceType()) {
    return "'" + read + "' may refer to the same data as '" + written +
           "', which the loop updates, so iterations may depend on each other.";
  }
  return "the loop writes through '" + written + "', which may point to '" + read +
         "', which the loop also reads, so iterations may depend on each other.";
}

bool ReachedIndirectly(const VarDecl *target) {
  QualType type = target->getType();
  return type->isReferenceType() || type->isPointerType() || target->hasGlobalStorage();
}

bool MayOverlap(QualType read, const VarDecl *target) {
  QualType written = target->getType().getNonReferenceType();
  if (written->isPointerType()) written = written->getPointeeType();
  // A global or a local is a whole object; what a reference or pointer leads to may be
  // a part of a larger one.
  bool may_be_part =
      target->getType()->isReferenceType() || target->getType()->isPointerType();
  return TypeMayHold(written, read, 0) || (may_be_part && TypeMayHold(read, written, 0));
}

bool MayShareStorage(const VarDecl *read, const VarDecl *target, ASTContext &context,
                     const ProjectCalls *project) {
  if (!ReachedIndirectly(target) || !MayOverlap(read->getType(), target)) return false;
  const auto *read_parameter = dyn_cast<ParmVarDecl>(read);
  const auto *target_parameter = dyn_cast<ParmVarDecl>(target);
  return read_parameter == nullptr || target_parameter == nullptr ||
         !target->getType()->isReferenceType() ||
         !DistinctAtEveryCall(read_parameter, target_parameter, context, project);
}

std::optional<PointerAlias> FindTaskArgumentAlias(
    const VarDecl *target, const Expr *write, const Stmt *body, const Stmt *loop,
    const FunctionDecl *function, EffectAnalyzer &effects,
    const GlobalMutations &mutations, ASTContext &context) {
  const SourceManager &sources = context.getSourceManager();
  std::function<bool(const VarDecl *)> outside = [&](const VarDecl *var) {
    return !DeclaredWithin(var, loop, sources);
  };
  std::map<const VarDecl *, std::vector<const Expr *>> writes = {{target, {write}}};
  PointerAliasFinder finder(writes, body, function, outside, effects, mutations, context);
  if (auto alias = finder.FindReference(target)) return alias;
  return finder.Find({target});
}

std::string ObjectAlias(const VarDecl *target, const Stmt *loop) {
  // Any member when the target may be one; otherwise one that may lead to it.
  const Expr *use = UseOfThis(loop, [&](const MemberExpr *member) {
    const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl());
    return IsIndirection(target->getType()) || field == nullptr ||
           !HoldsOnlyValues(field->getType(), 0);
  });
  if (use == nullptr) return "";
  std::string name = target->getNameAsString();
  const auto *member = dyn_cast<MemberExpr>(use);
  if (member == nullptr) {
    return "the loop hands on 'this', whose object may hold or lead to '" + name +
           "', which the loop updates, so iterations may depend on each other.";
  }
  std::string used = member->getMemberDecl()->getNameAsString();
  if (isa<CXXMethodDecl>(member->getMemberDecl())) {
    return "the loop calls '" + used +
           "()', a method of the object, which may read what the loop stores into '" +
           name + "', so iterations may depend on each other.";
  }
  if (IsIndirection(target->getType())) {
    return "'" + name + "' may refer to the object's member '" + used +
           "', which the loop reads, so iterations may depend on each other.";
  }
  return "the loop reads the object's member '" + used + "', which may lead to '" + name +
         "' (it holds a pointer, a reference or a view), so iterations may depend on "
         "each other.";
}

std::optional<PointerAlias> FindPointerAlias(
    const std::vector<const VarDecl *> &targets,
    const std::map<const VarDecl *, std::vector<const Expr *>> &writes, const Stmt *body,
    const FunctionDecl *function, const std::function<bool(const VarDecl *)> &outside,
    EffectAnalyzer &effects, const GlobalMutations &mutations, ASTContext &context) {
  return PointerAliasFinder(writes, body, function, outside, effects, mutations, context)
      .Find(targets);
}

}  // namespace rayify
