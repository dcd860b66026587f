// Comparing a declaration's name with a plain identifier.
#pragma once

#include <clang/AST/Decl.h>
#include <llvm/ADT/StringRef.h>

namespace rayify {

/// Whether `decl` is named by the identifier `name`. False for operators, constructors,
/// destructors and conversion functions, whose names are not identifiers (getName()
/// asserts on them), and for a null `decl`.
inline bool HasName(const clang::NamedDecl *decl, llvm::StringRef name) {
  return decl != nullptr && decl->getIdentifier() != nullptr && decl->getName() == name;
}

}  // namespace rayify
