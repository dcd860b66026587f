#include "analysis/Writes.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>

#include <clang/Basic/SourceManager.h>
#include <algorithm>
#include <functional>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/LocalBlocks.h"
#include "analysis/ParameterWrites.h"

namespace rayify {

using namespace clang;

namespace {

// A type that, itself unchanged, hands out writable access to data it does not own:
// an iterator, a shared_ptr, a span. A const member of it (operator*, ->, [] or a
// conversion) returns a non-const reference or pointer. Containers do not: their
// const members hand out const references.
bool HandsOutMutableData(const CXXRecordDecl *record) {
  if (record == nullptr || !record->hasDefinition()) return false;
  auto writable = [](QualType type) {
    if (type->isLValueReferenceType())
      return !type.getNonReferenceType().isConstQualified();
    return type->isPointerType() && !type->isFunctionPointerType() &&
           !type->getPointeeType().isConstQualified();
  };
  auto hands_out = [&](const CXXRecordDecl *in) {
    for (const CXXMethodDecl *method : in->methods()) {
      if (!method->isConst()) continue;
      OverloadedOperatorKind kind = method->getOverloadedOperator();
      bool access = kind == OO_Star || kind == OO_Arrow || kind == OO_Subscript ||
                    isa<CXXConversionDecl>(method);
      if (access && writable(method->getReturnType())) return true;
    }
    return false;
  };
  const CXXRecordDecl *definition = record->getDefinition();
  if (hands_out(definition)) return true;
  bool found = false;
  definition->forallBases([&](const CXXRecordDecl *base) {
    found = found || hands_out(base);
    return true;
  });
  return found;
}

// A record of the program's whose fields lead elsewhere even when it is const: a
// non-const pointer or reference, a view, or a record of the program's that does
// (`struct Sink { int *hits; }` passed as `const Sink &` still writes *hits).
bool HoldsWayElsewhere(const CXXRecordDecl *record, int depth) {
  if (record == nullptr || !record->hasDefinition() || depth > 8) return false;
  record = record->getDefinition();
  if (record->getASTContext().getSourceManager().isInSystemHeader(record->getLocation()))
    return HandsOutMutableData(record);  // a library container owns what it holds
  for (const FieldDecl *field : record->fields()) {
    QualType type = field->getType();
    while (type->isArrayType()) type = QualType(type->getArrayElementTypeNoTypeQual(), 0);
    if (type->isReferenceType() && !type.getNonReferenceType().isConstQualified())
      return true;
    if (type->isPointerType() && !type->isFunctionPointerType() &&
        !type->getPointeeType().isConstQualified())
      return true;
    if (HoldsWayElsewhere(type->getAsCXXRecordDecl(), depth + 1)) return true;
  }
  for (const CXXBaseSpecifier &base : record->bases()) {
    if (HoldsWayElsewhere(base.getType()->getAsCXXRecordDecl(), depth + 1)) return true;
  }
  return HandsOutMutableData(record);
}

// A record with a `mutable` field, in itself, a base or a record it holds by value.
bool HasMutableField(const CXXRecordDecl *record, int depth) {
  if (record == nullptr || !record->hasDefinition() || depth > 8) return false;
  record = record->getDefinition();
  for (const FieldDecl *field : record->fields()) {
    if (field->isMutable()) return true;
    QualType type = field->getType();
    while (type->isArrayType()) type = QualType(type->getArrayElementTypeNoTypeQual(), 0);
    if (HasMutableField(type->getAsCXXRecordDecl(), depth + 1)) return true;
  }
  for (const CXXBaseSpecifier &base : record->bases()) {
    if (HasMutableField(base.getType()->getAsCXXRecordDecl(), depth + 1)) return true;
  }
  return false;
}

}  // namespace

bool ChangesWhenConst(QualType type) {
  while (type->isArrayType()) type = QualType(type->getArrayElementTypeNoTypeQual(), 0);
  return HasMutableField(type->getAsCXXRecordDecl(), 0);
}

bool IsNonConstLValueReference(QualType type) {
  return type->isLValueReferenceType() && !type.getNonReferenceType().isConstQualified();
}

unsigned FirstParameterArgument(const CallExpr *call, const FunctionDecl *callee) {
  return isa<CXXOperatorCallExpr>(call) && isa_and_nonnull<CXXMethodDecl>(callee) ? 1 : 0;
}

bool IsMutableByReference(QualType param) {
  // An rvalue reference binds what the caller gave away (a temporary, or a value it
  // moved from on purpose), so the callee cannot change data the caller still uses.
  if (param->isRValueReferenceType()) return false;
  if (param->isReferenceType() && (!param.getNonReferenceType().isConstQualified() ||
                                   ChangesWhenConst(param.getNonReferenceType())))
    return true;
  if (param->isPointerType()) {
    return !param->isFunctionPointerType() &&
           (!param->getPointeeType().isConstQualified() ||
            ChangesWhenConst(param->getPointeeType()));
  }
  // By value or by const reference, a view, or a record holding a pointer, still
  // reaches the caller's data.
  return HoldsWayElsewhere(param.getNonReferenceType()->getAsCXXRecordDecl(), 0);
}

namespace {

// A non-const member that is not a mere accessor, or any member of a class whose
// const objects still change (a `mutable` memo a const getter fills).
bool MayChangeItsObject(const CXXMethodDecl *method) {
  if (method->isConst())
    return ChangesWhenConst(QualType(method->getParent()->getTypeForDecl(), 0));
  return !IsAccessor(method);
}

// The object a member function or operator is called on, when the call may change it.
const Expr *ChangedObject(const Stmt *stmt) {
  if (const auto *member_call = dyn_cast<CXXMemberCallExpr>(stmt)) {
    const auto *method = member_call->getMethodDecl();
    if (method != nullptr && !method->isStatic() && MayChangeItsObject(method)) {
      return member_call->getImplicitObjectArgument();
    }
  } else if (const auto *op_call = dyn_cast<CXXOperatorCallExpr>(stmt)) {
    const auto *method = dyn_cast_or_null<CXXMethodDecl>(op_call->getDirectCallee());
    if (method != nullptr && op_call->getNumArgs() > 0 && MayChangeItsObject(method)) {
      return op_call->getArg(0);
    }
  }
  return nullptr;
}

// Whether parameter `index` of `callee` is, in its template, a forwarding reference
// (`template <class U> f(U &&)`, a pack `Args &&...` included).
bool IsForwardingParameter(const FunctionDecl *callee, unsigned index) {
  const FunctionDecl *pattern = callee->getTemplateInstantiationPattern();
  if (pattern == nullptr || pattern->getNumParams() == 0) return false;
  const ParmVarDecl *param =
      pattern->getParamDecl(std::min(index, pattern->getNumParams() - 1));
  if (index >= pattern->getNumParams() && !param->isParameterPack()) return false;
  QualType type = param->getType();
  if (const auto *expansion = type->getAs<PackExpansionType>())
    type = expansion->getPattern();
  const auto *rvalue = type->getAs<RValueReferenceType>();
  const auto *parameter = rvalue != nullptr
                              ? rvalue->getPointeeType()->getAs<TemplateTypeParmType>()
                              : nullptr;
  // A parameter of the function's own template: one of its class's is a plain T&&.
  const FunctionTemplateDecl *own = pattern->getDescribedFunctionTemplate();
  return parameter != nullptr && own != nullptr &&
         parameter->getDepth() == own->getTemplateParameters()->getDepth();
}

// A standard type built from numbers copies them: std::pair, std::tuple and the
// like never take a number by non-const reference. A user type might, and so does a
// standard one holding references (`std::pair<int &, double>`, a reference_wrapper).
bool BuiltFromCopies(QualType type) {
  type = type.getNonReferenceType();
  if (type->isArithmeticType() || type->isEnumeralType()) return true;
  const auto *record = type->getAsCXXRecordDecl();
  if (record == nullptr || !record->isInStdNamespace() ||
      (record->getIdentifier() != nullptr && record->getName() == "reference_wrapper"))
    return false;
  const auto *specialization = dyn_cast<ClassTemplateSpecializationDecl>(record);
  if (specialization == nullptr) return true;
  for (const TemplateArgument &arg : specialization->getTemplateArgs().asArray()) {
    if (arg.getKind() == TemplateArgument::Type && !arg.getAsType()->isReferenceType() &&
        (arg.getAsType()->getAsCXXRecordDecl() == nullptr ||
         BuiltFromCopies(arg.getAsType())))
      continue;
    if (arg.getKind() == TemplateArgument::Type) return false;
  }
  return true;
}

// A std::pair or std::tuple built from as many arguments as it has members: each
// argument builds the member in its position, so a number building a number member
// is copied whatever the others are (`refs.emplace_back(i, ref)` into a vector of
// `std::pair<size_t, ObjectRef<T>>`).
bool CopiedIntoItsMember(QualType built, unsigned index, unsigned num_args) {
  const auto *record = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      built.getNonReferenceType()->getAsCXXRecordDecl());
  if (record == nullptr || !record->isInStdNamespace() ||
      record->getIdentifier() == nullptr ||
      (record->getName() != "pair" && record->getName() != "tuple"))
    return false;
  std::vector<QualType> members;
  for (const TemplateArgument &arg : record->getTemplateArgs().asArray()) {
    if (arg.getKind() == TemplateArgument::Type) members.push_back(arg.getAsType());
    if (arg.getKind() != TemplateArgument::Pack) continue;
    for (const TemplateArgument &element : arg.pack_elements()) {
      if (element.getKind() != TemplateArgument::Type) return false;
      members.push_back(element.getAsType());
    }
  }
  if (members.size() != num_args || index >= num_args) return false;
  return members[index]->isArithmeticType() || members[index]->isEnumeralType();
}

// A number handed by forwarding reference to the standard library only to be copied
// into what it builds: std::make_pair(i, x), pair's and tuple's constructors,
// v.emplace_back(i) into a vector of numbers or of pairs. The reference is
// non-const, yet nothing writes through it.
bool ForwardedToBeCopied(const FunctionDecl *callee, unsigned index, const Expr *arg) {
  QualType passed = arg->getType();
  const auto *member = dyn_cast<CXXMethodDecl>(callee);
  bool standard = member != nullptr ? member->getParent()->isInStdNamespace()
                                    : callee->isInStdNamespace();
  if (!standard || !IsForwardingParameter(callee, index) ||
      !(passed->isArithmeticType() || passed->isEnumeralType()))
    return false;
  if (const auto *constructor = dyn_cast<CXXConstructorDecl>(callee)) {
    QualType built(constructor->getParent()->getTypeForDecl(), 0);
    return BuiltFromCopies(built) ||
           CopiedIntoItsMember(built, index, callee->getNumParams());
  }
  if (!callee->getDeclName().isIdentifier()) return false;
  llvm::StringRef name = callee->getName();
  if (name == "make_pair" || name == "make_tuple") return true;
  const auto *container =
      member != nullptr ? dyn_cast<ClassTemplateSpecializationDecl>(member->getParent())
                        : nullptr;
  if (container == nullptr || container->getTemplateArgs().size() == 0 ||
      container->getTemplateArgs()[0].getKind() != TemplateArgument::Type ||
      !name.starts_with("emplace"))
    return false;
  QualType element = container->getTemplateArgs()[0].getAsType();
  return BuiltFromCopies(element) ||
         CopiedIntoItsMember(element, index, callee->getNumParams());
}

void VisitMutableArguments(const FunctionDecl *callee, const Expr *const *args,
                           unsigned num_args, unsigned first_arg,
                           llvm::function_ref<void(const Expr *)> visit) {
  for (unsigned i = 0; i < callee->getNumParams() && i + first_arg < num_args; ++i) {
    const Expr *arg = args[i + first_arg];
    // A null pointer leads nowhere: strtol(s, nullptr, 10) writes no end pointer.
    // A function of the program's whose body only reads through the parameter
    // changes nothing, whatever its parameter's type says.
    if (IsMutableByReference(callee->getParamDecl(i)->getType()) &&
        !arg->isNullPointerConstant(callee->getASTContext(),
                                    Expr::NPC_ValueDependentIsNotNull) &&
        !ForwardedToBeCopied(callee, i, arg) && MayWriteThroughParameter(callee, i)) {
      visit(arg);
    }
  }
}

}  // namespace

bool LetsOut(const Stmt *stmt, const VarDecl *var, bool any_reference) {
  auto names = [&](const Expr *expr) {
    const auto *ref = dyn_cast<DeclRefExpr>(expr->IgnoreParenImpCasts());
    return ref != nullptr &&
           ref->getDecl()->getCanonicalDecl() == var->getCanonicalDecl();
  };
  if (const auto *unary = dyn_cast<UnaryOperator>(stmt))
    return unary->getOpcode() == UO_AddrOf && names(unary->getSubExpr());
  if (const auto *declaration = dyn_cast<DeclStmt>(stmt)) {
    for (const Decl *decl : declaration->decls()) {
      const auto *other = dyn_cast<VarDecl>(decl);
      if (other != nullptr && other->getType()->isReferenceType() &&
          (any_reference || !other->getType().getNonReferenceType().isConstQualified()) &&
          other->getInit() != nullptr && names(other->getInit()))
        return true;
    }
  }
  if (const auto *lambda = dyn_cast<LambdaExpr>(stmt)) {
    for (const LambdaCapture &capture : lambda->captures()) {
      if (capture.capturesVariable() && capture.getCaptureKind() == LCK_ByRef &&
          capture.getCapturedVar()->getCanonicalDecl() == var->getCanonicalDecl())
        return true;
    }
  }
  return false;
}

void ForEachWrite(const Stmt *stmt, llvm::function_ref<void(const Expr *)> visit) {
  if (const auto *binary = dyn_cast<BinaryOperator>(stmt)) {
    if (binary->isAssignmentOp()) visit(binary->getLHS());
  } else if (const auto *unary = dyn_cast<UnaryOperator>(stmt)) {
    if (unary->isIncrementDecrementOp()) visit(unary->getSubExpr());
  }
  if (const Expr *object = ChangedObject(stmt)) visit(object);
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      VisitMutableArguments(callee, call->getArgs(), call->getNumArgs(),
                            FirstParameterArgument(call, callee), visit);
    }
  } else if (const auto *construct = dyn_cast<CXXConstructExpr>(stmt)) {
    VisitMutableArguments(construct->getConstructor(), construct->getArgs(),
                          construct->getNumArgs(), 0, visit);
  }
}

bool IsIndirection(QualType type) {
  if (type->isReferenceType() || type->isPointerType()) return true;
  const auto *record = type->getAsCXXRecordDecl();
  if (record == nullptr || !record->getDeclName().isIdentifier()) return false;
  llvm::StringRef name = record->getName();
  return name.contains_insensitive("iterator") || name == "span" ||
         name == "basic_string_view" || name == "reference_wrapper" ||
         HoldsWayElsewhere(record, 0);
}

namespace {

bool IsAllocation(const Expr *expr) {
  if (isa<CXXNewExpr>(expr)) return true;
  const auto *call = dyn_cast<CallExpr>(expr);
  const FunctionDecl *callee = call == nullptr ? nullptr : call->getDirectCallee();
  if (callee == nullptr || !callee->getDeclName().isIdentifier()) return false;
  llvm::StringRef name = callee->getName();
  return name == "malloc" || name == "calloc" || name == "realloc" ||
         name == "make_shared" || name == "make_unique" || name == "allocate_shared";
}

bool IsLibraryCall(const CallExpr *call) {
  const FunctionDecl *callee = call->getDirectCallee();
  return callee != nullptr &&
         (callee->isInStdNamespace() ||
          callee->getASTContext().getSourceManager().isInSystemHeader(
              callee->getLocation()));
}

// The expression an lvalue is rooted in (a name, `this`, an allocation, or whatever
// stopped the walk), and whether the walk went through a dereference (`*p`, `p->x`,
// `p[i]`, `*it`): only then does a write through a pointer or iterator reach what it
// points to; otherwise it changes the pointer itself.
struct Rooted {
  const Expr *root = nullptr;
  bool dereferenced = false;
};

// A pointer or view handed over as a value (a copy, `p + k`, or a const reference the
// callee cannot reseat) can only be written through: the write reaches what it
// points to, never the variable it was read from.
bool HandedOverAsValue(const Expr *expr) {
  QualType type = expr->getType();
  if (type->isReferenceType() || !IsIndirection(type)) return false;
  return expr->isPRValue() || type.isConstQualified();
}

// A pointer or view kept in an element of an array, container or tuple (`ptrs[i]`,
// `ptrs.at(i)`, `std::get<0>(t)`): where it points is no part of what holds it.
bool StoredView(const Expr *expr) {
  if (!expr->isGLValue() || !IsIndirection(expr->getType())) return false;
  if (const auto *unary = dyn_cast<UnaryOperator>(expr))
    return unary->getOpcode() == UO_Deref;  // not `++it`, the variable itself
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
    OverloadedOperatorKind kind = op->getOperator();
    return kind == OO_Subscript || kind == OO_Star || kind == OO_Arrow;
  }
  return isa<ArraySubscriptExpr, CallExpr>(expr);
}

Rooted Root(const Expr *expr) {
  Rooted result;
  result.dereferenced = expr != nullptr && HandedOverAsValue(expr);
  // Whether the value of `expr` is itself used as an address: a write through a view
  // stored in an element then lands wherever that view points, which the walk to the
  // element's holder cannot tell, so nothing is rooted.
  bool through = result.dereferenced;
  for (int steps = 0; expr != nullptr && steps < 64; ++steps) {
    expr = expr->IgnoreParenCasts();
    if (through && StoredView(expr)) return Rooted{};
    if (const auto *member = dyn_cast<MemberExpr>(expr)) {
      result.dereferenced |= member->isArrow();
      through = member->isArrow();
      expr = member->getBase();
    } else if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(expr)) {
      result.dereferenced |= subscript->getBase()->getType()->isPointerType();
      through = subscript->getBase()->getType()->isPointerType();
      expr = subscript->getBase();
    } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(expr)) {
      if (op->getNumArgs() == 0) break;
      OverloadedOperatorKind kind = op->getOperator();
      bool dereferences = kind == OO_Star || kind == OO_Arrow || kind == OO_Subscript;
      result.dereferenced |= dereferences;
      through = through || dereferences;
      expr = op->getArg(0);
    } else if (const auto *unary = dyn_cast<UnaryOperator>(expr)) {
      result.dereferenced |= unary->getOpcode() == UO_Deref;
      through =
          unary->getOpcode() == UO_Deref || (through && unary->getOpcode() != UO_AddrOf);
      expr = unary->getSubExpr();
    } else if (const auto *binary = dyn_cast<BinaryOperator>(expr);
               binary != nullptr && binary->isAdditiveOp()) {
      expr = binary->getLHS()->getType()->isPointerType() ? binary->getLHS()
                                                          : binary->getRHS();
    } else if (const auto *member_call = dyn_cast<CXXMemberCallExpr>(expr)) {
      expr = member_call->getImplicitObjectArgument();
    } else if (const auto *call = dyn_cast<CallExpr>(expr);
               call != nullptr && IsLibraryCall(call) && call->getNumArgs() > 0 &&
               !IsAllocation(call)) {
      expr = call->getArg(0);
    } else if (const auto *temporary = dyn_cast<MaterializeTemporaryExpr>(expr)) {
      expr = temporary->getSubExpr();
    } else if (const auto *copy = dyn_cast<CXXConstructExpr>(expr);
               copy != nullptr && copy->getNumArgs() == 1 &&
               copy->getConstructor()->isCopyOrMoveConstructor()) {
      expr = copy->getArg(0);  // a copy of a view leads where the view does
    } else if (const auto *bound = dyn_cast<CXXBindTemporaryExpr>(expr)) {
      expr = bound->getSubExpr();
    } else {
      break;
    }
  }
  result.root = expr;
  return result;
}

// True when `var` (a local) is assigned after its declaration, or its address is
// taken: it may then lead somewhere other than its initializer says.
bool IsReseated(const VarDecl *var) {
  const auto *function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
  const Stmt *body = function == nullptr ? nullptr : function->getBody();
  if (body == nullptr) return true;
  bool reseated = false;
  std::function<void(const Stmt *)> scan = [&](const Stmt *stmt) {
    if (stmt == nullptr || reseated) return;
    const Expr *changed = nullptr;
    if (const auto *binary = dyn_cast<BinaryOperator>(stmt)) {
      if (binary->isAssignmentOp()) changed = binary->getLHS();
    } else if (const auto *op = dyn_cast<CXXOperatorCallExpr>(stmt)) {
      if (op->getOperator() == OO_Equal && op->getNumArgs() == 2) changed = op->getArg(0);
    } else if (const auto *unary = dyn_cast<UnaryOperator>(stmt)) {
      if (unary->getOpcode() == UO_AddrOf) changed = unary->getSubExpr();
    }
    if (changed != nullptr) {
      const auto *ref = dyn_cast<DeclRefExpr>(changed->IgnoreParenImpCasts());
      if (ref != nullptr && ref->getDecl() == var) reseated = true;
    }
    for (const Stmt *child : stmt->children()) scan(child);
  };
  scan(body);
  return reseated;
}

}  // namespace

const VarDecl *NamedVariable(const DeclRefExpr *ref) {
  // A name a structured binding gives (`auto &[k, v] = *it;`) is part of the object
  // its hidden variable holds or refers to: writing it writes that. Not when the name
  // is itself a reference, pointer or view (`auto [a, b] = std::tie(x, y);`), which
  // leads elsewhere: such a write stays one rayify cannot follow.
  if (const auto *binding = dyn_cast<BindingDecl>(ref->getDecl())) {
    if (binding->getType()->isReferenceType() || IsIndirection(binding->getType()))
      return nullptr;
    return dyn_cast_or_null<VarDecl>(binding->getDecomposedDecl());
  }
  return dyn_cast<VarDecl>(ref->getDecl());
}

namespace {

WriteTarget Resolve(const Expr *target, int depth) {
  Rooted rooted = Root(target);
  const Expr *root = rooted.root;
  WriteTarget result;
  if (root == nullptr) return result;
  if (isa<CXXThisExpr>(root)) {
    result.kind = WriteTarget::kThisObject;
    return result;
  }
  if (IsAllocation(root)) {
    result.kind = WriteTarget::kFreshMemory;
    return result;
  }
  const auto *ref = dyn_cast<DeclRefExpr>(root);
  const VarDecl *var = ref == nullptr ? nullptr : NamedVariable(ref);
  if (var == nullptr) return result;
  result.kind = WriteTarget::kVariable;
  result.var = var;
  if (isa<ParmVarDecl>(var) || !var->hasLocalStorage() ||
      !IsIndirection(var->getType())) {
    return result;
  }
  // `p = q` or `++it` changes the local pointer or iterator itself.
  if (!var->getType()->isReferenceType() && !rooted.dereferenced) return result;
  // A local reference, pointer or iterator writes what it was initialised from, as
  // long as nothing points it elsewhere later.
  const Expr *init = var->getInit();
  bool pointer = !var->getType()->isReferenceType();
  if (pointer && (init == nullptr || IsReseated(var))) {
    // Declared first and set once, to a block of its own (`J = new float[n];`).
    if (LocalBlockOf(var, var->getASTContext())) {
      result.kind = WriteTarget::kFreshMemory;
      result.block = var;
      return result;
    }
    return WriteTarget{};
  }
  if (init == nullptr || depth > 16) return WriteTarget{};
  WriteTarget inner = Resolve(init, depth + 1);
  if (inner.kind == WriteTarget::kFreshMemory && inner.block == nullptr && pointer &&
      IsAllocation(Root(init).root)) {
    inner.block = var;
  }
  return inner;
}

}  // namespace

WriteTarget ResolveWriteTarget(const Expr *target) { return Resolve(target, 0); }

const MemberExpr *MemberOfThis(const Stmt *stmt) {
  const auto *member = dyn_cast_or_null<MemberExpr>(stmt);
  if (member == nullptr || !isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return member;
}

const Expr *UseOfThis(const Stmt *stmt,
                      llvm::function_ref<bool(const MemberExpr *)> counts) {
  if (stmt == nullptr) return nullptr;
  if (const MemberExpr *member = MemberOfThis(stmt))
    return counts(member) ? member : nullptr;
  if (const auto *self = dyn_cast<CXXThisExpr>(stmt)) return self;
  for (const Stmt *child : stmt->children()) {
    if (const Expr *found = UseOfThis(child, counts)) return found;
  }
  return nullptr;
}

}  // namespace rayify
