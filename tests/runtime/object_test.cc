// ray::Put / ray::Get and ObjectRef semantics.
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include "runtime_fixture.h"

namespace {

struct Sample {
  std::string name;
  std::vector<double> values;
  int weight = 0;
  MSGPACK_DEFINE(name, values, weight);
};

using ObjectTest = RuntimeTest;

TEST_F(ObjectTest, PutGetRoundTripsStandardTypes) {
  StartRuntime();
  EXPECT_EQ(*ray::Get(ray::Put(42)), 42);
  EXPECT_EQ(*ray::Get(ray::Put(std::string("hello"))), "hello");
  std::map<std::string, int> counts{{"a", 1}, {"b", 2}};
  EXPECT_EQ(*ray::Get(ray::Put(counts)), counts);
  std::vector<double> values{1.5, -2.25, 1e300};
  EXPECT_EQ(*ray::Get(ray::Put(values)), values);
}

TEST_F(ObjectTest, PutGetRoundTripsUserStructs) {
  StartRuntime();
  Sample sample{"s", {0.1, 0.2}, 7};
  auto copy = ray::Get(ray::Put(sample));
  EXPECT_EQ(copy->name, "s");
  EXPECT_EQ(copy->values, sample.values);
  EXPECT_EQ(copy->weight, 7);
}

TEST_F(ObjectTest, PutStoresACopyTakenAtPutTime) {
  StartRuntime();
  std::vector<int> data{1, 2, 3};
  auto ref = ray::Put(data);
  data.push_back(4);
  EXPECT_EQ(*ray::Get(ref), (std::vector<int>{1, 2, 3}));
}

TEST_F(ObjectTest, EachGetReturnsAnIndependentCopy) {
  StartRuntime();
  auto ref = ray::Put(std::vector<int>{1});
  auto first = ray::Get(ref);
  first->push_back(2);
  EXPECT_EQ(ray::Get(ref)->size(), 1u);
}

TEST_F(ObjectTest, ObjectIdsAreDistinctAndSharedByCopies) {
  StartRuntime();
  auto a = ray::Put(1);
  auto b = ray::Put(1);
  ray::ObjectRef<int> copy = a;
  EXPECT_FALSE(a.ID().empty());
  EXPECT_NE(a.ID(), b.ID());
  EXPECT_EQ(copy.ID(), a.ID());
  EXPECT_TRUE(copy == a);
  EXPECT_EQ(*copy.Get(), 1);
}

TEST_F(ObjectTest, GetOfAVectorKeepsOrder) {
  StartRuntime();
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 100; ++i) refs.push_back(ray::Put(i * i));
  auto values = ray::Get(refs);
  ASSERT_EQ(values.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(*values[i], i * i);
}

TEST_F(ObjectTest, LargeObjectsSurviveTheRoundTrip) {
  StartRuntime();
  std::vector<double> big(1 << 20);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i) * 0.5;
  EXPECT_EQ(*ray::Get(ray::Put(big)), big);
}

TEST_F(ObjectTest, RefNotFromThisRuntimeIsAClearError) {
  StartRuntime();
  ray::ObjectRef<int> unknown("not-an-object");
  try {
    ray::Get(unknown);
    FAIL() << "Get of an unknown ObjectRef returned";
  } catch (const ray::internal::RayException &e) {
    EXPECT_NE(std::string(e.what()).find("does not name an object"), std::string::npos);
  }
}

}  // namespace

namespace {

double Negate(double x) { return -x; }
RAY_REMOTE(Negate);

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Values cross tasks bit for bit: a float holding a whole number must not come back
// as an integer (msgpack-cxx 4 packs 0.0 and -0.0 alike as the integer 0).
TEST_F(ObjectTest, FloatingPointValuesKeepEveryBit) {
  StartRuntime();
  const double values[] = {-0.0,
                           0.0,
                           1.0,
                           -3.0,
                           1e300,
                           -1e-300,
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()};
  for (double value : values) {
    EXPECT_TRUE(SameBits(*ray::Get(ray::Put(value)), value)) << value;
  }
  EXPECT_TRUE(std::signbit(*ray::Get(ray::Task(Negate).Remote(0.0))));
  EXPECT_TRUE(std::signbit(*ray::Get(ray::Put(-0.0f))));
  auto vector = *ray::Get(ray::Put(std::vector<double>{-0.0, 2.0}));
  EXPECT_TRUE(std::signbit(vector[0]));
}

long SumShared(const std::vector<int> &values) {
  long sum = 0;
  for (int value : values) sum += value;
  return sum;
}
size_t GrowOwnCopy(std::vector<int> values) {
  values.push_back(0);
  return values.size();
}
RAY_REMOTE(SumShared, GrowOwnCopy);

// Numbers, strings and their vectors and pairs are kept in the store as values rather
// than bytes: a const reference reads the kept value, a by-value parameter and every
// Get get copies of their own, so the value never changes.
TEST_F(ObjectTest, AValueKeptAsItIsStaysTheValuePut) {
  StartRuntime();
  auto ref = ray::Put(std::vector<int>{1, 2, 3});
  EXPECT_EQ(*ray::Get(ray::Task(SumShared).Remote(ref)), 6);
  EXPECT_EQ(*ray::Get(ray::Task(GrowOwnCopy).Remote(ref)), 4u);
  ray::Get(ref)->push_back(9);
  EXPECT_EQ(*ray::Get(ray::Task(SumShared).Remote(ref)), 6);
  EXPECT_EQ(*ray::Get(ref), (std::vector<int>{1, 2, 3}));
  auto pair = ray::Put(std::make_pair(std::string("a"), std::vector<double>{0.5}));
  EXPECT_EQ(ray::Get(pair)->second, std::vector<double>{0.5});
}

}  // namespace
