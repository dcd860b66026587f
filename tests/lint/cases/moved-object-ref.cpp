// moved-object-ref: a ray::ObjectRef is moved, which on Ray loses the owner of an
// object whose only ref it was.
#include <ray/api.h>

#include <deque>
#include <utility>
#include <vector>

int work(int x) { return x * 2; }
RAY_REMOTE(work);

void Keep(ray::ObjectRef<int> &&ref, std::vector<ray::ObjectRef<int>> &refs) {
  refs.push_back(ref);
}

template <typename T>
const ray::ObjectRef<T> &CopyOf(const ray::ObjectRef<T> &ref) {
  return ref;
}

ray::ObjectRef<int> Submit(int x) {
  ray::ObjectRef<int> ref = ray::Task(work).Remote(x);
  return ref;  // elided: nothing is moved
}

int main() {
  ray::Init();
  std::vector<ray::ObjectRef<int>> refs;
  std::deque<ray::ObjectRef<int>> queue;
  std::vector<std::pair<int, ray::ObjectRef<int>>> indexed;
  refs.push_back(ray::Task(work).Remote(1));  // expect: moved-object-ref
  refs.emplace_back(ray::Task(work).Remote(2));  // expect: moved-object-ref
  queue.push_back(ray::Task(work).Remote(3));  // expect: moved-object-ref
  indexed.emplace_back(0, ray::Task(work).Remote(4));  // expect: moved-object-ref
  auto named = ray::Task(work).Remote(5);
  ray::ObjectRef<int> taken = std::move(named);  // expect: moved-object-ref
  Keep(ray::Task(work).Remote(6), refs);  // expect: moved-object-ref

  // Near misses: copies of a named ref or through a const reference, a ref
  // initialised in place, an elided return, move assignment (Ray's takes the new
  // reference first), and Ray's own functions.
  auto kept = ray::Task(work).Remote(7);
  refs.push_back(kept);
  refs.push_back(CopyOf(ray::Task(work).Remote(8)));
  indexed.emplace_back(1, CopyOf(ray::Task(work).Remote(9)));
  ray::ObjectRef<int> in_place = ray::Task(work).Remote(10);
  ray::ObjectRef<int> from_function = Submit(11);
  ray::ObjectRef<int> assigned;
  assigned = ray::Task(work).Remote(12);
  int sum = *ray::Get(ray::Task(work).Remote(13)) + *ray::Get(std::move(kept));
  for (auto &value : ray::Get(refs)) sum += *value;
  for (auto &value : queue) sum += *ray::Get(value);
  for (auto &[index, ref] : indexed) sum += index + *ray::Get(ref);
  sum += *ray::Get(taken) + *ray::Get(in_place) + *ray::Get(from_function) +
         *ray::Get(assigned);
  ray::Shutdown();
  return sum;
}
