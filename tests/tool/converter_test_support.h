// Runs the converter over a C++ snippet and finds the decision for the loop marked
// with a `// LOOP` comment.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "emit/Templates.h"
#include "frontend/ConvertFrontend.h"
#include "report/Conversion.h"

namespace rayify::testing {

inline FileConversion ConvertSnippet(const std::string &source) {
  static int counter = 0;
  char dir[] = "/tmp/rayify-test-XXXXXX";
  if (mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  std::string path = std::string(dir) + "/case" + std::to_string(++counter) + ".cpp";
  std::ofstream(path) << source;
  ConvertRequest request;
  request.inputs = {path};
  request.templates = LoadTemplates(DefaultTemplatesDir());
  std::string diagnostics;
  FileConversion result = ConvertSources(request, diagnostics).front();
  EXPECT_TRUE(result.error.empty()) << diagnostics;
  std::remove(path.c_str());
  rmdir(dir);
  return result;
}

/// 1-based line of the first line containing `marker`.
inline unsigned LineOf(const std::string &source, const std::string &marker) {
  size_t at = source.find(marker);
  if (at == std::string::npos) return 0;
  unsigned line = 1;
  for (size_t i = 0; i < at; ++i) line += source[i] == '\n';
  return line;
}

/// The decision for the loop on the line marked `// LOOP`.
inline LoopDecision DecisionFor(const std::string &source) {
  FileConversion result = ConvertSnippet(source);
  unsigned line = LineOf(source, "// LOOP");
  for (const auto &decision : result.decisions) {
    if (decision.line == line) return decision;
  }
  ADD_FAILURE() << "no decision for line " << line;
  return {};
}

}  // namespace rayify::testing
