// blocking-get-in-actor: ray::Get inside a method of an actor taking one call at a
// time.
#include <ray/api.h>

int work(int x) { return x * 3; }

struct Waiter {
  int last = 0;
  int fetch(int x) {
    last = *ray::Get(ray::Task(work).Remote(x));  // expect: blocking-get-in-actor
    return last;
  }
  int fetch_member(int x) { return *ray::Task(work).Remote(x).Get(); }  // expect: blocking-get-in-actor
};
Waiter *CreateWaiter() { return new Waiter(); }

// Near miss: the same shape, created with room for concurrent calls.
struct Pool {
  int fetch(int x) { return *ray::Get(ray::Task(work).Remote(x)); }
};
Pool *CreatePool() { return new Pool(); }

// Near miss: a class that is never an actor.
struct Helper {
  int fetch(int x) { return *ray::Get(ray::Task(work).Remote(x)); }
};

RAY_REMOTE(work, CreateWaiter, &Waiter::fetch, &Waiter::fetch_member, CreatePool,
           &Pool::fetch);

int main(int argc, char **argv) {
  ray::Init();
  ray::ActorHandle<Waiter> waiter = ray::Actor(CreateWaiter).Remote();
  ray::ActorHandle<Pool> pool = ray::Actor(CreatePool).SetMaxConcurrency(4).Remote();
  int v = *ray::Get(waiter.Task(&Waiter::fetch).Remote(argc)) +
          *ray::Get(pool.Task(&Pool::fetch).Remote(argc));
  ray::Shutdown();
  return v + Helper().fetch(1);
}
