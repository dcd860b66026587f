// Resource-aware scheduling: capacity, feasibility, nested tasks, shutdown.
#include <filesystem>
#include <functional>
#include <iterator>
#include <thread>

#include "runtime_fixture.h"

namespace {

ConcurrencyProbe *g_probe = nullptr;

int Busy(int ms) {
  g_probe->Enter();
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  g_probe->Leave();
  return ms;
}

int Leaf(int x) { return x + 1; }

std::atomic<int> g_arrived{0};
bool Meet(int parties) { return ArriveAndWait(g_arrived, parties); }

// Each level waits on a task of the next one while it holds its CPU: with one CPU
// this only finishes if a blocked task gives its CPU back.
int Nested(int depth) {
  if (depth == 0) return 0;
  return *ray::Get(ray::Task(Nested).Remote(depth - 1)) + 1;
}

int FanOut(int width) {
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < width; ++i) refs.push_back(ray::Task(Leaf).Remote(i));
  int sum = 0;
  for (auto &value : ray::Get(refs)) sum += *value;
  return sum;
}

int WaitsForFirst(int width) {
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < width; ++i) refs.push_back(ray::Task(Leaf).Remote(i));
  return static_cast<int>(ray::Wait(refs, width, -1).ready.size());
}

RAY_REMOTE(Busy, Leaf, Meet, Nested, FanOut, WaitsForFirst);

class SchedulerTest : public RuntimeTest {
 protected:
  void SetUp() override { g_probe = &probe_; }
  int RunBusyTasks(int count, const std::function<ray::ObjectRef<int>()> &submit) {
    std::vector<ray::ObjectRef<int>> refs;
    for (int i = 0; i < count; ++i) refs.push_back(submit());
    ray::Get(refs);
    return probe_.Peak();
  }
  ConcurrencyProbe probe_;
};

TEST_F(SchedulerTest, NeverRunsMoreTasksThanTheNodeHasCpus) {
  StartRuntime({"--num-cpus=2"});
  EXPECT_LE(RunBusyTasks(12, [] { return ray::Task(Busy).Remote(30); }), 2);
}

// Threads of this process, as the kernel lists them.
size_t ThreadCount() {
  return static_cast<size_t>(
      std::distance(std::filesystem::directory_iterator("/proc/self/task"),
                    std::filesystem::directory_iterator{}));
}

TEST_F(SchedulerTest, ABurstOfTasksStartsNoMoreWorkersThanCpus) {
  StartRuntime({"--num-cpus=2"});
  // One worker, and any thread of the sanitizer's own, exist before the count.
  EXPECT_EQ(*ray::Get(ray::Task(Leaf).Remote(0)), 1);
  size_t before = ThreadCount();
  // Submitted faster than a new thread reaches the queue.
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 20000; ++i) refs.push_back(ray::Task(Leaf).Remote(i));
  long sum = 0;
  for (auto &value : ray::Get(refs)) sum += *value;
  EXPECT_EQ(sum, 20000L * 20001 / 2);
  EXPECT_LE(ThreadCount(), before + 1);
}

// Submitters push onto one lock-free inbox while workers take it whole: every task
// must run exactly once, whichever thread's push found the inbox empty.
TEST_F(SchedulerTest, TasksSubmittedFromManyThreadsAtOnceAllRunOnce) {
  StartRuntime({"--num-cpus=2"});
  constexpr int kThreads = 4;
  constexpr int kTasksEach = 3000;
  std::vector<long> sums(kThreads, 0);
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([t, &sums] {
      std::vector<ray::ObjectRef<int>> refs;
      for (int i = 0; i < kTasksEach; ++i) {
        // Every tenth task submits tasks itself, from a worker thread.
        refs.push_back(i % 10 == 0 ? ray::Task(FanOut).Remote(3)
                                   : ray::Task(Leaf).Remote(i));
      }
      for (auto &value : ray::Get(refs)) sums[t] += *value;
    });
  }
  for (auto &submitter : submitters) submitter.join();
  long expected = 0;
  for (int i = 0; i < kTasksEach; ++i) expected += i % 10 == 0 ? 1 + 2 + 3 : i + 1;
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(sums[t], expected) << "thread " << t;
}

TEST_F(SchedulerTest, UsesEveryCpuOfTheNode) {
  StartRuntime({"--num-cpus=3"});
  // Three tasks that wait for each other can only all meet if all three run at once.
  g_arrived = 0;
  std::vector<ray::ObjectRef<bool>> refs;
  for (int i = 0; i < 3; ++i) refs.push_back(ray::Task(Meet).Remote(3));
  for (auto &met : ray::Get(refs)) EXPECT_TRUE(*met) << "fewer than 3 tasks overlapped";
}

TEST_F(SchedulerTest, MultiCpuTasksTakeTheirShare) {
  StartRuntime({"--num-cpus=4"});
  EXPECT_LE(
      RunBusyTasks(8, [] { return ray::Task(Busy).SetResource("CPU", 2).Remote(30); }),
      2);
}

TEST_F(SchedulerTest, SetResourcesReplacesTheWholeDemand) {
  StartRuntime({"--num-cpus=4"});
  EXPECT_LE(RunBusyTasks(8,
                         [] {
                           return ray::Task(Busy).SetResources({{"CPU", 4.0}}).Remote(30);
                         }),
            1);
}

// Lower bounds: tasks that wait for each other can only all return true when the
// scheduler really runs them side by side.
bool AllMeet(int parties, const std::function<ray::ObjectRef<bool>()> &submit) {
  g_arrived = 0;
  std::vector<ray::ObjectRef<bool>> refs;
  for (int i = 0; i < parties; ++i) refs.push_back(submit());
  bool all = true;
  for (auto &met : ray::Get(refs)) all = all && *met;
  return all;
}

TEST_F(SchedulerTest, TwoCpuTasksRunSideBySideOnFourCpus) {
  StartRuntime({"--num-cpus=4"});
  EXPECT_TRUE(AllMeet(2, [] { return ray::Task(Meet).SetResource("CPU", 2).Remote(2); }));
}

TEST_F(SchedulerTest, HalfCpuTasksShareOneCore) {
  StartRuntime({"--num-cpus=1"});
  EXPECT_TRUE(
      AllMeet(2, [] { return ray::Task(Meet).SetResource("CPU", 0.5).Remote(2); }));
}

TEST_F(SchedulerTest, CustomResourcesAdmitAsManyTasksAsTheyHold) {
  StartRuntime({"--num-cpus=4", "--resources={\"license\": 2}"});
  EXPECT_TRUE(
      AllMeet(2, [] { return ray::Task(Meet).SetResource("license", 1).Remote(2); }));
}

TEST_F(SchedulerTest, PlacementGroupOptionIsAcceptedOnOneNode) {
  StartRuntime({"--num-cpus=2"});
  ray::PlacementGroup group("group-1", ray::PlacementGroupCreationOptions{});
  EXPECT_EQ(*ray::Get(ray::Task(Leaf).SetPlacementGroup(group, 0).Remote(1)), 2);
}

TEST_F(SchedulerTest, FractionalCpusShareACore) {
  StartRuntime({"--num-cpus=1"});
  EXPECT_LE(
      RunBusyTasks(8, [] { return ray::Task(Busy).SetResource("CPU", 0.5).Remote(30); }),
      2);
}

TEST_F(SchedulerTest, CustomResourcesFromHeadArgsLimitConcurrency) {
  StartRuntime({"--num-cpus=4", "--resources={\"license\": 1}"});
  EXPECT_LE(RunBusyTasks(
                6, [] { return ray::Task(Busy).SetResource("license", 1).Remote(30); }),
            1);
}

TEST_F(SchedulerTest, InfeasibleTaskFailsAtSubmission) {
  StartRuntime({"--num-cpus=2"});
  try {
    ray::Task(Leaf).SetResource("GPU", 1).Remote(1);
    FAIL() << "a GPU task was accepted on a node without GPUs";
  } catch (const ray::internal::RayException &e) {
    std::string message = e.what();
    EXPECT_NE(message.find("GPU"), std::string::npos) << message;
    EXPECT_NE(message.find("never be scheduled"), std::string::npos) << message;
  }
  EXPECT_THROW(ray::Task(Leaf).SetResource("CPU", 3).Remote(1),
               ray::internal::RayException);
}

TEST_F(SchedulerTest, GpusDeclaredInHeadArgsCanBeUsed) {
  StartRuntime({"--num-gpus", "1"});
  EXPECT_EQ(*ray::Get(ray::Task(Leaf).SetResource("GPU", 1).Remote(1)), 2);
}

TEST_F(SchedulerTest, MemoryIsAResource) {
  StartRuntime({"--memory=1000"});
  EXPECT_EQ(*ray::Get(ray::Task(Leaf).SetResource("memory", 1000).Remote(1)), 2);
  EXPECT_THROW(ray::Task(Leaf).SetResource("memory", 1001).Remote(1),
               ray::internal::RayException);
}

TEST_F(SchedulerTest, NestedGetDoesNotDeadlockOnOneCpu) {
  StartRuntime({"--num-cpus=1"});
  EXPECT_EQ(*ray::Get(ray::Task(Nested).Remote(8)), 8);
}

TEST_F(SchedulerTest, NestedFanOutDoesNotDeadlockOnOneCpu) {
  StartRuntime({"--num-cpus=1"});
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 4; ++i) refs.push_back(ray::Task(FanOut).Remote(10));
  for (auto &value : ray::Get(refs)) EXPECT_EQ(*value, 55);
}

TEST_F(SchedulerTest, NestedWaitDoesNotDeadlockOnOneCpu) {
  StartRuntime({"--num-cpus=1"});
  EXPECT_EQ(*ray::Get(ray::Task(WaitsForFirst).Remote(5)), 5);
}

TEST_F(SchedulerTest, ShutdownWithQueuedWorkEndsAndFailsTheRest) {
  StartRuntime({"--num-cpus=1"});
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 200; ++i) refs.push_back(ray::Task(Busy).Remote(20));
  ray::Shutdown();
  EXPECT_FALSE(ray::IsInitialized());
  EXPECT_LE(probe_.Peak(), 1);
  // The references outlive the runtime; using them is an error, not a crash.
  EXPECT_THROW(ray::Get(refs.back()), ray::internal::RayException);
}

TEST_F(SchedulerTest, ShutdownWithNestedWorkInFlightEnds) {
  StartRuntime({"--num-cpus=1"});
  for (int i = 0; i < 10; ++i) ray::Task(FanOut).Remote(50);
  ray::Shutdown();
  EXPECT_FALSE(ray::IsInitialized());
}

TEST_F(SchedulerTest, RuntimeCanBeStartedAgainAfterShutdown) {
  StartRuntime();
  EXPECT_EQ(*ray::Get(ray::Task(Leaf).Remote(1)), 2);
  ray::Shutdown();
  StartRuntime();
  EXPECT_EQ(*ray::Get(ray::Task(Leaf).Remote(2)), 3);
}

}  // namespace
