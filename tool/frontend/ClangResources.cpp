#include "frontend/ClangResources.h"

#include <clang/Basic/Version.h>

#include <cstdlib>

namespace rayify {

std::string ClangResourceDir() {
  const char *override_dir = std::getenv("RAYIFY_CLANG_RESOURCE_DIR");
  if (override_dir != nullptr && *override_dir != '\0') return override_dir;
  return RAYIFY_CLANG_RESOURCE_DIR;
}

std::string ClangVersion() { return CLANG_VERSION_STRING; }

}  // namespace rayify
