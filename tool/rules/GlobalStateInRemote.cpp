// global-state-in-remote: a function or actor method registered with RAY_REMOTE that
// reads or writes a mutable global or static. Each worker process has its own copy:
// what the driver set is not what the task sees, and what the task changes the driver
// never sees (resources/rules/global-state-in-remote.md).
#include <set>

#include "analysis/CalleeEffects.h"
#include "rules/LintChecks.h"
#include "rules/RayApi.h"

namespace rayify {
namespace {

using namespace clang;

std::string Names(const std::set<const VarDecl *> &vars) {
  std::set<std::string> sorted;
  for (const VarDecl *var : vars) sorted.insert("'" + var->getNameAsString() + "'");
  std::string names;
  for (const std::string &name : sorted) names += (names.empty() ? "" : ", ") + name;
  return names;
}

class GlobalStateInRemoteCheck : public LintCheck {
 public:
  void Finish() override {
    TranslationUnit &unit = Unit();
    for (const FunctionDecl *registered : RegisteredFunctions(unit.context)) {
      const FunctionDecl *definition = registered->getDefinition();
      if (definition == nullptr || !definition->hasBody()) continue;
      Effects effects = unit.effects.OfFunction(definition);
      std::set<const VarDecl *> read_only;
      for (const VarDecl *var : effects.globals_read) {
        if (effects.globals_written.count(var) == 0) read_only.insert(var);
      }
      std::string message;
      if (!effects.globals_written.empty()) {
        message += "writes " + Names(effects.globals_written);
      }
      if (!read_only.empty()) {
        message += (message.empty() ? "reads " : " and reads ") + Names(read_only);
      }
      if (message.empty()) continue;
      Warn(definition->getLocation(),
           "'" + definition->getQualifiedNameAsString() +
               "' runs remotely (RAY_REMOTE) and " + message +
               ", mutable global state: every worker process has its own copy, so the "
               "driver's value is not the one the task sees, and the task's changes "
               "never reach the driver; pass the value as an argument or return it");
    }
  }
};

}  // namespace

std::unique_ptr<Pass> MakeGlobalStateInRemoteCheck() {
  return std::make_unique<GlobalStateInRemoteCheck>();
}

}  // namespace rayify
