// Loops whose iterations are independent calls become Ray tasks:
//
//   v.push_back(f(args));       v.emplace_back(f(args));     (append)
//   v[i] = f(args);                                          (indexed store)
//   acc += f(args);  acc -= ...; acc *= ...                  (reduction)
//
// Every call is submitted with ray::Task(f).Remote(args) in loop order, then the
// results are fetched and stored, or combined, in that same order, so the program
// prints what it printed before, bit for bit.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Stmt.h>

#include <set>
#include <string>
#include <vector>

#include "analysis/CalleeEffects.h"
#include "analysis/Serializability.h"
#include "conversions/EditBuilder.h"
#include "report/Conversion.h"

namespace rayify {

/// What the conversions of one file share and accumulate.
struct ConversionContext {
  clang::ASTContext &context;
  EffectAnalyzer &effects;
  SerializabilityChecker &serializability;
  EditBuilder &edits;
  /// Names for RAY_REMOTE, in the order they were first converted.
  std::vector<std::string> remote_functions;
  std::set<const clang::FunctionDecl *> task_functions;
  std::set<const clang::CXXRecordDecl *> needs_define;
};

/// Decides `loop`, which stands directly in `parent`, and when it converts adds its
/// edits to `ctx`.
LoopDecision ConvertTaskLoop(const clang::Stmt *loop, const clang::Stmt *parent,
                             ConversionContext &ctx);

}  // namespace rayify
