#include "analysis/GlobalMutations.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include "analysis/CalleeEffects.h"
#include "analysis/Writes.h"

namespace rayify {

using namespace clang;

class GlobalMutationScanner : public RecursiveASTVisitor<GlobalMutationScanner> {
 public:
  GlobalMutationScanner(ASTContext &context, EffectAnalyzer &effects,
                        GlobalMutations &result)
      : context_(context), effects_(effects), result_(result) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(Decl *decl) {
    if (decl != nullptr && !isa<TranslationUnitDecl>(decl) &&
        context_.getSourceManager().isInSystemHeader(decl->getLocation())) {
      return true;
    }
    return RecursiveASTVisitor::TraverseDecl(decl);
  }

  using Base = RecursiveASTVisitor<GlobalMutationScanner>;
  bool TraverseFunctionDecl(FunctionDecl *f) {
    return Within(f, [&] { return Base::TraverseFunctionDecl(f); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *f) {
    return Within(f, [&] { return Base::TraverseCXXMethodDecl(f); });
  }
  bool TraverseCXXConstructorDecl(CXXConstructorDecl *f) {
    return Within(f, [&] { return Base::TraverseCXXConstructorDecl(f); });
  }
  bool TraverseCXXDestructorDecl(CXXDestructorDecl *f) {
    return Within(f, [&] { return Base::TraverseCXXDestructorDecl(f); });
  }

  bool VisitVarDecl(VarDecl *var) {
    const Expr *init = var->getInit();
    if (init == nullptr) return true;
    if (var->hasGlobalStorage()) Add(effects_.OfStmt(init).globals_written);
    QualType type = var->getType();
    if (IsNonConstLValueReference(type)) {
      Escape(init);
    }
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *unary) {
    if (unary->getOpcode() == UO_AddrOf) Escape(unary->getSubExpr());
    return true;
  }

  // An array decays to a pointer through which anything may write, except when the
  // pointer only indexes it down to a number or a pointer (`g_table[i]`,
  // `g_grid[i][j]`): what the element then undergoes, a write, its address taken, a
  // reference bound to it, the effects and the visitors below see.
  bool VisitImplicitCastExpr(ImplicitCastExpr *cast) {
    if (cast->getCastKind() == CK_ArrayToPointerDecay &&
        !cast->getType()->getPointeeType().isConstQualified() &&
        !IndexedToAScalar(cast)) {
      Escape(cast->getSubExpr());
    }
    return true;
  }

  // A global pointer used other than for its value (`p = q`, `++p`, `&p`, a
  // reference to it) may come to point elsewhere.
  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || !var->hasGlobalStorage() || !var->getType()->isPointerType()) {
      return true;
    }
    const Expr *use = ref;
    for (;;) {
      DynTypedNodeList parents = context_.getParents(*use);
      const auto *parent = parents.size() == 1 ? parents[0].get<Expr>() : nullptr;
      if (parent != nullptr && isa<ParenExpr>(parent)) {
        use = parent;
        continue;
      }
      const auto *cast = dyn_cast_or_null<ImplicitCastExpr>(parent);
      if (cast == nullptr || cast->getCastKind() != CK_LValueToRValue) {
        result_.reseated_.insert(var->getCanonicalDecl());
      }
      return true;
    }
  }

  bool VisitReturnStmt(ReturnStmt *ret) {
    if (function_ == nullptr || ret->getRetValue() == nullptr) return true;
    QualType type = function_->getReturnType();
    if (IsNonConstLValueReference(type)) {
      Escape(ret->getRetValue());
    }
    return true;
  }

 private:
  // A decayed array that is the base of a subscript naming a scalar element, or an
  // inner array itself decayed only to be indexed so (a row of `g_grid[i][j]`).
  bool IndexedToAScalar(const ImplicitCastExpr *decay) {
    DynTypedNodeList parents = context_.getParents(*decay);
    const auto *subscript =
        parents.size() == 1 ? parents[0].get<ArraySubscriptExpr>() : nullptr;
    if (subscript == nullptr || subscript->getBase() != decay) return false;
    QualType element = subscript->getType();
    if (element->isArithmeticType() || element->isEnumeralType() ||
        element->isAnyPointerType()) {
      return true;
    }
    if (!element->isArrayType()) return false;
    DynTypedNodeList above = context_.getParents(*subscript);
    const auto *row = above.size() == 1 ? above[0].get<ImplicitCastExpr>() : nullptr;
    return row != nullptr && row->getCastKind() == CK_ArrayToPointerDecay &&
           IndexedToAScalar(row);
  }

  // Notes what `function` writes, and traverses it as the current function.
  template <typename Traverse>
  bool Within(FunctionDecl *function, Traverse traverse) {
    if (function->doesThisDeclarationHaveABody() && !function->isDependentContext()) {
      Add(effects_.OfFunction(function).globals_written);
    }
    const FunctionDecl *saved = function_;
    function_ = function;
    bool result = traverse();
    function_ = saved;
    return result;
  }

  void Add(const std::set<const VarDecl *> &vars) {
    result_.changed_.insert(vars.begin(), vars.end());
  }

  void Escape(const Expr *expr) {
    WriteTarget target = ResolveWriteTarget(expr);
    if (target.kind == WriteTarget::kVariable && IsMutableGlobal(target.var, context_)) {
      result_.changed_.insert(target.var->getCanonicalDecl());
    }
  }

  ASTContext &context_;
  EffectAnalyzer &effects_;
  GlobalMutations &result_;
  const FunctionDecl *function_ = nullptr;
};

GlobalMutations::GlobalMutations(ASTContext &context, EffectAnalyzer &effects)
    : context_(&context), project_(effects.Project()) {
  GlobalMutationScanner scanner(context, effects, *this);
  scanner.TraverseDecl(context.getTranslationUnitDecl());
  bound_ = BindParameters(context, *this);  // FixedBlock needs the scan's results
}

const BoundArray *GlobalMutations::BoundTo(const VarDecl *param) const {
  const auto *parameter = dyn_cast<ParmVarDecl>(param);
  auto found = parameter != nullptr ? bound_.find(parameter) : bound_.end();
  return found != bound_.end() ? &found->second : nullptr;
}

namespace {

// A string literal, or braces of nothing but string literals (`{"alpha", "beta"}`):
// what pointers initialised so lead to never changes.
bool OnlyStringLiterals(const Expr *init) {
  if (init == nullptr) return false;
  init = init->IgnoreParenImpCasts();
  if (isa<StringLiteral>(init)) return true;
  const auto *list = dyn_cast<InitListExpr>(init);
  if (list == nullptr || list->getNumInits() == 0) return false;
  for (const Expr *element : list->inits()) {
    if (!OnlyStringLiterals(element)) return false;
  }
  return true;
}

}  // namespace

bool GlobalMutations::MayChange(const VarDecl *var) const {
  // What a global pointer or reference leads to, or the pointers of a global array,
  // is the driver's memory, which the program may change even when the pointer never
  // does.
  bool changed = changed_.count(var->getCanonicalDecl()) != 0;
  QualType type = var->getType();
  while (const ArrayType *array = type->getAsArrayTypeUnsafe()) {
    type = array->getElementType();
  }
  if (type->isPointerType() || type->isReferenceType()) {
    changed = changed || !OnlyStringLiterals(var->getInit());
  }
  // Only a project has other units whose writes count (and a "no" to remember).
  if (changed || project_ == nullptr) return changed;
  return MayChange(UsrOf(var->getCanonicalDecl()));
}

bool GlobalMutations::MayChange(const std::string &usr) const {
  bool changed = project_ != nullptr && project_->Changes(usr);
  if (!changed) assumed_unchanged_.insert(usr);
  return changed;
}

namespace {

// The file-scope and namespace-scope variables of `context`, by USR.
void IndexGlobals(const DeclContext *scope,
                  std::map<std::string, const VarDecl *> &index) {
  for (const Decl *decl : scope->decls()) {
    if (const auto *space = dyn_cast<NamespaceDecl>(decl)) {
      IndexGlobals(space, index);
    } else if (const auto *linkage = dyn_cast<LinkageSpecDecl>(decl)) {
      IndexGlobals(linkage, index);
    } else if (const auto *var = dyn_cast<VarDecl>(decl);
               var && var->hasGlobalStorage()) {
      index.emplace(UsrOf(var->getCanonicalDecl()), var->getCanonicalDecl());
    }
  }
}

}  // namespace

const VarDecl *GlobalMutations::DeclaredHere(const std::string &usr) const {
  if (!declared_) {
    declared_.emplace();
    IndexGlobals(context_->getTranslationUnitDecl(), *declared_);
  }
  auto found = declared_->find(usr);
  return found != declared_->end() ? found->second : nullptr;
}

std::optional<unsigned long long> FreshBlockBytes(const Expr *init, ASTContext &context) {
  if (init == nullptr) return std::nullopt;
  init = init->IgnoreParenCasts();
  auto constant = [&](const Expr *expr) -> std::optional<unsigned long long> {
    Expr::EvalResult value;
    if (expr->isValueDependent() || !expr->EvaluateAsInt(value, context) ||
        value.Val.getInt().isNegative()) {
      return std::nullopt;
    }
    return value.Val.getInt().getZExtValue();
  };
  if (const auto *fresh = dyn_cast<CXXNewExpr>(init)) {
    if (!fresh->isArray() || !fresh->getArraySize() || fresh->getNumPlacementArgs() != 0)
      return std::nullopt;
    auto count = constant(*fresh->getArraySize());
    if (!count) return std::nullopt;
    return *count * context.getTypeSizeInChars(fresh->getAllocatedType()).getQuantity();
  }
  const auto *call = dyn_cast<CallExpr>(init);
  const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
  if (callee == nullptr ||
      (!callee->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
       !callee->isInStdNamespace())) {
    return std::nullopt;
  }
  std::string name = callee->getNameAsString();
  if (name == "malloc" && call->getNumArgs() == 1) return constant(call->getArg(0));
  if (name == "calloc" && call->getNumArgs() == 2) {
    auto count = constant(call->getArg(0));
    auto size = constant(call->getArg(1));
    if (count && size) return *count * *size;
  }
  return std::nullopt;
}

std::optional<unsigned long long> FreshBlockRows(const VarDecl *pointer,
                                                 ASTContext &context) {
  if (!pointer->getType()->isPointerType()) return std::nullopt;
  const VarDecl *definition =
      pointer->getDefinition() ? pointer->getDefinition() : pointer;
  QualType pointee = pointer->getType()->getPointeeType();
  if (pointee->isIncompleteType()) return std::nullopt;
  std::optional<unsigned long long> bytes =
      FreshBlockBytes(definition->getInit(), context);
  unsigned long long size = context.getTypeSizeInChars(pointee).getQuantity();
  if (!bytes || size == 0 || *bytes == 0 || *bytes % size != 0) return std::nullopt;
  return *bytes / size;
}

std::optional<QualType> GlobalMutations::FixedBlock(const VarDecl *var) const {
  var = var->getCanonicalDecl();
  QualType type = var->getType();
  if (!var->hasGlobalStorage() || var->isExternallyVisible() || !type->isPointerType() ||
      reseated_.count(var) != 0 || type.isVolatileQualified()) {
    return std::nullopt;
  }
  QualType pointee = type->getPointeeType();
  std::optional<unsigned long long> rows = FreshBlockRows(var, *context_);
  if (!rows || pointee.isVolatileQualified()) return std::nullopt;
  return context_->getConstantArrayType(pointee.getUnqualifiedType(),
                                        llvm::APInt(64, *rows), nullptr,
                                        ArraySizeModifier::Normal, 0);
}

std::vector<std::string> GlobalMutations::AssumedUnchanged() const {
  return {assumed_unchanged_.begin(), assumed_unchanged_.end()};
}

std::vector<std::string> GlobalMutations::ChangedUsrs() const {
  std::set<std::string> usrs;
  for (const VarDecl *var : changed_) usrs.insert(UsrOf(var));
  return {usrs.begin(), usrs.end()};
}

std::vector<std::string> ChangedGlobalsReadOnce(const Effects &effects,
                                                const GlobalMutations &mutations) {
  std::vector<std::string> read;
  for (const VarDecl *var : effects.globals_read_once) {
    if (mutations.MayChange(var)) read.push_back(var->getQualifiedNameAsString());
  }
  for (const auto &[usr, name] : effects.summary_globals_read_once) {
    if (mutations.MayChange(usr)) read.push_back(name);
  }
  return read;
}

}  // namespace rayify
