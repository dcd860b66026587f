#include "emit/AtomicFile.h"

#include <limits.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace rayify {
namespace {

std::runtime_error Failure(const std::string &path, const std::string &what,
                           const std::string &why) {
  return std::runtime_error(path + ": " + what + ": " + why);
}

// LLVM's TempFile removes the temporary file when rayify is killed by a signal
// before the rename, so an interrupted run leaves nothing half-written behind.
llvm::sys::fs::TempFile WriteTemporary(const std::string &path,
                                       const std::string &contents) {
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  llvm::SmallString<256> model(dir.empty() ? "." : dir);
  llvm::sys::path::append(model,
                          "." + llvm::sys::path::filename(path).str() + ".rayify-%%%%%%");
  auto perms = llvm::sys::fs::owner_read | llvm::sys::fs::owner_write |
               llvm::sys::fs::group_read | llvm::sys::fs::others_read;
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(model, perms);
  if (!temp) {
    throw Failure(path, "cannot create a temporary file",
                  llvm::toString(temp.takeError()));
  }
  std::string problem;
  // A file replaced in place keeps its permissions (an executable script stays one).
  struct stat existing;
  if (stat(path.c_str(), &existing) == 0 &&
      fchmod(temp->FD, existing.st_mode & 07777) != 0) {
    problem = "cannot keep the file's permissions";
  }
  if (problem.empty()) {
    llvm::raw_fd_ostream out(temp->FD, /*shouldClose=*/false);
    out << contents;
    out.flush();
    if (out.has_error()) {
      problem = "cannot write: " + out.error().message();
      out.clear_error();
    }
  }
  if (problem.empty() && fsync(temp->FD) != 0) problem = "cannot flush to disk";
  if (!problem.empty()) {
    llvm::consumeError(temp->discard());
    throw std::runtime_error(path + ": " + problem);
  }
  return std::move(*temp);
}

void Keep(llvm::sys::fs::TempFile &temp, const std::string &path) {
  if (llvm::Error error = temp.keep(path)) {
    throw Failure(path, "cannot replace", llvm::toString(std::move(error)));
  }
}

}  // namespace

void WriteFileAtomically(const std::string &path, const std::string &contents) {
  llvm::sys::fs::TempFile temp = WriteTemporary(path, contents);
  Keep(temp, path);
}

struct StagedFiles::Staged {
  std::string path;
  llvm::sys::fs::TempFile temp;
  std::optional<std::string> expected;
  bool kept = false;
};

StagedFiles::StagedFiles() = default;

StagedFiles::~StagedFiles() {
  for (Staged &file : staged_) {
    if (!file.kept) llvm::consumeError(file.temp.discard());
  }
}

void StagedFiles::Stage(const std::string &path, const std::string &contents,
                        std::optional<std::string> expected) {
  staged_.push_back(Staged{path, WriteTemporary(path, contents), std::move(expected)});
}

std::vector<std::string> StagedFiles::Commit() {
  std::vector<std::string> changed;
  for (Staged &file : staged_) {
    if (file.expected && ReadFileIfAny(file.path) != *file.expected) {
      changed.push_back(file.path);
      continue;  // discarded with the others left unkept
    }
    Keep(file.temp, file.path);
    file.kept = true;
  }
  return changed;
}

std::string ReadFileIfAny(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

void MakeDirectories(const std::string &dir) {
  if (std::error_code error = llvm::sys::fs::create_directories(dir)) {
    throw Failure(dir, "cannot create directory", error.message());
  }
}

std::string ReadFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) throw Failure(path, "cannot read", buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

std::string Directory(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string RealPath(const std::string &path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) != nullptr ? resolved : "";
}

std::string MakeTemporaryDirectory(const std::string &name) {
  const char *tmp = std::getenv("TMPDIR");
  std::string parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  std::string pattern = parent + "/" + name + "-XXXXXX";
  std::vector<char> path(pattern.begin(), pattern.end());
  path.push_back('\0');
  if (mkdtemp(path.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory in " + parent + ": " +
                             std::strerror(errno));
  }
  return path.data();
}

}  // namespace rayify
