// Comparing a declaration's name with a plain identifier.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringRef.h>

#include <initializer_list>

namespace rayify {

/// Whether `decl` is named by the identifier `name`. False for operators, constructors,
/// destructors and conversion functions, whose names are not identifiers (getName()
/// asserts on them), and for a null `decl`.
inline bool HasName(const clang::NamedDecl *decl, llvm::StringRef name) {
  return decl != nullptr && decl->getIdentifier() != nullptr && decl->getName() == name;
}

/// Whether `type`, a reference looked through, is a class of namespace `std` named by
/// one of `names` (`std::vector<T>` for "vector").
inline bool IsStdClass(clang::QualType type,
                       std::initializer_list<llvm::StringRef> names) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  if (record == nullptr || !record->isInStdNamespace()) return false;
  return llvm::any_of(names, [&](llvm::StringRef name) { return HasName(record, name); });
}

}  // namespace rayify
