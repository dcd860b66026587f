#include "report/Report.h"

#include <cstdio>

#include "analysis/ResourceAnnotation.h"

namespace rayify {

std::string FileStatus(const FileConversion &file) {
  if (!file.error.empty()) return "failed";
  return file.converted != file.original ? "converted" : "unchanged";
}

std::string JsonString(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string TextSummary(const std::vector<FileConversion> &files) {
  std::string out;
  int converted = 0, unchanged = 0, failed = 0, tasks = 0, skips = 0;
  for (const auto &file : files) {
    std::string status = FileStatus(file);
    if (status == "failed") {
      ++failed;
      out += file.input + ": error: " + file.error + "\n";
      continue;
    }
    (status == "converted" ? converted : unchanged)++;
    if (file.already_converted) {
      out += file.input + ": already converted by rayify; nothing to do\n";
    }
    for (const auto &decision : file.decisions) {
      std::string where = file.input + ":" + std::to_string(decision.line) + ": ";
      if (decision.converted) {
        ++tasks;
        std::string resources;
        for (const auto &[name, amount] : decision.resources) {
          resources += (resources.empty() ? ", each with " : " ") + name + "=" +
                       FormatAmount(amount);
        }
        for (const auto &variable : decision.put_variables) {
          resources += ", '" + variable + "' put in the object store once";
        }
        if (decision.throttled) resources += ", at most 64 in flight";
        out += where + "converted: " + decision.function + "() runs as Ray tasks (" +
               (decision.kind == "reduction" ? "reduced into '" : "results in '") +
               decision.variable + "'" + resources + ")\n";
      } else {
        ++skips;
        out += where + "skipped [" + ReasonCode(decision.reason) +
               "]: " + decision.message + "\n";
      }
    }
  }
  out += "rayify: " + std::to_string(converted) + " converted, " +
         std::to_string(unchanged) + " unchanged, " + std::to_string(failed) +
         " failed; " + std::to_string(tasks) + " loop(s) converted, " +
         std::to_string(skips) + " left sequential\n";
  return out;
}

std::string JsonReport(const std::vector<FileConversion> &files) {
  std::string out = "{\"files\": [";
  for (size_t f = 0; f < files.size(); ++f) {
    const FileConversion &file = files[f];
    out += f == 0 ? "\n  {" : ",\n  {";
    out += "\"input\": " + JsonString(file.input) +
           ", \"output\": " + (file.output.empty() ? "null" : JsonString(file.output)) +
           ", \"status\": " + JsonString(FileStatus(file)) +
           ", \"error\": " + (file.error.empty() ? "null" : JsonString(file.error)) +
           ",\n   \"conversions\": [";
    bool first = true;
    auto add_conversion = [&](const LoopDecision &decision, const std::string &kind,
                              const std::string &variable) {
      out += first ? "\n    {" : ",\n    {";
      first = false;
      out += "\"kind\": " + JsonString(kind) +
             ", \"line\": " + std::to_string(decision.line) +
             ", \"function\": " + JsonString(decision.function) +
             ", \"class\": null, \"variable\": " + JsonString(variable) +
             ", \"resources\": {";
      bool first_resource = true;
      for (const auto &[name, amount] : decision.resources) {
        out +=
            (first_resource ? "" : ", ") + JsonString(name) + ": " + FormatAmount(amount);
        first_resource = false;
      }
      out += "}}";
    };
    for (const auto &decision : file.decisions) {
      if (!decision.converted) continue;
      add_conversion(decision, decision.kind, decision.variable);
      for (const auto &variable : decision.put_variables) {
        add_conversion(decision, "put", variable);
      }
      if (decision.throttled) add_conversion(decision, "backpressure", decision.variable);
    }
    out += first ? "]" : "\n   ]";
    out += ",\n   \"skips\": [";
    first = true;
    for (const auto &decision : file.decisions) {
      if (decision.converted) continue;
      out += first ? "\n    {" : ",\n    {";
      first = false;
      out += "\"line\": " + std::to_string(decision.line) +
             ", \"reason\": " + JsonString(ReasonCode(decision.reason)) +
             ", \"message\": " + JsonString(decision.message) + "}";
    }
    out += first ? "]}" : "\n   ]}";
  }
  out += files.empty() ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace rayify
