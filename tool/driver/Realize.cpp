#include "driver/Realize.h"

#include <map>
#include <stdexcept>

#include "emit/AtomicFile.h"
#include "model/Edits.h"

namespace rayify {
namespace {

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
                const OutputLayout &layout, size_t index, FileConversion &file,
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
    HeaderEdits use{index, layout.HeaderOutputOf(path, plan.input, output),
                    source->second, file_edits};
    headers[path].push_back(std::move(use));
  }
}

// The edits every unit makes to one header, each distinct edit once (units that
// include the header ask for the same MSGPACK_DEFINE or factory alike), in the order
// of the units. Two units inserting different text at one point is a conflict: no
// order of the two is more right than the other.
AppliedEdits MergeEdits(const std::vector<HeaderEdits> &uses) {
  std::vector<Edit> all;
  std::vector<size_t> unit_of;
  for (const HeaderEdits &use : uses) {
    for (const Edit &edit : use.edits) {
      bool seen = false;
      for (size_t k = 0; k < all.size() && !seen; ++k) {
        if (SameEdits({all[k]}, {edit})) {
          seen = true;
        } else if (unit_of[k] != use.plan && all[k].offset == edit.offset) {
          Position at = PositionOf(use.original, edit.offset);
          return {use.original, "two units insert different text at line " +
                                    std::to_string(at.line) + ", column " +
                                    std::to_string(at.column)};
        }
      }
      if (!seen) all.push_back(edit), unit_of.push_back(use.plan);
    }
  }
  return ApplyEdits(uses.front().original, all);
}

// The uses of a header by units that have not failed.
std::vector<HeaderEdits> Standing(const std::vector<HeaderEdits> &uses,
                                  const std::vector<FileConversion> &files) {
  std::vector<HeaderEdits> standing;
  for (const HeaderEdits &use : uses) {
    if (files[use.plan].error.empty()) standing.push_back(use);
  }
  return standing;
}

// A header edited from several translation units is written once, with the edits of
// all of them. When they overlap, the header cannot be written and every unit that
// edits it fails: each of them needs the header changed to compile. Conflicts are
// settled first, until none is left, because a unit failed by one header takes its
// edits out of every other header; only the units still standing edit a header.
void MergeHeaders(const std::map<std::string, std::vector<HeaderEdits>> &headers,
                  std::vector<FileConversion> &files) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto &[path, uses] : headers) {
      std::vector<HeaderEdits> standing = Standing(uses, files);
      if (standing.empty()) continue;
      AppliedEdits merged = MergeEdits(standing);
      if (!merged.conflict) continue;
      std::string units;
      for (const HeaderEdits &use : standing) {
        units += (units.empty() ? "" : ", ") + files[use.plan].input;
      }
      for (const HeaderEdits &use : standing) {
        Fail(files[use.plan], "conflicting edits to the header " + path + " from " +
                                  units + ": " + *merged.conflict);
      }
      changed = true;
    }
  }
  for (const auto &[path, uses] : headers) {
    std::vector<HeaderEdits> standing = Standing(uses, files);
    if (standing.empty()) continue;
    std::vector<std::string> editors;
    for (const HeaderEdits &use : standing) editors.push_back(files[use.plan].input);
    const HeaderEdits &first = standing.front();
    files[first.plan].headers.push_back(
        {path, first.output, first.original, MergeEdits(standing).text, editors});
  }
}

}  // namespace

std::vector<FileConversion> RealizePlans(const std::vector<Plan> &plans,
                                         const std::vector<std::string> &outputs,
                                         const Templates &templates,
                                         const OutputLayout &layout) {
  std::vector<FileConversion> files(plans.size());
  std::map<std::string, std::vector<HeaderEdits>> headers;
  for (size_t i = 0; i < plans.size(); ++i) {
    const Plan &plan = plans[i];
    FileConversion &file = files[i];
    file.input = plan.input;
    file.findings = plan.findings;
    file.already_converted = plan.already_converted;
    file.depends_on = plan.depends_on;
    auto source = plan.sources.find(plan.input);
    if (source != plan.sources.end()) file.original = source->second;
    file.converted = file.original;
    if (!plan.error.empty()) {
      file.error = plan.error;
      continue;
    }
    file.output = outputs[i];
    try {
      RealizeOne(plan, outputs[i], templates, layout, i, file, headers);
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
