// A GoogleTest fixture that runs each test on a freshly initialized bundled runtime.
#pragma once

#include <gtest/gtest.h>
#include <ray/api.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

class RuntimeTest : public ::testing::Test {
 protected:
  void TearDown() override { ray::Shutdown(); }

  void StartRuntime(std::vector<std::string> head_args = {}) {
    ray::RayConfig config;
    config.head_args = std::move(head_args);
    ray::Init(config);
  }
};

/// Counts how many callers are inside a region at once, and the most there ever were.
class ConcurrencyProbe {
 public:
  void Enter() {
    int now = ++inside_;
    int seen = peak_.load();
    while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
    }
  }
  void Leave() { --inside_; }
  int Peak() const { return peak_.load(); }

 private:
  std::atomic<int> inside_{0};
  std::atomic<int> peak_{0};
};

/// Waits until `count` parties have arrived, or gives up after `limit`; returns
/// whether all arrived. Lets a test prove that work ran in parallel.
inline bool ArriveAndWait(std::atomic<int> &arrived, int count,
                          std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  ++arrived;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (arrived.load() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}
