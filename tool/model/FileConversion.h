// What converting one input produced, as the driver reports and writes it.
#pragma once

#include <string>
#include <vector>

#include "model/Finding.h"

namespace rayify {

/// A project header a conversion edits: written under the output directory too.
struct HeaderOutput {
  std::string source;  // the header as the compiler found it
  std::string output;
  std::string original;
  std::string converted;
  std::vector<std::string> edited_by;  // the inputs whose conversion edits it
};

struct FileConversion {
  std::string input;
  std::string output;
  std::string original;   // the input's text
  std::string converted;  // equal to `original` when nothing changed
  std::vector<Finding> findings;
  std::vector<HeaderOutput> headers;
  bool already_converted = false;
  std::string error;  // non-empty when the file failed
  /// Inputs whose converted text this one needs (they register its tasks): when one
  /// is left unconverted, so is this one.
  std::vector<std::string> depends_on;

  /// The findings that are decisions on loops and classes, in line order.
  std::vector<const Finding *> LoopDecisions() const;
};

}  // namespace rayify
