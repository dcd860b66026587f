// The Clang stage of `rayify convert`: parses each input and runs the registered
// passes over it. Clang-free interface: callers get plain plans (findings and edits)
// and never see the AST; the Clang stage writes nothing.
#pragma once

#include <string>
#include <vector>

#include "model/Plan.h"

namespace rayify {

class PassRegistry;

struct ConvertRequest {
  std::vector<std::string> inputs;
  std::string compile_commands_dir;      // empty: -std=c++17
  const PassRegistry *passes = nullptr;  // null: PassRegistry::Builtin()
};

/// One plan per input, in input order. A plan has `error` set when its file did not
/// compile or a pass failed on it; Clang's diagnostics go to `diagnostics`.
std::vector<Plan> PlanConversions(const ConvertRequest &request,
                                  std::string &diagnostics);

}  // namespace rayify
