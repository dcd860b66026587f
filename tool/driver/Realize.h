// From plans to outputs: the driver fills the templates edits ask for, applies the
// edits of each file, merges the edits that several translation units make to one
// project header, and turns every problem into a failed file with its reason instead
// of an exception. Plain C++.
#pragma once

#include <string>
#include <vector>

#include "driver/Project.h"
#include "emit/Templates.h"
#include "model/FileConversion.h"
#include "model/Plan.h"

namespace rayify {

/// One result per plan, in order. `outputs[i]` is where plan i's main file goes; an
/// edited header goes where `layout` puts it.
std::vector<FileConversion> RealizePlans(const std::vector<Plan> &plans,
                                         const std::vector<std::string> &outputs,
                                         const Templates &templates,
                                         const OutputLayout &layout = {});

}  // namespace rayify
