#include "frontend/Database.h"

#include <map>
#include <memory>
#include <mutex>

namespace rayify {

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> PrivateFileSystem() {
  return llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>(
      llvm::vfs::createPhysicalFileSystem().release());
}

const clang::tooling::CompilationDatabase *LoadDatabase(const std::string &dir,
                                                        std::string &error) {
  struct Loaded {
    std::unique_ptr<clang::tooling::CompilationDatabase> database;
    std::string error;
  };
  static std::mutex mutex;
  static std::map<std::string, Loaded> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = loaded.find(dir);
  if (found == loaded.end()) {
    Loaded entry;
    entry.database =
        clang::tooling::CompilationDatabase::loadFromDirectory(dir, entry.error);
    found = loaded.emplace(dir, std::move(entry)).first;
  }
  error = found->second.error;
  return found->second.database.get();
}

const clang::tooling::CompilationDatabase *DatabaseOrDefault(const std::string &dir,
                                                             std::string &error) {
  static const clang::tooling::FixedCompilationDatabase standalone(
      ".", std::vector<std::string>{"-std=c++17"});
  return dir.empty() ? &standalone : LoadDatabase(dir, error);
}

}  // namespace rayify
