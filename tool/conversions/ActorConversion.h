// The actor-class pass: a class whose objects carry state that driver code changes
// through their methods becomes a Ray actor. Each object becomes an actor created by
// a registered factory, each method call an actor task on its handle, and a loop
// that calls one method on every actor of a container submits to all of them before
// waiting (an actor pool). A class the analysis cannot prove safe is refused with a
// reason code and left exactly as it was.
#pragma once

#include <clang/AST/DeclCXX.h>

#include <optional>
#include <string>

#include "analysis/ActorUses.h"
#include "conversions/ActorEmitter.h"
#include "model/ReasonCodes.h"
#include "passes/Pass.h"

namespace rayify {

class ActorPass : public Pass {
 public:
  void Finish() override;

 private:
  void Decide(const clang::CXXRecordDecl *record);
  std::optional<std::pair<SkipReason, std::string>> Refuse(
      const clang::CXXRecordDecl *record, const ActorUses &uses,
      std::set<const clang::TagDecl *> &needs_define);
  std::optional<std::pair<SkipReason, std::string>> RefuseEffects(
      const clang::CXXRecordDecl *record, const ActorUses &uses);
  LoopConversion Summary(const clang::CXXRecordDecl *record, const ActorUses &uses,
                         const ActorNames &names, const ActorEmission &emission);
  void ReportPools(const clang::CXXRecordDecl *record, const ActorEmission &emission,
                   LoopConversion conversion);
};

/// True when the class's objects have state its non-const methods change: at least
/// one field and one non-const, non-static method other than constructors,
/// destructors and operators.
bool IsStateful(const clang::CXXRecordDecl *record);

}  // namespace rayify
