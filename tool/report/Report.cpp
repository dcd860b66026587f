#include "report/Report.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "analysis/ResourceAnnotation.h"
#include "model/ReasonCodes.h"

namespace rayify {
namespace {

std::string ActorSummary(const LoopConversion &conversion) {
  if (conversion.kind == "actor-pool") {
    return conversion.function + "() is submitted to every " + conversion.class_name +
           " actor of '" + conversion.variable + "', then awaited (an actor pool)";
  }
  std::string details;
  for (const auto &[name, amount] : conversion.resources) {
    details +=
        (details.empty() ? ", each with " : " ") + name + "=" + FormatAmount(amount);
  }
  return conversion.class_name + " becomes a Ray actor (created by " +
         conversion.function + details + ")";
}

}  // namespace

std::string FormatBytes(long long bytes) {
  const char *units[] = {"B", "KiB", "MiB", "GiB"};
  double amount = static_cast<double>(bytes);
  int unit = 0;
  while (amount >= 1024 && unit < 3) {
    amount /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 || amount >= 10 ? "%.0f %s" : "%.1f %s",
                amount, units[unit]);
  return text;
}

std::string ConversionSummary(const LoopConversion &conversion) {
  if (!conversion.class_name.empty()) return ActorSummary(conversion);
  std::string details;
  for (const auto &[name, amount] : conversion.resources) {
    details +=
        (details.empty() ? ", each with " : " ") + name + "=" + FormatAmount(amount);
  }
  for (const auto &variable : conversion.put_variables) {
    auto size = conversion.sent_bytes.find(variable);
    details +=
        ", '" + variable + "'" +
        (size == conversion.sent_bytes.end() ? ""
                                             : " (" + FormatBytes(size->second) + ")") +
        " put in the object store once";
  }
  if (!conversion.refs_from.empty()) {
    details += ", each task given its element of '" + conversion.refs_from +
               "' as the object ref the loop at line " +
               std::to_string(conversion.refs_from_line) + " made for it";
  }
  for (const auto &[variable, bytes] : conversion.slice_bytes) {
    details +=
        ", '" + variable + "' back as a " + FormatBytes(bytes) + " slice per iteration";
  }
  for (const auto &[variable, bytes] : conversion.returned_bytes) {
    details += ", '" + variable + "' back as about " + FormatBytes(bytes) +
               " of values per iteration";
  }
  if (!conversion.replayed.empty()) {
    std::string names;
    for (const std::string &name : conversion.replayed)
      names += (names.empty() ? "" : ", ") + name + "()";
    details += ", calls of " + names + " replayed on the driver in order";
  }
  if (!conversion.chunk_function.empty()) {
    details += ", in chunks of iterations run by " + conversion.chunk_function + "()";
  }
  if (!conversion.costliest_first.empty()) {
    details += ", submitted costliest first by " + conversion.costliest_first;
  }
  if (conversion.throttled) {
    details += ", at most " + std::to_string(conversion.max_in_flight) + " in flight";
  }
  return conversion.function + "() runs as Ray tasks (" +
         (conversion.kind == "reduction" ? "reduced into '" : "results in '") +
         conversion.variable + "'" + details + ")";
}

void WritePosition(llvm::json::OStream &json, const Finding &finding) {
  json.attribute("file", finding.file);
  json.attribute("line", finding.range.begin.line);
  json.attribute("column", finding.range.begin.column);
  json.attribute("end_line", finding.range.end.line);
  json.attribute("end_column", finding.range.end.column);
  json.attribute("rule", finding.rule);
  json.attribute("severity", SeverityName(finding.severity));
}

namespace {

// `"slices": [{"variable": "rhs", "bytes": 960}]`, when there are any.
void WriteSizes(llvm::json::OStream &json, llvm::StringRef key,
                const std::map<std::string, long long> &sizes) {
  if (sizes.empty()) return;
  json.attributeArray(key, [&] {
    for (const auto &[name, bytes] : sizes) {
      json.object([&] {
        json.attribute("variable", name);
        json.attribute("bytes", bytes);
      });
    }
  });
}

void WriteConversion(llvm::json::OStream &json, const Finding &finding,
                     const std::string &kind, const std::string &variable) {
  const LoopConversion &conversion = *finding.conversion;
  json.object([&] {
    json.attribute("kind", kind);
    WritePosition(json, finding);
    json.attribute("function", conversion.function);
    json.attribute("class", conversion.class_name.empty()
                                ? llvm::json::Value(nullptr)
                                : llvm::json::Value(conversion.class_name));
    json.attribute("variable", variable);
    if (kind == "put") {
      auto size = conversion.sent_bytes.find(variable);
      json.attribute("bytes", size == conversion.sent_bytes.end()
                                  ? llvm::json::Value(nullptr)
                                  : llvm::json::Value(size->second));
    }
    json.attributeObject("resources", [&] {
      // Amounts print as in the annotations: integers without a decimal point.
      for (const auto &[name, amount] : conversion.resources) {
        json.attributeBegin(name);
        json.rawValue(FormatAmount(amount));
        json.attributeEnd();
      }
    });
    if (kind != "put" && kind != "backpressure") {
      if (!conversion.chunk_function.empty()) {
        json.attribute("chunk_function", conversion.chunk_function);
      }
      if (!conversion.costliest_first.empty()) {
        json.attribute("costliest_first", conversion.costliest_first);
      }
      WriteSizes(json, "slices", conversion.slice_bytes);
      WriteSizes(json, "returned", conversion.returned_bytes);
      if (conversion.outlined || !conversion.calls.empty()) {
        json.attributeArray("calls", [&] {
          for (const auto &call : conversion.calls) json.value(call);
        });
      }
      if (!conversion.replayed.empty()) {
        json.attributeArray("replayed_calls", [&] {
          for (const auto &call : conversion.replayed) json.value(call);
        });
      }
    }
    if (kind == "actor") {
      json.attributeArray("methods", [&] {
        for (const auto &method : conversion.methods) json.value(method);
      });
    }
  });
}

void WriteFile(llvm::json::OStream &json, const FileConversion &file) {
  auto decisions = file.LoopDecisions();
  json.attribute("input", file.input);
  json.attribute("output", file.output.empty() ? llvm::json::Value(nullptr)
                                               : llvm::json::Value(file.output));
  json.attribute("status", FileStatus(file));
  json.attribute("error", file.error.empty() ? llvm::json::Value(nullptr)
                                             : llvm::json::Value(file.error));
  json.attributeArray("conversions", [&] {
    for (const Finding *decision : decisions) {
      if (!decision->IsConversion()) continue;
      const LoopConversion &conversion = *decision->conversion;
      WriteConversion(json, *decision, conversion.kind, conversion.variable);
      for (const auto &variable : conversion.put_variables) {
        WriteConversion(json, *decision, "put", variable);
      }
      if (conversion.throttled) {
        WriteConversion(json, *decision, "backpressure", conversion.variable);
      }
    }
  });
  json.attributeArray("skips", [&] {
    for (const Finding *decision : decisions) {
      if (decision->IsConversion()) continue;
      json.object([&] {
        WritePosition(json, *decision);
        json.attribute("reason", decision->code);
        json.attribute("message", decision->message);
      });
    }
  });
  json.attributeArray("headers", [&] {
    for (const HeaderOutput &header : file.headers) {
      json.object([&] {
        json.attribute("source", header.source);
        json.attribute("output", header.output);
      });
    }
  });
}

}  // namespace

std::string FileStatus(const FileConversion &file) {
  if (!file.error.empty()) return "failed";
  return file.converted != file.original ? "converted" : "unchanged";
}

std::string TextSummary(const std::vector<FileConversion> &files) {
  std::string out;
  int converted = 0, unchanged = 0, failed = 0, tasks = 0, actors = 0, skips = 0;
  int outside_driver = 0;
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
    for (const Finding *decision : file.LoopDecisions()) {
      // A class declared in a header is reported at its line there.
      const std::string &in = decision->file.empty() ? file.input : decision->file;
      std::string where = in + ":" + std::to_string(decision->Line()) + ": ";
      if (decision->IsConversion()) {
        if (decision->conversion->kind == "actor") {
          ++actors;
        } else if (decision->conversion->kind != "actor-pool") {
          ++tasks;
        }
        out += where + "converted: " + ConversionSummary(*decision->conversion) + "\n";
      } else {
        ++skips;
        outside_driver += decision->code == ReasonCode(SkipReason::kNotDriverCode);
        out += where + "skipped [" + decision->code + "]: " + decision->message + "\n";
      }
    }
  }
  out += "rayify: " + std::to_string(converted) + " converted, " +
         std::to_string(unchanged) + " unchanged, " + std::to_string(failed) +
         " failed; " + std::to_string(tasks) + " loop(s) converted, " +
         (actors > 0 ? std::to_string(actors) + " class(es) made actors, " : "") +
         std::to_string(skips) + " left sequential" +
         (outside_driver > 0
              ? " (" + std::to_string(outside_driver) + " outside driver code)"
              : "") +
         "\n";
  return out;
}

std::string BatchSummary(const std::vector<FileConversion> &files) {
  size_t converted = 0, unchanged = 0, failed = 0, tasks = 0, actors = 0;
  std::map<std::string, size_t> skips;  // by reason code, sorted
  std::string failures;
  for (const auto &file : files) {
    std::string status = FileStatus(file);
    if (status == "failed") {
      ++failed;
      failures += "  " + file.input + ": " + file.error + "\n";
      continue;
    }
    (status == "converted" ? converted : unchanged)++;
    for (const Finding *decision : file.LoopDecisions()) {
      if (!decision->IsConversion()) {
        ++skips[decision->code];
      } else if (decision->conversion->kind == "actor") {
        ++actors;
      } else if (decision->conversion->kind != "actor-pool") {
        ++tasks;
      }
    }
  }
  std::vector<std::pair<std::string, size_t>> rows = {{"files converted", converted},
                                                      {"files unchanged", unchanged},
                                                      {"files failed", failed},
                                                      {"loops converted to tasks", tasks},
                                                      {"classes made actors", actors}};
  for (const auto &[code, count] : skips)
    rows.emplace_back("skipped [" + code + "]", count);
  size_t width = 0;
  for (const auto &row : rows) width = std::max(width, row.first.size());
  std::string out = "rayify: summary\n";
  for (const auto &[what, count] : rows) {
    std::string number = std::to_string(count);
    out += "  " + what + std::string(width - what.size() + 2, ' ') +
           std::string(number.size() < 6 ? 6 - number.size() : 0, ' ') + number + "\n";
  }
  if (!failures.empty()) out += "rayify: failed files:\n" + failures;
  return out;
}

std::string JsonReport(const std::vector<FileConversion> &files) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::json::OStream json(stream, 2);
  json.object([&] {
    json.attributeArray("files", [&] {
      for (const auto &file : files) json.object([&] { WriteFile(json, file); });
    });
  });
  stream << "\n";
  stream.flush();
  return text;
}

}  // namespace rayify
