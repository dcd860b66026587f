// The outputs people and programs read: the stderr summary and the JSON report
// (schema in resources/report-format.md).
#pragma once

#include <string>
#include <vector>

#include "model/FileConversion.h"

namespace llvm::json {
class OStream;
}

namespace rayify {

/// "converted", "unchanged" or "failed".
std::string FileStatus(const FileConversion &file);

/// One line per loop decision ("file:line: converted: ..." or
/// "file:line: skipped [reason]: ..."), then one line of totals.
std::string TextSummary(const std::vector<FileConversion> &files);

/// A table for a batch: files converted, unchanged and failed, loops and classes
/// converted, loops left sequential by reason code, then each failed file and why.
std::string BatchSummary(const std::vector<FileConversion> &files);

/// One line on what a conversion did: "f() runs as Ray tasks (results in 'v')".
std::string ConversionSummary(const LoopConversion &conversion);

/// A byte count as people read it: "512 B", "32 KiB", "1.5 MiB".
std::string FormatBytes(long long bytes);

/// A finding's file, line, column, end_line, end_column, rule and severity, as the
/// --report-file document and lint's JSON write them.
void WritePosition(llvm::json::OStream &json, const Finding &finding);

/// The --report-file document, written with LLVM's JSON support.
std::string JsonReport(const std::vector<FileConversion> &files);

}  // namespace rayify
