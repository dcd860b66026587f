// Isolated mode (RAYIFY_ISOLATED_WORKERS=1): tasks run in worker processes, so what a
// task does to its process's memory and output never reaches the driver, as on Ray.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>

#include "runtime_fixture.h"

namespace {

int g_counter = 0;

int BumpGlobal(int by) {
  g_counter += by;
  return g_counter;
}

int ProcessId(int) { return static_cast<int>(getpid()); }

int Prints(int x) {
  std::printf("printed by a task\n");
  std::fflush(stdout);
  return x;
}

int Throws(int x) { throw std::runtime_error("bad input " + std::to_string(x)); }

int Crashes(int) {
  raise(SIGKILL);
  return 0;
}

double Sum(std::vector<double> values, double scale) {
  double total = 0;
  for (double v : values) total += v * scale;
  return total;
}

RAY_REMOTE(BumpGlobal, ProcessId, Prints, Throws, Crashes, Sum);

class IsolatedTest : public RuntimeTest {
 protected:
  void SetUp() override { setenv("RAYIFY_ISOLATED_WORKERS", "1", 1); }
  void TearDown() override {
    RuntimeTest::TearDown();
    unsetenv("RAYIFY_ISOLATED_WORKERS");
  }
};

TEST_F(IsolatedTest, TasksRunInOtherProcesses) {
  StartRuntime({"--num-cpus=2"});
  int pid = *ray::Get(ray::Task(ProcessId).Remote(0));
  EXPECT_NE(pid, static_cast<int>(getpid()));
}

TEST_F(IsolatedTest, AGlobalATaskWritesIsNotTheDriversGlobal) {
  StartRuntime({"--num-cpus=1"});
  g_counter = 100;  // after the workers started: they keep the initial 0
  EXPECT_EQ(*ray::Get(ray::Task(BumpGlobal).Remote(1)), 1);
  EXPECT_EQ(*ray::Get(ray::Task(BumpGlobal).Remote(1)), 2);  // the worker's own copy
  EXPECT_EQ(g_counter, 100);
}

TEST_F(IsolatedTest, ArgumentsAndResultsCrossIntact) {
  StartRuntime({"--num-cpus=2"});
  std::vector<double> values(100000, 0.5);
  auto values_ref = ray::Put(values);
  EXPECT_EQ(*ray::Get(ray::Task(Sum).Remote(values_ref, 2.0)), 100000.0);
  EXPECT_EQ(*ray::Get(ray::Task(Sum).Remote(values, -1.0)), -50000.0);
}

TEST_F(IsolatedTest, WhatATaskPrintsDoesNotReachTheProgramsOutput) {
  StartRuntime({"--num-cpus=1"});
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(*ray::Get(ray::Task(Prints).Remote(7)), 7);
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
}

TEST_F(IsolatedTest, ExceptionsBecomeTaskErrors) {
  StartRuntime({"--num-cpus=1"});
  try {
    ray::Get(ray::Task(Throws).Remote(3));
    FAIL() << "no exception";
  } catch (const ray::internal::RayTaskException &e) {
    EXPECT_NE(std::string(e.what()).find("bad input 3"), std::string::npos) << e.what();
  }
}

TEST_F(IsolatedTest, AWorkerThatDiesFailsItsTaskAndTheOthersGoOn) {
  StartRuntime({"--num-cpus=2"});
  try {
    ray::Get(ray::Task(Crashes).Remote(0));
    FAIL() << "no exception";
  } catch (const ray::internal::RayTaskException &e) {
    EXPECT_NE(std::string(e.what()).find("worker process died"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(*ray::Get(ray::Task(Sum).Remote(std::vector<double>{1, 2}, 1.0)), 3.0);
}

TEST_F(IsolatedTest, WithoutTheVariableTasksShareTheDriversProcess) {
  unsetenv("RAYIFY_ISOLATED_WORKERS");
  StartRuntime({"--num-cpus=1"});
  EXPECT_EQ(*ray::Get(ray::Task(ProcessId).Remote(0)), static_cast<int>(getpid()));
}

}  // namespace
