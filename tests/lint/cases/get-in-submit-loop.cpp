// get-in-submit-loop: ray::Get on a task submitted in the same iteration.
#include <ray/api.h>

#include <vector>

int work(int x) {
  int s = 0;
  for (int i = 0; i < x; ++i) s += i;
  return s;
}
RAY_REMOTE(work);

int main(int argc, char **argv) {
  ray::Init();
  long sum = 0;
  for (int i = 0; i < 10; ++i) {
    auto ref = ray::Task(work).Remote(i);
    sum += *ray::Get(ref);  // expect: get-in-submit-loop
  }
  std::vector<int> inputs = {1, 2, 3};
  for (int x : inputs) sum += *ray::Get(ray::Task(work).Remote(x));  // expect: get-in-submit-loop
  for (int x : inputs) sum += *ray::Task(work).Remote(x).Get();  // expect: get-in-submit-loop

  // Near misses: refs gathered in the loop and fetched after it.
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 10; ++i) refs.push_back(ray::Task(work).Remote(i));  // expect: moved-object-ref
  for (auto &ref : refs) sum += *ray::Get(ref);
  // The next submission needs this result: the loop is sequential by nature.
  int seed = 1;
  for (int i = 0; i < 4; ++i) {
    auto next = ray::Task(work).Remote(seed);
    seed = *ray::Get(next);
  }
  // A while loop polling one task at a time is left alone.
  int left = 3;
  while (left-- > 0) sum += *ray::Get(ray::Task(work).Remote(left));
  ray::Shutdown();
  return static_cast<int>(sum + seed) & 1;
}
