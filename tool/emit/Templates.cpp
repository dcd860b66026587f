#include "emit/Templates.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rayify {
namespace {

std::string ReadTemplate(const std::string &dir, const std::string &name) {
  std::string path = dir + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read template");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const char kConvertedMarker[] = "Converted by rayify";

std::string DefaultTemplatesDir() {
  const char *dir = std::getenv("RAYIFY_TEMPLATES_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return RAYIFY_SOURCE_TEMPLATES_DIR;
}

Templates LoadTemplates(const std::string &dir) {
  Templates templates;
  templates.prologue = ReadTemplate(dir, "prologue.inc");
  templates.main = ReadTemplate(dir, "main.inc");
  if (templates.prologue.find(kConvertedMarker) == std::string::npos) {
    throw std::runtime_error(dir + "/prologue.inc: must keep the line containing '" +
                             std::string(kConvertedMarker) +
                             "', which makes a second conversion a no-op");
  }
  return templates;
}

std::string FillTemplate(const std::string &text,
                         const std::map<std::string, std::string> &values,
                         const std::string &template_name) {
  std::string out;
  size_t cursor = 0;
  while (true) {
    size_t open = text.find("{{", cursor);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    std::string name = text.substr(open + 2, close - open - 2);
    auto it = values.find(name);
    if (it == values.end()) {
      throw std::runtime_error(template_name + ": unknown placeholder {{" + name + "}}");
    }
    out.append(text, cursor, open - cursor);
    out += it->second;
    cursor = close + 2;
  }
  out.append(text, cursor, std::string::npos);
  return out;
}

}  // namespace rayify
