// The compilation databases of a run, each loaded once: a batch over hundreds of files
// reads compile_commands.json once, not once per file and again for its compile check.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <string>

namespace rayify {

/// The database in `dir`, loaded on first use and kept for the process; null with
/// `error` set when it cannot be loaded. Safe to call from several threads; the
/// database itself is only read.
const clang::tooling::CompilationDatabase *LoadDatabase(const std::string &dir,
                                                        std::string &error);

}  // namespace rayify
