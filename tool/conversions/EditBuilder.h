// Source positions and text for building edits against the main file.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Stmt.h>
#include <clang/Basic/SourceManager.h>

#include <set>
#include <string>
#include <vector>

#include "report/Conversion.h"

namespace rayify {

class EditBuilder {
 public:
  explicit EditBuilder(clang::ASTContext &context);

  unsigned Offset(clang::SourceLocation loc) const;
  /// Offset just past the token starting at `loc`.
  unsigned EndOffset(clang::SourceLocation loc) const;
  /// The text of a token range as written.
  std::string Text(clang::SourceRange range) const;
  /// The whitespace that starts the line holding `loc`.
  std::string LineIndent(clang::SourceLocation loc) const;
  /// Offset of the first character of the line holding `offset`.
  unsigned LineStart(unsigned offset) const;
  /// Offset just past the end of `stmt`, including the ';' that ends a simple
  /// statement.
  unsigned EndOfStatement(const clang::Stmt *stmt) const;
  /// 1-based line of `loc`.
  unsigned Line(clang::SourceLocation loc) const;
  const std::string &FileText() const { return text_; }

  void Insert(unsigned offset, std::string text);
  void Replace(unsigned begin, unsigned end, std::string text);
  void ReplaceRange(clang::SourceRange range, std::string text);

  std::vector<TextEdit> &Edits() { return edits_; }

  /// A name not yet used in the file: `base`, else base_2, base_3, ...
  std::string UniqueName(const std::string &base);

 private:
  clang::ASTContext &context_;
  const clang::SourceManager &sources_;
  std::string text_;
  std::vector<TextEdit> edits_;
  std::set<std::string> used_names_;
};

}  // namespace rayify
