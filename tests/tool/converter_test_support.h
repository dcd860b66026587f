// Runs the converter over a C++ snippet and finds the decision for the loop marked
// with a `// LOOP` comment.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "driver/Installation.h"
#include "driver/Realize.h"
#include "emit/Templates.h"
#include "frontend/ConvertFrontend.h"
#include "model/FileConversion.h"
#include "model/ReasonCodes.h"

namespace rayify::testing {

inline FileConversion ConvertSnippet(const std::string &source,
                                     const Settings &settings = {}) {
  static int counter = 0;
  char dir[] = "/tmp/rayify-test-XXXXXX";
  if (mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  std::string path = std::string(dir) + "/case" + std::to_string(++counter) + ".cpp";
  std::ofstream(path) << source;
  ConvertRequest request;
  request.inputs = {path};
  request.settings = settings;
  std::string diagnostics;
  std::vector<Plan> plans = PlanConversions(request, diagnostics);
  FileConversion result = RealizePlans(plans, {std::string(dir) + "/out.cpp"},
                                       LoadTemplates(DefaultTemplatesDir()))
                              .front();
  EXPECT_TRUE(result.error.empty()) << diagnostics << result.error;
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

/// The decisions on the loops of driver code, or with `outside_driver` on the loops
/// outside it (`not-driver-code`), of a converted file, in line order.
inline std::vector<Finding> LoopDecisions(const FileConversion &file,
                                          bool outside_driver) {
  std::vector<Finding> decisions;
  for (const Finding *decision : file.LoopDecisions()) {
    if ((decision->code == ReasonCode(SkipReason::kNotDriverCode)) == outside_driver) {
      decisions.push_back(*decision);
    }
  }
  return decisions;
}

/// The decisions on the loops of driver code.
inline std::vector<Finding> Decisions(const FileConversion &file) {
  return LoopDecisions(file, false);
}

/// The lines of the loops reported as outside driver code.
inline std::vector<unsigned> LinesOutsideDriver(const FileConversion &file) {
  std::vector<unsigned> lines;
  for (const Finding &decision : LoopDecisions(file, true))
    lines.push_back(decision.Line());
  return lines;
}

/// The decision for the loop on the line marked `// LOOP`.
inline Finding DecisionFor(const std::string &source, const Settings &settings = {}) {
  FileConversion result = ConvertSnippet(source, settings);
  unsigned line = LineOf(source, "// LOOP");
  for (const Finding *decision : result.LoopDecisions()) {
    if (decision->Line() == line) return *decision;
  }
  ADD_FAILURE() << "no decision for line " << line;
  return {};
}

/// A loop that must stay sequential: the program (its loop marked `// LOOP`), the
/// reason code, and a part of the message that names the real cause.
struct RefusalCase {
  const char *name;
  std::string source;
  SkipReason reason;
  std::string message_part;  // owned: a case may be built from a local buffer
};

// Keeps test names readable: gtest would otherwise print the case's bytes.
inline void PrintTo(const RefusalCase &c, std::ostream *out) { *out << c.name; }

inline void ExpectRefused(const RefusalCase &c) {
  Finding decision = DecisionFor(c.source);
  EXPECT_FALSE(decision.IsConversion());
  EXPECT_EQ(decision.code, ReasonCode(c.reason)) << decision.message;
  EXPECT_NE(decision.message.find(c.message_part), std::string::npos) << decision.message;
}

/// Names each case of a parameterized suite by its `name` field (gtest would
/// otherwise number them): `INSTANTIATE_TEST_SUITE_P(..., testing::CaseName())`.
struct CaseName {
  template <typename Case>
  std::string operator()(const ::testing::TestParamInfo<Case> &info) const {
    return info.param.name;
  }
};

}  // namespace rayify::testing
