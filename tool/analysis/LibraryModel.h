// What rayify knows about functions it cannot see into: the standard library and the
// C library. Only functions known to touch nothing but their arguments may run in a
// task; everything else is I/O, hidden state, an exit, or unknown, and refused.
#pragma once

#include <clang/AST/Decl.h>

#include <string>
#include <vector>

namespace rayify {

enum class LibraryEffect {
  kPure,         // touches only its arguments (writes through them are seen at the call)
  kIo,           // files, the terminal, the environment, the clock of the wall
  kHiddenState,  // reads or changes state the library keeps (rand, strtok, gmtime)
  kExit,         // ends the program (exit, abort)
  kMayThrow,     // pure, but reports errors by throwing (at, stoi)
  kUnknown,      // not on any list: its effects cannot be checked
};

/// The effect of calling `function`, which lies in a system header, in namespace std
/// or is a compiler builtin.
LibraryEffect ClassifyLibraryFunction(const clang::FunctionDecl *function);

/// The standard exception classes (names in namespace std) a function that
/// ClassifyLibraryFunction finds kMayThrow throws: `at` std::out_of_range, `stoi`
/// std::invalid_argument and std::out_of_range; empty when they are not listed.
std::vector<std::string> StandardExceptionsThrown(const clang::FunctionDecl *function);

/// Whether `function` is an overloaded comparison (`==`, `!=`, `<`, `>`, `<=`, `>=`,
/// `<=>`).
bool IsComparisonOperator(const clang::FunctionDecl *function);

/// Whether `function`, a library function as above, writes nothing through the
/// iterators or pointers it is given: an operator comparing or subtracting them, or a
/// standard algorithm that only reads its ranges (std::find, std::accumulate,
/// std::max_element, ...) called with no callable that could change an element
/// through a non-const reference parameter.
bool OnlyReadsThroughArguments(const clang::FunctionDecl *function);

}  // namespace rayify
