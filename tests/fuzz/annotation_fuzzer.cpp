// libFuzzer target: the `// rayify: resources(...)` and `// rayify: actor(...)`
// annotation parsers. Any input either parses or is refused with
// std::invalid_argument; nothing else may happen.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "analysis/ResourceAnnotation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string comment(reinterpret_cast<const char *>(data), size);
  try {
    auto resources = rayify::ParseResourceAnnotation(comment);
    if (resources) {
      for (const auto &[name, amount] : *resources) {
        if (name.empty() || !(amount > 0)) __builtin_trap();  // accepted but invalid
      }
      (void)rayify::SetResourceCalls(*resources);
    }
  } catch (const std::invalid_argument &) {
  }
  try {
    // A name goes into generated code between quotes: it must never need escaping.
    if (auto actor = rayify::ParseActorAnnotation(comment)) {
      for (char c : actor->name + actor->ray_namespace) {
        if (c == '"' || c == '\\' || c == '\n' || c == ' ') __builtin_trap();
      }
      if (actor->name.empty()) __builtin_trap();
    }
  } catch (const std::invalid_argument &) {
  }
  return 0;
}
