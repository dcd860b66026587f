#include "conversions/EditBuilder.h"

#include <clang/AST/Decl.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Lex/Lexer.h>

#include <stdexcept>

namespace rayify {
namespace {

using namespace clang;

// Every identifier declared in the translation unit, so generated names never shadow
// one.
class NameCollector : public RecursiveASTVisitor<NameCollector> {
 public:
  explicit NameCollector(std::set<std::string> &names) : names_(names) {}
  bool VisitNamedDecl(NamedDecl *decl) {
    if (decl->getDeclName().isIdentifier()) names_.insert(decl->getName().str());
    return true;
  }

 private:
  std::set<std::string> &names_;
};

}  // namespace

FileEditor::FileEditor(ASTContext &context, FileID file, std::string path,
                       std::vector<Edit> &sink)
    : context_(context),
      sources_(context.getSourceManager()),
      file_(file),
      path_(std::move(path)),
      text_(sources_.getBufferData(file).str()),
      sink_(sink) {}

unsigned FileEditor::Offset(SourceLocation loc) const {
  auto [file, offset] = sources_.getDecomposedLoc(sources_.getExpansionLoc(loc));
  if (file != file_) {
    throw std::runtime_error("an edit meant for " + path_ + " points into another file");
  }
  return offset;
}

unsigned FileEditor::EndOffset(SourceLocation loc) const {
  // A token a macro invocation produced ends where the invocation ends, its ')'
  // included.
  SourceLocation last = loc.isMacroID() ? sources_.getExpansionRange(loc).getEnd() : loc;
  SourceLocation end =
      Lexer::getLocForEndOfToken(last, 0, sources_, context_.getLangOpts());
  return Offset(end);
}

std::string FileEditor::Text(SourceRange range) const {
  unsigned begin = Offset(range.getBegin());
  unsigned end = EndOffset(range.getEnd());
  return text_.substr(begin, end - begin);
}

unsigned FileEditor::LineStart(unsigned offset) const {
  while (offset > 0 && text_[offset - 1] != '\n') --offset;
  return offset;
}

std::string FileEditor::LineIndent(SourceLocation loc) const {
  unsigned start = LineStart(Offset(loc));
  unsigned end = start;
  while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
  return text_.substr(start, end - start);
}

unsigned FileEditor::EndOfStatement(const Stmt *stmt) const {
  unsigned end = EndOffset(stmt->getEndLoc());
  if (isa<CompoundStmt>(stmt)) return end;
  // Expression statements end before their ';'.
  unsigned cursor = end;
  while (cursor < text_.size() && (text_[cursor] == ' ' || text_[cursor] == '\t'))
    ++cursor;
  if (cursor < text_.size() && text_[cursor] == ';') return cursor + 1;
  return end;
}

unsigned FileEditor::Line(SourceLocation loc) const {
  return sources_.getExpansionLineNumber(loc);
}

Range FileEditor::RangeOf(SourceRange range) const {
  SourceLocation begin = sources_.getExpansionLoc(range.getBegin());
  // The range ends at the start of its last token; findings end at its last character.
  SourceLocation last = sources_.getExpansionLoc(range.getEnd());
  SourceLocation past =
      Lexer::getLocForEndOfToken(last, 0, sources_, context_.getLangOpts());
  unsigned end_column = past.isValid() ? sources_.getExpansionColumnNumber(past) - 1
                                       : sources_.getExpansionColumnNumber(last);
  return Range{
      {sources_.getExpansionLineNumber(begin), sources_.getExpansionColumnNumber(begin)},
      {sources_.getExpansionLineNumber(last), end_column}};
}

unsigned FileEditor::PreviousLineStart(unsigned line_start) const {
  return line_start == 0 ? 0 : LineStart(line_start - 1);
}

bool FileEditor::LineBeginsWith(unsigned line_start, const std::string &prefix) const {
  unsigned end = static_cast<unsigned>(text_.find('\n', line_start));
  size_t first = text_.find_first_not_of(" \t", line_start);
  return first != std::string::npos && first < end &&
         text_.compare(first, prefix.size(), prefix) == 0;
}

std::string FileEditor::CommentAbove(SourceLocation loc) const {
  unsigned line_start = LineStart(Offset(loc));
  while (line_start > 0 && LineBeginsWith(PreviousLineStart(line_start), "//")) {
    line_start = PreviousLineStart(line_start);
  }
  unsigned own_line = LineStart(Offset(loc));
  return text_.substr(line_start, own_line - line_start);
}

void FileEditor::Insert(unsigned offset, std::string text) {
  sink_.push_back({path_, offset, 0, std::move(text), std::nullopt});
}

void FileEditor::InsertTemplate(unsigned offset, TemplateUse use) {
  sink_.push_back({path_, offset, 0, "", std::move(use)});
}

void FileEditor::InsertAhead(unsigned offset, std::string text) {
  Insert(offset, std::move(text));
  sink_.back().ahead = true;
}

void FileEditor::InsertTemplateAhead(unsigned offset, TemplateUse use) {
  InsertTemplate(offset, std::move(use));
  sink_.back().ahead = true;
}

void FileEditor::Replace(unsigned begin, unsigned end, std::string text) {
  sink_.push_back({path_, begin, end - begin, std::move(text), std::nullopt});
}

void FileEditor::ReplaceRange(SourceRange range, std::string text) {
  Replace(Offset(range.getBegin()), EndOffset(range.getEnd()), std::move(text));
}

EditBuilder::EditBuilder(ASTContext &context, std::string main_path)
    : context_(context),
      main_(context.getSourceManager().getMainFileID()),
      main_path_(std::move(main_path)) {
  editors_[main_] = std::make_unique<FileEditor>(context, main_, main_path_, edits_);
  NameCollector collector(used_names_);
  collector.TraverseDecl(context.getTranslationUnitDecl());
}

FileEditor *EditBuilder::For(SourceLocation loc) {
  const SourceManager &sources = context_.getSourceManager();
  SourceLocation expansion = sources.getExpansionLoc(loc);
  if (expansion.isInvalid() || sources.isInSystemHeader(expansion)) return nullptr;
  FileID file = sources.getFileID(expansion);
  auto found = editors_.find(file);
  if (found != editors_.end()) return found->second.get();
  OptionalFileEntryRef entry = sources.getFileEntryRefForID(file);
  if (!entry) return nullptr;
  auto editor =
      std::make_unique<FileEditor>(context_, file, entry->getName().str(), edits_);
  return editors_.emplace(file, std::move(editor)).first->second.get();
}

std::string EditBuilder::UniqueName(const std::string &base) {
  std::string name = base;
  for (int suffix = 2; used_names_.count(name) != 0; ++suffix) {
    name = base + "_" + std::to_string(suffix);
  }
  used_names_.insert(name);
  return name;
}

std::vector<Edit> EditBuilder::Take() {
  std::vector<Edit> taken;
  taken.swap(edits_);
  return taken;
}

std::map<std::string, std::string> EditBuilder::Sources() const {
  std::map<std::string, std::string> sources;
  for (const auto &[file, editor] : editors_)
    sources[editor->Path()] = editor->FileText();
  return sources;
}

bool InMacro(SourceRange range) {
  return range.getBegin().isMacroID() || range.getEnd().isMacroID();
}

}  // namespace rayify
