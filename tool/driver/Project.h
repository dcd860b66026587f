// A project as batch conversion sees it: its root, which files of its compilation
// database are its own, and where each converted file goes (beside the input's name in
// an output directory, mirrored under it, or in place). Plain C++.
#pragma once

#include <string>
#include <vector>

namespace rayify {

/// `path` resolved to an absolute path (symbolic links too) when it exists, else as
/// given.
std::string Absolute(const std::string &path);

/// The git work tree holding `dir`, or "" when none does.
std::string GitWorkTree(const std::string &dir);

/// `path` relative to `root`, or `path` made absolute when it is outside.
std::string RelativeTo(const std::string &root, const std::string &path);

/// True when `path` is `dir` or below it (both absolute).
bool IsWithin(const std::string &dir, const std::string &path);

/// The deepest directory holding every one of `paths` (absolute).
std::string CommonDirectory(const std::vector<std::string> &paths);

/// The files of a compilation database a batch converts, and why others are not.
struct DatabaseSelection {
  std::vector<std::string> files;  // sorted
  size_t outside_root = 0;         // not under the project root
  size_t generated = 0;            // under the build directory
  size_t not_cxx = 0;              // C sources
  size_t filtered = 0;             // left out by --include/--exclude
};

/// Selects the project's own C++ files among `all`: under `root`, not under
/// `build_dir` (unless the database sits at the root itself), matching `include` (a regular expression; empty: all) and not
/// `exclude`. Throws std::regex_error for a bad expression.
DatabaseSelection SelectProjectFiles(const std::vector<std::string> &all,
                                     const std::string &root,
                                     const std::string &build_dir,
                                     const std::string &include,
                                     const std::string &exclude);

/// Where the files of a conversion go.
struct OutputLayout {
  enum class Kind {
    kByName,   // output_dir/<file name>: single programs
    kMirror,   // output_dir/<path relative to root>: a project
    kInPlace,  // the input itself
  };
  Kind kind = Kind::kByName;
  std::string output_dir;
  std::string root;  // absolute; kMirror and kInPlace

  /// Where `input` goes; throws std::runtime_error when it has no place (outside the
  /// root when mirroring).
  std::string OutputOf(const std::string &input) const;
  /// Where an edited `header` of `input` (which goes to `output`) goes: beside the
  /// output at its path relative to the input's directory (kByName), mirrored, or in
  /// place. Throws std::runtime_error when it has no place.
  std::string HeaderOutputOf(const std::string &header, const std::string &input,
                             const std::string &output) const;
  /// The name diffs give `path`: relative to the root for a project (so `git apply`
  /// run there takes the diff), else `path` itself.
  std::string DiffName(const std::string &path) const;
};

}  // namespace rayify
