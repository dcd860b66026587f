// The analyze and plan stages of `rayify convert`, run by Clang over each input.
// Clang-free interface: callers get plain FileConversion results.
#pragma once

#include <string>
#include <vector>

#include "emit/Templates.h"
#include "report/Conversion.h"

namespace rayify {

struct ConvertRequest {
  std::vector<std::string> inputs;
  std::string compile_commands_dir;  // empty: -std=c++17
  Templates templates;
};

/// Parses and converts every input. Each result has `error` set when the file did
/// not compile; Clang's diagnostics for all files go to `diagnostics`.
std::vector<FileConversion> ConvertSources(const ConvertRequest &request,
                                           std::string &diagnostics);

}  // namespace rayify
