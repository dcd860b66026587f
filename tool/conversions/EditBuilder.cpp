#include "conversions/EditBuilder.h"

#include <clang/AST/Decl.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Lex/Lexer.h>

namespace rayify {
namespace {

using namespace clang;

// Every identifier declared in the file, so generated names never shadow one.
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

EditBuilder::EditBuilder(ASTContext &context)
    : context_(context), sources_(context.getSourceManager()) {
  text_ = sources_.getBufferData(sources_.getMainFileID()).str();
  NameCollector collector(used_names_);
  collector.TraverseDecl(context.getTranslationUnitDecl());
}

unsigned EditBuilder::Offset(SourceLocation loc) const {
  return sources_.getFileOffset(sources_.getExpansionLoc(loc));
}

unsigned EditBuilder::EndOffset(SourceLocation loc) const {
  SourceLocation end = Lexer::getLocForEndOfToken(sources_.getExpansionLoc(loc), 0,
                                                  sources_, context_.getLangOpts());
  return sources_.getFileOffset(end);
}

std::string EditBuilder::Text(SourceRange range) const {
  unsigned begin = Offset(range.getBegin());
  unsigned end = EndOffset(range.getEnd());
  return text_.substr(begin, end - begin);
}

unsigned EditBuilder::LineStart(unsigned offset) const {
  while (offset > 0 && text_[offset - 1] != '\n') --offset;
  return offset;
}

std::string EditBuilder::LineIndent(SourceLocation loc) const {
  unsigned start = LineStart(Offset(loc));
  unsigned end = start;
  while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
  return text_.substr(start, end - start);
}

unsigned EditBuilder::EndOfStatement(const Stmt *stmt) const {
  unsigned end = EndOffset(stmt->getEndLoc());
  if (isa<CompoundStmt>(stmt)) return end;
  // Expression statements end before their ';'.
  unsigned cursor = end;
  while (cursor < text_.size() && (text_[cursor] == ' ' || text_[cursor] == '\t'))
    ++cursor;
  if (cursor < text_.size() && text_[cursor] == ';') return cursor + 1;
  return end;
}

unsigned EditBuilder::Line(SourceLocation loc) const {
  return sources_.getExpansionLineNumber(loc);
}

void EditBuilder::Insert(unsigned offset, std::string text) {
  edits_.push_back({offset, 0, std::move(text)});
}

void EditBuilder::Replace(unsigned begin, unsigned end, std::string text) {
  edits_.push_back({begin, end - begin, std::move(text)});
}

void EditBuilder::ReplaceRange(SourceRange range, std::string text) {
  Replace(Offset(range.getBegin()), EndOffset(range.getEnd()), std::move(text));
}

std::string EditBuilder::UniqueName(const std::string &base) {
  std::string name = base;
  for (int suffix = 2; used_names_.count(name) != 0; ++suffix) {
    name = base + "_" + std::to_string(suffix);
  }
  used_names_.insert(name);
  return name;
}

}  // namespace rayify
