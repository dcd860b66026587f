#include "node_config.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace ray {
namespace internal {
namespace {

bool IsLocalAddress(const std::string &address) {
  return address.empty() || address == "auto" || address == "local";
}

std::string RemoteAddressMessage(const std::string &address) {
  return "Cannot connect to Ray cluster at '" + address +
         "': this program was built against rayify's bundled runtime, which runs "
         "everything in this process on one machine and cannot join a cluster. To run "
         "on a cluster, rebuild it against Ray's C++ API (`pip install \"ray[cpp]\"` "
         "provides its headers and libray_api.so; `ray cpp --show-library-path` prints "
         "where), or unset RAY_ADDRESS to run locally.";
}

// Value of `--name=value` in argv, or "" when absent.
std::string FlagValue(int argc, char **argv, const std::string &name) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc && argv != nullptr; ++i) {
    std::string arg = argv[i] == nullptr ? "" : argv[i];
    if (arg.compare(0, prefix.size(), prefix) == 0) return arg.substr(prefix.size());
  }
  return "";
}

double ParseAmount(const std::string &text, const std::string &what) {
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || value < 0) {
    throw RayException("Invalid value '" + text + "' for " + what +
                       " in head_args: expected a non-negative number.");
  }
  return value;
}

// Reads a flat JSON object of numbers, e.g. {"accelerator": 2, "disk": 1}.
void ParseResourcesJson(const std::string &json, Resources &capacity) {
  auto fail = [&json]() {
    throw RayException("Invalid --resources value '" + json +
                       "' in head_args: expected a JSON object such as "
                       "{\"name\": 2}.");
  };
  size_t pos = 0;
  auto skip_space = [&] {
    while (pos < json.size() && std::isspace(static_cast<unsigned char>(json[pos])))
      ++pos;
  };
  auto expect = [&](char c) {
    skip_space();
    if (pos >= json.size() || json[pos] != c) fail();
    ++pos;
  };
  expect('{');
  skip_space();
  if (pos < json.size() && json[pos] == '}') return;
  while (true) {
    expect('"');
    size_t close = json.find('"', pos);
    if (close == std::string::npos) fail();
    std::string name = json.substr(pos, close - pos);
    pos = close + 1;
    expect(':');
    skip_space();
    size_t end = json.find_first_of(",}", pos);
    if (end == std::string::npos) fail();
    std::string number = json.substr(pos, end - pos);
    while (!number.empty() && std::isspace(static_cast<unsigned char>(number.back()))) {
      number.pop_back();
    }
    capacity[name] = ParseAmount(number, "resource '" + name + "'");
    pos = end + 1;
    if (json[end] == '}') break;
  }
  skip_space();
  if (pos != json.size()) fail();
}

}  // namespace

Resources DefaultCapacity() {
  Resources capacity;
  unsigned threads = std::thread::hardware_concurrency();
  capacity["CPU"] = threads == 0 ? 1.0 : static_cast<double>(threads);
  capacity["GPU"] = 0.0;
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) {
    capacity["memory"] = static_cast<double>(static_cast<long long>(
        0.7 * static_cast<double>(pages) * static_cast<double>(page_size)));
  }
  return capacity;
}

void ApplyHeadArgs(const std::vector<std::string> &head_args, Resources &capacity) {
  static const std::pair<const char *, const char *> kAmountFlags[] = {
      {"--num-cpus", "CPU"}, {"--num-gpus", "GPU"}, {"--memory", "memory"}};
  for (size_t i = 0; i < head_args.size(); ++i) {
    std::string arg = head_args[i];
    std::string value;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < head_args.size() && head_args[i + 1].rfind("--", 0) != 0) {
      value = head_args[++i];
    }
    if (arg == "--resources") {
      ParseResourcesJson(value, capacity);
      continue;
    }
    for (const auto &[flag, resource] : kAmountFlags) {
      if (arg == flag) capacity[resource] = ParseAmount(value, flag);
    }
    // Other `ray start` options (ports, dashboards, ...) mean nothing on one
    // in-process node and are accepted as Ray accepts them.
  }
}

NodeConfig ResolveNodeConfig(const RayConfig &config, int argc, char **argv) {
  std::string address = config.address;
  std::string flag_address = FlagValue(argc, argv, "ray_address");
  if (!flag_address.empty()) address = flag_address;
  if (address.empty()) {
    const char *env = std::getenv("RAY_ADDRESS");
    if (env != nullptr) address = env;
  }
  if (!IsLocalAddress(address)) throw RayException(RemoteAddressMessage(address));

  NodeConfig node;
  node.ray_namespace = config.ray_namespace;
  std::string flag_namespace = FlagValue(argc, argv, "ray_namespace");
  if (!flag_namespace.empty()) node.ray_namespace = flag_namespace;

  std::vector<std::string> head_args = config.head_args;
  std::istringstream flag_head_args(FlagValue(argc, argv, "ray_head_args"));
  for (std::string arg; flag_head_args >> arg;) head_args.push_back(arg);
  node.capacity = DefaultCapacity();
  ApplyHeadArgs(head_args, node.capacity);
  return node;
}

}  // namespace internal
}  // namespace ray
