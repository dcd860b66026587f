// The trials' clock, compiled as a converted file has it: work the scheduler
// interrupted is timed by the thread's CPU, so a busy machine does not send cheap
// iterations to tasks, and work that waits is timed by the wall.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "conversions/FirstChunkHere.h"
#include "temp_dir.h"

namespace rayify {
namespace {

// Runs one iteration of each trial with a threshold of 30 ms, and prints where each
// trial leaves the rest and how long the iteration took on the wall. An iteration
// spins for `argv[2]` ms of CPU (on a CPU shared with a spinning thread with
// `argv[1]` "shared") or sleeps that long (`argv[1]` "sleep").
const char kProgram[] = R"(
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

static double CpuMilliseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  const bool sleeps = std::strcmp(argv[1], "sleep") == 0;
  const double ms = std::atof(argv[2]);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  pthread_setaffinity_np(pthread_self(), sizeof one, &one);
  std::atomic<bool> done{false};
  std::thread rival([&] {
    pthread_setaffinity_np(pthread_self(), sizeof one, &one);
    while (!sleeps && !done) {
    }
  });
  double longest_wall = 0;
  auto iteration = [&] {
    const auto start = std::chrono::steady_clock::now();
    if (sleeps) {
      usleep(static_cast<useconds_t>(ms * 1e3));
    } else {
      const double until = CpuMilliseconds() + ms;
      while (CpuMilliseconds() < until) {
      }
    }
    const std::chrono::duration<double, std::milli> wall =
        std::chrono::steady_clock::now() - start;
    if (wall.count() > longest_wall) longest_wall = wall.count();
  };
  const int left = rayify_run_first_here<int>(0, 2, 1, 30000, [&](int begin, int end) {
    for (int i = begin; i < end; ++i) iteration();
  });
  rayify_iteration_trial trial(true, 30000, 0);
  if (trial.Here()) iteration();
  const bool rest_here = trial.Here();
  done = true;
  rival.join();
  std::printf("chunk %s\niteration %s\nwall %.0f\n", left == 2 ? "here" : "tasks",
              rest_here ? "here" : "tasks", longest_wall);
}
)";

class TrialClockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string source;
    for (const TrialHelper &helper :
         {DriverClockHelper(), RunFirstHereHelper(), IterationTrialHelper()}) {
      for (const std::string &header : helper.includes)
        source = "#include <" + header + ">\n" + source;
      source += helper.text;
    }
    dir_ = new TempDir;
    std::string path = dir_->Write("trials.cpp", source + kProgram);
    const char *compiler = std::getenv("CXX");
    std::string command = std::string(compiler != nullptr ? compiler : "c++") +
                          " -std=c++17 -O1 -pthread -o " + dir_->Path("trials") + " " +
                          path;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() { delete dir_; }

  /// What the program prints for `mode` and `milliseconds`.
  static std::string Run(const std::string &mode, int milliseconds) {
    std::string command =
        dir_->Path("trials") + " " + mode + " " + std::to_string(milliseconds);
    FILE *pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[256];
    while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr)
      out += buffer;
    if (pipe != nullptr) pclose(pipe);
    return out;
  }

  static double Wall(const std::string &out) {
    size_t at = out.find("wall ");
    return at == std::string::npos ? 0 : std::atof(out.c_str() + at + 5);
  }

  static TempDir *dir_;
};

TempDir *TrialClockTest::dir_ = nullptr;

TEST_F(TrialClockTest, WorkSharingItsCPUIsTimedByItsOwnCPUTime) {
  // 20 ms of CPU beside a thread spinning on the same CPU takes about 40 ms on the
  // wall: over the 30 ms threshold by the wall, under it by the CPU.
  std::string out = Run("shared", 20);
  ASSERT_GT(Wall(out), 30) << "the rival thread did not share the CPU: " << out;
  EXPECT_NE(out.find("chunk here"), std::string::npos) << out;
  EXPECT_NE(out.find("iteration here"), std::string::npos) << out;
}

TEST_F(TrialClockTest, HeavyWorkSharingItsCPUStillGoesToTasks) {
  std::string out = Run("shared", 40);
  EXPECT_NE(out.find("chunk tasks"), std::string::npos) << out;
  EXPECT_NE(out.find("iteration tasks"), std::string::npos) << out;
}

TEST_F(TrialClockTest, WorkThatWaitsIsTimedByTheWall) {
  // A 40 ms sleep takes almost no CPU; it still counts.
  std::string out = Run("sleep", 40);
  EXPECT_NE(out.find("chunk tasks"), std::string::npos) << out;
  EXPECT_NE(out.find("iteration tasks"), std::string::npos) << out;
}

}  // namespace
}  // namespace rayify
