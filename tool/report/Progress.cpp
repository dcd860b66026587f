#include "report/Progress.h"

#include <cstdio>

namespace rayify {
namespace {

std::string Clock(double seconds) {
  auto whole = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof(text), "%ld:%02ld", whole / 60, whole % 60);
  return text;
}

}  // namespace

Progress::Progress(size_t total, bool live, std::ostream &out)
    : total_(total), live_(live), out_(out) {}

std::string Progress::Status() const {
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] " +
                     std::to_string(failed_) + " failed, " + Clock(elapsed) + " elapsed";
  if (done_ > 0 && done_ < total_) {
    line += ", ~" + Clock(elapsed / done_ * (total_ - done_)) + " left";
  }
  return line;
}

void Progress::Done(const std::string &file, const std::string &outcome, bool failed,
                    const std::string &diagnostics) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  failed_ += failed;
  if (live_) {
    // \033[K clears what the status line (or a longer earlier one) left on the line.
    if (!diagnostics.empty()) out_ << "\r\033[K" << diagnostics;
    out_ << "\r" << Status() << "\033[K" << std::flush;
  } else {
    out_ << "[" << done_ << "/" << total_ << "] " << file << ": " << outcome << "\n"
         << diagnostics;
  }
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (live_ && done_ > 0) out_ << "\n";
}

}  // namespace rayify
