#include "conversions/ActorConversion.h"

#include <clang/AST/DeclFriend.h>
#include <clang/Basic/SourceManager.h>

#include <algorithm>

#include "analysis/CostModel.h"
#include "analysis/ResourceAnnotation.h"
#include "analysis/Writes.h"
#include "conversions/ActorEmitter.h"

namespace rayify {

using namespace clang;

namespace {

using Refusal = std::optional<std::pair<SkipReason, std::string>>;

Refusal Because(SkipReason reason, std::string message) {
  return std::make_pair(reason, std::move(message));
}

bool IsOrdinaryMethod(const CXXMethodDecl *method) {
  return !method->isImplicit() && !method->isStatic() &&
         !isa<CXXConstructorDecl>(method) && !isa<CXXDestructorDecl>(method) &&
         !method->isOverloadedOperator() && !isa<CXXConversionDecl>(method);
}

// Classes at namespace scope of the files rayify may edit, in declaration order.
void CollectClasses(const DeclContext *context, const SourceManager &sources,
                    std::vector<const CXXRecordDecl *> &classes) {
  for (const Decl *decl : context->decls()) {
    if (sources.isInSystemHeader(sources.getExpansionLoc(decl->getLocation()))) continue;
    if (const auto *space = dyn_cast<NamespaceDecl>(decl)) {
      CollectClasses(space, sources, classes);
    } else if (const auto *linkage = dyn_cast<LinkageSpecDecl>(decl)) {
      CollectClasses(linkage, sources, classes);
    } else if (const auto *record = dyn_cast<CXXRecordDecl>(decl)) {
      if (record->isThisDeclarationADefinition() && !record->isImplicit() &&
          !record->isLambda() && !record->isUnion() &&
          record->getIdentifier() != nullptr &&
          record->getDescribedClassTemplate() == nullptr &&
          !isa<ClassTemplateSpecializationDecl>(record) && IsStateful(record)) {
        classes.push_back(record);
      }
    }
  }
}

bool ChangesState(const ActorUses &uses) {
  for (const ActorCall &use : uses.calls) {
    if (!use.method->isConst()) return true;
  }
  return false;
}

std::string NameOf(const FunctionDecl *function) {
  return function->getQualifiedNameAsString() + "()";
}

bool IsStaticStorageOfClass(const VarDecl *var) {
  return var->isStaticDataMember() || var->isStaticLocal();
}

// The class as a whole: what it inherits, its statics, friends and members.
Refusal RefuseClass(const CXXRecordDecl *record, ASTContext &context) {
  std::string name = record->getNameAsString();
  if (record->getNumBases() > 0 || record->isPolymorphic()) {
    return Because(SkipReason::kUnsupportedShape,
                   name +
                       " has base classes or virtual methods; an actor is created and "
                       "called as exactly one class.");
  }
  for (const Decl *decl : record->decls()) {
    const auto *var = dyn_cast<VarDecl>(decl);
    if (var != nullptr && var->isStaticDataMember() && IsMutableGlobal(var, context)) {
      return Because(SkipReason::kStaticState,
                     name + " has the mutable static member '" + var->getNameAsString() +
                         "'; every actor process would have a copy of its own.");
    }
    if (isa<FriendDecl>(decl)) {
      return Because(SkipReason::kActorEscapes,
                     name +
                         " declares a friend, which can reach its objects' state from "
                         "outside their methods.");
    }
  }
  for (const FieldDecl *field : record->fields()) {
    QualType type = field->getType();
    if (type->isPointerType() || type->isReferenceType() || type->isMemberPointerType()) {
      return Because(SkipReason::kActorEscapes,
                     name + "'s member '" + field->getNameAsString() +
                         "' is a pointer or reference; what it leads to would not move "
                         "into the actor.");
    }
  }
  return std::nullopt;
}

Refusal RefuseArguments(const FunctionDecl *function,
                        const std::vector<const Expr *> &args) {
  for (const Expr *arg : args) {
    if (isa<CXXDefaultArgExpr>(arg)) {
      return Because(SkipReason::kUnsupportedShape,
                     NameOf(function) +
                         " is called with default arguments, which Ray's API does not "
                         "fill in.");
    }
  }
  for (const ParmVarDecl *param : function->parameters()) {
    if (IsMutableByReference(param->getType())) {
      return Because(SkipReason::kNonConstReference,
                     NameOf(function) + " takes '" + param->getNameAsString() +
                         "' by non-const reference or pointer; the caller's object "
                         "cannot be changed from another process.");
    }
  }
  return std::nullopt;
}

Refusal RefuseMethod(const ActorCall &use, const CXXRecordDecl *record) {
  const CXXMethodDecl *method = use.method;
  std::string name = NameOf(method);
  if (!IsOrdinaryMethod(method) || method->getParent() != record->getDefinition()) {
    return Because(SkipReason::kUnsupportedShape,
                   name + " is not a plain method of the class itself.");
  }
  if (method->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
      method->isVariadic()) {
    return Because(SkipReason::kUnsupportedShape,
                   name + " is a template or variadic; Ray registers one signature.");
  }
  auto same_name = record->lookup(method->getDeclName());
  if (std::distance(same_name.begin(), same_name.end()) > 1) {
    return Because(SkipReason::kUnsupportedShape,
                   name + " is overloaded; Ray registers methods by name.");
  }
  if (method->getReturnType()->isReferenceType()) {
    return Because(
        SkipReason::kUnsupportedShape,
        name + " returns a reference, which cannot point into another process.");
  }
  if (method->getReturnType()->isVoidType() && use.value_used) {
    return Because(SkipReason::kUnsupportedShape,
                   name + " returns nothing but its call is used as a value.");
  }
  std::vector<const Expr *> args(use.call->arg_begin(), use.call->arg_end());
  return RefuseArguments(method, args);
}

// What the effect analysis says about one function the actor runs.
// `name` is what has the effects, as the subject of a sentence.
Refusal RefuseObservable(const Effects &effects, const std::string &name,
                         const GlobalMutations &mutations) {
  if (!effects.exits.empty())
    return Because(SkipReason::kEarlyExit, name + " " + effects.exits + ".");
  if (!effects.io.empty()) {
    return Because(SkipReason::kIo, name + " " + effects.io +
                                        "; output from an actor would leave the "
                                        "driver's order.");
  }
  for (const VarDecl *var : effects.globals_written) {
    if (IsStaticStorageOfClass(var)) {
      return Because(SkipReason::kStaticState,
                     name + " writes the static '" + var->getNameAsString() +
                         "'; every actor process would have a copy of its own.");
    }
  }
  if (!effects.global_write.empty()) {
    return Because(SkipReason::kGlobalWrite,
                   name + " " + effects.global_write +
                       "; an actor would change its own process's copy.");
  }
  std::vector<std::string> read_once = ChangedGlobalsReadOnce(effects, mutations);
  if (!read_once.empty()) {
    return Because(SkipReason::kGlobalRead,
                   name + " initialises a static from '" + read_once.front() +
                       "' at its first call, and the program changes it; an actor's "
                       "process would make its first call at another time.");
  }
  for (const VarDecl *var : effects.globals_read) {
    if (!mutations.MayChange(var)) continue;
    return Because(
        IsStaticStorageOfClass(var) ? SkipReason::kStaticState : SkipReason::kGlobalRead,
        name + " reads '" + var->getNameAsString() +
            "', which the program changes; an actor reads its own "
            "process's copy.");
  }
  for (const auto &[usr, global] : effects.summary_globals_read) {
    if (!mutations.MayChange(usr)) continue;
    return Because(SkipReason::kGlobalRead,
                   name + " reads '" + global +
                       "', which the program changes; an actor reads its own process's "
                       "copy.");
  }
  if (!effects.unknown_call.empty())
    return Because(SkipReason::kUnknownCallee, name + " " + effects.unknown_call + ".");
  if (!effects.not_visible.empty())
    return Because(SkipReason::kCalleeNotVisible, name + " " + effects.not_visible + ".");
  if (!effects.may_throw.empty())
    return Because(SkipReason::kMayThrow, name + " " + effects.may_throw + ".");
  return std::nullopt;
}

// How many times a statement of driver code can run: the product of the trip counts of
// the loops around it, times the runs of the calls of its function from other driver
// code; nothing when one of those is not a constant, or the product exceeds what one
// creation site may make.
std::optional<unsigned long long> TimesRun(const Stmt *stmt, const ActorUses &uses,
                                           ASTContext &context) {
  unsigned long long times = 1;
  for (;;) {
    const Stmt *parent = ParentIn(uses, stmt);
    if (parent == nullptr) {
      auto body = uses.bodies.find(stmt);
      if (body == uses.bodies.end() || body->second->isMain()) return times;
      auto sites = uses.call_sites.find(body->second->getCanonicalDecl());
      unsigned long long calls = 0;
      if (sites != uses.call_sites.end()) {
        for (const CallExpr *site : sites->second) {
          auto runs = TimesRun(site, uses, context);
          if (!runs) return std::nullopt;
          calls += *runs;
        }
      }
      if (calls > kMaxActorsPerSite) return std::nullopt;
      return times * calls;
    }
    if (IsLoop(parent)) {
      auto count = ConstantTripCount(parent, context);
      if (!count || *count > kMaxActorsPerSite) return std::nullopt;
      times *= *count;
    }
    stmt = parent;
  }
}

bool InsideLoop(const Stmt *stmt, const ActorUses &uses, ASTContext &context) {
  auto times = TimesRun(stmt, uses, context);
  return !times || *times > 1;
}

// Every object is an actor (a process on a cluster): a loop may make a few, never a
// number only known at run time.
Refusal RefuseCreationCount(const ActorCreation &creation, const ActorUses &uses,
                            const CXXRecordDecl *record, ASTContext &context) {
  auto times = TimesRun(creation.site, uses, context);
  if (creation.var != nullptr && (!times || *times > 1)) {
    return Because(SkipReason::kUnsupportedShape,
                   "'" + creation.var->getNameAsString() +
                       "' is declared inside a loop, or in a function called more than "
                       "once: every time would create a new actor.");
  }
  if (!times || *times > kMaxActorsPerSite) {
    return Because(SkipReason::kUnsupportedShape,
                   "objects of " + record->getNameAsString() +
                       " are added in a loop that may run more than " +
                       std::to_string(kMaxActorsPerSite) +
                       " times: each would be an actor, a process of its own on a "
                       "cluster.");
  }
  return std::nullopt;
}

// A name belongs to one actor: the class must have exactly one object, made once.
Refusal NameActor(const ActorAnnotation &annotation, const ActorUses &uses,
                  ActorNames &names, ASTContext &context) {
  const ActorInstance &first = uses.instances.front();
  if (uses.instances.size() != 1 || first.container || uses.creations.size() != 1 ||
      InsideLoop(first.declaration, uses, context)) {
    return Because(SkipReason::kUnsupportedShape,
                   "actor(name=" + annotation.name +
                       ") names one actor, but the program makes several objects of "
                       "the class.");
  }
  names.set_name =
      ".SetName(\"" + annotation.name + "\"" +
      (annotation.ray_namespace.empty() ? std::string()
                                        : ", \"" + annotation.ray_namespace + "\"") +
      ")";
  return std::nullopt;
}

// The annotations above the class: resources, and a name.
Refusal ReadAnnotations(const CXXRecordDecl *record, FileEditor &file,
                        const ActorUses &uses, ActorNames &names) {
  std::string comment = file.CommentAbove(record->getBeginLoc());
  try {
    names.resources =
        ParseResourceAnnotation(comment).value_or(std::map<std::string, double>{});
    if (auto annotation = ParseActorAnnotation(comment)) {
      return NameActor(*annotation, uses, names, record->getASTContext());
    }
  } catch (const std::invalid_argument &e) {
    return Because(SkipReason::kUnsupportedShape, "the annotation of " +
                                                      record->getNameAsString() +
                                                      " is malformed: " + e.what() + ".");
  }
  return std::nullopt;
}

}  // namespace

bool IsStateful(const CXXRecordDecl *record) {
  if (record->field_empty()) return false;
  for (const CXXMethodDecl *method : record->methods()) {
    if (IsOrdinaryMethod(method) && !method->isConst()) return true;
  }
  return false;
}

Refusal ActorPass::Refuse(const CXXRecordDecl *record, const ActorUses &uses,
                          std::set<const TagDecl *> &needs_define) {
  TranslationUnit &unit = Unit();
  if (auto refusal = RefuseClass(record, unit.context)) return refusal;
  if (!uses.escape.empty()) {
    return Because(SkipReason::kActorEscapes,
                   uses.escape + "; an actor is reached only through its methods.");
  }
  for (const ActorInstance &instance : uses.instances) {
    if (instance.container && VectorElementTypeRange(instance.var).isInvalid()) {
      return Because(SkipReason::kUnsupportedShape,
                     "the type of '" + instance.var->getNameAsString() +
                         "' is not written as std::vector<" + record->getNameAsString() +
                         ">, so its element type cannot be replaced.");
    }
  }
  for (const ActorCreation &creation : uses.creations) {
    if (InMacro(creation.replaced)) {
      return Because(SkipReason::kMacro, "an object of " + record->getNameAsString() +
                                             " is created by a macro.");
    }
    if (auto refusal = RefuseArguments(creation.constructor, creation.args))
      return refusal;
    if (auto refusal = RefuseCreationCount(creation, uses, record, unit.context))
      return refusal;
  }
  for (const ActorCall &use : uses.calls) {
    if (InMacro(use.call->getSourceRange())) {
      return Because(SkipReason::kMacro,
                     NameOf(use.method) + " is called in a macro's expansion.");
    }
    if (auto refusal = RefuseMethod(use, record)) return refusal;
  }
  std::string why;
  for (const ActorCreation &creation : uses.creations) {
    why = unit.serializability.CheckSignature(creation.constructor, needs_define);
    if (!why.empty()) {
      return Because(SkipReason::kNonSerializable,
                     NameOf(creation.constructor) + ": " + why + ".");
    }
  }
  for (const ActorCall &use : uses.calls) {
    why = unit.serializability.CheckSignature(use.method, needs_define);
    if (!why.empty())
      return Because(SkipReason::kNonSerializable, NameOf(use.method) + ": " + why + ".");
  }
  return RefuseEffects(record, uses);
}

Refusal ActorPass::RefuseEffects(const CXXRecordDecl *record, const ActorUses &uses) {
  TranslationUnit &unit = Unit();
  std::vector<const FunctionDecl *> runs;
  for (const ActorCreation &creation : uses.creations)
    runs.push_back(creation.constructor);
  for (const ActorCall &use : uses.calls) runs.push_back(use.method);
  bool has_work = false;
  for (const FunctionDecl *function : runs) {
    Effects effects = unit.effects.OfFunction(function);
    if (auto refusal = RefuseObservable(effects, NameOf(function), unit.Mutations()))
      return refusal;
    has_work = has_work || effects.has_loop;
  }
  // The driver destroyed each object where its scope ended; an actor is destroyed in
  // its own process, if at all. So destroying one must do nothing the program sees,
  // whether the destructor is written or implicit (a member's destructor counting
  // into a global).
  Effects destruction = unit.effects.OfDestruction(unit.context.getRecordType(record));
  if (auto refusal = RefuseObservable(
          destruction, "destroying an object of " + record->getNameAsString(),
          unit.Mutations()))
    return refusal;
  has_work = has_work || destruction.has_loop;
  // Every call of an actor is a round trip; without a loop or recursion anywhere, the
  // object does less work than its calls cost.
  if (!has_work) {
    return Because(SkipReason::kTooFineGrained,
                   "no method of " + record->getNameAsString() +
                       " that the driver calls has a loop or recursion: each call would "
                       "cost more than the work it does.");
  }
  return std::nullopt;
}

void ActorPass::Decide(const CXXRecordDecl *record) {
  TranslationUnit &unit = Unit();
  // Only where no task can reach: a task's direct callee is checked for creating
  // actors (RefuseActorUse), deeper callees are not.
  ActorUses uses = FindActorUses(record, unit.calls.MainAndItsHelpers(), unit.context);
  FileEditor *class_file_editor = unit.edits.For(record->getLocation());
  // Nothing to decide for a class whose objects driver code never makes and changes.
  if (uses.creations.empty() || !ChangesState(uses) || class_file_editor == nullptr) {
    return;
  }
  FileEditor &class_file = *class_file_editor;
  Finding decision;
  decision.file = class_file.Path();
  decision.range = class_file.RangeOf(record->getSourceRange());
  std::set<const TagDecl *> needs_define;
  ActorNames names = NamesOf(record);
  Refusal refusal = Refuse(record, uses, needs_define);
  if (!refusal) refusal = ReadAnnotations(record, class_file, uses, names);
  if (refusal) {
    decision.code = ReasonCode(refusal->first);
    decision.message = refusal->second;
    Report(std::move(decision));
    return;
  }
  ActorEmission emission =
      EmitActor(record, uses, names, FindPools(uses, unit.effects), unit);
  for (const std::string &name : emission.registered)
    unit.remote_functions.push_back(name);
  unit.needs_define.insert(needs_define.begin(), needs_define.end());
  unit.actor_classes.insert(record->getCanonicalDecl());
  for (const ActorInstance &instance : uses.instances) {
    unit.actor_objects.insert(instance.var);
    if (const auto *function = dyn_cast<FunctionDecl>(instance.var->getDeclContext())) {
      unit.actor_drivers.insert(function->getCanonicalDecl());
    }
  }
  for (const CXXForRangeStmt *loop : uses.element_loops) {
    unit.actor_objects.insert(loop->getLoopVariable());
  }
  decision.code = kConvertedCode;
  decision.message = record->getNameAsString() + " becomes a Ray actor";
  LoopConversion summary = Summary(record, uses, names, emission);
  decision.conversion = summary;
  decision.fix = unit.edits.Take();
  Report(std::move(decision));
  ReportPools(record, emission, summary);
}

LoopConversion ActorPass::Summary(const CXXRecordDecl *record, const ActorUses &uses,
                                  const ActorNames &names,
                                  const ActorEmission &emission) {
  LoopConversion conversion;
  conversion.kind = "actor";
  conversion.class_name = record->getNameAsString();
  conversion.function = emission.registered.front();
  conversion.variable = uses.instances.front().var->getNameAsString();
  for (const ActorCall &use : uses.calls) {
    std::string method = use.method->getNameAsString();
    if (std::find(conversion.methods.begin(), conversion.methods.end(), method) ==
        conversion.methods.end()) {
      conversion.methods.push_back(method);
    }
  }
  conversion.resources = names.resources;
  return conversion;
}

// Each pool is a decision of its own, at the loop's line; its edits are the class's.
void ActorPass::ReportPools(const CXXRecordDecl *record, const ActorEmission &emission,
                            LoopConversion conversion) {
  TranslationUnit &unit = Unit();
  for (const ActorPoolLoop &pool : emission.pools) {
    unit.actor_pool_loops.insert(pool.loop);
    Finding pool_decision;
    pool_decision.file = unit.edits.Main().Path();
    pool_decision.range = unit.edits.Main().RangeOf(pool.loop->getSourceRange());
    pool_decision.code = kConvertedCode;
    pool_decision.message = "an actor pool of " + record->getNameAsString();
    conversion.kind = "actor-pool";
    conversion.function = pool.call->getMethodDecl()->getNameAsString();
    conversion.variable = pool.container->getNameAsString();
    pool_decision.conversion = conversion;
    Report(std::move(pool_decision));
  }
}

void ActorPass::Finish() {
  std::vector<const CXXRecordDecl *> classes;
  const SourceManager &sources = Unit().context.getSourceManager();
  CollectClasses(Unit().context.getTranslationUnitDecl(), sources, classes);
  for (const CXXRecordDecl *record : classes) Decide(record);
}

}  // namespace rayify
