// Why a loop stays sequential. The codes are part of rayify's interface: reports,
// docs (resources/reason-codes.md) and tests use them.
#pragma once

namespace rayify {

enum class SkipReason {
  kNotDriverCode,
  kLoopCarriedDependency,
  kGlobalWrite,
  kIo,
  kNonConstReference,
  kEarlyExit,
  kTooFineGrained,
  kTooMuchData,
  kNonSerializable,
  kCalleeNotVisible,
  kUnsupportedShape,
  kGlobalRead,
  kUnknownCallee,
  kMayThrow,
  kMacro,
  kDoesNotCompile,
  kActorEscapes,
  kStaticState,
  kIgnored,
};

const char *ReasonCode(SkipReason reason);

}  // namespace rayify
