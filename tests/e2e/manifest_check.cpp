// Checks a `rayify convert --report-file` report and the converted sources against
// ../shared/acceptance/manifest.yaml: the functions that became tasks and
// reductions, put variables, resources, serializable types and skipped loops with
// their reasons. A manifest `one_of` passes when any alternative matches.
//
//   manifest_check MANIFEST REPORT OUTPUT_DIR NAME...
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace {

std::set<std::string> StringSet(const YAML::Node &node) {
  std::set<std::string> out;
  if (node && node.IsSequence()) {
    for (const auto &item : node) out.insert(item.as<std::string>());
  }
  return out;
}

std::string Join(const std::set<std::string> &items) {
  std::string out = "[";
  for (const auto &item : items) out += (out.size() > 1 ? ", " : "") + item;
  return out + "]";
}

std::string BaseName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// True when a MSGPACK_DEFINE appears inside the definition of `type`.
bool HasDefine(const std::string &source, const std::string &type) {
  for (const char *keyword : {"struct ", "class "}) {
    size_t at = source.find(std::string(keyword) + type);
    while (at != std::string::npos) {
      size_t open = source.find('{', at);
      size_t close = source.find("};", at);
      size_t define = source.find("MSGPACK_DEFINE(", at);
      if (open != std::string::npos && open < close && define < close) return true;
      at = source.find(std::string(keyword) + type, at + 1);
    }
  }
  return false;
}

std::string Check(const YAML::Node &expect, const YAML::Node &file,
                  const std::string &source) {
  std::set<std::string> tasks, reductions, actors, puts, backpressure;
  std::map<std::string, std::map<std::string, double>> resources;
  for (const auto &conversion : file["conversions"]) {
    std::string kind = conversion["kind"].as<std::string>();
    std::string function = conversion["function"].as<std::string>();
    if (kind == "task" || kind == "reduction") tasks.insert(function);
    if (kind == "reduction") reductions.insert(function);
    if (kind == "actor") actors.insert(conversion["class"].as<std::string>());
    if (kind == "put") puts.insert(conversion["variable"].as<std::string>());
    if (kind == "backpressure") backpressure.insert(function);
    for (const auto &resource : conversion["resources"]) {
      resources[function][resource.first.as<std::string>()] =
          resource.second.as<double>();
    }
  }
  std::ostringstream problems;
  auto compare = [&](const char *field, const std::set<std::string> &got) {
    std::set<std::string> want = StringSet(expect[field]);
    if (want != got)
      problems << " " << field << ": want " << Join(want) << ", got " << Join(got) << ";";
  };
  compare("tasks", tasks);
  compare("reductions", reductions);
  compare("actors", actors);
  compare("put", puts);
  std::map<std::string, std::map<std::string, double>> want_resources;
  if (expect["resources"] && expect["resources"].IsMap()) {
    for (const auto &function : expect["resources"]) {
      for (const auto &resource : function.second) {
        want_resources[function.first.as<std::string>()]
                      [resource.first.as<std::string>()] = resource.second.as<double>();
      }
    }
  }
  if (want_resources != resources) problems << " resources differ;";
  for (const auto &type : StringSet(expect["serializable"])) {
    if (!HasDefine(source, type)) problems << " no MSGPACK_DEFINE in " << type << ";";
  }
  std::map<int, std::string> skips;
  for (const auto &skip : file["skips"]) {
    skips[skip["line"].as<int>()] = skip["reason"].as<std::string>();
  }
  for (const auto &skip : expect["skips"]) {
    int line = skip["line"].as<int>();
    std::string reason = skip["reason"].as<std::string>();
    if (skips[line] != reason) {
      problems << " line " << line << ": want skip [" << reason << "], got ["
               << (skips.count(line) ? skips[line] : "no skip") << "];";
    }
  }
  if (expect["outcome"] &&
      expect["outcome"].as<std::string>() == "converted_with_backpressure" &&
      backpressure.empty()) {
    problems << " no backpressure;";
  }
  return problems.str();
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 5) {
    std::cerr << "usage: manifest_check MANIFEST REPORT OUTPUT_DIR NAME...\n";
    return 2;
  }
  YAML::Node manifest = YAML::LoadFile(argv[1]);
  YAML::Node report = YAML::LoadFile(argv[2]);
  std::string output_dir = argv[3];
  int passed = 0, failed = 0;
  for (int i = 4; i < argc; ++i) {
    std::string file_name = std::string(argv[i]) + ".cpp";
    YAML::Node entry, file;
    for (const auto &item : manifest) {
      if (item["file"].as<std::string>() == file_name) entry.reset(item);
    }
    for (const auto &item : report["files"]) {
      if (BaseName(item["input"].as<std::string>()) == file_name) file.reset(item);
    }
    if (!entry || !file) {
      std::cout << "FAIL " << file_name << ": missing from the manifest or the report\n";
      ++failed;
      continue;
    }
    std::ifstream in(output_dir + "/" + file_name);
    std::stringstream source;
    source << in.rdbuf();
    std::string problems;
    if (entry["expect"]["one_of"]) {
      for (const auto &alternative : entry["expect"]["one_of"]) {
        problems = Check(alternative, file, source.str());
        if (problems.empty()) break;
      }
    } else {
      problems = Check(entry["expect"], file, source.str());
    }
    std::cout << (problems.empty() ? "PASS " : "FAIL ") << file_name << problems << "\n";
    (problems.empty() ? passed : failed)++;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
