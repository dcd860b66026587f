#include "conversions/OutsideDriver.h"

#include <clang/AST/DeclCXX.h>

#include <algorithm>

#include "model/ProjectCalls.h"

namespace rayify {
namespace {

using namespace clang;

const char kDriverCode[] =
    "rayify converts the loops of main() and of the functions that only driver code "
    "calls";

// A function template's pattern or specialization, or a function defined inside
// a class template (a friend).
bool IsTemplate(const FunctionDecl *function) {
  return function->isTemplated() ||
         function->getTemplatedKind() != FunctionDecl::TK_NonTemplate;
}

// A caller of `function` that `function` itself reaches through calls.
bool Recursive(const FunctionDecl *function, const CallGraph &calls) {
  for (const FunctionDecl *caller : calls.CallersOf(function)) {
    if (calls.ReachableFrom(caller, {function->getCanonicalDecl()})) return true;
  }
  return false;
}

std::string WhyNotForFreeFunction(const FunctionDecl *function,
                                  const std::set<const FunctionDecl *> &walked,
                                  const TranslationUnit &unit) {
  const CallGraph &calls = unit.calls;
  std::string name = DisplayName(function);
  std::string lead = "the loop is in " + name + ", ";
  if (IsTemplate(function)) {
    return lead + "a template: " + kDriverCode + ", one definition each.";
  }
  if (calls.CalledDuringStaticInit(function)) {
    return lead + "which initialising a global calls before main() runs.";
  }
  if (calls.AddressTaken(function)) {
    return lead + "which the program uses other than by calling it (a function " +
           "pointer, a callback), so it may run anywhere, at any time.";
  }
  std::set<const FunctionDecl *> callers = calls.CallersOf(function);
  if (callers.empty()) return lead + "which nothing in the file calls.";
  if (Recursive(function, calls)) return lead + "which calls itself, directly or not.";
  for (const FunctionDecl *caller : callers) {
    if (walked.count(caller) == 0) {
      return lead + "which " + DisplayName(caller) +
             " calls, and that is not driver code: " + kDriverCode + ".";
    }
  }
  return lead + "which is not driver code: " + kDriverCode + ".";
}

// The reason for a method, given that it does not run inside tasks: a plain member
// function is judged by its calls as a free function is (CallGraph::DriverFunctions).
std::string WhyNotForMethod(const CXXMethodDecl *method,
                            const std::set<const FunctionDecl *> &walked,
                            const TranslationUnit &unit) {
  const CXXRecordDecl *record = method->getParent();
  std::string lead = "the loop is in " + DisplayName(method) + ", ";
  if (unit.actor_classes.count(record->getCanonicalDecl()) != 0) {
    return lead + "a method of " + record->getNameAsString() +
           ", which became a Ray actor: it runs in the actor's process, in order with "
           "the actor's other calls.";
  }
  if (method->isVirtual()) {
    return lead + "a virtual member function, which runs wherever a call of the " +
           "function it overrides (or an override of it) does: " + kDriverCode +
           ", virtual ones excepted.";
  }
  if (isa<CXXConstructorDecl>(method) || isa<CXXDestructorDecl>(method) ||
      isa<CXXConversionDecl>(method) || method->isOverloadedOperator() ||
      NamedForTheLibrary(method)) {
    return lead +
           "which the language or the standard library calls wherever an object is "
           "made, destroyed, converted, operated on or handed to it (`push_back`, "
           "`begin`), not only where driver code names it: " +
           kDriverCode + ".";
  }
  if (IsTemplate(method) || InTemplateOrLocalClass(method)) {
    return lead +
           "a member of a template or of a class local to a function: " + kDriverCode +
           ", one definition each.";
  }
  if (unit.project_calls != nullptr || unit.whole_program) {
    return lead +
           "a member function: in a program converted whole, rayify follows the free "
           "functions driver code calls into every file, member functions not yet.";
  }
  return WhyNotForFreeFunction(method, walked, unit);
}

}  // namespace

std::string DisplayName(const FunctionDecl *function) {
  if (const auto *method = dyn_cast<CXXMethodDecl>(function);
      method != nullptr && method->getParent()->isLambda()) {
    const auto *enclosing =
        dyn_cast_or_null<FunctionDecl>(method->getParent()->getParentFunctionOrMethod());
    return enclosing != nullptr ? "a lambda in " + DisplayName(enclosing) : "a lambda";
  }
  if (const auto *constructor = dyn_cast<CXXConstructorDecl>(function)) {
    return "the constructor of " + constructor->getParent()->getNameAsString();
  }
  if (const auto *destructor = dyn_cast<CXXDestructorDecl>(function)) {
    return "the destructor of " + destructor->getParent()->getNameAsString();
  }
  return function->getQualifiedNameAsString() + "()";
}

std::vector<const FunctionDecl *> DriverFunctionsOf(const TranslationUnit &unit) {
  const ProjectCalls *project = unit.project_calls;
  // Across the files of a whole program only free functions are followed (the
  // project's summaries know no classes), in its first plans as in its last.
  if (project == nullptr && unit.whole_program) return unit.calls.DriverFunctions();
  if (project == nullptr)
    return unit.calls.DriverFunctionsWithMethods(unit.actor_classes);
  std::vector<std::pair<size_t, const FunctionDecl *>> ranked;
  for (const FunctionDecl *function : unit.calls.Definitions()) {
    if (isa<CXXMethodDecl>(function)) continue;
    if (std::optional<size_t> rank =
            project->DriverRank(UsrOf(function->getCanonicalDecl())))
      ranked.emplace_back(*rank, function);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<const FunctionDecl *> driver;
  for (const auto &[rank, function] : ranked) driver.push_back(function);
  return driver;
}

bool RunsInsideTasks(const FunctionDecl *function, const TranslationUnit &unit) {
  return unit.calls.ReachableFrom(function, unit.task_functions) ||
         unit.calls.ReachableFrom(function, unit.called_by_tasks) ||
         (unit.project_calls != nullptr &&
          unit.project_calls->RunsInTasks(UsrOf(function->getCanonicalDecl())));
}

std::string WhyNotDriverCode(const FunctionDecl *function,
                             const std::set<const FunctionDecl *> &walked,
                             const TranslationUnit &unit) {
  if (RunsInsideTasks(function, unit)) {
    return "the loop is in " + DisplayName(function) +
           ", which runs inside Ray tasks (a converted loop calls it, directly or not): "
           "the loop runs there, in order, within each task.";
  }
  if (const auto *method = dyn_cast<CXXMethodDecl>(function)) {
    return WhyNotForMethod(method, walked, unit);
  }
  if (unit.project_calls != nullptr && !IsTemplate(function)) {
    return "the loop is in " + DisplayName(function) + ", " +
           unit.project_calls->WhyNotDriver(UsrOf(function->getCanonicalDecl()));
  }
  // A whole program's file is planned again when the project finds driver code in
  // it; until then, and if not, what it defines is not driver code.
  if (AwaitsProjectReason(function, unit)) {
    return "the loop is in " + DisplayName(function) +
           " of a file without main(), which is not driver code: no chain of calls from "
           "main() through driver code alone reaches it in the project's files (" +
           kDriverCode + ", in any file of the program).";
  }
  if (unit.calls.Main() == nullptr && !unit.whole_program) {
    return "the loop is in " + DisplayName(function) +
           " of a file without main(): rayify converts the loops of main() and of the "
           "free functions that only driver code calls, in other files than main's "
           "only when every file of the program is converted together (-p, no files "
           "named).";
  }
  return WhyNotForFreeFunction(function, walked, unit);
}

bool AwaitsProjectReason(const FunctionDecl *function, const TranslationUnit &unit) {
  return unit.calls.Main() == nullptr && unit.whole_program &&
         unit.project_calls == nullptr && !isa<CXXMethodDecl>(function) &&
         !IsTemplate(function) && !RunsInsideTasks(function, unit);
}

std::string WhyNotDriverCodeInLambda() {
  return "the loop is inside a lambda, which runs wherever it is called: " +
         std::string(kDriverCode) + ".";
}

}  // namespace rayify
