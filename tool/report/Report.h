// The outputs people and programs read: the stderr summary and the JSON report
// (schema in resources/report-format.md).
#pragma once

#include <string>
#include <vector>

#include "model/FileConversion.h"

namespace rayify {

/// "converted", "unchanged" or "failed".
std::string FileStatus(const FileConversion &file);

/// One line per loop decision ("file:line: converted: ..." or
/// "file:line: skipped [reason]: ..."), then one line of totals.
std::string TextSummary(const std::vector<FileConversion> &files);

/// One line on what a conversion did: "f() runs as Ray tasks (results in 'v')".
std::string ConversionSummary(const LoopConversion &conversion);

/// The --report-file document, written with LLVM's JSON support.
std::string JsonReport(const std::vector<FileConversion> &files);

}  // namespace rayify
