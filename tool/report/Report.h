// The outputs people and programs read: the stderr summary and the JSON report
// (schema in resources/report-format.md).
#pragma once

#include <string>
#include <vector>

#include "report/Conversion.h"

namespace rayify {

/// "converted", "unchanged" or "failed".
std::string FileStatus(const FileConversion &file);

/// One line per loop decision ("file:line: converted: ..." or
/// "file:line: skipped [reason]: ..."), then one line of totals.
std::string TextSummary(const std::vector<FileConversion> &files);

/// The --report-file document.
std::string JsonReport(const std::vector<FileConversion> &files);

/// `text` as a JSON string literal, quotes included.
std::string JsonString(const std::string &text);

}  // namespace rayify
