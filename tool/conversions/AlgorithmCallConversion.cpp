#include "conversions/AlgorithmCallConversion.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

#include <algorithm>

#include "analysis/CostModel.h"
#include "analysis/DeclNames.h"
#include "analysis/LoopSafety.h"
#include "analysis/ParameterWrites.h"
#include "analysis/ResourceAnnotation.h"
#include "analysis/Writes.h"
#include "conversions/StoredRefs.h"
#include "conversions/TaskLoopEmitter.h"
#include "lint/Suppressions.h"
#include "model/ReasonCodes.h"

namespace rayify {
namespace {

using namespace clang;

struct AlgorithmCall {
  const CallExpr *call = nullptr;
  std::string algorithm;  // "transform" or "for_each"
  const VarDecl *input = nullptr;
  const VarDecl *output = nullptr;         // transform only
  bool append = false;                     // into std::back_inserter(output)
  const Expr *callable = nullptr;          // a function's name or a lambda, as written
  const FunctionDecl *function = nullptr;  // what runs per element
  const LambdaExpr *lambda = nullptr;
};

// `c.begin()`, `c.cbegin()`, `std::begin(c)` (with `end` for the other side).
const VarDecl *IteratorOf(const Expr *expr, const std::string &side) {
  expr = expr->IgnoreImplicit()->IgnoreParens();
  if (const auto *construct = dyn_cast<CXXConstructExpr>(expr);
      construct != nullptr && construct->getNumArgs() == 1) {
    expr = construct->getArg(0)->IgnoreImplicit();
  }
  if (const auto *member = dyn_cast<CXXMemberCallExpr>(expr)) {
    const CXXMethodDecl *method = member->getMethodDecl();
    if (method == nullptr || member->getNumArgs() != 0 ||
        (!HasName(method, side) && !HasName(method, "c" + side))) {
      return nullptr;
    }
    return ReferencedVar(member->getImplicitObjectArgument());
  }
  if (const auto *free = dyn_cast<CallExpr>(expr)) {
    const FunctionDecl *callee = free->getDirectCallee();
    if (callee != nullptr && callee->getQualifiedNameAsString() == "std::" + side &&
        free->getNumArgs() == 1) {
      return ReferencedVar(free->getArg(0));
    }
  }
  return nullptr;
}

// The function or capture-free lambda handed to the algorithm.
bool MatchCallable(const Expr *arg, AlgorithmCall &match) {
  arg = arg->IgnoreImplicit()->IgnoreParens();
  if (const auto *construct = dyn_cast<CXXConstructExpr>(arg);
      construct != nullptr && construct->getNumArgs() == 1) {
    arg = construct->getArg(0)->IgnoreImplicit();
  }
  if (const auto *lambda = dyn_cast<LambdaExpr>(arg)) {
    match.lambda = lambda;
    match.function = lambda->getCallOperator();
  } else {
    const Expr *name = arg->IgnoreParenImpCasts();
    if (const auto *address = dyn_cast<UnaryOperator>(name);
        address != nullptr && address->getOpcode() == UO_AddrOf) {
      name = address->getSubExpr()->IgnoreParenImpCasts();
    }
    const auto *ref = dyn_cast<DeclRefExpr>(name);
    match.function = ref == nullptr ? nullptr : dyn_cast<FunctionDecl>(ref->getDecl());
  }
  match.callable = arg;
  return match.function != nullptr && match.function->getNumParams() == 1;
}

std::optional<AlgorithmCall> Match(const Stmt *stmt) {
  const auto *expr = dyn_cast_or_null<Expr>(stmt);
  const auto *call =
      expr == nullptr ? nullptr : dyn_cast<CallExpr>(expr->IgnoreImplicit());
  const FunctionDecl *callee = call == nullptr ? nullptr : call->getDirectCallee();
  if (callee == nullptr) return std::nullopt;
  std::string name = callee->getQualifiedNameAsString();
  AlgorithmCall match;
  match.call = call;
  if (name == "std::transform" && call->getNumArgs() == 4) {
    match.algorithm = "transform";
  } else if (name == "std::for_each" && call->getNumArgs() == 3) {
    match.algorithm = "for_each";
  } else {
    return std::nullopt;
  }
  match.input = IteratorOf(call->getArg(0), "begin");
  if (match.input == nullptr || IteratorOf(call->getArg(1), "end") != match.input) {
    return std::nullopt;
  }
  if (match.algorithm == "transform") {
    match.output = IteratorOf(call->getArg(2), "begin");
    const auto *inserter = dyn_cast<CallExpr>(call->getArg(2)->IgnoreImplicit());
    if (match.output == nullptr && inserter != nullptr &&
        inserter->getDirectCallee() != nullptr &&
        inserter->getDirectCallee()->getQualifiedNameAsString() == "std::back_inserter" &&
        inserter->getNumArgs() == 1) {
      match.output = ReferencedVar(inserter->getArg(0));
      match.append = true;
    }
    if (match.output == nullptr) return std::nullopt;
  }
  if (!MatchCallable(call->getArg(call->getNumArgs() - 1), match)) return std::nullopt;
  return match;
}

Finding Skip(Finding decision, SkipReason reason, std::string message) {
  decision.code = ReasonCode(reason);
  decision.message = std::move(message);
  return decision;
}

// What running the function on every element does beyond computing its result.
std::optional<Refusal> CheckEffects(const AlgorithmCall &match, TranslationUnit &unit) {
  Effects effects = unit.effects.OfFunction(match.function);
  std::string who = match.lambda != nullptr ? std::string("the lambda")
                                            : match.function->getNameAsString() + "()";
  if (!effects.io.empty()) {
    return Refusal{SkipReason::kIo, who + " does I/O (it " + effects.io +
                                        "), whose order would change across tasks."};
  }
  if (!effects.global_write.empty()) {
    return Refusal{SkipReason::kGlobalWrite,
                   who + " " + effects.global_write +
                       "; a task would change its own process's copy, not the driver's."};
  }
  for (const VarDecl *global : effects.globals_read) {
    if (unit.Mutations().MayChange(global)) {
      return Refusal{SkipReason::kGlobalRead,
                     who + " reads '" + global->getQualifiedNameAsString() +
                         "', which the program changes; a task would read its own "
                         "process's copy."};
    }
  }
  if (!effects.unknown_call.empty()) {
    return Refusal{SkipReason::kUnknownCallee, who + " " + effects.unknown_call +
                                                   ", so its effects cannot be checked."};
  }
  if (!effects.not_visible.empty()) {
    return Refusal{
        SkipReason::kCalleeNotVisible,
        who + " " + effects.not_visible + ", so its effects cannot be checked."};
  }
  if (!effects.may_throw.empty()) {
    return Refusal{
        SkipReason::kMayThrow,
        who + " " + effects.may_throw +
            "; an exception from a task would reach the program as a different "
            "one, at a different point."};
  }
  if (!effects.exits.empty()) {
    return Refusal{SkipReason::kEarlyExit, who + " " + effects.exits + "."};
  }
  return std::nullopt;
}

// The element's type and what the task returns, or why the call is not converted.
std::optional<Refusal> CheckShape(const AlgorithmCall &match, TranslationUnit &unit,
                                  std::set<const TagDecl *> &needs_define) {
  if (match.lambda != nullptr && match.lambda->capture_size() != 0) {
    return Refusal{SkipReason::kUnsupportedShape,
                   "the lambda captures variables; only capture-free lambdas and named "
                   "functions run as tasks."};
  }
  if (match.lambda != nullptr && match.lambda->isGenericLambda()) {
    return Refusal{SkipReason::kUnsupportedShape,
                   "the lambda is generic (an 'auto' parameter); its element type is not "
                   "spelled where a task function could name it."};
  }
  if (match.lambda == nullptr && unit.effects.IsLibraryFunction(match.function)) {
    return Refusal{SkipReason::kTooFineGrained,
                   match.function->getNameAsString() +
                       "() is a library function: one call costs less than a task."};
  }
  QualType param = match.function->getParamDecl(0)->getType();
  bool by_reference = IsNonConstLValueReference(param);
  if (match.algorithm == "transform" && by_reference) {
    return Refusal{SkipReason::kNonConstReference,
                   "the function takes the element by non-const reference, so it may "
                   "change the input, which a task cannot do."};
  }
  if (match.algorithm == "for_each" && !by_reference) {
    return Refusal{SkipReason::kUnsupportedShape,
                   "std::for_each keeps nothing of a function that takes the element by "
                   "value: there is no result to return from a task."};
  }
  // Each task gets a copy of its element alone: a function that takes the element's
  // address, binds a reference to it or hands it on may reach its neighbours.
  if (by_reference && !OnlyStoresThroughParameter(match.function, 0)) {
    return Refusal{SkipReason::kNonConstReference,
                   "the function takes the element by non-const reference and does more "
                   "than read and store its values by name (its address, a reference "
                   "bound to it, a call it is handed to), so it may reach other "
                   "elements, which a task cannot do."};
  }
  if (!IsWorthATask(match.function, unit.effects)) {
    return Refusal{SkipReason::kTooFineGrained,
                   "the function has no loop or recursion: one call costs less than a "
                   "remote task."};
  }
  QualType element = param.getNonReferenceType().getUnqualifiedType();
  QualType result =
      match.algorithm == "transform" ? match.function->getReturnType() : element;
  for (QualType type : {element, result}) {
    std::string why;
    if (type->isVoidType() || type->isPointerType() ||
        !unit.serializability.Check(type, why, needs_define)) {
      return Refusal{SkipReason::kNonSerializable,
                     "'" + type.getAsString() + "' cannot be sent to a task" +
                         (why.empty() ? "" : ": " + why) + "."};
    }
  }
  return std::nullopt;
}

class AlgorithmEmitter {
 public:
  AlgorithmEmitter(const AlgorithmCall &match, const Stmt *parent,
                   const FunctionDecl *function, TranslationUnit &unit)
      : match_(match),
        parent_(parent),
        function_(function),
        unit_(unit),
        edits_(unit.edits.Main()) {}

  void Emit(LoopConversion &conversion) {
    layout_.indent = edits_.LineIndent(match_.call->getBeginLoc());
    std::string block = edits_.LineIndent(parent_->getBeginLoc());
    layout_.step = layout_.indent.size() > block.size()
                       ? layout_.indent.substr(block.size())
                       : std::string("    ");
    layout_.loop_begin = edits_.Offset(match_.call->getBeginLoc());
    layout_.loop_end = edits_.EndOfStatement(match_.call);
    unsigned line = edits_.Line(match_.call->getBeginLoc());
    name_ = unit_.edits.UniqueName(function_->getNameAsString() + "_" + match_.algorithm +
                                   "_" + std::to_string(line));
    edits_.Insert(DefinitionStart(function_, edits_),
                  BesideDefinition(function_, TaskFunction(line)));
    edits_.Replace(layout_.loop_begin, layout_.loop_end, Driver(conversion));
    unit_.remote_functions.push_back(QualifiedBeside(function_, name_));
    conversion.kind = "task";
    conversion.function =
        match_.lambda != nullptr ? name_ : match_.function->getNameAsString();
    conversion.outlined = match_.lambda != nullptr;  // a generated function around it
    conversion.variable =
        (match_.output != nullptr ? match_.output : match_.input)->getNameAsString();
  }

 private:
  std::string Type(QualType type) const {
    return PrintType(type.getNonReferenceType().getUnqualifiedType(), function_,
                     unit_.context);
  }

  std::string TaskFunction(unsigned line) const {
    const std::string &step = layout_.step;
    QualType element = match_.function->getParamDecl(0)->getType();
    std::string callable = edits_.Text(match_.callable->getSourceRange());
    std::string code = "// One element of the std::" + match_.algorithm + " at line " +
                       std::to_string(line) + " of " + function_->getNameAsString() +
                       "(), run as a Ray task.\n";
    if (match_.algorithm == "transform") {
      code += "static " + Type(match_.function->getReturnType()) + " " + name_ + "(" +
              Type(element) + " element) {\n" + step + "return " + callable +
              "(element);\n}\n\n";
    } else {
      code += "static " + Type(element) + " " + name_ + "(" + Type(element) +
              " element) {\n" + step + callable + "(element);\n" + step +
              "return element;\n}\n\n";
    }
    return code;
  }

  std::string Driver(LoopConversion &conversion) {
    const std::string &indent = layout_.indent;
    const std::string inner = indent + layout_.step;
    QualType result = match_.algorithm == "transform"
                          ? match_.function->getReturnType()
                          : match_.function->getParamDecl(0)->getType();
    std::string refs = unit_.edits.UniqueName(name_ + "_refs");
    std::string element = unit_.edits.UniqueName(name_ + "_element");
    std::string value = unit_.edits.UniqueName(name_ + "_result");
    std::string input = match_.input->getNameAsString();
    std::string text =
        "std::vector<ray::ObjectRef<" + Type(result) + ">> " + refs + ";\n";
    text += indent + "for (const auto &" + element + " : " + input + ") {\n";
    text += inner + refs + ".push_back(" + CopyOfRef(unit_) + "(ray::Task(" + name_ +
            ")" + TaskResourceCalls(conversion.resources) + ".Remote(" + element +
            ")));\n";
    std::string window = std::to_string(unit_.settings.max_in_flight);
    text += ThrottleLines(refs, refs + "[" + refs + ".size() - " + window + "]", layout_,
                          unit_.settings.max_in_flight);
    text += indent + "}\n";
    conversion.throttled = true;
    conversion.max_in_flight = unit_.settings.max_in_flight;
    if (match_.append) {
      text += indent + "for (auto &" + value + " : ray::Get(" + refs + "))\n" + inner +
              match_.output->getNameAsString() + ".push_back(std::move(*" + value + "));";
      return text;
    }
    // Written back from the first element on, as the algorithm writes them.
    const VarDecl *target = match_.output != nullptr ? match_.output : match_.input;
    std::string out = unit_.edits.UniqueName(name_ + "_out");
    text += indent + "auto " + out + " = " + target->getNameAsString() + ".begin();\n";
    text += indent + "for (auto &" + value + " : ray::Get(" + refs + "))\n" + inner +
            "*" + out + "++ = std::move(*" + value + ");";
    return text;
  }

  const AlgorithmCall &match_;
  const Stmt *parent_;
  const FunctionDecl *function_;
  TranslationUnit &unit_;
  FileEditor &edits_;
  LoopLayout layout_{};
  std::string name_;
};

// The functions of the program a lambda's body calls: they run inside the tasks.
void CollectCalls(const Stmt *stmt, TranslationUnit &unit,
                  std::vector<std::string> &calls) {
  if (stmt == nullptr) return;
  if (const auto *call = dyn_cast<CallExpr>(stmt)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee != nullptr && !unit.effects.IsLibraryFunction(callee)) {
      unit.called_by_tasks.insert(callee->getCanonicalDecl());
      std::string name = callee->getQualifiedNameAsString();
      if (std::find(calls.begin(), calls.end(), name) == calls.end())
        calls.push_back(name);
    }
  }
  for (const Stmt *child : stmt->children()) CollectCalls(child, unit, calls);
}

}  // namespace

bool IsAlgorithmLoop(const Stmt *stmt) { return Match(stmt).has_value(); }

Finding DecideAlgorithmLoop(const CallExpr *call, const Stmt *parent,
                            const FunctionDecl *function, TranslationUnit &unit) {
  FileEditor &edits = unit.edits.Main();
  Finding decision;
  decision.file = edits.Path();
  decision.range = edits.RangeOf(call->getSourceRange());
  std::optional<AlgorithmCall> match = Match(call);
  if (CommentIgnores(edits.CommentAbove(call->getBeginLoc()), kTaskLoopRule,
                     "parallelizable-loop")) {
    return Skip(decision, SkipReason::kIgnored,
                "a '// rayify: ignore' comment above the call keeps it sequential.");
  }
  if (InMacro(call->getSourceRange())) {
    return Skip(decision, SkipReason::kMacro,
                "the call is written by a macro, so it cannot be rewritten where it "
                "stands.");
  }
  // A member function's lambda may name what its class declares, which the task
  // function, outside the class, could not.
  if (!isa<CompoundStmt>(parent) || function == nullptr || isa<CXXMethodDecl>(function) ||
      function->isTemplated()) {
    return Skip(decision, SkipReason::kUnsupportedShape,
                "the call does not stand directly in a block of a free function.");
  }
  std::set<const TagDecl *> needs_define;
  if (auto refusal = CheckShape(*match, unit, needs_define)) {
    return Skip(decision, refusal->reason, refusal->message);
  }
  if (auto refusal = CheckEffects(*match, unit)) {
    return Skip(decision, refusal->reason, refusal->message);
  }
  LoopConversion conversion;
  if (match->lambda == nullptr) {
    std::string malformed =
        ReadTaskResources(match->function, nullptr, unit, conversion.resources);
    if (!malformed.empty())
      return Skip(decision, SkipReason::kUnsupportedShape, malformed);
  }
  AlgorithmEmitter(*match, parent, function, unit).Emit(conversion);
  unit.needs_define.insert(needs_define.begin(), needs_define.end());
  if (match->lambda == nullptr) {
    unit.called_by_tasks.insert(match->function->getCanonicalDecl());
  } else {
    CollectCalls(match->lambda->getBody(), unit, conversion.calls);
  }
  decision.code = kConvertedCode;
  decision.message =
      "each element of the std::" + match->algorithm + " runs as a Ray task";
  decision.conversion = std::move(conversion);
  decision.fix = unit.edits.Take();
  return decision;
}

}  // namespace rayify
