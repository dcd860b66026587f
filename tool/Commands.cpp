#include "Commands.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <thread>

#include "lint/Config.h"

namespace rayify {

void ParallelFor(size_t total, int jobs, const std::function<void(size_t)> &work) {
  if (jobs <= 0) jobs = static_cast<int>(std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < total; i = next++) work(i);
  };
  std::vector<std::thread> threads;
  size_t workers = std::max<size_t>(1, std::min<size_t>(std::max(jobs, 1), total));
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(worker);
  worker();
  for (auto &thread : threads) thread.join();
}

bool ResolveSettings(const std::vector<std::string> &inputs,
                     const std::string &config_file, std::vector<Settings> &settings) {
  try {
    ConfigResolver resolver(DefaultConfigFile(), config_file);
    for (const std::string &input : inputs) settings.push_back(resolver.For(input));
  } catch (const ConfigError &error) {
    std::cerr << "rayify: error: " << error.what() << "\n";
    return false;
  }
  return true;
}

bool CheckInputFiles(const std::vector<std::string> &paths) {
  bool all_good = true;
  for (const auto &path : paths) {
    struct stat info;
    std::string problem;
    if (stat(path.c_str(), &info) != 0) {
      problem = std::strerror(errno);
    } else if (S_ISDIR(info.st_mode)) {
      problem = "is a directory, expected a C++ source file";
    } else if (!S_ISREG(info.st_mode)) {
      problem = "is not a regular file";
    } else if (access(path.c_str(), R_OK) != 0) {
      problem = std::strerror(errno);
    }
    if (!problem.empty()) {
      std::cerr << "rayify: error: " << path << ": " << problem << "\n";
      all_good = false;
    }
  }
  return all_good;
}

}  // namespace rayify
