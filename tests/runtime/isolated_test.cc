// Isolated mode (RAYIFY_ISOLATED_WORKERS=1): tasks run in worker processes and each
// actor in a process of its own, so what a task or a method does to its process's
// memory and output never reaches the driver, as on Ray.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>

#include "runtime_fixture.h"

namespace {

int g_counter = 0;

int BumpGlobal(int by) {
  g_counter += by;
  return g_counter;
}

int ProcessId(int) { return static_cast<int>(getpid()); }

int BumpGlobalIn(int by) { return g_counter += by; }

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

// Reads `values` as a const reference: the path that shares a kept, decoded copy.
double SumOf(const std::vector<double> &values) {
  double total = 0;
  for (double v : values) total += v;
  return total;
}

// A value that counts, in each process, how often it was decoded.
int g_decodes = 0;
struct DecodeCounted {
  std::vector<double> values;
  template <typename Packer>
  void msgpack_pack(Packer &packer) const {
    packer.pack(values);
  }
  void msgpack_unpack(const msgpack::object &object) {
    ++g_decodes;
    object.convert(values);
  }
};

// The worker's pid and how many values it has decoded so far.
std::vector<int> DecodesSoFar(const DecodeCounted &, int) {
  return {static_cast<int>(getpid()), g_decodes};
}

// An actor that keeps a running total, and can touch a global, print, throw or die.
class Tally {
 public:
  explicit Tally(int start) : total_(start) {
    if (start < 0) throw std::invalid_argument("negative start");
  }
  static Tally *Create(int start) { return new Tally(start); }
  int Add(int n) { return total_ += n; }
  int Total() const { return total_; }
  int Pid() const { return static_cast<int>(getpid()); }
  int BumpGlobal(int by) { return ::BumpGlobalIn(by); }
  int Print() {
    std::printf("printed by an actor\n");
    std::fflush(stdout);
    return total_;
  }
  int Fail() { throw std::runtime_error("tally broke"); }
  int Crash() {
    raise(SIGKILL);
    return 0;
  }

 private:
  int total_;
};

// A global array as rayify sends one: 16 MiB, more than a thread's stack holds.
struct Field {
  double value[2048][1024];
  MSGPACK_DEFINE(value);
  auto rayify_fields() { return std::tie(value); }
};

double Corners(const Field &field) {
  return field.value[0][0] + field.value[2047][1023] - field.value[1024][512];
}

RAY_REMOTE(Corners);

RAY_REMOTE(BumpGlobal, ProcessId, Prints, Throws, Crashes, Sum, SumOf, DecodesSoFar,
           Tally::Create, &Tally::Add, &Tally::Total, &Tally::Pid, &Tally::BumpGlobal,
           &Tally::Print, &Tally::Fail, &Tally::Crash);

class IsolatedTest : public RuntimeTest {
 protected:
  void SetUp() override {
    setenv("RAYIFY_ISOLATED_WORKERS", "1", 1);
    g_counter = 0;  // the workers fork with it: a test must not see an earlier one's
  }
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

TEST_F(IsolatedTest, ArgumentsLargerThanAThreadsStackArriveIntact) {
  StartRuntime({"--num-cpus=2"});
  auto field = std::make_unique<Field>();
  field->value[0][0] = 1.5;
  field->value[2047][1023] = -0.25;
  field->value[1024][512] = 1e300;
  auto field_ref = ray::Put(*field);
  for (int i = 0; i < 3; ++i)  // each worker decodes it
    EXPECT_EQ(*ray::Get(ray::Task(Corners).Remote(field_ref)), Corners(*field));
  EXPECT_EQ(*ray::Get(ray::Task(Corners).Remote(*field)), Corners(*field));
}

TEST_F(IsolatedTest, AnObjectPassedToManyTasksIsDecodedOncePerWorker) {
  StartRuntime({"--num-cpus=2"});
  auto counted = ray::Put(DecodeCounted{std::vector<double>(50000, 0.25)});
  std::vector<ray::ObjectRef<std::vector<int>>> results;
  for (int i = 0; i < 16; ++i)
    results.push_back(ray::Task(DecodesSoFar).Remote(counted, i));
  std::map<int, int> decodes_by_worker;
  for (const auto &result : ray::Get(results)) {
    int &most = decodes_by_worker[(*result)[0]];
    most = std::max(most, (*result)[1]);
  }
  for (const auto &[worker, decodes] : decodes_by_worker) {
    EXPECT_EQ(decodes, 1) << "worker " << worker;
  }
}

// A budget of three objects, six objects in turn, some freed on the way: whichever
// of them a worker keeps, evicts or is sent again, every task sees its own values.
TEST_F(IsolatedTest, ObjectsArriveIntactAcrossEvictionsAndFrees) {
  setenv("RAYIFY_WORKER_OBJECT_BYTES", "400000", 1);
  StartRuntime({"--num-cpus=2"});
  unsetenv("RAYIFY_WORKER_OBJECT_BYTES");
  std::vector<ray::ObjectRef<std::vector<double>>> objects;
  std::vector<double> fills;
  for (int k = 0; k < 6; ++k) {
    objects.push_back(ray::Put(std::vector<double>(12000, k)));
    fills.push_back(k);
  }
  auto too_large = ray::Put(std::vector<double>(60000, 1.0));  // over the budget
  for (int round = 0; round < 3; ++round) {
    std::vector<ray::ObjectRef<double>> sums;
    for (const auto &object : objects) sums.push_back(ray::Task(SumOf).Remote(object));
    sums.push_back(ray::Task(SumOf).Remote(too_large));
    auto values = ray::Get(sums);
    for (size_t k = 0; k < objects.size(); ++k) {
      EXPECT_EQ(*values[k], 12000.0 * fills[k]) << "object " << k;
    }
    EXPECT_EQ(*values.back(), 60000.0);
    // Freed: the workers drop their copies with their next request.
    objects.erase(objects.begin());
    fills.erase(fills.begin());
    objects.push_back(ray::Put(std::vector<double>(12000, 10.0 + round)));
    fills.push_back(10.0 + round);
  }
}

TEST_F(IsolatedTest, ABadObjectBudgetIsAClearError) {
  setenv("RAYIFY_WORKER_OBJECT_BYTES", "lots", 1);
  try {
    StartRuntime({"--num-cpus=1"});
    FAIL() << "the runtime started";
  } catch (const std::exception &e) {
    EXPECT_NE(std::string(e.what()).find("RAYIFY_WORKER_OBJECT_BYTES"), std::string::npos)
        << e.what();
  }
  unsetenv("RAYIFY_WORKER_OBJECT_BYTES");
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

TEST_F(IsolatedTest, EachActorLivesInAProcessOfItsOwnAndKeepsItsState) {
  StartRuntime({"--num-cpus=2"});
  auto a = ray::Actor(Tally::Create).Remote(10);
  auto b = ray::Actor(Tally::Create).Remote(20);
  for (int i = 0; i < 5; ++i) a.Task(&Tally::Add).Remote(1);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::Total).Remote()), 15);
  EXPECT_EQ(*ray::Get(b.Task(&Tally::Add).Remote(2)), 22);
  int pid_a = *ray::Get(a.Task(&Tally::Pid).Remote());
  int pid_b = *ray::Get(b.Task(&Tally::Pid).Remote());
  EXPECT_NE(pid_a, static_cast<int>(getpid()));
  EXPECT_NE(pid_a, pid_b);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::Pid).Remote()), pid_a);  // the same process
}

TEST_F(IsolatedTest, AGlobalAMethodWritesIsItsProcesssOwn) {
  StartRuntime({"--num-cpus=1"});
  g_counter = 100;  // after the runtime started: actor processes keep the initial 0
  auto a = ray::Actor(Tally::Create).Remote(0);
  auto b = ray::Actor(Tally::Create).Remote(0);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::BumpGlobal).Remote(1)), 1);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::BumpGlobal).Remote(1)), 2);
  EXPECT_EQ(*ray::Get(b.Task(&Tally::BumpGlobal).Remote(5)), 5);  // not a's copy
  EXPECT_EQ(g_counter, 100);
}

TEST_F(IsolatedTest, WhatAnActorPrintsDoesNotReachTheProgramsOutput) {
  StartRuntime({"--num-cpus=1"});
  auto a = ray::Actor(Tally::Create).Remote(4);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(*ray::Get(a.Task(&Tally::Print).Remote()), 4);
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
}

TEST_F(IsolatedTest, ActorErrorsSurfaceAtGet) {
  StartRuntime({"--num-cpus=1"});
  auto a = ray::Actor(Tally::Create).Remote(1);
  EXPECT_THROW(ray::Get(a.Task(&Tally::Fail).Remote()), ray::internal::RayTaskException);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::Add).Remote(1)), 2);  // a method error is not death
  auto broken = ray::Actor(Tally::Create).Remote(-1);
  EXPECT_THROW(ray::Get(broken.Task(&Tally::Total).Remote()),
               ray::internal::RayActorException);
}

TEST_F(IsolatedTest, AnActorWhoseProcessDiesFailsItsCalls) {
  StartRuntime({"--num-cpus=1"});
  auto a = ray::Actor(Tally::Create).Remote(1);
  auto b = ray::Actor(Tally::Create).Remote(7);
  EXPECT_THROW(ray::Get(a.Task(&Tally::Crash).Remote()), ray::internal::RayException);
  EXPECT_THROW(ray::Get(a.Task(&Tally::Total).Remote()),
               ray::internal::RayActorException);
  EXPECT_EQ(*ray::Get(b.Task(&Tally::Total).Remote()), 7);  // other actors go on
  // With a restart left, a process that dies is replaced and the object rebuilt.
  auto c = ray::Actor(Tally::Create).SetMaxRestarts(1).Remote(5);
  c.Task(&Tally::Add).Remote(1);
  EXPECT_THROW(ray::Get(c.Task(&Tally::Crash).Remote()), ray::internal::RayException);
  EXPECT_EQ(*ray::Get(c.Task(&Tally::Total).Remote()), 5);
}

TEST_F(IsolatedTest, KilledAndRestartedActorsGetAFreshProcess) {
  StartRuntime({"--num-cpus=1"});
  auto a = ray::Actor(Tally::Create).SetMaxRestarts(1).Remote(3);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::Add).Remote(4)), 7);
  int before = *ray::Get(a.Task(&Tally::Pid).Remote());
  a.Kill(false);
  EXPECT_EQ(*ray::Get(a.Task(&Tally::Total).Remote()), 3);  // rebuilt from its arguments
  EXPECT_NE(*ray::Get(a.Task(&Tally::Pid).Remote()), before);
  a.Kill();
  EXPECT_THROW(ray::Get(a.Task(&Tally::Total).Remote()),
               ray::internal::RayActorException);
}

TEST_F(IsolatedTest, WithoutTheVariableTasksShareTheDriversProcess) {
  unsetenv("RAYIFY_ISOLATED_WORKERS");
  StartRuntime({"--num-cpus=1"});
  EXPECT_EQ(*ray::Get(ray::Task(ProcessId).Remote(0)), static_cast<int>(getpid()));
}

}  // namespace
