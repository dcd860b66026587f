#include "conversions/ActorEmitter.h"

#include <clang/AST/TypeLoc.h>

#include <algorithm>
#include <optional>
#include <set>

#include "analysis/LoopSafety.h"
#include "analysis/ResourceAnnotation.h"
#include "conversions/StoredRefs.h"
#include "conversions/TaskLoopEmitter.h"
#include "rules/RayApi.h"

namespace rayify {

using namespace clang;

ActorNames NamesOf(const CXXRecordDecl *record) {
  ActorNames names;
  for (const DeclContext *context = record->getDeclContext(); context != nullptr;
       context = context->getParent()) {
    const auto *space = dyn_cast<NamespaceDecl>(context);
    if (space != nullptr && !space->isAnonymousNamespace()) {
      names.scope = space->getNameAsString() + "::" + names.scope;
    }
  }
  names.qualified = names.scope + record->getNameAsString();
  return names;
}

SourceRange VectorElementTypeRange(const VarDecl *var) {
  const TypeSourceInfo *info = var->getTypeSourceInfo();
  if (info == nullptr) return {};
  TypeLoc loc = info->getTypeLoc();
  for (;;) {
    if (auto qualified = loc.getAs<QualifiedTypeLoc>()) {
      loc = qualified.getUnqualifiedLoc();
    } else if (auto elaborated = loc.getAs<ElaboratedTypeLoc>()) {
      loc = elaborated.getNamedTypeLoc();
    } else {
      break;
    }
  }
  auto spec = loc.getAs<TemplateSpecializationTypeLoc>();
  if (!spec || spec.getNumArgs() == 0) return {};
  return spec.getArgLoc(0).getSourceRange();
}

namespace {

bool Holds(const Stmt *root, const Stmt *node);

// A call of the program's in `stmt`, which might read what the gathered expression
// writes without naming it (through a pointer or a global).
bool CallsOutsideTheLibrary(const Stmt *stmt) {
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    const auto *method = dyn_cast_or_null<CXXMethodDecl>(callee);
    bool library = callee != nullptr &&
                   (callee->isInStdNamespace() ||
                    (method != nullptr && method->getParent()->isInStdNamespace()));
    if (!library) return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (child != nullptr && CallsOutsideTheLibrary(child)) return true;
  }
  return false;
}

// A call of a method of a class of the program's in `stmt` other than `except`: it
// may be another class's actor, whose own rewriting the gathered copy would miss.
bool CallsOtherMethods(const Stmt *stmt, const CXXMemberCallExpr *except) {
  if (const auto *call = dyn_cast<CXXMemberCallExpr>(stmt);
      call != nullptr && call != except) {
    const CXXMethodDecl *method = call->getMethodDecl();
    if (method == nullptr || !method->getParent()->isInStdNamespace()) return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (child != nullptr && CallsOtherMethods(child, except)) return true;
  }
  return false;
}

// Whether gathering could make calls the loop would not have made: an expression that
// may throw or end the program partway (`results.at(k) = a.m()`), where the calls
// submitted ahead for the later iterations are visible to what comes after (a caught
// exception), unless the method changes nothing.
bool StopsPartway(const Expr *body, const CXXMethodDecl *method,
                  EffectAnalyzer &effects) {
  if (method->isConst() && !effects.OfFunction(method).writes_object) return false;
  Effects stops = effects.OfStmt(body);
  return !stops.may_throw.empty() || !stops.exits.empty() ||
         !stops.unknown_call.empty() || !stops.not_visible.empty();
}

// The variable a call is made on: `a` of `a.m()`, or the container of `v[i].m()`.
const VarDecl *ObjectVariable(const CXXMemberCallExpr *call) {
  const Expr *object = call->getImplicitObjectArgument();
  const Expr *container = nullptr, *index = nullptr;
  return ReferencedVar(MatchSubscript(object, container, index) ? container : object);
}

// The one actor call in `body`, the only expression of a loop over actors, whose
// value `body` uses and whose submission may move ahead of every evaluation of
// `body`: made on the loop's own actor `element` (or `element[i]`, ObjectVariable),
// which `body` names nowhere else;
// its arguments read nothing `body` writes and call no function of the program's
// (which might read what `body` writes without naming it); no other method of the
// program's called in `body`; no macro around either. Null otherwise.
const CXXMemberCallExpr *GatheredCall(const Expr *body, const VarDecl *element,
                                      const ActorUses &uses, EffectAnalyzer &effects) {
  const ActorCall *found = nullptr;
  for (const ActorCall &use : uses.calls) {
    if (!Holds(body, use.call)) continue;
    if (found != nullptr) return nullptr;
    found = &use;
  }
  if (found == nullptr || !found->value_used || found->call == body ||
      ObjectVariable(found->call) != element || MentionCount(body, element) != 1 ||
      body->getSourceRange().getBegin().isMacroID() ||
      body->getSourceRange().getEnd().isMacroID() ||
      found->call->getSourceRange().getBegin().isMacroID() ||
      found->call->getSourceRange().getEnd().isMacroID() ||
      CallsOtherMethods(body, found->call) || StopsPartway(body, found->method, effects))
    return nullptr;
  for (const Expr *arg : found->call->arguments()) {
    if (CallsOutsideTheLibrary(arg)) return nullptr;
    for (const VarDecl *var : VariablesIn(arg)) {
      if (Writes(body, var)) return nullptr;
    }
  }
  return found->call;
}

// The counter `i` of `for (T i = ...; ...; ++i)` (or `i++`, `i += 1`), else null.
const VarDecl *PlainCounter(const ForStmt *loop) {
  const auto *init = dyn_cast_or_null<DeclStmt>(loop->getInit());
  if (init == nullptr || !init->isSingleDecl()) return nullptr;
  const auto *counter = dyn_cast<VarDecl>(init->getSingleDecl());
  if (counter == nullptr || !counter->getType()->isIntegerType() ||
      loop->getInc() == nullptr)
    return nullptr;
  const Expr *inc = loop->getInc()->IgnoreParenImpCasts();
  if (const auto *unary = dyn_cast<UnaryOperator>(inc);
      unary != nullptr && unary->isIncrementOp() &&
      ReferencedVar(unary->getSubExpr()) == counter)
    return counter;
  if (const auto *compound = dyn_cast<CompoundAssignOperator>(inc);
      compound != nullptr && compound->getOpcode() == BO_AddAssign &&
      ReferencedVar(compound->getLHS()) == counter)
    return counter;
  return nullptr;
}

// `for (i ...) E` with E one expression calling `actors[i]` for its value: a pool
// that keeps each value with its `i`. The header must not read what E writes, nor
// call a function of the program's, for E to wait until every call is submitted.
std::optional<ActorPoolLoop> CountedGathering(const ActorCall &use, const ActorUses &uses,
                                              EffectAnalyzer &effects) {
  const Expr *base = nullptr, *subscript = nullptr;
  if (!use.value_used ||
      !MatchSubscript(use.call->getImplicitObjectArgument(), base, subscript))
    return std::nullopt;
  const VarDecl *container = ReferencedVar(base);
  const VarDecl *index = ReferencedVar(subscript);
  // The expression statement around the call, and the loop it is the body of.
  const Stmt *body = use.call;
  const Stmt *parent = ParentIn(uses, body);
  while (parent != nullptr && isa<Expr>(parent)) {
    body = parent;
    parent = ParentIn(uses, body);
  }
  if (const auto *block = dyn_cast_or_null<CompoundStmt>(parent);
      block != nullptr && block->size() == 1)
    parent = ParentIn(uses, block);
  const auto *loop = dyn_cast_or_null<ForStmt>(parent);
  // The statement without its implicit wrapping (the cleanups of its temporaries).
  const Expr *expression = cast<Expr>(body)->IgnoreImplicit();
  if (loop == nullptr || container == nullptr || index == nullptr ||
      OnlyExpression(loop->getBody()) != expression || PlainCounter(loop) != index)
    return std::nullopt;
  if (GatheredCall(expression, container, uses, effects) != use.call ||
      Writes(expression, index))
    return std::nullopt;
  std::set<const VarDecl *> header;
  for (const Stmt *part : {static_cast<const Stmt *>(loop->getCond()),
                           static_cast<const Stmt *>(loop->getInc())}) {
    if (part == nullptr || CallsOutsideTheLibrary(part)) return std::nullopt;
    std::set<const VarDecl *> named = VariablesIn(part);
    header.insert(named.begin(), named.end());
  }
  for (const VarDecl *var : header) {
    if (Writes(expression, var)) return std::nullopt;
  }
  return ActorPoolLoop{loop, use.call, expression, index, container};
}

}  // namespace

std::vector<ActorPoolLoop> FindPools(const ActorUses &uses, EffectAnalyzer &effects) {
  std::vector<ActorPoolLoop> pools;
  for (const CXXForRangeStmt *loop : uses.element_loops) {
    const Expr *body = OnlyExpression(loop->getBody());
    if (body == nullptr) continue;
    const VarDecl *container = ReferencedVar(loop->getRangeInit());
    const auto *call = dyn_cast<CXXMemberCallExpr>(body);
    for (const ActorCall &use : uses.calls) {
      if (call != nullptr && use.call == call && !use.value_used)
        pools.push_back({loop, call, nullptr, nullptr, container});
    }
    if (const CXXMemberCallExpr *gathered =
            GatheredCall(body, loop->getLoopVariable(), uses, effects))
      pools.push_back({loop, gathered, body, nullptr, container});
  }
  for (const ActorCall &use : uses.calls) {
    if (std::optional<ActorPoolLoop> pool = CountedGathering(use, uses, effects))
      pools.push_back(*pool);
  }
  return pools;
}

namespace {

// The nearest parent of `node` that is not an implicit node.
const Stmt *ParentOf(const Stmt *node, const ActorUses &uses) {
  for (;;) {
    const Stmt *parent = ParentIn(uses, node);
    if (parent == nullptr) return nullptr;
    if (!isa<ImplicitCastExpr>(parent) && !isa<MaterializeTemporaryExpr>(parent) &&
        !isa<CXXBindTemporaryExpr>(parent) && !isa<ExprWithCleanups>(parent)) {
      return parent;
    }
    node = parent;
  }
}

// `*ray::Get(r)` binds looser than what follows a postfix expression: `.c_str()`,
// `[i]`, a call, `++`.
bool NeedsParentheses(const Expr *call, const ActorUses &uses) {
  const Stmt *parent = ParentOf(call, uses);
  if (parent == nullptr) return false;
  if (isa<MemberExpr>(parent) || isa<ArraySubscriptExpr>(parent)) return true;
  if (const auto *unary = dyn_cast<UnaryOperator>(parent)) return unary->isPostfix();
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(parent)) {
    OverloadedOperatorKind kind = op->getOperator();
    return kind == OO_Subscript || kind == OO_Call || kind == OO_Arrow ||
           ((kind == OO_PlusPlus || kind == OO_MinusMinus) && op->getNumArgs() == 2);
  }
  return false;
}

// Ray's single-object ray::Get takes a result that msgpack packs as a positive
// integer of 9 bytes (64-bit values from 2^32 up) for a cross-language header and
// fails with "insufficient bytes"; the list form of ray::Get reads it correctly.
bool MisreadAsCrossLanguage(QualType type, ASTContext &context) {
  type = type.getCanonicalType();
  return type->isIntegerType() && !type->isBooleanType() && !type->isEnumeralType() &&
         context.getTypeSize(type) == 64;
}

std::string FactoryText(const CXXConstructorDecl *constructor, const std::string &name,
                        bool in_header, const std::string &indent, ASTContext &context) {
  const CXXRecordDecl *record = constructor->getParent();
  std::string params, args;
  for (unsigned i = 0; i < constructor->getNumParams(); ++i) {
    const ParmVarDecl *param = constructor->getParamDecl(i);
    std::string param_name =
        param->getName().empty() ? "arg" + std::to_string(i) : param->getNameAsString();
    params += (i == 0 ? "" : ", ") + PrintType(param->getType(), constructor, context) +
              " " + param_name;
    args += (i == 0 ? "" : ", ") + param_name;
  }
  std::string class_name = record->getNameAsString();
  return indent + "// Ray creates " + class_name +
         " actors through a registered factory (added by rayify).\n" + indent +
         (in_header ? "inline " : "") + class_name + " *" + name + "(" + params +
         ") {\n" + indent + "    return new " + class_name + "(" + args + ");\n" +
         indent + "}\n";
}

// Offset of the line after the one that closes `record`.
unsigned AfterClass(const CXXRecordDecl *record, FileEditor &editor) {
  unsigned brace = editor.Offset(record->getBraceRange().getEnd());
  size_t newline = editor.FileText().find('\n', brace);
  return newline == std::string::npos ? static_cast<unsigned>(editor.FileText().size())
                                      : static_cast<unsigned>(newline + 1);
}

void EmitCreation(const ActorCreation &creation, const std::string &call,
                  const ActorNames &names, FileEditor &edits) {
  std::string prefix = call + "(";
  SourceRange range = creation.replaced;
  if (creation.var != nullptr) {
    prefix = "ray::ActorHandle<" + names.qualified + "> " +
             creation.var->getNameAsString() + " = " + prefix;
    if (creation.after_declarator)
      prefix = ";\n" + edits.LineIndent(range.getBegin()) + prefix;
  }
  if (creation.args.empty()) {
    if (creation.emplace) {
      edits.Insert(edits.Offset(range.getBegin()), prefix + ")");
    } else {
      edits.ReplaceRange(range, prefix + ")");
    }
    return;
  }
  edits.Replace(edits.Offset(range.getBegin()),
                edits.Offset(creation.args.front()->getBeginLoc()), prefix);
  edits.Replace(edits.EndOffset(creation.args.back()->getEndLoc()),
                edits.EndOffset(range.getEnd()), ")");
}

// A call of a const method whose value is used can be submitted before the statements
// ahead of it in its block, so that it runs while the driver waits for other actors
// there: `printf(a.audit(n)); printf(b.audit(n));` submits b's audit before waiting
// for a's. Submitting earlier is invisible when nothing in between calls that actor,
// changes an argument, or can leave the block, and the method does not change the
// actor (a call made early and then not reached, after an exception, changes
// nothing).
struct Hoist {
  const Stmt *before = nullptr;  // the statement the submission goes in front of
  std::string ref;               // the variable holding the submission's ObjectRef
};

// The statement of a block that holds `call`, and the block; null when the call is
// reached only conditionally (a branch, `&&`, `?:`, a loop, a lambda).
std::pair<const Stmt *, const CompoundStmt *> StatementOf(const Expr *call,
                                                          const ActorUses &uses) {
  const Stmt *node = call;
  for (;;) {
    const Stmt *parent = ParentIn(uses, node);
    if (parent == nullptr) return {nullptr, nullptr};
    if (const auto *block = dyn_cast<CompoundStmt>(parent)) {
      bool plain = isa<Expr>(node) || isa<DeclStmt>(node) || isa<ReturnStmt>(node);
      return plain ? std::make_pair(node, block) : std::make_pair(nullptr, nullptr);
    }
    const auto *binary = dyn_cast<BinaryOperator>(parent);
    if (!isa<Expr>(parent) && !isa<DeclStmt>(parent) && !isa<ReturnStmt>(parent))
      return {nullptr, nullptr};
    if (isa<AbstractConditionalOperator>(parent) || isa<LambdaExpr>(parent) ||
        isa<StmtExpr>(parent) || (binary != nullptr && binary->isLogicalOp())) {
      return {nullptr, nullptr};
    }
    node = parent;
  }
}

bool LeavesBlock(const Stmt *stmt) {
  if (stmt == nullptr || isa<LambdaExpr>(stmt)) return false;
  if (isa<ReturnStmt>(stmt) || isa<BreakStmt>(stmt) || isa<ContinueStmt>(stmt) ||
      isa<GotoStmt>(stmt) || isa<CXXThrowExpr>(stmt) || isa<LabelStmt>(stmt)) {
    return true;
  }
  for (const Stmt *child : stmt->children()) {
    if (LeavesBlock(child)) return true;
  }
  return false;
}

bool Precedes(const Decl *decl, const Stmt *stmt, const SourceManager &sources) {
  return sources.isBeforeInTranslationUnit(decl->getBeginLoc(), stmt->getBeginLoc());
}

// The variables the arguments read; false when an argument is more than literals and
// local variables (a call, a global) and so might not have the same value earlier.
bool ArgumentVariables(const CXXMemberCallExpr *call, const ActorUses &uses,
                       std::vector<const VarDecl *> &vars) {
  for (const Expr *arg : call->arguments()) {
    arg = arg->IgnoreParenImpCasts();
    if (isa<IntegerLiteral>(arg) || isa<FloatingLiteral>(arg) ||
        isa<CXXBoolLiteralExpr>(arg))
      continue;
    const auto *ref = dyn_cast<DeclRefExpr>(arg);
    const auto *var = ref == nullptr ? nullptr : dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || !var->hasLocalStorage()) return false;
    // A local whose address or reference got out may change where it is not named.
    if (!var->getType().isConstQualified() && uses.reachable_locals.count(var) != 0)
      return false;
    vars.push_back(var);
  }
  return true;
}

bool Holds(const Stmt *root, const Stmt *node) {
  if (root == node) return true;
  for (const Stmt *child : root->children()) {
    if (child != nullptr && Holds(child, node)) return true;
  }
  return false;
}

const VarDecl *ActorOf(const ActorCall &use) {
  const auto *ref =
      dyn_cast<DeclRefExpr>(use.call->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return ref == nullptr ? nullptr : dyn_cast<VarDecl>(ref->getDecl());
}

// True when calling `method` changes nothing, so such calls can trade places.
bool ChangesNothing(const CXXMethodDecl *method, EffectAnalyzer &effects) {
  return method->isConst() && !effects.OfFunction(method).writes_object;
}

std::optional<Hoist> PlanHoist(const ActorCall &use, const ActorUses &uses,
                               const std::set<const Stmt *> &waits,
                               TranslationUnit &unit) {
  ASTContext &context = unit.context;
  const VarDecl *actor = ActorOf(use);
  std::vector<const VarDecl *> args;
  if (!use.value_used || actor == nullptr || !ChangesNothing(use.method, unit.effects) ||
      !ArgumentVariables(use.call, uses, args)) {
    return std::nullopt;
  }
  auto [statement, block] = StatementOf(use.call, uses);
  if (statement == nullptr) return std::nullopt;
  // Other calls of the actor in the same statement stay where they are: they must not
  // change what this one sees.
  for (const ActorCall &other : uses.calls) {
    if (ActorOf(other) == actor && Holds(statement, other.call) &&
        !ChangesNothing(other.method, unit.effects)) {
      return std::nullopt;
    }
  }
  const SourceManager &sources = context.getSourceManager();
  auto at = std::find(block->body_begin(), block->body_end(), statement);
  std::optional<Hoist> hoist;
  for (auto earlier = at; earlier != block->body_begin();) {
    const Stmt *passed = *--earlier;
    if (Mentions(passed, actor) || LeavesBlock(passed) ||
        !Precedes(actor, passed, sources))
      break;
    bool changes_argument = false;
    for (const VarDecl *var : args) {
      changes_argument =
          changes_argument || Writes(passed, var) || !Precedes(var, passed, sources);
    }
    if (changes_argument) break;
    // Only worth it when the submission overtakes a wait.
    if (waits.count(passed) != 0) hoist = Hoist{passed, ""};
  }
  return hoist;
}

std::string TaskCall(const ActorCall &use, const ActorNames &names) {
  return "Task(&" + names.qualified + "::" + use.method->getNameAsString() + ").Remote";
}

// `*ray::Get(ref)`, around `ref` ({prefix, suffix}).
std::pair<std::string, std::string> GetAround(const ActorCall &use, const ActorUses &uses,
                                              ASTContext &context) {
  bool listed = MisreadAsCrossLanguage(use.method->getReturnType(), context);
  std::string get = std::string("*ray::Get(") + (listed ? "std::vector{" : "");
  std::string end = listed ? "}).front()" : ")";
  if (use.lifetime_extended) {
    // A reference bound here must keep a value of its own alive, as it kept the
    // call's temporary: `*ray::Get(r)` points into a result freed at the `;`.
    std::string type = PrintType(use.method->getReturnType(), use.method, context);
    return {"static_cast<" + type + ">(std::move(" + get, end + "))"};
  }
  bool parens = NeedsParentheses(use.call, uses);
  return {(parens ? "(" : "") + get, end + (parens ? ")" : "")};
}

void EmitCall(const ActorCall &use, const ActorUses &uses, const ActorNames &names,
              const std::string &pool_refs, const Expr *gather, const VarDecl *counter,
              TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  const auto *member = cast<MemberExpr>(use.call->getCallee()->IgnoreParens());
  unsigned name = edits.Offset(member->getMemberLoc());
  edits.Replace(name, edits.EndOffset(member->getMemberLoc()), TaskCall(use, names));
  unsigned begin = edits.Offset(use.call->getBeginLoc());
  unsigned end = edits.EndOffset(use.call->getEndLoc());
  if (gather != nullptr) {
    // `total += a.m(x)` becomes `refs.push_back(copy(a.Task(..).Remote(x)))`, and
    // `e[i] = v[i].m(x)` becomes `refs.emplace_back(i, copy(v[i].Task(..).Remote(x)))`.
    std::string keep = counter != nullptr
                           ? ".emplace_back(" + counter->getNameAsString() + ", "
                           : std::string(".push_back(");
    edits.Replace(edits.Offset(gather->getBeginLoc()), begin,
                  pool_refs + keep + CopyOfRef(unit) + "(");
    edits.Replace(end, edits.EndOffset(gather->getEndLoc()), "))");
  } else if (!pool_refs.empty()) {
    edits.Insert(begin, pool_refs + ".push_back(" + CopyOfRef(unit) + "(");
    edits.Insert(end, "))");
  } else if (use.value_used) {
    auto [prefix, suffix] = GetAround(use, uses, unit.context);
    edits.Insert(begin, prefix);
    edits.Insert(end, suffix);
  }
}

// The submission goes before `hoist.before`; the call waits for it where it was.
void EmitHoistedCall(const ActorCall &use, const ActorUses &uses, const ActorNames &names,
                     const Hoist &hoist, TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  const auto *member = cast<MemberExpr>(use.call->getCallee()->IgnoreParens());
  std::string object = edits.Text(member->getBase()->getSourceRange());
  std::string args;
  if (use.call->getNumArgs() > 0) {
    args = edits.Text(
        SourceRange(use.call->getArg(0)->getBeginLoc(),
                    use.call->getArg(use.call->getNumArgs() - 1)->getEndLoc()));
  }
  std::string type = PrintType(use.method->getReturnType(), use.method, unit.context);
  edits.Insert(edits.Offset(hoist.before->getBeginLoc()),
               "ray::ObjectRef<" + type + "> " + hoist.ref + " = " + object + "." +
                   TaskCall(use, names) + "(" + args + ");\n" +
                   edits.LineIndent(hoist.before->getBeginLoc()));
  auto [prefix, suffix] = GetAround(use, uses, unit.context);
  edits.Replace(edits.Offset(use.call->getBeginLoc()),
                edits.EndOffset(use.call->getEndLoc()), prefix + hoist.ref + suffix);
}

// After a gathering pool's loop: the loop's expression for each value, in the loop's
// order, the value in place of the call; for a counted loop, under its counter's
// value again. The list form of ray::Get reads every result type right
// (MisreadAsCrossLanguage).
std::string GatherText(const ActorPoolLoop &pool, const std::string &refs,
                       TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  const std::string &text = edits.FileText();
  unsigned begin = edits.Offset(pool.gather->getBeginLoc());
  unsigned call_begin = edits.Offset(pool.call->getBeginLoc());
  unsigned call_end = edits.EndOffset(pool.call->getEndLoc());
  unsigned end = edits.EndOffset(pool.gather->getEndLoc());
  std::string before = text.substr(begin, call_begin - begin);
  std::string after = text.substr(call_end, end - call_end) + ";";
  if (pool.counter == nullptr) {
    std::string value = unit.edits.UniqueName(refs + "_value");
    return "for (auto &" + value + " : ray::Get(" + refs + ")) " + before +
           "std::move(*" + value + ")" + after;
  }
  std::string entry = unit.edits.UniqueName(refs + "_entry");
  return "for (auto &" + entry + " : " + refs + ") { [[maybe_unused]] auto " +
         pool.counter->getNameAsString() + " = " + entry + ".first; " + before +
         "std::move(*ray::Get(std::vector{" + entry + ".second}).front())" + after + " }";
}

// Declares the pool's references before the loop and waits for all of them after it
// (or gathers their values); a loop that is the body of another loop gets a block to
// hold the three.
bool EmitPool(const ActorPoolLoop &pool, const ActorUses &uses, const std::string &refs,
              const std::string &result_type, TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  const Stmt *parent = ParentOf(pool.loop, uses);
  std::string indent = edits.LineIndent(pool.loop->getBeginLoc());
  std::string ref = "ray::ObjectRef<" + result_type + ">";
  if (pool.counter != nullptr) {
    ref =
        "std::pair<" +
        PrintType(pool.counter->getType().getUnqualifiedType(),
                  dyn_cast<FunctionDecl>(pool.counter->getDeclContext()), unit.context) +
        ", " + ref + ">";
  }
  std::string declaration = "std::vector<" + ref + "> " + refs + ";";
  std::string wait =
      pool.gather != nullptr
          ? GatherText(pool, refs, unit)
          : "ray::Wait(" + refs + ", static_cast<int>(" + refs + ".size()), -1);";
  unsigned loop_begin = edits.Offset(pool.loop->getBeginLoc());
  unsigned loop_end = edits.EndOfStatement(pool.loop);
  if (isa_and_nonnull<CompoundStmt>(parent)) {
    edits.Insert(loop_begin, declaration + "\n" + indent);
    edits.Insert(loop_end, "\n" + indent + wait);
    return true;
  }
  SourceLocation rparen;
  if (const auto *outer = dyn_cast_or_null<ForStmt>(parent))
    rparen = outer->getRParenLoc();
  if (const auto *outer = dyn_cast_or_null<CXXForRangeStmt>(parent))
    rparen = outer->getRParenLoc();
  if (rparen.isInvalid() || LoopBody(parent) != pool.loop) return false;
  unsigned header_end = edits.EndOffset(rparen);
  if (edits.LineStart(header_end) == edits.LineStart(loop_begin)) return false;
  std::string outer_indent = edits.LineIndent(parent->getBeginLoc());
  edits.Replace(header_end, loop_begin, " {\n" + indent + declaration + "\n" + indent);
  edits.Insert(loop_end, "\n" + indent + wait + "\n" + outer_indent + "}");
  return true;
}

// Range-for variables become references to handles: ray::ActorHandle::Task is not
// const, so `const Simulator &s` cannot stay.
void RetypeElementLoops(const ActorUses &uses, FileEditor &edits) {
  for (const CXXForRangeStmt *loop : uses.element_loops) {
    const VarDecl *element = loop->getLoopVariable();
    unsigned begin = edits.Offset(element->getBeginLoc());
    unsigned name = edits.Offset(element->getLocation());
    std::string written = edits.FileText().substr(begin, name - begin);
    if (written.find("auto") == std::string::npos ||
        written.find("const") != std::string::npos) {
      edits.Replace(begin, name, "auto &");
    }
  }
}

}  // namespace

ActorEmission EmitActor(const CXXRecordDecl *record, const ActorUses &uses,
                        const ActorNames &names, const std::vector<ActorPoolLoop> &pools,
                        TranslationUnit &unit) {
  FileEditor &class_file = *unit.edits.For(record->getLocation());
  FileEditor &edits = unit.edits.Main();
  bool in_header = &class_file != &edits;
  std::string indent = class_file.LineIndent(record->getBeginLoc());
  std::map<const CXXConstructorDecl *, std::string> factories;
  ActorEmission emission;
  std::vector<std::string> &registered = emission.registered;
  for (const ActorCreation &creation : uses.creations) {
    auto [it, added] = factories.emplace(creation.constructor, "");
    if (added) {
      it->second = unit.edits.UniqueName("Create" + record->getNameAsString());
      class_file.Insert(AfterClass(record, class_file),
                        "\n" + FactoryText(creation.constructor, it->second, in_header,
                                           indent, unit.context));
      registered.push_back(names.scope + it->second);
    }
    std::string call = "ray::Actor(" + names.scope + it->second + ")" +
                       SetResourceCalls(names.resources) + names.set_name + ".Remote";
    EmitCreation(creation, call, names, edits);
  }
  for (const ActorInstance &instance : uses.instances) {
    if (instance.container) {
      edits.ReplaceRange(VectorElementTypeRange(instance.var),
                         "ray::ActorHandle<" + names.qualified + ">");
    }
  }
  RetypeElementLoops(uses, edits);
  std::map<const CXXMemberCallExpr *, const ActorPoolLoop *> pool_of;
  std::map<const CXXMemberCallExpr *, std::string> pool_refs;
  for (const ActorPoolLoop &pool : pools) {
    const auto *method = pool.call->getMethodDecl();
    std::string refs = unit.edits.UniqueName(method->getNameAsString() + "_refs");
    if (EmitPool(pool, uses, refs,
                 PrintType(method->getReturnType(), method, unit.context), unit)) {
      pool_refs[pool.call] = refs;
      pool_of[pool.call] = &pool;
      emission.pools.push_back(pool);
    }
  }
  // The statements that wait for an actor: where an earlier submission pays.
  std::set<const Stmt *> waits;
  for (const ActorCall &use : uses.calls) {
    if (use.value_used) waits.insert(StatementOf(use.call, uses).first);
  }
  for (const ActorCall &use : uses.calls) {
    auto pool = pool_refs.find(use.call);
    std::optional<Hoist> hoist;
    if (pool == pool_refs.end()) hoist = PlanHoist(use, uses, waits, unit);
    if (hoist) {
      std::string object = unit.edits.Main().Text(
          use.call->getImplicitObjectArgument()->IgnoreParenImpCasts()->getSourceRange());
      hoist->ref = unit.edits.UniqueName(object + "_" + use.method->getNameAsString());
      EmitHoistedCall(use, uses, names, *hoist, unit);
    } else {
      if (pool == pool_refs.end()) {
        EmitCall(use, uses, names, "", nullptr, nullptr, unit);
      } else {
        const ActorPoolLoop &loop = *pool_of[use.call];
        EmitCall(use, uses, names, pool->second, loop.gather, loop.counter, unit);
      }
    }
    std::string method = "&" + names.qualified + "::" + use.method->getNameAsString();
    if (std::find(registered.begin(), registered.end(), method) == registered.end()) {
      registered.push_back(method);
    }
  }
  return emission;
}

}  // namespace rayify
