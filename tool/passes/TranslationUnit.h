// What the passes over one translation unit share: the AST, the analyses, the edit
// builder, the findings, and what conversions hand to the passes after them.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/CallGraph.h"
#include "analysis/CalleeEffects.h"
#include "analysis/GlobalMutations.h"
#include "analysis/Serializability.h"
#include "conversions/EditBuilder.h"
#include "model/Finding.h"
#include "model/ProjectCalls.h"
#include "model/Settings.h"

namespace rayify {

/// The gather of a converted task loop (the insertion that stores its results) that
/// the next task loop of the same block may move below its own submissions, so that
/// the tasks of both run at once (conversions/OverlappedLoops).
struct PendingGather {
  const clang::Stmt *loop;
  unsigned offset;
  std::string text;
  const clang::VarDecl *target;
  /// Set when the loop only appended one task result per iteration to a container it
  /// found empty: `refs` then holds, in order, what the container will hold.
  std::string refs;
};

struct TranslationUnit {
  TranslationUnit(clang::ASTContext &context, const CallGraph &calls,
                  EffectAnalyzer &effects, SerializabilityChecker &serializability,
                  EditBuilder &edits, std::vector<Finding> &findings,
                  std::string input_name, const Settings &settings)
      : context(context),
        calls(calls),
        effects(effects),
        serializability(serializability),
        edits(edits),
        findings(findings),
        input_name(std::move(input_name)),
        settings(settings) {}

  clang::ASTContext &context;
  const CallGraph &calls;
  EffectAnalyzer &effects;
  SerializabilityChecker &serializability;
  EditBuilder &edits;
  std::vector<Finding> &findings;
  /// The input's file name, for messages and templates.
  std::string input_name;
  /// Thresholds, function lists and rule severities from the configuration.
  const Settings &settings;
  /// Driver code across the files of a whole program planned from its compilation
  /// database; null otherwise (conversions/OutsideDriver.h).
  const ProjectCalls *project_calls = nullptr;
  /// The unit is one of every unit of its program (with or without project_calls).
  bool whole_program = false;
  /// Loops outside driver code whose reason the project gives later (TaskLoopPass).
  std::vector<ProvisionalReason> provisional_reasons;

  // Filled by conversions, read by the passes after them:
  /// Names for RAY_REMOTE, in the order they were first converted.
  std::vector<std::string> remote_functions;
  /// Functions of other units of the project that became tasks here, by USR: their
  /// own files register them.
  std::vector<std::string> remote_elsewhere;
  std::set<const clang::FunctionDecl *> task_functions;
  /// Standard headers the generated code needs beyond the prologue's.
  std::set<std::string> extra_includes;
  /// Definitions several generated functions share, by name: each goes once after
  /// the includes.
  std::map<std::string, std::string> shared_definitions;
  /// The gathers that the next task loop of their block may overlap, by block.
  std::map<const clang::Stmt *, std::vector<PendingGather>> pending_gathers;
  /// Functions an outlined loop body calls: they run inside its tasks.
  std::set<const clang::FunctionDecl *> called_by_tasks;
  std::set<const clang::TagDecl *> needs_define;
  /// The element count declared after the statement making each local block an
  /// outlined loop sends (LocalBlocks.h), by its pointer: declared once.
  std::map<const clang::VarDecl *, std::string> block_counts;
  /// The same as globals, for the blocks main hands to functions whose loops send them.
  std::map<const clang::VarDecl *, std::string> block_global_counts;
  /// Objects that became actors (and range-for variables over them), the functions
  /// that create them, and the loops written as actor pools: the task-loop pass
  /// leaves them to the actor-class pass.
  std::set<const clang::VarDecl *> actor_objects;
  std::set<const clang::FunctionDecl *> actor_drivers;
  /// The classes that became actors (canonical declarations).
  std::set<const clang::CXXRecordDecl *> actor_classes;
  std::set<const clang::Stmt *> actor_pool_loops;

  /// The unit submits tasks: of its own functions, or of other units'.
  bool SubmitsTasks() const {
    return !remote_functions.empty() || !remote_elsewhere.empty();
  }
  /// It is main's file and some file of its whole program submits tasks: it connects
  /// to Ray for them, whether or not it submits any itself.
  bool ConnectsForProject() const {
    return calls.Main() != nullptr && project_calls != nullptr &&
           project_calls->AnySubmits();
  }

  /// The globals the program changes, computed on first use (it scans every
  /// function).
  const GlobalMutations &Mutations() {
    if (!mutations_) mutations_.emplace(context, effects);
    return *mutations_;
  }
  /// The same, or null when no pass asked for it.
  const GlobalMutations *MutationsIfComputed() const {
    return mutations_ ? &*mutations_ : nullptr;
  }

 private:
  std::optional<GlobalMutations> mutations_;
};

}  // namespace rayify
