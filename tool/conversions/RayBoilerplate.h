// The ray-boilerplate pass: what every converted program needs besides its loops. The
// Ray include (templates/prologue.inc), RAY_REMOTE for each task function,
// MSGPACK_DEFINE for each user type crossing a task boundary (in the file that defines
// it, headers of the project included), and a main() from templates/main.inc that
// connects to Ray around the original main. Runs only when a conversion before it
// made tasks.
#pragma once

#include "passes/Pass.h"

namespace rayify {

class RayBoilerplatePass : public Pass {
 public:
  void Finish() override;
};

}  // namespace rayify
