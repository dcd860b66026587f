#include "analysis/ParameterWrites.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/LibraryModel.h"
#include "analysis/Writes.h"
#include "model/Summaries.h"

namespace rayify {
namespace {

using namespace clang;

// Every mention of one variable in a declaration, implicit code included (the
// hidden `__range` and `__begin` of a range-for are how its body reaches the range).
class MentionCollector : public RecursiveASTVisitor<MentionCollector> {
 public:
  explicit MentionCollector(const VarDecl *var) : var_(var) {}
  bool shouldVisitImplicitCode() const { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (ref->getDecl() == var_) mentions.push_back(ref);
    return true;
  }
  std::vector<const DeclRefExpr *> mentions;

 private:
  const VarDecl *var_;
};

// A value that leads to data it does not hold: a pointer, a reference, an iterator,
// a view. What it leads to is what the question is about.
bool LeadsElsewhere(QualType type) { return IsIndirection(type); }

// Leads only to data that cannot be changed through it: a pointer or reference to a
// const object whose class has no `mutable` member.
bool LeadsToConstOnly(QualType type) {
  QualType target;
  if (type->isReferenceType())
    target = type.getNonReferenceType();
  else if (type->isPointerType())
    target = type->getPointeeType();
  else
    return false;
  return target.isConstQualified() && !ChangesWhenConst(target);
}

// Results are kept per AST, and dropped with it (ASTContext::AddDeallocation): a later
// AST may reuse the addresses.
struct Verdicts {
  std::mutex mutex;
  std::map<const ParmVarDecl *, bool> may_write;
  const ProjectSummaries *project = nullptr;  // UseProjectSummaries
};
std::mutex &RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<const ASTContext *, std::unique_ptr<Verdicts>> &Registry() {
  static std::map<const ASTContext *, std::unique_ptr<Verdicts>> registry;
  return registry;
}
Verdicts &VerdictsFor(const ASTContext &context) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  std::unique_ptr<Verdicts> &verdicts = Registry()[&context];
  if (verdicts == nullptr) {
    verdicts = std::make_unique<Verdicts>();
    context.AddDeallocation(
        [](void *ast) {
          std::lock_guard<std::mutex> lock(RegistryMutex());
          Registry().erase(static_cast<const ASTContext *>(ast));
        },
        const_cast<ASTContext *>(&context));
  }
  return *verdicts;
}

class ParameterUses {
 public:
  explicit ParameterUses(ASTContext &context) : context_(context) {}

  bool ParameterMayBeWritten(const FunctionDecl *definition, unsigned index, int depth) {
    const ParmVarDecl *param = definition->getParamDecl(index);
    if (depth > kMaxDepth || !active_.insert(param).second) return true;  // recursion
    bool written = MayWriteThrough(param, definition, depth);
    active_.erase(param);
    return written;
  }

 private:
  static constexpr int kMaxDepth = 8;

  bool MayWriteThrough(const VarDecl *var, const FunctionDecl *scope, int depth) {
    MentionCollector collector(var);
    collector.TraverseDecl(const_cast<FunctionDecl *>(scope));
    for (const DeclRefExpr *mention : collector.mentions) {
      if (MentionMayWrite(mention, var, scope, depth)) return true;
    }
    return false;
  }

  // Walks up from a mention of `var` while what it builds still leads to var's data
  // (a member, an element, a dereference, an accessor's result), and judges the
  // first use that does something else with it.
  bool MentionMayWrite(const DeclRefExpr *mention, const VarDecl *var,
                       const FunctionDecl *scope, int depth) {
    // A pointer or iterator itself, not yet dereferenced: moving it (`++p`, `p = q`)
    // changes the variable, not what it leads to. A reference is never moved.
    bool moves_alias = !var->getType()->isReferenceType();
    const Expr *chain = mention;
    for (int steps = 0; steps < 64; ++steps) {
      DynTypedNodeList parents = context_.getParents(*chain);
      if (parents.size() != 1) return true;
      if (const auto *local = parents[0].get<VarDecl>())
        return InitializerMayWrite(local, chain, scope, depth);
      if (parents[0].get<ReturnStmt>() != nullptr) {
        // A copy, or a pointer or reference handed back to the caller.
        return LeadsElsewhere(scope->getReturnType()) &&
               !LeadsToConstOnly(scope->getReturnType());
      }
      const auto *parent = parents[0].get<Expr>();
      if (parent == nullptr) {
        // A statement that discards or tests the value reads it; asm operands, a
        // constructor's member initializers and the rest may keep a way in.
        const auto *stmt = parents[0].get<Stmt>();
        return stmt == nullptr || isa<AsmStmt, CoreturnStmt, CoroutineBodyStmt>(stmt);
      }
      std::optional<bool> verdict = Judge(parent, chain, moves_alias, depth);
      if (verdict) return *verdict;
      // A member function's result continues from its call, above the MemberExpr.
      chain = next_ != nullptr ? next_ : parent;
      next_ = nullptr;
    }
    return true;
  }

  // A local initialized from the chain: a copy reads it; an alias (a reference, a
  // pointer, an iterator) is followed through its own mentions.
  bool InitializerMayWrite(const VarDecl *local, const Expr *chain,
                           const FunctionDecl *scope, int depth) {
    if (local->getInit() == nullptr ||
        local->getInit()->IgnoreParenImpCasts() != chain->IgnoreParenImpCasts())
      return true;
    // A structured binding's names are not mentions of the variable they bind, and a
    // static keeps the way in for later calls.
    if (isa<DecompositionDecl>(local) || !local->hasLocalStorage()) return true;
    // A const alias is followed too: a const_cast of it would write.
    if (!LeadsElsewhere(local->getType())) return false;
    return depth >= kMaxDepth || MayWriteThrough(local, scope, depth + 1);
  }

  // What `parent` does with `chain`: nothing (continue upward), a read (false) or
  // possibly a write (true).
  std::optional<bool> Judge(const Expr *parent, const Expr *chain, bool &moves_alias,
                            int depth) {
    if (isa<ParenExpr, MaterializeTemporaryExpr, ExprWithCleanups, CXXBindTemporaryExpr,
            ConstantExpr>(parent))
      return std::nullopt;
    if (const auto *cast = dyn_cast<ImplicitCastExpr>(parent))
      return JudgeCast(cast, chain);
    if (const auto *cast = dyn_cast<ExplicitCastExpr>(parent)) {
      // (int)x reads; a cast to a pointer or reference still leads to the data.
      if (LeadsElsewhere(cast->getType()) || cast->getType()->isRecordType()) {
        moves_alias = false;
        return std::nullopt;
      }
      return false;
    }
    if (const auto *subscript = dyn_cast<ArraySubscriptExpr>(parent)) {
      if (subscript->getIdx() == chain) return false;
      moves_alias = false;
      return std::nullopt;
    }
    if (const auto *member = dyn_cast<MemberExpr>(parent))
      return JudgeMember(member, moves_alias);
    if (const auto *op = dyn_cast<CXXOperatorCallExpr>(parent))
      return JudgeOperatorCall(op, chain, moves_alias, depth);
    if (const auto *call = dyn_cast<CallExpr>(parent))
      return JudgeArgument(call, chain, depth);
    if (const auto *construct = dyn_cast<CXXConstructExpr>(parent))
      return JudgeConstruction(construct, chain, depth);
    if (const auto *unary = dyn_cast<UnaryOperator>(parent))
      return JudgeUnary(unary, moves_alias);
    if (const auto *binary = dyn_cast<BinaryOperator>(parent))
      return JudgeBinary(binary, chain, moves_alias);
    if (const auto *conditional = dyn_cast<AbstractConditionalOperator>(parent)) {
      if (conditional->getCond() == chain) return false;
      moves_alias = false;
      return std::nullopt;
    }
    if (isa<UnaryExprOrTypeTraitExpr>(parent)) return false;  // sizeof
    // An aggregate or a lambda built from it keeps a copy, or, for a pointer, a way in;
    // an lvalue met by an initializer list directly binds a reference member
    // (`Wrap w{t};` with `std::vector<double> &ref`), which leads back to it.
    if (isa<InitListExpr>(parent) && chain->isGLValue()) return true;
    if (isa<InitListExpr, LambdaExpr>(parent))
      return LeadsElsewhere(chain->getType()) && !LeadsToConstOnly(chain->getType());
    return true;
  }

  static std::optional<bool> JudgeCast(const ImplicitCastExpr *cast, const Expr *chain) {
    switch (cast->getCastKind()) {
      case CK_LValueToRValue:
        // The value of a pointer or iterator still leads to the data.
        if (LeadsElsewhere(chain->getType())) return std::nullopt;
        return false;
      case CK_NoOp:
      case CK_BitCast:
      case CK_ArrayToPointerDecay:
      case CK_DerivedToBase:
      case CK_UncheckedDerivedToBase:
        return std::nullopt;
      case CK_IntegralCast:
      case CK_FloatingCast:
      case CK_IntegralToFloating:
      case CK_FloatingToIntegral:
      case CK_IntegralToBoolean:
      case CK_FloatingToBoolean:
      case CK_PointerToBoolean:
      case CK_ToVoid:
        return false;
      default:
        return true;
    }
  }

  std::optional<bool> JudgeMember(const MemberExpr *member, bool &moves_alias) {
    if (isa<FieldDecl>(member->getMemberDecl())) {
      moves_alias = false;
      return std::nullopt;
    }
    const auto *method = dyn_cast<CXXMethodDecl>(member->getMemberDecl());
    DynTypedNodeList parents = context_.getParents(*member);
    const auto *call =
        parents.size() == 1 ? parents[0].get<CXXMemberCallExpr>() : nullptr;
    if (method == nullptr || call == nullptr || method->isStatic()) return true;
    std::optional<bool> verdict = JudgeMethod(method, moves_alias);
    if (!verdict) next_ = call;
    return verdict;
  }

  // A member function called on the chain: a read, a possible write, or (nullopt)
  // a result that still leads to the data, whose use is judged next.
  std::optional<bool> JudgeMethod(const CXXMethodDecl *method, bool &moves_alias) {
    bool alias_moved = moves_alias;
    moves_alias = false;
    // A `mutable` member lets even a const member function write.
    if (ChangesWhenConst(QualType(method->getParent()->getTypeForDecl(), 0))) return true;
    if (method->isConst()) {
      bool hands_on = LeadsElsewhere(method->getReturnType()) &&
                      !LeadsToConstOnly(method->getReturnType());
      return hands_on ? std::nullopt : std::optional<bool>(false);
    }
    // Only the library's accessors and iterators are known by name: a non-const
    // member of the program's called `get` may change anything.
    if (!context_.getSourceManager().isInSystemHeader(method->getLocation())) return true;
    if (IsAccessor(method)) return std::nullopt;
    // `++it`, `it = other`: an iterator of the function's own moves, and where its
    // result goes is judged next (`*++it = 0`).
    return alias_moved && IsMoveOfIterator(method) ? std::nullopt
                                                   : std::optional<bool>(true);
  }

  static bool IsMoveOfIterator(const CXXMethodDecl *method) {
    OverloadedOperatorKind kind = method->getOverloadedOperator();
    return kind == OO_PlusPlus || kind == OO_MinusMinus || kind == OO_PlusEqual ||
           kind == OO_MinusEqual || method->isCopyAssignmentOperator() ||
           method->isMoveAssignmentOperator();
  }

  std::optional<bool> JudgeOperatorCall(const CXXOperatorCallExpr *op, const Expr *chain,
                                        bool &moves_alias, int depth) {
    const auto *method = dyn_cast_or_null<CXXMethodDecl>(op->getDirectCallee());
    if (method != nullptr && op->getNumArgs() > 0 && op->getArg(0) == chain) {
      return JudgeMethod(method, moves_alias);
    }
    return JudgeArgument(op, chain, depth);
  }

  std::optional<bool> JudgeArgument(const CallExpr *call, const Expr *chain, int depth) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee == nullptr) return true;
    if (IsComparison(callee)) return false;  // `it != end`: iterators compared
    unsigned first = FirstParameterArgument(call, callee);
    for (unsigned i = first; i < call->getNumArgs(); ++i) {
      if (call->getArg(i) == chain)
        return ArgumentMayWrite(callee, i - first, chain, depth);
    }
    return true;  // the callee itself (a function pointer), not an argument
  }

  std::optional<bool> JudgeConstruction(const CXXConstructExpr *construct,
                                        const Expr *chain, int depth) {
    for (unsigned i = 0; i < construct->getNumArgs(); ++i) {
      if (construct->getArg(i) == chain)
        return ArgumentMayWrite(construct->getConstructor(), i, chain, depth);
    }
    return true;
  }

  bool ArgumentMayWrite(const FunctionDecl *callee, unsigned index, const Expr *chain,
                        int depth) {
    if (index >= callee->getNumParams())  // variadic: a value is copied
      return LeadsElsewhere(chain->getType()) || chain->getType()->isRecordType();
    if (!IsMutableByReference(callee->getParamDecl(index)->getType())) return false;
    const FunctionDecl *definition = callee->getDefinition();
    const auto *method = dyn_cast<CXXMethodDecl>(callee);
    if (definition == nullptr || !definition->hasBody() ||
        (method != nullptr && method->isVirtual()) ||
        context_.getSourceManager().isInSystemHeader(definition->getLocation()))
      return true;
    return ParameterMayBeWritten(definition, index, depth + 1);
  }

  static bool IsComparison(const FunctionDecl *callee) {
    return IsComparisonOperator(callee) && !LeadsElsewhere(callee->getReturnType());
  }

  static std::optional<bool> JudgeUnary(const UnaryOperator *unary, bool &moves_alias) {
    switch (unary->getOpcode()) {
      case UO_Deref:
      case UO_AddrOf:
      case UO_Real:
      case UO_Imag:
      case UO_Extension:
        moves_alias = false;
        return std::nullopt;
      case UO_PreInc:
      case UO_PreDec:
      case UO_PostInc:
      case UO_PostDec:
        // Moving a pointer changes the pointer; where it then points is judged next
        // (`*p++ = 0`).
        if (!moves_alias) return true;
        moves_alias = false;
        return std::nullopt;
      default:
        return false;
    }
  }

  static std::optional<bool> JudgeBinary(const BinaryOperator *binary, const Expr *chain,
                                         bool &moves_alias) {
    if (binary->isAssignmentOp()) {
      if (binary->getLHS() == chain) {
        if (!moves_alias) return true;
        moves_alias = false;  // `p = q` moves the pointer; its result leads on
        return std::nullopt;
      }
      // Stored elsewhere, a pointer or reference is a way in that outlives this use.
      return LeadsElsewhere(chain->getType()) && !LeadsToConstOnly(chain->getType());
    }
    if (binary->getOpcode() == BO_Comma) {
      if (binary->getLHS() == chain) return false;
      return std::nullopt;
    }
    if ((binary->isAdditiveOp() && binary->getType()->isPointerType()) ||
        (binary->isPtrMemOp() && binary->getLHS() == chain)) {
      moves_alias = false;
      return std::nullopt;
    }
    return false;  // comparisons and arithmetic read
  }

  ASTContext &context_;
  std::set<const ParmVarDecl *> active_;
  const Expr *next_ = nullptr;  // set by JudgeMember: where the walk goes on
};

// What another unit's summary says of `callee`, which has no body here: true when
// parameter `index`, a plain `T &`, may be written through.
bool MayWriteElsewhere(const FunctionDecl *callee, unsigned index) {
  const auto *method = dyn_cast<CXXMethodDecl>(callee);
  if (method != nullptr || index >= callee->getNumParams() ||
      !callee->getParamDecl(index)->getType()->isLValueReferenceType())
    return true;
  Verdicts &verdicts = VerdictsFor(callee->getASTContext());
  const ProjectSummaries *project;
  {
    std::lock_guard<std::mutex> lock(verdicts.mutex);
    project = verdicts.project;
  }
  const FunctionSummary *summary =
      project != nullptr ? project->Find(UsrOf(callee->getCanonicalDecl())) : nullptr;
  return summary == nullptr || summary->read_only_references.count(index) == 0;
}

}  // namespace

void UseProjectSummaries(const ASTContext &context, const ProjectSummaries *project) {
  Verdicts &verdicts = VerdictsFor(context);
  std::lock_guard<std::mutex> lock(verdicts.mutex);
  verdicts.project = project;
}

std::set<unsigned> ReadOnlyReferenceParameters(const FunctionDecl *function) {
  std::set<unsigned> read_only;
  for (unsigned i = 0; i < function->getNumParams(); ++i) {
    QualType type = function->getParamDecl(i)->getType();
    if (type->isLValueReferenceType() && !type.getNonReferenceType().isConstQualified() &&
        !MayWriteThroughParameter(function, i))
      read_only.insert(i);
  }
  return read_only;
}

bool MayWriteThroughParameter(const FunctionDecl *callee, unsigned index) {
  const FunctionDecl *definition = callee->getDefinition();
  const auto *method = dyn_cast<CXXMethodDecl>(callee);
  if (definition == nullptr) return MayWriteElsewhere(callee, index);
  if (!definition->hasBody() || index >= definition->getNumParams() ||
      (method != nullptr && method->isVirtual()))
    return true;
  ASTContext &context = definition->getASTContext();
  if (context.getSourceManager().isInSystemHeader(definition->getLocation()))
    return !OnlyReadsThroughArguments(callee);
  Verdicts &verdicts = VerdictsFor(context);
  const ParmVarDecl *param = definition->getParamDecl(index);
  {
    std::lock_guard<std::mutex> lock(verdicts.mutex);
    auto found = verdicts.may_write.find(param);
    if (found != verdicts.may_write.end()) return found->second;
  }
  bool written = ParameterUses(context).ParameterMayBeWritten(definition, index, 0);
  std::lock_guard<std::mutex> lock(verdicts.mutex);
  verdicts.may_write[param] = written;
  return written;
}

namespace {

// Whether the lvalue `expr` is only read (converted to its value) or discarded by the
// statement it stands in: no reference, address or alias of it is made.
bool ReadOrDiscarded(const Expr *expr, ASTContext &context) {
  DynTypedNodeList parents = context.getParents(*expr);
  if (parents.size() != 1) return false;
  if (const auto *cast = parents[0].get<ImplicitCastExpr>())
    return cast->getCastKind() == CK_LValueToRValue;
  return parents[0].get<Expr>() == nullptr && parents[0].get<Stmt>() != nullptr &&
         parents[0].get<ReturnStmt>() == nullptr;
}

// The number `mention` reaches: itself, or a field of the record it names, through
// fields (`p.x`, `p.box.lo`). Null when the walk meets a pointer or reference field,
// which may lead outside the record, or anything else (a method call, the record as
// a whole, its address).
const Expr *NumberReached(const DeclRefExpr *mention, ASTContext &context) {
  const Expr *chain = mention;
  while (true) {
    DynTypedNodeList parents = context.getParents(*chain);
    if (parents.size() != 1) return nullptr;
    if (const auto *paren = parents[0].get<ParenExpr>()) {
      chain = paren;
    } else if (const auto *member = parents[0].get<MemberExpr>();
               member != nullptr && !member->isArrow() && member->getBase() == chain) {
      const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl());
      QualType type = field ? field->getType() : QualType();
      if (field == nullptr || type->isReferenceType() || type->isPointerType() ||
          type.isVolatileQualified() || field->isMutable())
        return nullptr;
      chain = member;
    } else {
      break;
    }
  }
  return chain->getType()->isArithmeticType() ? chain : nullptr;
}

// Whether `mention` of a reference is read, or stored into as the left side of an
// assignment, compound assignment, ++ or -- whose own lvalue is then only read or
// discarded: the mention itself for a number, each number of a record it reaches
// field by field (NumberReached).
bool ReadOrStoredInto(const DeclRefExpr *mention, ASTContext &context) {
  const Expr *chain = NumberReached(mention, context);
  if (chain == nullptr) return false;
  DynTypedNodeList parents = context.getParents(*chain);
  if (parents.size() != 1) return false;
  if (const auto *cast = parents[0].get<ImplicitCastExpr>())
    return cast->getCastKind() == CK_LValueToRValue;
  if (const auto *binary = parents[0].get<BinaryOperator>()) {
    return binary->isAssignmentOp() && binary->getLHS() == chain &&
           ReadOrDiscarded(binary, context);
  }
  if (const auto *unary = parents[0].get<UnaryOperator>())
    return unary->isIncrementDecrementOp() && ReadOrDiscarded(unary, context);
  return false;
}

}  // namespace

bool OnlyStoresThroughParameter(const FunctionDecl *callee, unsigned index) {
  const FunctionDecl *definition = callee->getDefinition();
  const auto *method = dyn_cast<CXXMethodDecl>(callee);
  if (definition == nullptr || !definition->hasBody() ||
      index >= definition->getNumParams() || (method != nullptr && method->isVirtual()))
    return false;
  ASTContext &context = definition->getASTContext();
  if (context.getSourceManager().isInSystemHeader(definition->getLocation()))
    return false;
  const ParmVarDecl *param = definition->getParamDecl(index);
  QualType type = param->getType();
  QualType referent = type.getNonReferenceType();
  if (!type->isLValueReferenceType() || referent.isConstQualified() ||
      referent.isVolatileQualified() ||
      !(referent->isArithmeticType() || referent->isStructureOrClassType()))
    return false;
  MentionCollector collector(param);
  collector.TraverseDecl(const_cast<FunctionDecl *>(definition));
  for (const DeclRefExpr *mention : collector.mentions) {
    if (!ReadOrStoredInto(mention, context)) return false;
  }
  return true;
}

}  // namespace rayify
