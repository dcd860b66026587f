#include "driver/Installation.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "emit/AtomicFile.h"

namespace rayify {
namespace {

bool IsDirectory(const std::string &path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string Executable() {
  char self[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length <= 0) throw std::runtime_error("cannot find rayify's own executable");
  self[length] = '\0';
  return self;
}

// The environment's value for `variable`, else the prefix's path `relative`.
std::string Located(const char *variable, const char *relative) {
  const char *value = std::getenv(variable);
  if (value != nullptr && *value != '\0') return value;
  return InstallPrefix() + relative;
}

}  // namespace

std::string InstallPrefix() {
  static const std::string prefix = [] {
    std::string executable = Executable();
    // bin/rayify when installed; tool/rayify or tests/tool/<test> in the build tree.
    std::string dir = Directory(executable);
    for (int level = 0; level < 4 && dir != "/"; ++level, dir = Directory(dir)) {
      if (IsDirectory(dir + "/share/rayify")) return dir;
    }
    return std::string();
  }();
  if (prefix.empty()) {
    throw std::runtime_error(
        "rayify's files (share/rayify) were not found above " + Executable() +
        "; reinstall rayify, or set RAYIFY_TEMPLATES_DIR and RAYIFY_RULES_DIR");
  }
  return prefix;
}

std::string DefaultTemplatesDir() {
  return Located("RAYIFY_TEMPLATES_DIR", "/share/rayify/templates");
}

std::string RulesDir() { return Located("RAYIFY_RULES_DIR", "/share/rayify/rules"); }

std::string RuntimeIncludeDir() {
  return Located("RAYIFY_RUNTIME_INCLUDE", "/include/rayify");
}

std::string RuntimeLibrary() {
  return Located("RAYIFY_RUNTIME_LIBRARY", "/lib/librayify_runtime.a");
}

std::string RuntimePackageDir() {
  return Located("RAYIFY_RUNTIME_PACKAGE_DIR", "/lib/cmake/rayify_runtime");
}

}  // namespace rayify
