// unbounded-submission: a loop with a run-time trip count submits without waiting.
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
  int n = argc * 1000;
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < n; ++i) refs.push_back(ray::Task(work).Remote(i));  // expect: unbounded-submission, moved-object-ref
  std::vector<int> inputs(n, 1);
  for (int x : inputs) {  // expect: unbounded-submission
    for (int k = 0; k < 2; ++k) refs.push_back(ray::Task(work).Remote(x + k));  // expect: moved-object-ref
  }

  // Near misses: a small constant trip count, and a ray::Wait window.
  for (int i = 0; i < 16; ++i) refs.push_back(ray::Task(work).Remote(i));  // expect: moved-object-ref
  std::vector<ray::ObjectRef<int>> window;
  for (int i = 0; i < n; ++i) {
    window.push_back(ray::Task(work).Remote(i));  // expect: moved-object-ref
    if (window.size() >= 64) ray::Wait(std::vector{window[window.size() - 64]}, 1, -1);
  }
  long sum = 0;
  for (auto &value : ray::Get(refs)) sum += *value;
  for (auto &value : ray::Get(window)) sum += *value;
  ray::Shutdown();
  return static_cast<int>(sum) & 1;
}
