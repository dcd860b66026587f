// Actors: creation, ordered calls, parallelism, names, resources, errors, kill/restart.
#include <stdexcept>

#include "runtime_fixture.h"

namespace {

class Counter {
 public:
  explicit Counter(int start) : value_(start) {}
  static Counter *Create(int start) { return new Counter(start); }
  static Counter *CreateFailing(int) { throw std::runtime_error("no counters today"); }

  int Add(int amount) {
    value_ += amount;
    return value_;
  }
  int Value() const { return value_; }
  void Record(int item) { history_.push_back(item); }
  std::vector<int> History() const { return history_; }
  int Explode(int) { throw std::logic_error("counter exploded"); }
  bool Restarted() const { return ray::WasCurrentActorRestarted(); }

 private:
  int value_;
  std::vector<int> history_;
};

ConcurrencyProbe *g_probe = nullptr;
std::atomic<int> g_arrived{0};

class Worker {
 public:
  static Worker *Create() { return new Worker(); }
  bool Meet(int parties) { return ArriveAndWait(g_arrived, parties); }
  int Busy(int ms) {
    g_probe->Enter();
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    g_probe->Leave();
    return ms;
  }
};

int UseCounter(ray::ActorHandle<Counter> counter, int amount) {
  return *ray::Get(counter.Task(&Counter::Add).Remote(amount));
}
int Identity(int x) { return x; }

RAY_REMOTE(Counter::Create, Counter::CreateFailing, &Counter::Add, &Counter::Value,
           &Counter::Record, &Counter::History, &Counter::Explode, &Counter::Restarted);
RAY_REMOTE(Worker::Create, &Worker::Meet, &Worker::Busy, UseCounter, Identity);

class ActorTest : public RuntimeTest {
 protected:
  void SetUp() override {
    g_probe = &probe_;
    g_arrived = 0;
  }
  ConcurrencyProbe probe_;
};

TEST_F(ActorTest, KeepsStateAcrossCalls) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).Remote(10);
  counter.Task(&Counter::Add).Remote(5);
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Add).Remote(1)), 16);
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Value).Remote()), 16);
}

TEST_F(ActorTest, RunsCallsInSubmissionOrder) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).Remote(0);
  std::vector<int> expected;
  for (int i = 0; i < 500; ++i) {
    counter.Task(&Counter::Record).Remote(i);
    expected.push_back(i);
  }
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::History).Remote()), expected);
}

TEST_F(ActorTest, RunsOneCallAtATimeByDefault) {
  StartRuntime();
  auto worker = ray::Actor(Worker::Create).Remote();
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 6; ++i) refs.push_back(worker.Task(&Worker::Busy).Remote(10));
  ray::Get(refs);
  EXPECT_EQ(probe_.Peak(), 1);
}

TEST_F(ActorTest, DifferentActorsRunInParallel) {
  StartRuntime({"--num-cpus=1"});
  auto a = ray::Actor(Worker::Create).Remote();
  auto b = ray::Actor(Worker::Create).Remote();
  auto met_a = a.Task(&Worker::Meet).Remote(2);
  auto met_b = b.Task(&Worker::Meet).Remote(2);
  EXPECT_TRUE(*ray::Get(met_a));
  EXPECT_TRUE(*ray::Get(met_b));
}

TEST_F(ActorTest, MaxConcurrencyLetsCallsOverlap) {
  StartRuntime();
  auto worker = ray::Actor(Worker::Create).SetMaxConcurrency(2).Remote();
  auto first = worker.Task(&Worker::Meet).Remote(2);
  auto second = worker.Task(&Worker::Meet).Remote(2);
  EXPECT_TRUE(*ray::Get(first));
  EXPECT_TRUE(*ray::Get(second));
}

TEST_F(ActorTest, NamedActorsCanBeLookedUp) {
  StartRuntime();
  ray::Actor(Counter::Create).SetName("ledger").Remote(3);
  boost::optional<ray::ActorHandle<Counter>> found = ray::GetActor<Counter>("ledger");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*ray::Get(found->Task(&Counter::Value).Remote()), 3);
  EXPECT_FALSE(ray::GetActor<Counter>("missing").has_value());
  EXPECT_FALSE(ray::GetActor<Counter>("").has_value());
}

TEST_F(ActorTest, DuplicateNamesAreRejected) {
  StartRuntime();
  ray::Actor(Counter::Create).SetName("only").Remote(1);
  EXPECT_THROW(ray::Actor(Counter::Create).SetName("only").Remote(2),
               ray::internal::RayException);
}

TEST_F(ActorTest, HandlesCanBePassedToTasks) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).Remote(100);
  EXPECT_EQ(*ray::Get(ray::Task(UseCounter).Remote(counter, 1)), 101);
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Value).Remote()), 101);
}

TEST_F(ActorTest, ObjectRefArgumentsAreResolved) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).Remote(ray::Task(Identity).Remote(7));
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Add).Remote(ray::Put(3))), 10);
}

TEST_F(ActorTest, ActorResourcesAreHeldForItsLifetime) {
  StartRuntime({"--num-cpus=2"});
  auto holder = ray::Actor(Worker::Create).SetResource("CPU", 2).Remote();
  ray::Get(holder.Task(&Worker::Busy).Remote(1));  // the actor now holds both CPUs
  std::vector<ray::ObjectRef<int>> task{ray::Task(Identity).Remote(1)};
  EXPECT_TRUE(ray::Wait(task, 1, 200).ready.empty())
      << "task ran on a CPU the actor holds";
  holder.Kill();
  EXPECT_EQ(*ray::Get(task.front()), 1);
}

TEST_F(ActorTest, InfeasibleActorFailsAtCreation) {
  StartRuntime({"--num-cpus=2"});
  EXPECT_THROW(ray::Actor(Worker::Create).SetResource("GPU", 1).Remote(),
               ray::internal::RayException);
}

TEST_F(ActorTest, MethodExceptionFailsTheCallButNotTheActor) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).Remote(1);
  try {
    ray::Get(counter.Task(&Counter::Explode).Remote(0));
    FAIL() << "a throwing method returned";
  } catch (const ray::internal::RayTaskException &e) {
    std::string message = e.what();
    EXPECT_NE(message.find("counter exploded"), std::string::npos) << message;
    EXPECT_NE(message.find("Explode"), std::string::npos) << message;
  }
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Add).Remote(1)), 2);
}

TEST_F(ActorTest, ConstructorFailureKillsTheActor) {
  StartRuntime();
  auto counter = ray::Actor(Counter::CreateFailing).Remote(1);
  try {
    ray::Get(counter.Task(&Counter::Value).Remote());
    FAIL() << "a call on an actor whose constructor threw returned";
  } catch (const ray::internal::RayActorException &e) {
    EXPECT_NE(std::string(e.what()).find("no counters today"), std::string::npos);
  }
}

TEST_F(ActorTest, KilledActorRejectsCalls) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).Remote(1);
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Value).Remote()), 1);
  counter.Kill();
  EXPECT_THROW(ray::Get(counter.Task(&Counter::Value).Remote()),
               ray::internal::RayActorException);
}

TEST_F(ActorTest, KillWithRestartRebuildsTheActorFromItsArguments) {
  StartRuntime();
  auto counter = ray::Actor(Counter::Create).SetMaxRestarts(1).Remote(5);
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Add).Remote(10)), 15);
  EXPECT_FALSE(*ray::Get(counter.Task(&Counter::Restarted).Remote()));
  counter.Kill(false);
  EXPECT_EQ(*ray::Get(counter.Task(&Counter::Value).Remote()), 5);
  EXPECT_TRUE(*ray::Get(counter.Task(&Counter::Restarted).Remote()));
  counter.Kill(false);  // no restarts left
  EXPECT_THROW(ray::Get(counter.Task(&Counter::Value).Remote()),
               ray::internal::RayActorException);
}

TEST_F(ActorTest, ShutdownWithQueuedCallsEnds) {
  StartRuntime();
  auto worker = ray::Actor(Worker::Create).Remote();
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 100; ++i) refs.push_back(worker.Task(&Worker::Busy).Remote(20));
  ray::Shutdown();
  EXPECT_FALSE(ray::IsInitialized());
}

}  // namespace
