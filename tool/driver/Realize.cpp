#include "driver/Realize.h"

#include <limits.h>
#include <stdlib.h>

#include <map>
#include <stdexcept>

#include "emit/AtomicFile.h"
#include "model/Edits.h"

namespace rayify {
namespace {

// Where an edited header of `input` goes: beside `output`, at the header's path
// relative to the input's directory. Headers elsewhere cannot be placed.
std::string HeaderOutput(const std::string &header, const std::string &input,
                         const std::string &output) {
  std::string dir = RealPath(Directory(input));
  std::string real = RealPath(header);
  if (dir.empty() || real.size() <= dir.size() + 1 ||
      real.compare(0, dir.size(), dir) != 0 || real[dir.size()] != '/') {
    throw std::runtime_error("the conversion edits the header " + header +
                             ", which is outside the input's directory " +
                             Directory(input) +
                             ", so it has no place in the output directory");
  }
  return Directory(output) + real.substr(dir.size());
}

void RenderTemplates(std::vector<Edit> &edits, const Templates &templates) {
  for (Edit &edit : edits) {
    if (!edit.from_template) continue;
    edit.text = FillTemplate(templates.ByName(edit.from_template->name),
                             edit.from_template->values, edit.from_template->name);
    edit.from_template.reset();
  }
}

std::string Applied(const std::string &file, const std::string &text,
                    const std::vector<Edit> &edits) {
  AppliedEdits applied = ApplyEdits(text, edits);
  if (applied.conflict) {
    throw std::runtime_error("cannot apply the conversion to " + file + ": " +
                             *applied.conflict);
  }
  return applied.text;
}

void Fail(FileConversion &file, const std::string &why) {
  file.error = why;
  file.converted = file.original;
  file.headers.clear();
  file.findings.clear();  // nothing the passes decided takes effect
  Finding finding;
  finding.file = file.input;
  finding.rule = "driver";
  finding.code = "conversion-failed";
  finding.severity = Severity::kError;
  finding.message = why;
  file.findings.push_back(finding);
}

// The edits one plan makes to one project header.
struct HeaderEdits {
  size_t plan;
  std::string output;
  std::string original;
  std::vector<Edit> edits;
};

// Applies a plan's edits to its main file and collects those to headers.
void RealizeOne(const Plan &plan, const std::string &output, const Templates &templates,
                size_t index, FileConversion &file,
                std::map<std::string, std::vector<HeaderEdits>> &headers) {
  std::vector<Edit> edits = plan.AllEdits();
  RenderTemplates(edits, templates);
  for (auto &[path, file_edits] : EditsByFile(edits)) {
    auto source = plan.sources.find(path);
    if (source == plan.sources.end()) {
      throw std::runtime_error("an edit names " + path + ", whose text was not kept");
    }
    if (path == plan.input) {
      file.converted = Applied(path, file.original, file_edits);
      continue;
    }
    Applied(path, source->second, file_edits);  // conflicts inside one plan
    headers[path].push_back(
        {index, HeaderOutput(path, plan.input, output), source->second, file_edits});
  }
}

// A header edited from several translation units is written once, and only when every
// unit asks for the same change.
void MergeHeaders(const std::map<std::string, std::vector<HeaderEdits>> &headers,
                  std::vector<FileConversion> &files) {
  for (const auto &[path, uses] : headers) {
    std::string conflict;
    for (const HeaderEdits &use : uses) {
      if (!SameEdits(use.edits, uses.front().edits)) {
        conflict = "conflicting edits to the header " + path + " from " +
                   files[uses.front().plan].input + " and " + files[use.plan].input;
      }
    }
    bool written = false;
    for (const HeaderEdits &use : uses) {
      FileConversion &file = files[use.plan];
      if (!file.error.empty()) continue;
      if (!conflict.empty()) {
        Fail(file, conflict);
      } else if (!written) {
        file.headers.push_back(
            {path, use.output, use.original, Applied(path, use.original, use.edits)});
        written = true;
      }
    }
  }
}

}  // namespace

std::vector<FileConversion> RealizePlans(const std::vector<Plan> &plans,
                                         const std::vector<std::string> &outputs,
                                         const Templates &templates) {
  std::vector<FileConversion> files(plans.size());
  std::map<std::string, std::vector<HeaderEdits>> headers;
  for (size_t i = 0; i < plans.size(); ++i) {
    const Plan &plan = plans[i];
    FileConversion &file = files[i];
    file.input = plan.input;
    file.findings = plan.findings;
    file.already_converted = plan.already_converted;
    auto source = plan.sources.find(plan.input);
    if (source != plan.sources.end()) file.original = source->second;
    file.converted = file.original;
    if (!plan.error.empty()) {
      file.error = plan.error;
      continue;
    }
    file.output = outputs[i];
    try {
      RealizeOne(plan, outputs[i], templates, i, file, headers);
    } catch (const std::exception &e) {
      Fail(file, e.what());
    }
  }
  MergeHeaders(headers, files);
  for (FileConversion &file : files) {
    if (!file.error.empty()) file.output.clear();
  }
  return files;
}

}  // namespace rayify
