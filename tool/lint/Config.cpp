#include "lint/Config.h"

#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <climits>
#include <cstdlib>

#include "driver/Installation.h"
#include "emit/AtomicFile.h"
#include "lint/RuleCatalog.h"

namespace rayify {

const char kConfigFileName[] = ".rayify.yaml";

namespace {

[[noreturn]] void Fail(const std::string &path, const YAML::Mark &mark,
                       const std::string &problem) {
  std::string where = path;
  if (!mark.is_null()) {
    where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  throw ConfigError(where + ": " + problem);
}

std::string Keys(std::initializer_list<const char *> keys) {
  std::string list;
  for (const char *key : keys) list += (list.empty() ? "" : ", ") + std::string(key);
  return list;
}

void ExpectMap(const YAML::Node &node, const std::string &path, const std::string &what) {
  if (!node.IsMap())
    Fail(path, node.Mark(), what + " must be a mapping of keys to values");
}

template <typename T>
T Scalar(const YAML::Node &node, const std::string &path, const std::string &what) {
  try {
    if (!node.IsScalar()) throw YAML::Exception(node.Mark(), "");
    return node.as<T>();
  } catch (const YAML::Exception &) {
    Fail(path, node.Mark(), what);
  }
}

RuleSetting ParseRuleSetting(const YAML::Node &node, const std::string &path,
                             const std::string &rule) {
  std::string value = Scalar<std::string>(
      node, path, "rule '" + rule + "' takes off, note, warning or error");
  if (value == "off") return {false, Severity::kWarning};
  if (value == "note") return {true, Severity::kNote};
  if (value == "warning") return {true, Severity::kWarning};
  if (value == "error") return {true, Severity::kError};
  Fail(path, node.Mark(),
       "rule '" + rule + "' takes off, note, warning or error, not '" + value + "'");
}

void ApplyRules(const YAML::Node &rules, const std::string &path, Settings &settings) {
  ExpectMap(rules, path, "'rules'");
  for (const auto &entry : rules) {
    std::string id = entry.first.as<std::string>();
    if (FindLintRule(id) == nullptr) {
      std::string known;
      for (const RuleInfo &rule : LintRules())
        known += (known.empty() ? "" : ", ") + rule.id;
      Fail(path, entry.first.Mark(), "unknown rule '" + id + "' (known: " + known + ")");
    }
    settings.rules[id] = ParseRuleSetting(entry.second, path, id);
  }
}

void ApplyThresholds(const YAML::Node &thresholds, const std::string &path,
                     Settings &settings) {
  ExpectMap(thresholds, path, "'thresholds'");
  const std::map<std::string, long long *> fields = {
      {"max-in-flight", &settings.max_in_flight},
      {"submit-all-limit", &settings.submit_all_limit},
      {"large-argument-bytes", &settings.large_argument_bytes},
      {"chunks-per-cpu", &settings.chunks_per_cpu},
      {"min-task-operations", &settings.min_task_operations},
      {"min-chunk-microseconds", &settings.min_chunk_microseconds},
      {"operations-per-byte-moved", &settings.operations_per_byte_moved}};
  for (const auto &entry : thresholds) {
    std::string key = entry.first.as<std::string>();
    auto field = fields.find(key);
    if (field == fields.end()) {
      Fail(path, entry.first.Mark(),
           "unknown threshold '" + key + "' (known: " +
               Keys({"max-in-flight", "submit-all-limit", "large-argument-bytes",
                     "chunks-per-cpu", "min-task-operations", "min-chunk-microseconds",
                     "operations-per-byte-moved"}) +
               ")");
    }
    long long value =
        Scalar<long long>(entry.second, path, "'" + key + "' takes a whole number");
    // Data and the run-time trial may be left out; every other threshold is a count.
    long long least =
        key == "operations-per-byte-moved" || key == "min-chunk-microseconds" ? 0 : 1;
    if (value < least) {
      Fail(path, entry.second.Mark(),
           "'" + key + "' must be at least " + std::to_string(least));
    }
    *field->second = value;
  }
}

void ApplyFunctionList(const YAML::Node &list, const std::string &path,
                       const std::string &key, std::set<std::string> &names) {
  if (!list.IsSequence()) {
    Fail(path, list.Mark(), "'functions." + key + "' must be a list of function names");
  }
  for (const auto &item : list) {
    std::string name =
        Scalar<std::string>(item, path, "'functions." + key + "' lists names (strings)");
    if (name.empty()) Fail(path, item.Mark(), "an empty function name");
    names.insert(name.rfind("::", 0) == 0 ? name.substr(2) : name);
  }
}

void ApplyFunctions(const YAML::Node &functions, const std::string &path,
                    Settings &settings) {
  ExpectMap(functions, path, "'functions'");
  for (const auto &entry : functions) {
    std::string key = entry.first.as<std::string>();
    if (key == "pure") {
      ApplyFunctionList(entry.second, path, key, settings.pure_functions);
    } else if (key == "io") {
      ApplyFunctionList(entry.second, path, key, settings.io_functions);
    } else {
      Fail(path, entry.first.Mark(),
           "unknown key 'functions." + key + "' (known: pure, io)");
    }
  }
}

bool IsFile(const std::string &path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string ReadConfigFile(const std::string &path) {
  try {
    return ReadFile(path);
  } catch (const std::runtime_error &) {
    throw ConfigError(path + ": cannot read the configuration file");
  }
}

std::string AbsoluteDirectoryOf(const std::string &file) {
  std::string resolved = RealPath(Directory(file));
  return resolved.empty() ? Directory(file) : resolved;
}

// The directory above `dir`, or "" above the root.
std::string Parent(const std::string &dir) {
  return dir == "/" || dir.empty() ? "" : Directory(dir);
}

std::string Join(const std::string &dir, const std::string &name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// The configuration files that apply in `dir`, outermost first: the nearest, and
// its ancestors' while each says `inherit: true`.
std::vector<std::string> Chain(const std::string &dir) {
  std::vector<std::string> chain;
  for (std::string at = dir; !at.empty(); at = Parent(at)) {
    std::string candidate = Join(at, kConfigFileName);
    if (!IsFile(candidate)) continue;
    chain.insert(chain.begin(), candidate);
    Settings scratch;
    if (!ApplyConfig(ReadConfigFile(candidate), candidate, scratch)) break;
  }
  return chain;
}

}  // namespace

std::string DefaultConfigFile() { return RulesDir() + "/default.yaml"; }

bool ApplyConfig(const std::string &text, const std::string &path, Settings &settings) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException &error) {
    Fail(path, error.mark, "not valid YAML: " + error.msg);
  }
  if (root.IsNull()) return false;  // an empty file changes nothing
  ExpectMap(root, path, "a configuration file");
  bool inherit = false;
  for (const auto &entry : root) {
    std::string key = entry.first.as<std::string>();
    if (key == "inherit") {
      inherit = Scalar<bool>(entry.second, path, "'inherit' takes true or false");
    } else if (key == "rules") {
      ApplyRules(entry.second, path, settings);
    } else if (key == "thresholds") {
      ApplyThresholds(entry.second, path, settings);
    } else if (key == "functions") {
      ApplyFunctions(entry.second, path, settings);
    } else if (key == "help-base-uri") {
      settings.help_base_uri =
          Scalar<std::string>(entry.second, path, "'help-base-uri' takes a URI");
    } else {
      Fail(path, entry.first.Mark(),
           "unknown key '" + key + "' (known: " +
               Keys({"inherit", "rules", "thresholds", "functions", "help-base-uri"}) +
               ")");
    }
  }
  return inherit;
}

ConfigResolver::ConfigResolver(std::string defaults_file, std::string explicit_file)
    : explicit_file_(std::move(explicit_file)) {
  ApplyConfig(ReadConfigFile(defaults_file), defaults_file, defaults_);
  if (!explicit_file_.empty())
    ApplyConfig(ReadConfigFile(explicit_file_), explicit_file_, defaults_);
}

std::vector<std::string> ConfigResolver::FilesFor(const std::string &source) {
  if (!explicit_file_.empty()) return {explicit_file_};
  return Chain(AbsoluteDirectoryOf(source));
}

const Settings &ConfigResolver::For(const std::string &source) {
  std::string dir = AbsoluteDirectoryOf(source);
  auto found = by_directory_.find(dir);
  if (found != by_directory_.end()) return found->second;
  return by_directory_.emplace(dir, ForDirectory(dir)).first->second;
}

Settings ConfigResolver::ForDirectory(const std::string &dir) {
  Settings settings = defaults_;
  if (!explicit_file_.empty()) return settings;
  for (const std::string &file : Chain(dir)) {
    ApplyConfig(ReadConfigFile(file), file, settings);
  }
  return settings;
}

std::string DumpConfig(const Settings &settings) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginMap;
  for (const RuleInfo &rule : LintRules()) {
    RuleSetting setting = settings.Rule(rule.id, rule.severity);
    out << YAML::Key << rule.id << YAML::Value
        << (setting.enabled ? SeverityName(setting.severity) : "off");
  }
  out << YAML::EndMap;
  out << YAML::Key << "thresholds" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "max-in-flight" << YAML::Value << settings.max_in_flight;
  out << YAML::Key << "submit-all-limit" << YAML::Value << settings.submit_all_limit;
  out << YAML::Key << "large-argument-bytes" << YAML::Value
      << settings.large_argument_bytes;
  out << YAML::Key << "chunks-per-cpu" << YAML::Value << settings.chunks_per_cpu;
  out << YAML::Key << "min-task-operations" << YAML::Value
      << settings.min_task_operations;
  out << YAML::Key << "min-chunk-microseconds" << YAML::Value
      << settings.min_chunk_microseconds;
  out << YAML::Key << "operations-per-byte-moved" << YAML::Value
      << settings.operations_per_byte_moved;
  out << YAML::EndMap;
  out << YAML::Key << "functions" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "pure" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::string &name : settings.pure_functions) out << name;
  out << YAML::EndSeq;
  out << YAML::Key << "io" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::string &name : settings.io_functions) out << name;
  out << YAML::EndSeq;
  out << YAML::EndMap;
  out << YAML::Key << "help-base-uri" << YAML::Value << settings.help_base_uri;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace rayify
