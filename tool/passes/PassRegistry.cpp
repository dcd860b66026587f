#include "passes/PassRegistry.h"

#include <stdexcept>

#include "conversions/ActorConversion.h"
#include "conversions/RayBoilerplate.h"
#include "conversions/TaskLoopConversion.h"
#include "passes/Pass.h"

namespace rayify {

void PassRegistry::Add(std::string name, Factory factory) {
  for (const auto &entry : entries_) {
    if (entry.first == name) throw std::invalid_argument("pass '" + name + "' twice");
  }
  entries_.emplace_back(std::move(name), std::move(factory));
}

std::vector<std::string> PassRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto &entry : entries_) names.push_back(entry.first);
  return names;
}

std::vector<std::pair<std::string, std::unique_ptr<Pass>>> PassRegistry::Create() const {
  std::vector<std::pair<std::string, std::unique_ptr<Pass>>> passes;
  for (const auto &[name, factory] : entries_) passes.emplace_back(name, factory());
  return passes;
}

const PassRegistry &PassRegistry::Builtin() {
  static const PassRegistry registry = [] {
    PassRegistry builtin;
    // Order matters: loops over actors are the actor pass's, and the boilerplate
    // registers what the conversions before it made.
    builtin.Add(kActorRule, [] { return std::make_unique<ActorPass>(); });
    builtin.Add(kTaskLoopRule, [] { return std::make_unique<TaskLoopPass>(); });
    builtin.Add("ray-boilerplate", [] { return std::make_unique<RayBoilerplatePass>(); });
    return builtin;
  }();
  return registry;
}

}  // namespace rayify
