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

 private:
  std::map<std::string, std::string> fields_;
};

}  // namespace ray
