// Writing outputs so that a reader never sees a half-written file.
#pragma once

#include <string>

namespace rayify {

/// Writes `contents` to a temporary file beside `path`, flushes it to disk, then
/// renames it over `path`. Throws std::runtime_error naming the path on failure, and
/// leaves no temporary file behind.
void WriteFileAtomically(const std::string &path, const std::string &contents);

/// Creates `dir` and its parents when missing; throws std::runtime_error on failure.
void MakeDirectories(const std::string &dir);

/// Reads a whole file; throws std::runtime_error naming it on failure.
std::string ReadFile(const std::string &path);

}  // namespace rayify
