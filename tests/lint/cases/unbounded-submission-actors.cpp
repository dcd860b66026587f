// unbounded-submission: loops over a pool of actors are bounded by the pool, however
// they walk it; a loop that may call an actor more often than the pool holds is not.
#include <ray/api.h>

#include <cstddef>
#include <utility>
#include <vector>

struct Counter {
  long total = 0;
  long add(long x) { return total += x; }
};
Counter *CreateCounter() { return new Counter(); }

RAY_REMOTE(CreateCounter, &Counter::add);

int main(int argc, char **argv) {
  ray::Init();
  int n = argc * 1000;
  std::vector<ray::ActorHandle<Counter>> pool;
  for (int i = 0; i < 4; ++i) pool.emplace_back(ray::Actor(CreateCounter).Remote());

  // One call per actor: by element, and by a counter kept beside its value.
  std::vector<ray::ObjectRef<long>> sums;
  for (auto &actor : pool) sums.push_back(actor.Task(&Counter::add).Remote(1));  // expect: moved-object-ref
  std::vector<std::pair<std::size_t, ray::ObjectRef<long>>> kept;
  for (std::size_t i = 0; i < pool.size(); ++i)
    kept.emplace_back(i, pool[i].Task(&Counter::add).Remote(2));  // expect: moved-object-ref

  // Near misses: the same actor every iteration, and a pool the loop grows.
  for (int i = 0; i < n; ++i)  // expect: unbounded-submission
    sums.push_back(pool[0].Task(&Counter::add).Remote(i));  // expect: moved-object-ref
  for (std::size_t i = 0; i < pool.size() && i < static_cast<std::size_t>(n); ++i) {  // expect: unbounded-submission
    sums.push_back(pool[i].Task(&Counter::add).Remote(3));  // expect: moved-object-ref
    pool.push_back(ray::Actor(CreateCounter).Remote());
  }

  long total = 0;
  for (auto &value : ray::Get(sums)) total += *value;
  for (auto &[i, ref] : kept) total += static_cast<long>(i) * *ray::Get(ref);
  ray::Shutdown();
  return static_cast<int>(total & 1);
}
