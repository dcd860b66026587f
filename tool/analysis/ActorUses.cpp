#include "analysis/ActorUses.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <set>

namespace rayify {

using namespace clang;

namespace {

// True when `type` is `record` itself (not a reference or pointer to it).
bool IsObjectOf(QualType type, const CXXRecordDecl *record) {
  if (type->isReferenceType()) return false;
  const CXXRecordDecl *held = type->getAsCXXRecordDecl();
  return held != nullptr && held->getCanonicalDecl() == record->getCanonicalDecl();
}

// The record `std::vector<R>` holds, or null for any other type.
const CXXRecordDecl *VectorElementRecord(QualType type) {
  if (type->isReferenceType()) return nullptr;
  const auto *spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(type->getAsCXXRecordDecl());
  if (spec == nullptr || !spec->isInStdNamespace() || spec->getName() != "vector" ||
      spec->getTemplateArgs().size() == 0) {
    return nullptr;
  }
  const TemplateArgument &element = spec->getTemplateArgs()[0];
  if (element.getKind() != TemplateArgument::Type) return nullptr;
  const CXXRecordDecl *record = element.getAsType()->getAsCXXRecordDecl();
  return record == nullptr ? nullptr : record->getCanonicalDecl();
}

bool IsTransparent(const Stmt *stmt) {
  return isa<ImplicitCastExpr>(stmt) || isa<ParenExpr>(stmt) ||
         isa<MaterializeTemporaryExpr>(stmt) || isa<CXXBindTemporaryExpr>(stmt) ||
         isa<ExprWithCleanups>(stmt);
}

const Expr *Unwrap(const Expr *expr) {
  expr = expr->IgnoreImplicit();
  if (const auto *cast = dyn_cast<CXXFunctionalCastExpr>(expr)) {
    expr = cast->getSubExpr()->IgnoreImplicit();
  }
  return expr;
}

// A user constructor that makes a new object (not a copy or a move of another one).
const CXXConstructExpr *NewObject(const Expr *init) {
  const auto *construct = dyn_cast_or_null<CXXConstructExpr>(Unwrap(init));
  if (construct == nullptr) return nullptr;
  const CXXConstructorDecl *constructor = construct->getConstructor();
  if (constructor->isCopyOrMoveConstructor()) return nullptr;
  return construct;
}

class UseFinder {
 public:
  UseFinder(const CXXRecordDecl *record, ASTContext &context, ActorUses &uses)
      : record_(record->getCanonicalDecl()), context_(context), uses_(uses) {}

  void Run(const FunctionDecl *function) {
    uses_.bodies.emplace(function->getBody(), function);
    CollectInstances(function->getBody());
    Walk(function->getBody());
  }

 private:
  void CollectInstances(const Stmt *stmt) {
    if (stmt == nullptr) return;
    if (const auto *decls = dyn_cast<DeclStmt>(stmt)) {
      for (const Decl *decl : decls->decls()) {
        const auto *var = dyn_cast<VarDecl>(decl);
        // Range-for variables are elements of a container (NoteRangeFor).
        if (var == nullptr || !var->hasLocalStorage() || isa<ParmVarDecl>(var) ||
            var->isCXXForRangeDecl()) {
          continue;
        }
        bool single = IsObjectOf(var->getType(), record_);
        bool container = VectorElementRecord(var->getType()) == record_;
        if (single || container) AddInstance(var, decls, container);
      }
    }
    for (const Stmt *child : stmt->children()) CollectInstances(child);
  }

  void AddInstance(const VarDecl *var, const DeclStmt *declaration, bool container) {
    uses_.instances.push_back({var, declaration, container});
    instances_.insert(var);
    const VarDecl *before = nullptr;
    if (!declaration->isSingleDecl() &&
        (container || !OnlyNewObjects(declaration, before, var))) {
      Escape(var, var->getLocation(), "is declared together with other variables");
      // Still a creation, so that the class is refused with the reason rather than
      // passed over as one the driver never makes.
      const CXXConstructExpr *made =
          container || var->getInit() == nullptr ? nullptr : NewObject(var->getInit());
      if (made != nullptr)
        AddCreation(made->getConstructor(), made->arguments(), var->getSourceRange(),
                    declaration, var, false);
      return;
    }
    if (container) {
      const auto *construct = dyn_cast_or_null<CXXConstructExpr>(
          var->getInit() == nullptr ? nullptr : var->getInit()->IgnoreImplicit());
      if (var->getInit() != nullptr &&
          (construct == nullptr || construct->getNumArgs() != 0))
        Escape(var, var->getLocation(), "starts with elements it copies");
      containers_.insert(var);
      return;
    }
    const CXXConstructExpr *construct =
        var->getInit() == nullptr ? nullptr : NewObject(var->getInit());
    if (construct == nullptr) {
      Escape(var, var->getLocation(), "is a copy of another object");
      return;
    }
    // `Account a(...), b(...);`: each declarator after the first becomes a statement
    // of its own, from the comma after the one before it (each VarDecl's range starts
    // at the shared type).
    SourceRange replaced = var->getSourceRange();
    if (before != nullptr) {
      std::optional<Token> comma =
          Lexer::findNextToken(before->getSourceRange().getEnd(),
                               context_.getSourceManager(), context_.getLangOpts());
      if (!comma || !comma->is(tok::comma)) {
        Escape(var, var->getLocation(), "is declared together with other variables");
        return;
      }
      replaced.setBegin(comma->getLocation());
    }
    AddCreation(construct->getConstructor(), construct->arguments(), replaced,
                declaration, var, false);
    uses_.creations.back().after_declarator = before != nullptr;
  }

  // Whether every declarator of the block-level `declaration` makes a new object of
  // the class, so that each can become an actor creation statement of its own; sets
  // `before` to the declarator ahead of `var` (null for the first).
  bool OnlyNewObjects(const DeclStmt *declaration, const VarDecl *&before,
                      const VarDecl *var) {
    DynTypedNodeList parents = context_.getParents(*declaration);
    if (parents.size() != 1 || parents[0].get<CompoundStmt>() == nullptr) return false;
    const VarDecl *previous = nullptr;
    for (const Decl *decl : declaration->decls()) {
      const auto *each = dyn_cast<VarDecl>(decl);
      if (each == nullptr || !IsObjectOf(each->getType(), record_) ||
          each->getInit() == nullptr || NewObject(each->getInit()) == nullptr ||
          each->getSourceRange().getEnd().isMacroID())
        return false;
      if (each == var) before = previous;
      previous = each;
    }
    return true;
  }

  template <typename Args>
  void AddCreation(const CXXConstructorDecl *constructor, Args args, SourceRange replaced,
                   const Stmt *site, const VarDecl *var, bool emplace) {
    ActorCreation creation;
    creation.site = site;
    creation.constructor = constructor;
    for (const Expr *arg : args) creation.args.push_back(arg);
    creation.replaced = replaced;
    creation.var = var;
    creation.emplace = emplace;
    uses_.creations.push_back(std::move(creation));
  }

  void Walk(const Stmt *stmt) {
    if (stmt == nullptr) return;
    if (!stack_.empty()) uses_.parents.emplace(stmt, stack_.back());
    stack_.push_back(stmt);
    if (const auto *range_for = dyn_cast<CXXForRangeStmt>(stmt)) NoteRangeFor(range_for);
    if (isa<LambdaExpr>(stmt)) ++lambda_depth_;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      Classify(ref);
      NoteLocalUse(ref);
    }
    if (const auto *call = dyn_cast<CallExpr>(stmt)) {
      if (const FunctionDecl *callee = call->getDirectCallee()) {
        uses_.call_sites[callee->getCanonicalDecl()].push_back(call);
      }
    }
    for (const Stmt *child : stmt->children()) Walk(child);
    if (isa<LambdaExpr>(stmt)) --lambda_depth_;
    stack_.pop_back();
  }

  void NoteRangeFor(const CXXForRangeStmt *loop) {
    const auto *ref = dyn_cast<DeclRefExpr>(loop->getRangeInit()->IgnoreParenImpCasts());
    if (ref == nullptr || containers_.count(ref->getDecl()) == 0) return;
    range_inits_.insert(ref);
    const VarDecl *element = loop->getLoopVariable();
    if (!element->getType()->isLValueReferenceType()) {
      Escape(element, element->getLocation(), "copies each element of the container");
      return;
    }
    elements_.insert(element);
    uses_.element_loops.push_back(loop);
  }

  // A local read for its value or assigned where it is named is changed only where it
  // is named; any other use may hand it to code that changes it unnamed.
  void NoteLocalUse(const DeclRefExpr *ref) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || !var->hasLocalStorage() || stack_.size() < 2) return;
    const Stmt *parent = stack_[stack_.size() - 2];
    if (const auto *cast = dyn_cast<ImplicitCastExpr>(parent);
        cast != nullptr && cast->getCastKind() == CK_LValueToRValue) {
      return;
    }
    if (const auto *binary = dyn_cast<BinaryOperator>(parent);
        binary != nullptr && binary->isAssignmentOp() && binary->getLHS() == ref &&
        !var->getType()->isRecordType()) {
      return;
    }
    uses_.reachable_locals.insert(var);
  }

  // Index of the nearest ancestor of stack_[index] that is not an implicit node.
  size_t Up(size_t index) const {
    size_t up = index;
    while (up > 0 && IsTransparent(stack_[up - 1])) --up;
    return up == 0 ? SIZE_MAX : up - 1;
  }

  void Classify(const DeclRefExpr *ref) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || (instances_.count(var) == 0 && elements_.count(var) == 0)) {
      return;
    }
    if (lambda_depth_ > 0) {
      Escape(var, ref->getLocation(), "is used inside a lambda");
      return;
    }
    if (containers_.count(var) != 0) {
      ClassifyContainerUse(var, ref);
    } else {
      ClassifyObjectUse(var, stack_.size() - 1);
    }
  }

  // `obj.method(...)`: the only use an actor handle can stand in for.
  void ClassifyObjectUse(const VarDecl *var, size_t index) {
    size_t parent = Up(index);
    const auto *member =
        parent == SIZE_MAX ? nullptr : dyn_cast<MemberExpr>(stack_[parent]);
    size_t grandparent = parent == SIZE_MAX ? SIZE_MAX : Up(parent);
    const auto *call = grandparent == SIZE_MAX
                           ? nullptr
                           : dyn_cast<CXXMemberCallExpr>(stack_[grandparent]);
    const auto *method =
        member == nullptr ? nullptr : dyn_cast<CXXMethodDecl>(member->getMemberDecl());
    if (member == nullptr || member->isArrow() || call == nullptr ||
        call->getCallee()->IgnoreParens() != member || method == nullptr ||
        method->isStatic()) {
      Escape(var, stack_[index]->getBeginLoc(), Describe(parent, member));
      return;
    }
    uses_.calls.push_back({call, method, ValueUsed(grandparent), Extended(grandparent)});
  }

  // The temporary holding the call's value is bound to a reference.
  bool Extended(size_t call_index) const {
    for (size_t up = call_index; up > 0; --up) {
      const Stmt *above = stack_[up - 1];
      if (const auto *temporary = dyn_cast<MaterializeTemporaryExpr>(above)) {
        return temporary->getExtendingDecl() != nullptr;
      }
      if (!isa<ImplicitCastExpr>(above) && !isa<CXXBindTemporaryExpr>(above) &&
          !isa<ParenExpr>(above)) {
        return false;
      }
    }
    return false;
  }

  void ClassifyContainerUse(const VarDecl *var, const DeclRefExpr *ref) {
    if (range_inits_.count(ref) != 0) return;
    size_t index = stack_.size() - 1;
    size_t parent = Up(index);
    const Stmt *above = parent == SIZE_MAX ? nullptr : stack_[parent];
    if (const auto *subscript = dyn_cast_or_null<CXXOperatorCallExpr>(above);
        subscript != nullptr && subscript->getOperator() == OO_Subscript &&
        subscript->getArg(0)->IgnoreParenImpCasts() == ref) {
      ClassifyObjectUse(var, parent);
      return;
    }
    const auto *member = dyn_cast_or_null<MemberExpr>(above);
    size_t grandparent = parent == SIZE_MAX ? SIZE_MAX : Up(parent);
    const auto *call = grandparent == SIZE_MAX
                           ? nullptr
                           : dyn_cast<CXXMemberCallExpr>(stack_[grandparent]);
    if (member == nullptr || call == nullptr || member->isArrow()) {
      Escape(var, ref->getLocation(), Describe(parent, member));
      return;
    }
    std::string name = member->getMemberNameInfo().getAsString();
    if (name == "size" || name == "empty" || name == "reserve" || name == "capacity")
      return;
    if (name == "emplace_back") return AddEmplace(var, call);
    if (name == "push_back" && call->getNumArgs() == 1) {
      if (const CXXConstructExpr *construct = NewObject(call->getArg(0))) {
        AddCreation(construct->getConstructor(), construct->arguments(),
                    call->getArg(0)->getSourceRange(), call, nullptr, false);
        return;
      }
    }
    Escape(var, ref->getLocation(), "is used through " + name + "()");
  }

  // emplace_back forwards its arguments to the constructor with as many parameters.
  void AddEmplace(const VarDecl *var, const CXXMemberCallExpr *call) {
    const CXXConstructorDecl *chosen = nullptr;
    int candidates = 0;
    for (const CXXConstructorDecl *constructor : record_->getDefinition()->ctors()) {
      if (constructor->isCopyOrMoveConstructor() || constructor->isDeleted() ||
          constructor->getNumParams() != call->getNumArgs()) {
        continue;
      }
      chosen = constructor;
      ++candidates;
    }
    if (candidates != 1) {
      Escape(var, call->getBeginLoc(),
             "gets elements through emplace_back() with arguments that do not name one "
             "constructor");
      return;
    }
    SourceRange replaced(call->getRParenLoc(), call->getRParenLoc());
    if (call->getNumArgs() > 0) {
      replaced = SourceRange(call->getArg(0)->getBeginLoc(),
                             call->getArg(call->getNumArgs() - 1)->getEndLoc());
    }
    AddCreation(chosen, call->arguments(), replaced, call, nullptr, true);
  }

  // Nobody reads the value of a call that is a statement of its own.
  bool ValueUsed(size_t call_index) const {
    size_t below = call_index;
    while (below > 0 && isa<ExprWithCleanups>(stack_[below - 1])) --below;
    if (below == 0) return true;
    const Stmt *statement = stack_[below];
    const Stmt *holder = stack_[below - 1];
    if (isa<CompoundStmt>(holder) || isa<SwitchCase>(holder) || isa<LabelStmt>(holder))
      return false;
    if (const auto *branch = dyn_cast<IfStmt>(holder))
      return branch->getThen() != statement && branch->getElse() != statement;
    if (const auto *loop = dyn_cast<ForStmt>(holder))
      return loop->getBody() != statement && loop->getInc() != statement;
    if (const auto *loop = dyn_cast<CXXForRangeStmt>(holder))
      return loop->getBody() != statement;
    if (const auto *loop = dyn_cast<WhileStmt>(holder))
      return loop->getBody() != statement;
    if (const auto *loop = dyn_cast<DoStmt>(holder)) return loop->getBody() != statement;
    return true;
  }

  std::string Describe(size_t parent, const MemberExpr *member) const {
    if (member != nullptr && isa<FieldDecl>(member->getMemberDecl())) {
      return "has its member '" + member->getMemberNameInfo().getAsString() +
             "' used directly";
    }
    if (member != nullptr && member->isArrow()) return "is used through a pointer";
    const Stmt *above = parent == SIZE_MAX ? nullptr : stack_[parent];
    if (const auto *unary = dyn_cast_or_null<UnaryOperator>(above);
        unary != nullptr && unary->getOpcode() == UO_AddrOf) {
      return "has its address taken";
    }
    if (const auto *call = dyn_cast_or_null<CallExpr>(above)) {
      if (const FunctionDecl *callee = call->getDirectCallee()) {
        return "is passed to " + callee->getNameAsString() + "()";
      }
      return "is passed to a call";
    }
    if (isa_and_nonnull<CXXConstructExpr>(above)) return "is copied";
    if (isa_and_nonnull<DeclStmt>(above)) return "is bound to another name";
    if (isa_and_nonnull<ReturnStmt>(above)) return "is returned";
    return "is used other than by calling its methods";
  }

  void Escape(const VarDecl *var, SourceLocation where, const std::string &what) {
    if (!uses_.escape.empty()) return;
    const SourceManager &sources = context_.getSourceManager();
    uses_.escape = "'" + var->getNameAsString() + "' " + what + " (line " +
                   std::to_string(sources.getExpansionLineNumber(where)) + ")";
  }

  const CXXRecordDecl *record_;
  ASTContext &context_;
  ActorUses &uses_;
  std::vector<const Stmt *> stack_;
  std::set<const ValueDecl *> instances_, containers_, elements_;
  std::set<const DeclRefExpr *> range_inits_;
  int lambda_depth_ = 0;
};

}  // namespace

const Stmt *ParentIn(const ActorUses &uses, const Stmt *stmt) {
  auto found = uses.parents.find(stmt);
  return found == uses.parents.end() ? nullptr : found->second;
}

ActorUses FindActorUses(const CXXRecordDecl *record,
                        const std::vector<const FunctionDecl *> &functions,
                        ASTContext &context) {
  ActorUses uses;
  for (const FunctionDecl *function : functions) {
    UseFinder(record, context, uses).Run(function);
  }
  return uses;
}

}  // namespace rayify
