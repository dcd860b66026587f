// Where rayify's own files are: the templates, the default rules and the bundled
// runtime (headers, library, CMake package). Found relative to the running executable,
// never by a path compiled in, so an installed rayify works wherever it was installed
// and with the source tree gone. The build tree has the same layout (share/, include/,
// lib/ beside the tool's directory), so a rayify run from it finds its files the same
// way. An environment variable overrides each location.
#pragma once

#include <string>

namespace rayify {

/// The prefix: the nearest directory above the executable holding share/rayify
/// (bin/.. when installed, the build directory when built). Throws
/// std::runtime_error when there is none.
std::string InstallPrefix();

/// RAYIFY_TEMPLATES_DIR, else <prefix>/share/rayify/templates.
std::string DefaultTemplatesDir();

/// RAYIFY_RULES_DIR, else <prefix>/share/rayify/rules.
std::string RulesDir();

/// RAYIFY_RUNTIME_INCLUDE, else <prefix>/include/rayify (which holds ray/api.h).
std::string RuntimeIncludeDir();

/// RAYIFY_RUNTIME_LIBRARY, else <prefix>/lib/librayify_runtime.a.
std::string RuntimeLibrary();

/// The directory of rayify_runtimeConfig.cmake: RAYIFY_RUNTIME_PACKAGE_DIR, else
/// <prefix>/lib/cmake/rayify_runtime.
std::string RuntimePackageDir();

}  // namespace rayify
