// The editable code templates in templates/: the text rayify adds to a converted
// program. Placeholders are written {{NAME}}.
#pragma once

#include <map>
#include <string>

namespace rayify {

struct Templates {
  std::string prologue;  // after the last #include: the Ray include and its marker
  std::string main;      // the new main(): cluster connection, Init, Shutdown
  std::string cmake;     // CMakeLists.txt for the output directory

  /// The template with that file name; throws std::runtime_error for another name.
  const std::string &ByName(const std::string &name) const;
};

/// Reads prologue.inc and main.inc from `dir`; throws std::runtime_error naming the
/// file when one is missing or unreadable.
Templates LoadTemplates(const std::string &dir);

/// Replaces every {{NAME}} in `text` by `values[NAME]`; throws std::runtime_error
/// for a placeholder without a value.
std::string FillTemplate(const std::string &text,
                         const std::map<std::string, std::string> &values,
                         const std::string &template_name);

/// The line every converted file carries, so a second conversion recognizes it.
extern const char kConvertedMarker[];

/// The line a generated CMakeLists.txt carries; one without it is never replaced.
extern const char kGeneratedBuildMarker[];

}  // namespace rayify
