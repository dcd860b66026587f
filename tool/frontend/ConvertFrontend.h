// The Clang stage of `rayify convert`: parses each input and runs the registered
// passes over it. Clang-free interface: callers get plain plans (findings and edits)
// and never see the AST; the Clang stage writes nothing.
#pragma once

#include <string>
#include <vector>

#include "model/Plan.h"
#include "model/Settings.h"
#include "model/Summaries.h"

namespace rayify {

class PassRegistry;

struct ConvertRequest {
  std::vector<std::string> inputs;
  std::string compile_commands_dir;      // empty: -std=c++17
  const PassRegistry *passes = nullptr;  // null: PassRegistry::Builtin()
  Settings settings;
  /// Appended to every file's compile command (lint: the bundled runtime's headers,
  /// for Ray code whose build does not name them).
  std::vector<std::string> extra_args;
  /// Files rayify already converted are reported as such, not parsed (convert); lint
  /// parses them like any other.
  bool skip_converted = true;
  /// Passes see only declarations outside system headers (lint: the AST of Ray's and
  /// the standard library's headers is most of a unit, and no rule looks there).
  /// Convert sees everything: its generated names must not clash with any.
  bool user_code_only = false;
  /// Non-null when the inputs are units of one project: each plan summarises the
  /// functions its file defines, and calls into other units are judged with these
  /// summaries (empty on the first pass over the project).
  const ProjectSummaries *project = nullptr;
  /// The inputs are every unit of the program: a file without main may hold driver
  /// code, which the project's calls decide (model/ProjectCalls.h).
  bool whole_program = false;
};

/// The main files of the compilation database in `dir`, in its order; throws
/// std::runtime_error when it cannot be loaded.
std::vector<std::string> DatabaseFiles(const std::string &dir);

/// One plan per input, in input order. A plan has `error` set when its file did not
/// compile or a pass failed on it; Clang's diagnostics go to `diagnostics`.
std::vector<Plan> PlanConversions(const ConvertRequest &request,
                                  std::string &diagnostics);

}  // namespace rayify
