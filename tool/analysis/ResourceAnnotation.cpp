#include "analysis/ResourceAnnotation.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rayify {
namespace {

std::string Trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

double ParseAmount(const std::string &name, const std::string &text) {
  size_t consumed = 0;
  double value = 0;
  try {
    value = std::stod(text, &consumed);
  } catch (const std::exception &) {
    throw std::invalid_argument("resource '" + name + "' has no number: '" + text + "'");
  }
  std::string unit = Trim(text.substr(consumed));
  for (auto &c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::pair<const char *, double> kUnits[] = {{"", 1.0},
                                                           {"B", 1.0},
                                                           {"KB", 1024.0},
                                                           {"KIB", 1024.0},
                                                           {"MB", 1048576.0},
                                                           {"MIB", 1048576.0},
                                                           {"GB", 1073741824.0},
                                                           {"GIB", 1073741824.0},
                                                           {"TB", 1099511627776.0},
                                                           {"TIB", 1099511627776.0}};
  for (const auto &[suffix, scale] : kUnits) {
    if (unit == suffix) {
      std::string problem = ResourceAmountProblem(value * scale);
      if (!problem.empty()) {
        throw std::invalid_argument("resource '" + name + "' " + problem);
      }
      return value * scale;
    }
  }
  throw std::invalid_argument("resource '" + name + "' has an unknown unit '" + unit +
                              "'");
}

// The NAME=VALUE items of the first `rayify: KEYWORD(...)` in `comment`.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseAnnotation(
    const std::string &comment, const std::string &keyword) {
  const std::string marker = "rayify:";
  const std::string opening = keyword + "(";
  for (size_t at = comment.find(marker); at != std::string::npos;
       at = comment.find(marker, at + marker.size())) {
    std::string rest = Trim(comment.substr(at + marker.size()));
    if (rest.rfind(opening, 0) != 0) continue;
    size_t close = rest.find(')');
    if (close == std::string::npos) {
      throw std::invalid_argument("'rayify: " + opening + "' has no closing ')'");
    }
    std::vector<std::pair<std::string, std::string>> items;
    std::string list = rest.substr(opening.size(), close - opening.size());
    for (size_t start = 0; start <= list.size();) {
      size_t comma = list.find(',', start);
      std::string item = Trim(list.substr(start, comma - start));
      if (!item.empty()) {
        size_t eq = item.find('=');
        if (eq == std::string::npos) {
          throw std::invalid_argument("expected NAME=VALUE in " + keyword + "(), got '" +
                                      item + "'");
        }
        std::string name = Trim(item.substr(0, eq));
        if (name.empty()) {
          throw std::invalid_argument("an item of " + keyword + "() has no name: '" +
                                      item + "'");
        }
        items.emplace_back(name, Trim(item.substr(eq + 1)));
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return items;
  }
  return std::nullopt;
}

// Ray accepts any non-empty name; rayify keeps to what needs no quoting anywhere.
bool IsPlainName(const std::string &text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  }
  return true;
}

}  // namespace

std::string ResourceAmountProblem(double amount) {
  if (!(amount > 0) || !std::isfinite(amount)) {  // NaN and infinity too
    return "must be positive and finite";
  }
  if (amount > 1 && amount != std::floor(amount)) {
    return "must be a whole number when above 1 (Ray rejects " + FormatAmount(amount) +
           ")";
  }
  return "";
}

std::optional<std::map<std::string, double>> ParseResourceAnnotation(
    const std::string &comment) {
  auto items = ParseAnnotation(comment, "resources");
  if (!items) return std::nullopt;
  std::map<std::string, double> resources;
  for (const auto &[name, amount] : *items) resources[name] = ParseAmount(name, amount);
  return resources;
}

std::optional<ActorAnnotation> ParseActorAnnotation(const std::string &comment) {
  auto items = ParseAnnotation(comment, "actor");
  if (!items) return std::nullopt;
  ActorAnnotation annotation;
  for (const auto &[key, value] : *items) {
    if (key != "name" && key != "namespace") {
      throw std::invalid_argument("actor() takes name= and namespace=, not '" + key +
                                  "'");
    }
    if (!IsPlainName(value)) {
      throw std::invalid_argument("actor(" + key +
                                  "=...) must be letters, digits, '_', "
                                  "'-' or '.', got '" +
                                  value + "'");
    }
    (key == "name" ? annotation.name : annotation.ray_namespace) = value;
  }
  if (annotation.name.empty()) throw std::invalid_argument("actor() needs name=");
  return annotation;
}

std::string FormatAmount(double amount) {
  char text[64];
  if (std::floor(amount) == amount && std::fabs(amount) < 1e15) {
    std::snprintf(text, sizeof(text), "%.0f", amount);
  } else {
    std::snprintf(text, sizeof(text), "%g", amount);
  }
  return text;
}

std::string SetResourceCalls(const std::map<std::string, double> &resources) {
  std::string calls;
  for (const auto &[name, amount] : resources) {
    calls += ".SetResource(\"" + name + "\", " + FormatAmount(amount) + ")";
  }
  return calls;
}

std::string TaskResourceCalls(std::map<std::string, double> resources) {
  resources.emplace("CPU", 1.0);  // keeps an annotated CPU amount
  return SetResourceCalls(resources);
}

}  // namespace rayify
