// Whether a value can cross a task boundary: msgpack must be able to encode it, as
// Ray's C++ API requires. User structs qualify once MSGPACK_DEFINE lists their fields.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Type.h>

#include <optional>
#include <set>
#include <string>

#include "analysis/CalleeEffects.h"

namespace rayify {

/// A C array of numbers whose size the source fixes (`double u[N][N]`, the way
/// scientific code keeps its fields): it crosses a task boundary in a struct of its
/// own, which msgpack writes element by element. Characters are left out: msgpack
/// writes a char array as a string and stops at its first NUL.
bool IsNumberArray(clang::QualType type);

/// Whether `container` is a std::vector, std::array or std::deque of `element`, or a
/// C array of it: each element is an object of exactly that class, never of a class
/// derived from it (what is put in is copied into an element, sliced if need be), so
/// a copy of an element keeps its class.
bool HoldsExactly(clang::QualType container, clang::QualType element);

/// Whether every scope around `decl` is a named namespace (or none): where
/// MSGPACK_ADD_ENUM can name it from global scope.
bool InNamedNamespacesOnly(const clang::Decl *decl);

class SerializabilityChecker {
 public:
  /// With `effects`, a value whose copies run code of the program with effects
  /// outside the object cannot be sent either (EffectAnalyzer::OfCopies).
  explicit SerializabilityChecker(clang::ASTContext &context,
                                  EffectAnalyzer *effects = nullptr)
      : context_(context), effects_(effects) {}

  /// True when values of `type` can be sent; otherwise `why` says what stops it.
  /// User records that need MSGPACK_DEFINE added are put into `needs_define`.
  bool Check(clang::QualType type, std::string &why,
             std::set<const clang::TagDecl *> &needs_define);

  /// What stops `function`'s parameters or result from crossing a task boundary, or
  /// "" when all of them can.
  std::string CheckSignature(const clang::FunctionDecl *function,
                             std::set<const clang::TagDecl *> &needs_define);

  /// True when the record already has msgpack support (MSGPACK_DEFINE or its own
  /// msgpack_pack).
  static bool HasMsgpackSupport(const clang::CXXRecordDecl *record);

  /// True when `record` declares no default constructor, none is implicit, and
  /// msgpack, which decodes into a default-constructed object, needs one: rayify
  /// adds `T() = default;` with its MSGPACK_DEFINE (the fields it leaves unset are
  /// all decoded into).
  static bool NeedsDefaultConstructor(const clang::CXXRecordDecl *record);

 private:
  /// Whether msgpack can encode `type` and decode it into an equal value.
  bool CheckEncoding(clang::QualType type, std::string &why,
                     std::set<const clang::TagDecl *> &needs_define);
  /// Whether the copies a send makes and destroys change nothing outside themselves.
  bool CheckCopies(clang::QualType type, std::string &why);
  bool CheckStandard(const clang::ClassTemplateSpecializationDecl *spec, std::string &why,
                     std::set<const clang::TagDecl *> &needs_define);
  bool CheckUserRecord(const clang::CXXRecordDecl *record, std::string &why,
                       std::set<const clang::TagDecl *> &needs_define);
  /// Whether the program asks a value of `type` (a vector or string) for its
  /// capacity(), which a copy rebuilt from the elements does not keep.
  bool CapacityObserved(clang::QualType type);

  clang::ASTContext &context_;
  EffectAnalyzer *effects_;
  std::set<const clang::CXXRecordDecl *> visiting_;
  /// The types the program's own code calls capacity() on, once looked for.
  std::optional<std::set<const clang::Type *>> capacity_asked_;
};

}  // namespace rayify
