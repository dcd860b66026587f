#include "driver/Project.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Path.h>
#include <unistd.h>

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "emit/AtomicFile.h"

namespace rayify {

std::string Absolute(const std::string &path) {
  std::string resolved = RealPath(path);
  return resolved.empty() ? path : resolved;
}

std::string GitWorkTree(const std::string &dir) {
  for (std::string at = Absolute(dir); !at.empty() && at[0] == '/'; at = Directory(at)) {
    if (access((at + "/.git").c_str(), F_OK) == 0) return at;
    if (at == "/") break;
  }
  return "";
}

std::string RelativeTo(const std::string &root, const std::string &path) {
  std::string absolute = Absolute(path);
  std::string prefix = root == "/" ? "/" : root + "/";
  return absolute.compare(0, prefix.size(), prefix) == 0 ? absolute.substr(prefix.size())
                                                         : absolute;
}

bool IsWithin(const std::string &dir, const std::string &path) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path == dir ||
         (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
          path[dir.size()] == '/');
}

std::string CommonDirectory(const std::vector<std::string> &paths) {
  if (paths.empty()) return "/";
  std::string common = Directory(paths.front());
  for (const std::string &path : paths) {
    while (!IsWithin(common, path) && common != "/") common = Directory(common);
  }
  return common;
}

DatabaseSelection SelectProjectFiles(const std::vector<std::string> &all,
                                     const std::string &root,
                                     const std::string &build_dir,
                                     const std::string &include,
                                     const std::string &exclude) {
  std::regex included(include.empty() ? ".*" : include);
  std::regex excluded(exclude.empty() ? "$^" : exclude);
  DatabaseSelection selection;
  for (const std::string &file : all) {
    std::string absolute = Absolute(file);
    if (!IsWithin(root, absolute)) {
      ++selection.outside_root;
    } else if (!build_dir.empty() && build_dir != root && IsWithin(build_dir, absolute)) {
      ++selection.generated;
    } else if (llvm::StringRef(file).ends_with(".c")) {
      ++selection.not_cxx;
    } else if (!std::regex_search(file, included) || std::regex_search(file, excluded)) {
      ++selection.filtered;
    } else {
      selection.files.push_back(file);
    }
  }
  std::sort(selection.files.begin(), selection.files.end());
  selection.files.erase(std::unique(selection.files.begin(), selection.files.end()),
                        selection.files.end());
  return selection;
}

std::string OutputLayout::OutputOf(const std::string &input) const {
  switch (kind) {
    case Kind::kByName:
      return output_dir + "/" + llvm::sys::path::filename(input).str();
    case Kind::kInPlace:
      return input;
    case Kind::kMirror:
      break;
  }
  std::string absolute = Absolute(input);
  if (!IsWithin(root, absolute) || absolute == root) {
    throw std::runtime_error(input + " is outside the project root " + root +
                             ", so it has no place in the output directory");
  }
  return output_dir + "/" + RelativeTo(root, absolute);
}

std::string OutputLayout::HeaderOutputOf(const std::string &header,
                                         const std::string &input,
                                         const std::string &output) const {
  if (kind != Kind::kByName) return OutputOf(header);
  std::string dir = RealPath(Directory(input));
  std::string real = RealPath(header);
  if (dir.empty() || !IsWithin(dir, real) || real == dir) {
    throw std::runtime_error("the conversion edits the header " + header +
                             ", which is outside the input's directory " +
                             Directory(input) +
                             ", so it has no place in the output directory (convert "
                             "the project with -p to mirror its tree)");
  }
  return Directory(output) + real.substr(dir.size());
}

std::string OutputLayout::DiffName(const std::string &path) const {
  if (kind == Kind::kByName) return path;
  return RelativeTo(root, path);
}

}  // namespace rayify
