// ray::Task: registration, arguments, results, errors, ray::Wait.
#include <memory>
#include <stdexcept>

#include "runtime_fixture.h"

namespace {

struct Point {
  double x = 0;
  double y = 0;
  MSGPACK_DEFINE(x, y);
};

int Square(int x) { return x * x; }
int Add(int a, int b) { return a + b; }
double Scale(double value, double factor) { return value * factor; }
Point Midpoint(const Point &a, const Point &b) {
  return {(a.x + b.x) / 2, (a.y + b.y) / 2};
}
std::string Greet(const std::string &name) { return "hello " + name; }
int SlowIdentity(int x) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return x;
}
int Fails(int x) { throw std::runtime_error("bad input " + std::to_string(x)); }
int MutatesCopy(std::vector<int> &values) {
  values.push_back(99);
  return static_cast<int>(values.size());
}
std::atomic<int> g_side_effects{0};
void Touch(int amount) { g_side_effects += amount; }
int Unregistered(int x) { return x; }
int Overloaded(int x) { return x + 1; }
int Overloaded(int x, int y) { return x + y + 100; }
int Sleep(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return ms;
}

uintptr_t AddressOfData(const std::vector<int> &values) {
  return reinterpret_cast<uintptr_t>(values.data());
}
long SumAfterClearing(std::vector<int> values) {
  long sum = 0;
  for (int v : values) sum += v;
  values.clear();
  return sum;
}
long SumOf(const std::vector<int> &values) {
  long sum = 0;
  for (int v : values) sum += v;
  return sum;
}

template <typename T>
T Twice(T value) {
  return value + value;
}

struct MathTools {
  static int Cube(int x) { return x * x * x; }
};

namespace geometry {
double Area(double w, double h) { return w * h; }
}  // namespace geometry

RAY_REMOTE(Square, Add, Scale, Midpoint, Greet, SlowIdentity, Fails, MutatesCopy, Touch,
           Sleep);
RAY_REMOTE(RAY_FUNC(Overloaded, int), RAY_FUNC(Overloaded, int, int));
RAY_REMOTE(Twice<int>, Twice<std::string>, MathTools::Cube, geometry::Area);
RAY_REMOTE(AddressOfData, SumAfterClearing, SumOf);

// A global array as rayify sends one: 16 MiB, more than a thread's stack holds.
struct Field {
  double value[2048][1024];
  MSGPACK_DEFINE(value);
  auto rayify_fields() { return std::tie(value); }
};

double Corners(const Field &field) {
  return field.value[0][0] + field.value[2047][1023] + field.value[1024][512];
}

std::unique_ptr<Field> NumberedField() {
  auto field = std::make_unique<Field>();
  for (int i = 0; i < 2048; ++i)
    for (int j = 0; j < 1024; ++j) field->value[i][j] = i * 1024.0 + j;
  return field;
}

RAY_REMOTE(Corners);

using TaskTest = RuntimeTest;

TEST_F(TaskTest, RunsAFunctionAndReturnsItsResult) {
  StartRuntime();
  EXPECT_EQ(*ray::Get(ray::Task(Square).Remote(7)), 49);
  EXPECT_EQ(*ray::Task(Add).Remote(2, 3).Get(), 5);
}

TEST_F(TaskTest, ConvertsArgumentsToParameterTypes) {
  StartRuntime();
  EXPECT_DOUBLE_EQ(*ray::Get(ray::Task(Scale).Remote(3, 0.5)), 1.5);
  EXPECT_EQ(*ray::Get(ray::Task(Greet).Remote("ray")), "hello ray");
}

TEST_F(TaskTest, PassesAndReturnsUserStructs) {
  StartRuntime();
  auto mid = ray::Get(ray::Task(Midpoint).Remote(Point{0, 0}, Point{2, 4}));
  EXPECT_DOUBLE_EQ(mid->x, 1);
  EXPECT_DOUBLE_EQ(mid->y, 2);
}

TEST_F(TaskTest, AcceptsTemplatesStaticMembersAndNamespacedFunctions) {
  StartRuntime();
  EXPECT_EQ(*ray::Get(ray::Task(Twice<int>).Remote(21)), 42);
  EXPECT_EQ(*ray::Get(ray::Task(Twice<std::string>).Remote(std::string("ab"))), "abab");
  EXPECT_EQ(*ray::Get(ray::Task(MathTools::Cube).Remote(3)), 27);
  EXPECT_DOUBLE_EQ(*ray::Get(ray::Task(geometry::Area).Remote(2.0, 4.5)), 9.0);
}

TEST_F(TaskTest, RayFuncSelectsAnOverload) {
  StartRuntime();
  EXPECT_EQ(*ray::Get(ray::Task(RAY_FUNC(Overloaded, int)).Remote(1)), 2);
  EXPECT_EQ(*ray::Get(ray::Task(RAY_FUNC(Overloaded, int, int)).Remote(1, 2)), 103);
}

TEST_F(TaskTest, ObjectRefArgumentsAreResolvedBeforeTheCall) {
  StartRuntime();
  auto slow = ray::Task(SlowIdentity).Remote(6);
  auto squared = ray::Task(Square).Remote(slow);
  auto sum = ray::Task(Add).Remote(squared, ray::Put(4));
  EXPECT_EQ(*ray::Get(sum), 40);
}

TEST_F(TaskTest, CalleeGetsACopyOfReferenceArguments) {
  StartRuntime();
  std::vector<int> values{1, 2};
  EXPECT_EQ(*ray::Get(ray::Task(MutatesCopy).Remote(values)), 3);
  EXPECT_EQ(values.size(), 2u);
}

TEST_F(TaskTest, ConstReferenceParametersShareOneDecodedObject) {
  StartRuntime();
  auto table = ray::Put(std::vector<int>(1000, 3));
  auto first = ray::Task(AddressOfData).Remote(table);
  auto second = ray::Task(AddressOfData).Remote(table);
  EXPECT_EQ(*ray::Get(first), *ray::Get(second));
  // A value passed directly is still copied per task.
  std::vector<int> direct(10, 1);
  EXPECT_NE(*ray::Get(ray::Task(AddressOfData).Remote(direct)),
            reinterpret_cast<uintptr_t>(direct.data()));
}

TEST_F(TaskTest, ValueParametersGetTheirOwnCopyOfASharedObject) {
  StartRuntime();
  auto table = ray::Put(std::vector<int>{1, 2, 3});
  EXPECT_EQ(*ray::Get(ray::Task(SumOf).Remote(table)), 6);
  EXPECT_EQ(*ray::Get(ray::Task(SumAfterClearing).Remote(table)), 6);
  EXPECT_EQ(*ray::Get(ray::Task(SumOf).Remote(table)), 6);
  EXPECT_EQ(*ray::Get(table), (std::vector<int>{1, 2, 3}));
}

TEST_F(TaskTest, ArgumentsLargerThanAThreadsStackArriveIntact) {
  StartRuntime({"--num-cpus=2"});
  auto field = NumberedField();
  double expected = Corners(*field);
  auto field_ref = ray::Put(*field);
  EXPECT_EQ(*ray::Get(ray::Task(Corners).Remote(field_ref)), expected);
  EXPECT_EQ(*ray::Get(ray::Task(Corners).Remote(*field)), expected);  // sent as bytes
  EXPECT_EQ(Corners(*ray::Get(field_ref)), expected);
}

TEST_F(TaskTest, VoidTasksCompleteAndCanBeAwaited) {
  StartRuntime();
  g_side_effects = 0;
  ray::ObjectRef<void> done = ray::Task(Touch).Remote(5);
  done.Get();
  EXPECT_EQ(g_side_effects.load(), 5);
}

TEST_F(TaskTest, ManyTasksReturnResultsInSubmissionOrder) {
  StartRuntime();
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 2000; ++i) refs.push_back(ray::Task(Square).Remote(i));
  auto results = ray::Get(refs);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(*results[i], i * i);
}

TEST_F(TaskTest, UnregisteredFunctionIsRejected) {
  StartRuntime();
  EXPECT_THROW(ray::Task(Unregistered), ray::internal::RayFunctionNotFound);
}

TEST_F(TaskTest, ExceptionInATaskSurfacesAtGetWithNameAndMessage) {
  StartRuntime();
  auto ref = ray::Task(Fails).Remote(3);
  try {
    ray::Get(ref);
    FAIL() << "Get of a failed task returned";
  } catch (const ray::internal::RayTaskException &e) {
    std::string message = e.what();
    EXPECT_NE(message.find("Fails"), std::string::npos) << message;
    EXPECT_NE(message.find("bad input 3"), std::string::npos) << message;
  }
}

TEST_F(TaskTest, FailurePropagatesToDependentTasks) {
  StartRuntime();
  auto failed = ray::Task(Fails).Remote(1);
  auto dependent = ray::Task(Square).Remote(failed);
  try {
    ray::Get(dependent);
    FAIL() << "dependent task did not fail";
  } catch (const ray::internal::RayTaskException &e) {
    EXPECT_NE(std::string(e.what()).find("bad input 1"), std::string::npos);
  }
}

TEST_F(TaskTest, SetNameNamesTheTaskInErrors) {
  StartRuntime();
  auto ref = ray::Task(Fails).SetName("validation-step").Remote(0);
  try {
    ray::Get(ref);
    FAIL();
  } catch (const ray::internal::RayTaskException &e) {
    EXPECT_NE(std::string(e.what()).find("validation-step"), std::string::npos);
  }
}

TEST_F(TaskTest, GetWithTimeoutThrowsWhenTheObjectIsLate) {
  StartRuntime();
  auto ref = ray::Task(Sleep).Remote(500);
  EXPECT_THROW(ray::Get(ref, 10), ray::internal::RayTimeoutException);
  EXPECT_EQ(*ray::Get(ref), 500);
}

TEST_F(TaskTest, WaitSplitsReadyFromUnready) {
  StartRuntime({"--num-cpus=2"});
  auto fast = ray::Put(1);
  auto slow = ray::Task(Sleep).Remote(300);
  std::vector<ray::ObjectRef<int>> refs{slow, fast};
  auto result = ray::Wait(refs, 1, -1);
  ASSERT_EQ(result.ready.size(), 1u);
  ASSERT_EQ(result.unready.size(), 1u);
  EXPECT_EQ(result.ready.front().ID(), fast.ID());
  EXPECT_EQ(result.unready.front().ID(), slow.ID());
}

TEST_F(TaskTest, WaitReturnsAtTheTimeoutWithWhatIsReady) {
  StartRuntime();
  std::vector<ray::ObjectRef<int>> refs{ray::Task(Sleep).Remote(300)};
  auto result = ray::Wait(refs, 1, 20);
  EXPECT_TRUE(result.ready.empty());
  EXPECT_EQ(result.unready.size(), 1u);
}

TEST_F(TaskTest, WaitReportsAtMostNumObjectsReady) {
  StartRuntime();
  std::vector<ray::ObjectRef<int>> refs{ray::Put(1), ray::Put(2), ray::Put(3)};
  auto result = ray::Wait(refs, 2, -1);
  EXPECT_EQ(result.ready.size(), 2u);
  EXPECT_EQ(result.unready.size(), 1u);
}

TEST_F(TaskTest, WaitRejectsANumObjectsLargerThanTheList) {
  StartRuntime();
  std::vector<ray::ObjectRef<int>> refs{ray::Put(1)};
  EXPECT_THROW(ray::Wait(refs, 2, -1), ray::internal::RayException);
}

TEST_F(TaskTest, NonPositiveResourceIsRejected) {
  StartRuntime();
  EXPECT_THROW(ray::Task(Square).SetResource("CPU", 0).Remote(1),
               ray::internal::RayException);
  EXPECT_THROW(ray::Task(Square).SetResource("CPU", 1.5).Remote(1),
               ray::internal::RayException);
}

}  // namespace
