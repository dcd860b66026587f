// The lint rules, one file each (resources/rules/<id>.md). PassRegistry::Lint() lists
// them; each factory makes a fresh check for one translation unit.
#pragma once

#include <memory>

#include "passes/Pass.h"

namespace rayify {

std::unique_ptr<Pass> MakeGetInSubmitLoopCheck();
std::unique_ptr<Pass> MakeUnboundedSubmissionCheck();
std::unique_ptr<Pass> MakeLargeArgByValueCheck();
std::unique_ptr<Pass> MakeGlobalStateInRemoteCheck();
std::unique_ptr<Pass> MakeMissingRemoteRegistrationCheck();
std::unique_ptr<Pass> MakeDiscardedObjectRefCheck();
std::unique_ptr<Pass> MakeMovedObjectRefCheck();
std::unique_ptr<Pass> MakeGetThenResubmitCheck();
std::unique_ptr<Pass> MakeBlockingGetInActorCheck();
std::unique_ptr<Pass> MakeInvalidResourceCheck();
std::unique_ptr<Pass> MakeHardcodedClusterAddressCheck();
std::unique_ptr<Pass> MakeTinyRemoteTaskCheck();
std::unique_ptr<Pass> MakeParallelizableLoopCheck();

}  // namespace rayify
