#include "emit/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace rayify {
namespace {

std::runtime_error Failure(const std::string &path, const std::string &what) {
  return std::runtime_error(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

void WriteFileAtomically(const std::string &path, const std::string &contents) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string pattern = dir + "/." + name + ".rayify-XXXXXX";
  std::vector<char> temp(pattern.begin(), pattern.end());
  temp.push_back('\0');
  int fd = mkstemp(temp.data());
  if (fd < 0) throw Failure(path, "cannot create a temporary file");
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto error = Failure(path, "cannot write");
      close(fd);
      unlink(temp.data());
      throw error;
    }
    written += static_cast<size_t>(n);
  }
  fchmod(fd, 0644);
  if (fsync(fd) != 0 || close(fd) != 0) {
    auto error = Failure(path, "cannot flush");
    unlink(temp.data());
    throw error;
  }
  if (rename(temp.data(), path.c_str()) != 0) {
    auto error = Failure(path, "cannot replace");
    unlink(temp.data());
    throw error;
  }
}

void MakeDirectories(const std::string &dir) {
  std::string prefix;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    prefix = dir.substr(0, pos);
    if (prefix.empty()) continue;
    struct stat info;
    if (stat(prefix.c_str(), &info) == 0) {
      if (!S_ISDIR(info.st_mode)) {
        throw std::runtime_error(prefix + ": exists and is not a directory");
      }
      continue;
    }
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      throw Failure(prefix, "cannot create directory");
    }
  }
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure(path, "cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace rayify
