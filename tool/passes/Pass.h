// A pass, in the manner of a clang-tidy check: it registers AST matchers and hears of
// their matches, or visits the translation unit once matching is over, and produces
// findings and edits. Passes never write files; the driver does.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <string>

#include "passes/TranslationUnit.h"

namespace rayify {

class Pass : public clang::ast_matchers::MatchFinder::MatchCallback {
 public:
  ~Pass() override = default;

  /// Adds the pass's matchers to `finder`; their matches arrive in Check().
  virtual void RegisterMatchers(clang::ast_matchers::MatchFinder &finder) {
    (void)finder;
  }
  /// One match of a matcher this pass registered.
  virtual void Check(const clang::ast_matchers::MatchFinder::MatchResult &result) {
    (void)result;
  }
  /// After every pass's matchers ran, in registry order: whole-unit work.
  virtual void Finish() {}

  const std::string &Name() const { return name_; }
  void Attach(std::string name, TranslationUnit &unit) {
    name_ = std::move(name);
    unit_ = &unit;
  }

 protected:
  TranslationUnit &Unit() { return *unit_; }
  /// Records a finding attributed to this pass.
  void Report(Finding finding) {
    finding.rule = name_;
    unit_->findings.push_back(std::move(finding));
  }

 private:
  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) final {
    Check(result);
  }

  std::string name_;
  TranslationUnit *unit_ = nullptr;
};

}  // namespace rayify
