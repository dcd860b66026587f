// The bundled store beyond Ray's API (so not among the sources compat.ray_headers
// compiles against Ray's headers): a Get of a reference its caller gives up takes the
// stored object instead of copying it.
#include "runtime_fixture.h"

namespace {

using StoreTest = RuntimeTest;

long TotalOf(const std::vector<int> &values) {
  long sum = 0;
  for (int v : values) sum += v;
  return sum;
}
std::vector<int> MakeNumbers(int count) { return std::vector<int>(count, 7); }
RAY_REMOTE(MakeNumbers, TotalOf);

// A Get of a temporary reference that is the object's last takes the stored object
// instead of copying it, and the object is the caller's to change. Whether a task's
// result is taken depends on whether its worker has let go of the result yet, so only
// the value is checked there.
TEST_F(StoreTest, GetOfTheLastReferenceTakesTheStoredObject) {
  StartRuntime();
  auto ref = ray::Put(std::vector<int>{1, 2});
  const std::vector<int> *stored = static_cast<const std::vector<int> *>(
      ray::internal::ObjectRefAccess::Entry(ref)->TypedValue(typeid(std::vector<int>)));
  auto put = ray::Get(std::move(ref));
  EXPECT_EQ(put.get(), stored);
  put->push_back(3);
  EXPECT_EQ(*put, (std::vector<int>{1, 2, 3}));
  auto numbers = ray::Get(ray::Task(MakeNumbers).Remote(1000));
  numbers->push_back(8);
  EXPECT_EQ(numbers->size(), 1001u);
}

// Another reference, or a task still reading the value, keeps it shared: the rvalue
// Get copies, and every reader sees the value put.
TEST_F(StoreTest, GetOfAnRvalueCopiesWhileOtherReferencesRemain) {
  StartRuntime();
  auto ref = ray::Put(std::vector<int>{1, 2, 3});
  ray::ObjectRef<std::vector<int>> other = ref;
  auto first = ray::Get(std::move(ref));
  first->push_back(4);
  EXPECT_EQ(*ray::Get(other), (std::vector<int>{1, 2, 3}));
  auto sum = ray::Task(TotalOf).Remote(other);
  EXPECT_EQ(*ray::Get(std::move(other)), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(*ray::Get(sum), 6);
}

// Reading a reference again after std::move handed its value out fails loudly, for a
// Get and for a task given it, rather than finding an empty object.
TEST_F(StoreTest, AReferenceWhoseValueWasTakenFailsWhenReadAgain) {
  StartRuntime();
  auto ref = ray::Put(std::vector<int>{5, 6});
  EXPECT_EQ(*ray::Get(std::move(ref)), (std::vector<int>{5, 6}));
  try {
    ray::Get(ref);
    FAIL() << "a second Get of a taken object returned";
  } catch (const ray::internal::RayException &error) {
    EXPECT_NE(std::string(error.what()).find("moved out"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(ray::Get(ray::Task(TotalOf).Remote(ref)), ray::internal::RayException);
}

}  // namespace
