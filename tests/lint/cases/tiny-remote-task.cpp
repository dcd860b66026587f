// tiny-remote-task: a loop submitting functions too cheap to pay for a task.
#include <ray/api.h>

#include <vector>

int square(int x) { return x * x; }
int twice(int x) { return square(x) * 2; }
int heavy(int x) {
  int s = 0;
  for (int i = 0; i < x; ++i) s += i;
  return s;
}
int via_heavy(int x) { return heavy(x) + 1; }

RAY_REMOTE(square, twice, heavy, via_heavy);

int main(int argc, char **argv) {
  ray::Init();
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 8; ++i) refs.push_back(ray::Task(square).Remote(i));  // expect: tiny-remote-task, moved-object-ref
  for (int i = 0; i < 8; ++i) refs.push_back(ray::Task(twice).Remote(i));  // expect: tiny-remote-task, moved-object-ref

  // Near misses: functions that loop (directly or through a callee), and a single
  // cheap task outside any loop.
  for (int i = 0; i < 8; ++i) refs.push_back(ray::Task(heavy).Remote(i));  // expect: moved-object-ref
  for (int i = 0; i < 8; ++i) refs.push_back(ray::Task(via_heavy).Remote(i));  // expect: moved-object-ref
  refs.push_back(ray::Task(square).Remote(argc));  // expect: moved-object-ref
  long sum = 0;
  for (auto &value : ray::Get(refs)) sum += *value;
  ray::Shutdown();
  return static_cast<int>(sum) & 1;
}
