// libFuzzer target: filling the editable templates. Placeholders are {{NAME}}; any
// text either fills or is refused with std::runtime_error naming the placeholder.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "emit/Templates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  try {
    std::string filled = rayify::FillTemplate(
        text, {{"INPUT", "a.cpp"}, {"ORIGINAL_MAIN_CALL", "f()"}}, "fuzz.inc");
    // Filling never loses text outside the placeholders it replaced.
    if (filled.size() + 4 * text.size() < text.size()) __builtin_trap();
  } catch (const std::runtime_error &) {
  }
  return 0;
}
