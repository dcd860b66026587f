#include "frontend/UnitSummary.h"

#include <clang/AST/DeclCXX.h>
#include <clang/Basic/SourceManager.h>

#include <optional>
#include <set>

#include "analysis/BoundParameters.h"
#include "analysis/ParameterWrites.h"
#include "analysis/PrivateValues.h"
#include "analysis/ReplayedCalls.h"
#include "conversions/OutsideDriver.h"
#include "conversions/RayBoilerplate.h"
#include "conversions/TaskLoopEmitter.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

// Function definitions of the main file other units can call: with external linkage,
// not templates (a caller instantiates those itself), in namespaces and classes.
void CollectCallable(const DeclContext *context, const SourceManager &sources,
                     std::vector<const FunctionDecl *> &found) {
  for (const Decl *decl : context->decls()) {
    if (const auto *function = dyn_cast<FunctionDecl>(decl)) {
      if (function->doesThisDeclarationHaveABody() && !function->isDependentContext() &&
          function->getTemplatedKind() == FunctionDecl::TK_NonTemplate &&
          function->isExternallyVisible() && !function->isMain() &&
          sources.isInMainFile(sources.getExpansionLoc(function->getLocation()))) {
        found.push_back(function);
      }
    } else if (isa<NamespaceDecl>(decl) || isa<LinkageSpecDecl>(decl) ||
               (isa<CXXRecordDecl>(decl) &&
                !cast<CXXRecordDecl>(decl)->isDependentType())) {
      CollectCallable(cast<DeclContext>(decl), sources, found);
    }
  }
}

// RAY_REMOTE's argument for `function` in its own file: the qualified name, or a
// RAY_FUNC cast naming the overload. Member functions are not registered.
std::string Registration(const FunctionDecl *function, ASTContext &context) {
  if (isa<CXXMethodDecl>(function)) return "";
  std::string name = function->getQualifiedNameAsString();
  auto lookup =
      function->getDeclContext()->getRedeclContext()->lookup(function->getDeclName());
  if (std::distance(lookup.begin(), lookup.end()) <= 1) return name;
  std::string cast = "RAY_FUNC(" + name;
  for (const ParmVarDecl *param : function->parameters()) {
    cast += ", " + PrintType(param->getType(), function, context);
  }
  return cast + ")";
}

FunctionEffectSummary SummaryOfEffects(const Effects &effects,
                                       const GlobalMutations &mutations) {
  FunctionEffectSummary summary;
  static_cast<EffectPhrases &>(summary) = effects;
  // Calls this file cannot see are listed in `calls_unseen`; linking decides them.
  summary.not_visible.clear();
  for (const VarDecl *var : effects.globals_read) {
    summary.globals_read[UsrOf(var)] = var->getQualifiedNameAsString();
  }
  summary.globals_read.insert(effects.summary_globals_read.begin(),
                              effects.summary_globals_read.end());
  for (const VarDecl *var : effects.globals_read_once)
    summary.globals_read_once[UsrOf(var)] = var->getQualifiedNameAsString();
  summary.globals_read_once.insert(effects.summary_globals_read_once.begin(),
                                   effects.summary_globals_read_once.end());
  for (const VarDecl *var : effects.globals_written) {
    summary.globals_written[UsrOf(var)] = var->getQualifiedNameAsString();
  }
  summary.globals_written.insert(effects.summary_globals_written.begin(),
                                 effects.summary_globals_written.end());
  summary.reads_through_global = ReadsThroughGlobal(effects, mutations);
  summary.untracked_write = WritesUntracked(effects, mutations);
  return summary;
}

bool InSystemHeader(const Decl *decl, const SourceManager &sources) {
  return sources.isInSystemHeader(sources.getExpansionLoc(decl->getLocation()));
}

// A function of the main file that may be driver code in the project's eyes: free,
// not main, not a template, of C++ linkage (a library may call a C function by name).
bool MayBeDriver(const FunctionDecl *function) {
  return !isa<CXXMethodDecl>(function) && !function->isMain() &&
         function->getTemplatedKind() == FunctionDecl::TK_NonTemplate &&
         !function->isDependentContext() && !function->isExternC() &&
         !function->isInExternCContext();
}

// The USR of a function, or a name no function has when Clang gives none: such a
// caller is never driver code, and neither is what it calls.
std::string KeyOf(const FunctionDecl *function) {
  std::string usr = UsrOf(function->getCanonicalDecl());
  return usr.empty() ? "<no usr>" : usr;
}

void ListCalls(const CallGraph &calls, const SourceManager &sources, UnitCalls &out) {
  for (const auto &[callee, callers] : calls.Callers()) {
    if (InSystemHeader(callee, sources)) continue;
    std::string callee_key = KeyOf(callee);
    out.names[callee_key] = DisplayName(callee);
    for (const FunctionDecl *caller : callers) {
      if (InSystemHeader(caller, sources)) continue;
      std::string caller_key = KeyOf(caller);
      out.names[caller_key] = DisplayName(caller);
      out.calls.emplace_back(caller_key, callee_key);
    }
  }
  for (const FunctionDecl *function : calls.AddressTakenFunctions())
    out.used_otherwise.push_back(KeyOf(function));
  for (const FunctionDecl *function : calls.StaticInitCallees())
    out.called_at_static_init.push_back(KeyOf(function));
}

}  // namespace

void SummarizeCalls(const TranslationUnit &unit, Plan &plan) {
  UnitCalls &out = plan.unit_calls;
  out = UnitCalls();
  const CallGraph &calls = unit.calls;
  if (calls.Main() != nullptr) out.main = KeyOf(calls.Main());
  for (const FunctionDecl *function : calls.Definitions()) {
    if (MayBeDriver(function)) out.defined.push_back(KeyOf(function));
  }
  ListCalls(calls, unit.context.getSourceManager(), out);
  ListCallArguments(unit.context, out);
  // What its own tasks run it did not walk; the project leaves that out too.
  for (const FunctionDecl *function : DriverFunctionsOf(unit)) {
    if (!RunsInsideTasks(function, unit)) out.driver.push_back(KeyOf(function));
  }
  for (const FunctionDecl *function : unit.task_functions)
    out.task_roots.push_back(KeyOf(function));
  for (const FunctionDecl *function : unit.called_by_tasks)
    out.task_roots.push_back(KeyOf(function));
  out.task_roots.insert(out.task_roots.end(), unit.remote_elsewhere.begin(),
                        unit.remote_elsewhere.end());
  out.provisional = unit.provisional_reasons;
  out.submits_tasks = unit.SubmitsTasks();
  out.connects_for_others = !out.submits_tasks && unit.ConnectsForProject();
}

void SummarizeUnit(TranslationUnit &unit, Plan &plan) {
  ASTContext &context = unit.context;
  FileEditor &main = unit.edits.Main();
  std::vector<const FunctionDecl *> functions;
  CollectCallable(context.getTranslationUnitDecl(), context.getSourceManager(),
                  functions);
  std::set<const FunctionDecl *> registered = RegisteredFunctions(context);
  bool includes_ray_api =
      main.FileText().find("#include <ray/api.h>") != std::string::npos;
  unsigned include_offset = IncludePoint(context, main);
  const GlobalMutations &mutations = unit.Mutations();
  std::set<std::string> changed;
  for (const std::string &usr : mutations.ChangedUsrs()) changed.insert(usr);
  for (const FunctionDecl *function : functions) {
    Effects effects = unit.effects.OfFunction(function);
    FunctionSummary summary;
    summary.usr = UsrOf(function->getCanonicalDecl());
    summary.name = function->getQualifiedNameAsString();
    summary.file = plan.input;
    summary.effects = SummaryOfEffects(effects, mutations);
    summary.calls_unseen = effects.unseen;
    for (unsigned i = 0; i < function->getNumParams(); ++i) {
      if (std::optional<ParameterFill> fill = FillOfParameter(function, i, context))
        summary.fills[i] = *fill;
      if (KeepsNoCopy(function, i)) summary.unkept_pointers.insert(i);
    }
    summary.read_only_references = ReadOnlyReferenceParameters(function);
    summary.registration = Registration(function, context);
    summary.comment_above = main.CommentAbove(function->getBeginLoc());
    summary.registered = registered.count(function->getCanonicalDecl()) != 0;
    summary.includes_ray_api = includes_ray_api;
    summary.include_offset = include_offset;
    plan.summaries.push_back(summary);
    // What other units read through it: pointers count as changing (what they lead
    // to is the driver's memory).
    for (const VarDecl *var : effects.globals_read) {
      if (mutations.MayChange(var)) changed.insert(UsrOf(var));
    }
  }
  plan.changed_globals.assign(changed.begin(), changed.end());
}

}  // namespace rayify
