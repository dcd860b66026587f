// Writing outputs so that a reader never sees a half-written file.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rayify {

/// Writes `contents` to a temporary file beside `path`, flushes it to disk, then
/// renames it over `path`. Throws std::runtime_error naming the path on failure, and
/// leaves no temporary file behind.
void WriteFileAtomically(const std::string &path, const std::string &contents);

/// Creates `dir` and its parents when missing; throws std::runtime_error on failure.
void MakeDirectories(const std::string &dir);

/// Reads a whole file; throws std::runtime_error naming it on failure.
std::string ReadFile(const std::string &path);

/// The file's text, or "" when it cannot be read.
std::string ReadFileIfAny(const std::string &path);

/// The directory part of `path`: "." for a bare name, "/" for a file at the root.
std::string Directory(const std::string &path);

/// `path` with every link and . or .. resolved, or "" when it does not exist.
std::string RealPath(const std::string &path);

/// A new, empty directory `<name>-XXXXXX` under $TMPDIR (or /tmp); throws
/// std::runtime_error naming where it failed. The caller removes it.
std::string MakeTemporaryDirectory(const std::string &name);

}  // namespace rayify

namespace rayify {

/// Several files written all or nothing: each is staged in a temporary file beside
/// its destination, and only when every one is staged are they renamed into place.
/// A failure while staging (a full disk, a report path that cannot be written)
/// leaves every destination as it was.
class StagedFiles {
 public:
  StagedFiles();
  ~StagedFiles();  // discards whatever was staged and not committed
  StagedFiles(const StagedFiles &) = delete;
  StagedFiles &operator=(const StagedFiles &) = delete;

  /// Writes `contents` to a temporary file beside `path`; throws std::runtime_error
  /// naming the path on failure. With `expected`, the file is replaced only if it
  /// still holds exactly that text when committed (in-place rewriting: never over an
  /// edit made since the file was read).
  void Stage(const std::string &path, const std::string &contents,
             std::optional<std::string> expected = std::nullopt);
  /// Renames every staged file into place; throws naming the first that failed.
  /// Returns the files left alone because they no longer held their expected text.
  std::vector<std::string> Commit();

 private:
  struct Staged;
  std::vector<Staged> staged_;
};

}  // namespace rayify
