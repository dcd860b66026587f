// The compilation databases of a run, each loaded once: a batch over hundreds of files
// reads compile_commands.json once, not once per file and again for its compile check.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <string>

namespace rayify {

/// The real file system with a working directory of its own, for one ClangTool. The
/// default one changes the process's directory to each command's: with files parsed
/// on several threads, one thread would restore another's directory, and relative
/// paths would resolve against the wrong one.
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> PrivateFileSystem();

/// The database in `dir`, loaded on first use and kept for the process; null with
/// `error` set when it cannot be loaded. Safe to call from several threads; the
/// database itself is only read.
const clang::tooling::CompilationDatabase *LoadDatabase(const std::string &dir,
                                                        std::string &error);

/// LoadDatabase(dir), or for an empty `dir` the command a file gets without a
/// database: `-std=c++17`, in the current directory.
const clang::tooling::CompilationDatabase *DatabaseOrDefault(const std::string &dir,
                                                             std::string &error);

}  // namespace rayify
