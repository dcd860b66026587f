#include "task_profile.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace ray {
namespace internal {
namespace {

std::atomic<bool> g_enabled{false};
std::mutex g_mutex;
std::string g_path;             // guarded by g_mutex
std::vector<double> g_seconds;  // one entry per completed call, guarded by g_mutex

}  // namespace

void TaskProfile::Configure() {
  const char *path = std::getenv("RAYIFY_TASK_PROFILE");
  std::lock_guard<std::mutex> lock(g_mutex);
  g_path = path == nullptr ? "" : path;
  g_seconds.clear();
  g_enabled.store(!g_path.empty(), std::memory_order_relaxed);
}

bool TaskProfile::Enabled() { return g_enabled.load(std::memory_order_relaxed); }

void TaskProfile::Record(std::chrono::steady_clock::duration elapsed) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard<std::mutex> lock(g_mutex);
  g_seconds.push_back(seconds);
}

void TaskProfile::WriteAndReset() {
  if (!Enabled()) return;
  std::vector<double> seconds;
  std::string path;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    seconds.swap(g_seconds);
    path = g_path;
  }
  double total = 0;
  for (double s : seconds) total += s;
  double median = 0;
  if (!seconds.empty()) {
    auto middle = seconds.begin() + seconds.size() / 2;
    std::nth_element(seconds.begin(), middle, seconds.end());
    median = *middle;
  }
  // Written whole to a temporary name and renamed, so a reader never sees half a file.
  std::string temporary = path + ".tmp";
  FILE *file = std::fopen(temporary.c_str(), "w");
  if (file == nullptr) return;  // a diagnostic only: the program's own work is done
  std::fprintf(file,
               "{\"calls\": %zu, \"call_seconds\": %.6f, \"median_call_ms\": %.3f}\n",
               seconds.size(), total, median * 1000);
  if (std::fclose(file) == 0) {
    std::rename(temporary.c_str(), path.c_str());
  } else {
    std::remove(temporary.c_str());
  }
}

}  // namespace internal
}  // namespace ray
