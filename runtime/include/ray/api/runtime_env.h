// ray::RuntimeEnv, reduced to the JSON-string accessors. The bundled runtime runs
// everything in this process, so a runtime environment is carried but never applied.
#pragma once

#include <ray/api/ray_exception.h>

#include <map>
#include <string>

namespace ray {

class RuntimeEnv {
 public:
  void SetJsonStr(const std::string &name, const std::string &json_str) {
    fields_[name] = json_str;
  }

  std::string GetJsonStr(const std::string &name) const {
    auto it = fields_.find(name);
    if (it == fields_.end()) {
      throw ray::internal::RayRuntimeEnvException("The field " + name + " not found.");
    }
    return it->second;
  }

  bool Contains(const std::string &name) const { return fields_.count(name) != 0; }
  bool Remove(const std::string &name) { return fields_.erase(name) != 0; }
  bool Empty() const { return fields_.empty(); }

  /// A JSON object whose members are the fields' JSON texts.
  std::string Serialize() const {
    std::string out = "{";
    for (const auto &[name, json] : fields_) {
      if (out.size() > 1) out += ",";
      out += "\"" + name + "\":" + json;
    }
    return out + "}";
  }

  std::string SerializeToRuntimeEnvInfo() const { return Serialize(); }

  /// Reads a JSON object such as {"env_vars": {"A": "1"}, "working_dir": "/w"}; each
  /// member becomes a field holding the member's JSON text.
  static RuntimeEnv Deserialize(const std::string &serialized_runtime_env) {
    RuntimeEnv env;
    const std::string &json = serialized_runtime_env;
    auto fail = [&json]() -> RuntimeEnv {
      throw ray::internal::RayRuntimeEnvException("Invalid runtime env JSON: " + json);
    };
    size_t pos = SkipSpace(json, 0);
    if (pos >= json.size() || json[pos] != '{') return fail();
    pos = SkipSpace(json, pos + 1);
    if (pos < json.size() && json[pos] == '}') return env;
    while (pos < json.size()) {
      size_t name_end = EndOfValue(json, pos);
      if (json[pos] != '"' || name_end == std::string::npos) return fail();
      std::string name = json.substr(pos + 1, name_end - pos - 2);
      pos = SkipSpace(json, name_end);
      if (pos >= json.size() || json[pos] != ':') return fail();
      pos = SkipSpace(json, pos + 1);
      size_t value_end = EndOfValue(json, pos);
      if (value_end == std::string::npos) return fail();
      env.fields_[name] = json.substr(pos, value_end - pos);
      pos = SkipSpace(json, value_end);
      if (pos < json.size() && json[pos] == ',') {
        pos = SkipSpace(json, pos + 1);
      } else if (pos < json.size() && json[pos] == '}') {
        return env;
      } else {
        return fail();
      }
    }
    return fail();
  }

 private:
  static size_t SkipSpace(const std::string &json, size_t pos) {
    while (pos < json.size() && (json[pos] == ' ' || json[pos] == '\n' ||
                                 json[pos] == '\t' || json[pos] == '\r')) {
      ++pos;
    }
    return pos;
  }

  // One past the end of the JSON value starting at `pos`, or npos if it is cut off.
  static size_t EndOfValue(const std::string &json, size_t pos) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = pos; i < json.size(); ++i) {
      char c = json[i];
      if (in_string) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) return i + 1;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return i;
        if (--depth == 0) return i + 1;
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n')) {
        return i;
      }
    }
    return depth == 0 && !in_string ? json.size() : std::string::npos;
  }

  std::map<std::string, std::string> fields_;
};

}  // namespace ray
