// Loops outside driver code: every loop of the file gets a decision, so a loop in a
// member function, in a function the tasks run, or in one nothing under main calls
// is reported with the reason rayify leaves it alone rather than passed over in
// silence.
#pragma once

#include <clang/AST/Decl.h>

#include <set>
#include <string>
#include <vector>

#include "passes/TranslationUnit.h"

namespace rayify {

/// How messages name `function`: "f()", "S::m()", "the constructor of S", "a lambda
/// in main()".
std::string DisplayName(const clang::FunctionDecl *function);

/// The functions of the main file whose loops are decided as driver code, callers
/// before their callees: the unit's own (CallGraph::DriverFunctions), or, in a whole
/// program planned from its compilation database, the project's
/// (model/ProjectCalls.h), which sees the calls of every file.
std::vector<const clang::FunctionDecl *> DriverFunctionsOf(const TranslationUnit &unit);

/// True when `function` is, or is reached through calls from, a function a converted
/// loop's tasks run: its loops run inside the tasks, not on the driver.
bool RunsInsideTasks(const clang::FunctionDecl *function, const TranslationUnit &unit);

/// Why the loops of `function` (a definition of the main file whose loops were not
/// decided as driver code) stay as they are: one sentence naming the function and
/// what keeps it out of driver code. `walked` holds the canonical declarations of
/// the driver functions whose loops were decided.
std::string WhyNotDriverCode(const clang::FunctionDecl *function,
                             const std::set<const clang::FunctionDecl *> &walked,
                             const TranslationUnit &unit);

/// True when WhyNotDriverCode can say only that no chain of calls reaches `function`
/// (a free function, not a template, of a file without main of a whole program planned
/// before the project's driver code was known): the project's reason replaces it
/// later (ProjectLink's GiveProjectReasons).
bool AwaitsProjectReason(const clang::FunctionDecl *function,
                         const TranslationUnit &unit);

/// The same for a loop inside a lambda of driver code.
std::string WhyNotDriverCodeInLambda();

}  // namespace rayify
