// Progress of a batch on standard error: on a terminal, one line redrawn in place
// (files done of total, failures, elapsed and remaining time); elsewhere (CI logs,
// pipes), one line per finished file.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>

namespace rayify {

class Progress {
 public:
  /// `live`: redraw one line (a terminal) rather than print a line per file.
  Progress(size_t total, bool live, std::ostream &out);
  /// Records that `file` finished with `outcome`, printing the compiler's
  /// `diagnostics` for it (if any) with it; safe from several threads.
  void Done(const std::string &file, const std::string &outcome, bool failed,
            const std::string &diagnostics = "");
  /// Ends the live line.
  void Finish();

 private:
  std::string Status() const;

  size_t total_;
  bool live_;
  std::ostream &out_;
  std::mutex mutex_;
  size_t done_ = 0;
  size_t failed_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace rayify
