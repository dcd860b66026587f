// libFuzzer target: the whole converter (Clang stage, passes, driver) on mutated C++
// sources. Whatever the input, rayify plans and realizes it or reports it failed: no
// crash, no hang, no exception escapes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "driver/Realize.h"
#include "driver/Installation.h"
#include "emit/Templates.h"
#include "frontend/ConvertFrontend.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string dir = [] {
    char pattern[] = "/tmp/rayify-fuzz-XXXXXX";
    return std::string(mkdtemp(pattern));
  }();
  static const rayify::Templates templates =
      rayify::LoadTemplates(rayify::DefaultTemplatesDir());
  std::string path = dir + "/input.cpp";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  rayify::ConvertRequest request;
  request.inputs = {path};
  std::string diagnostics;
  std::vector<rayify::Plan> plans = rayify::PlanConversions(request, diagnostics);
  rayify::RealizePlans(plans, {dir + "/out.cpp"}, templates);
  return 0;
}
