// A scratch directory for a test, removed with everything in it when the test ends.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace rayify {

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/rayify-test-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { std::system(("rm -rf " + path_).c_str()); }
  std::string Write(const std::string &name, const std::string &text) const {
    std::string path = path_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string Path(const std::string &name) const { return path_ + "/" + name; }
  bool Exists(const std::string &name) const {
    return access(Path(name).c_str(), F_OK) == 0;
  }

 private:
  std::string path_;
};

}  // namespace rayify
