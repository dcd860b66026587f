// Source positions, text and edits for the files of one translation unit. Each file a
// pass edits gets a FileEditor; edits name their file, and locations of another file
// are refused instead of being applied at the wrong offset.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Stmt.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/Finding.h"

namespace rayify {

class FileEditor {
 public:
  FileEditor(clang::ASTContext &context, clang::FileID file, std::string path,
             std::vector<Edit> &sink);

  /// Offset of `loc` (its expansion) in this file; throws std::runtime_error when
  /// `loc` lies in another file.
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
  /// Line and column of a token range, for findings.
  Range RangeOf(clang::SourceRange range) const;
  /// Offset of the first character of the line before the one starting at
  /// `line_start` (0 for the first line).
  unsigned PreviousLineStart(unsigned line_start) const;
  /// True when the line starting at `line_start` begins with `prefix` after its
  /// indentation.
  bool LineBeginsWith(unsigned line_start, const std::string &prefix) const;
  /// The `//` comment lines directly above the line holding `loc`.
  std::string CommentAbove(clang::SourceLocation loc) const;
  const std::string &FileText() const { return text_; }
  const std::string &Path() const { return path_; }
  clang::FileID File() const { return file_; }

  void Insert(unsigned offset, std::string text);
  void InsertTemplate(unsigned offset, TemplateUse use);
  /// Insert and InsertTemplate before every other insertion at `offset` (Edit::ahead).
  void InsertAhead(unsigned offset, std::string text);
  void InsertTemplateAhead(unsigned offset, TemplateUse use);
  void Replace(unsigned begin, unsigned end, std::string text);
  void ReplaceRange(clang::SourceRange range, std::string text);

 private:
  clang::ASTContext &context_;
  const clang::SourceManager &sources_;
  clang::FileID file_;
  std::string path_;
  std::string text_;
  std::vector<Edit> &sink_;
};

class EditBuilder {
 public:
  /// `main_path` names the main file in edits (the input as the user gave it).
  EditBuilder(clang::ASTContext &context, std::string main_path);

  FileEditor &Main() { return *editors_.at(main_); }
  /// The editor for the file holding `loc`, or null for a file that must never be
  /// edited: system headers and anything that is not a real file.
  FileEditor *For(clang::SourceLocation loc);

  /// A name not yet used in the translation unit: `base`, else base_2, base_3, ...
  std::string UniqueName(const std::string &base);

  /// Hands out the edits made since the last call, for a finding's fix or a plan.
  std::vector<Edit> Take();
  /// The parsed text of every file an editor was opened for, by path.
  std::map<std::string, std::string> Sources() const;

 private:
  clang::ASTContext &context_;
  clang::FileID main_;
  std::string main_path_;
  std::map<clang::FileID, std::unique_ptr<FileEditor>> editors_;
  std::vector<Edit> edits_;
  std::set<std::string> used_names_;
};

/// True when either end of `range` comes from a macro's expansion: there is no text
/// of the user's to rewrite there.
bool InMacro(clang::SourceRange range);

}  // namespace rayify
