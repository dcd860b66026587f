// get-then-resubmit: a value fetched with ray::Get passed straight back to .Remote().
#include <ray/api.h>

#include <vector>

int step(int x) { return x + 1; }

struct Acc {
  int total = 0;
  int add(int x) { return total += x; }
};
Acc *CreateAcc() { return new Acc(); }

RAY_REMOTE(step, CreateAcc, &Acc::add);

int main(int argc, char **argv) {
  ray::Init();
  auto first = ray::Task(step).Remote(argc);
  auto second = ray::Task(step).Remote(*ray::Get(first));  // expect: get-then-resubmit
  ray::ActorHandle<Acc> acc = ray::Actor(CreateAcc).Remote();
  auto added = acc.Task(&Acc::add).Remote(*ray::Get(second));  // expect: get-then-resubmit
  auto fifth = ray::Task(step).Remote(*first.Get());  // expect: get-then-resubmit

  // Near misses: the ref itself, and a value computed from the result.
  auto third = ray::Task(step).Remote(second);
  auto fourth = ray::Task(step).Remote(*ray::Get(third) * 2);
  int v = *ray::Get(fourth) + *ray::Get(added) + *ray::Get(fifth);
  ray::Shutdown();
  return v;
}
