// What one translation unit tells the other units of its project: the effect
// summaries of the functions its main file defines, how that file would register each
// as a task, and the globals it changes.
#pragma once

#include "model/Plan.h"
#include "passes/TranslationUnit.h"

namespace rayify {

/// Fills `plan.summaries` and `plan.changed_globals` from the unit's analyses.
void SummarizeUnit(TranslationUnit &unit, Plan &plan);

/// Fills `plan.unit_calls`: who calls whom in the unit, and what its plan took as
/// driver code and made tasks of.
void SummarizeCalls(const TranslationUnit &unit, Plan &plan);

}  // namespace rayify
