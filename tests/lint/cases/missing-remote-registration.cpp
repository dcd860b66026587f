// missing-remote-registration: submitted functions no RAY_REMOTE registers.
#include <ray/api.h>

int registered(int x) { return x + 1; }
int forgotten(int x) { return x + 2; }
int defined_elsewhere(int x);  // near miss: its file may register it

struct Store {
  int v = 0;
  int get() { return v; }
  int peek() { return v; }
};
Store *CreateStore() { return new Store(); }
Store *CreateOtherStore() { return new Store(); }

RAY_REMOTE(registered, CreateStore, &Store::get);

int main(int argc, char **argv) {
  ray::Init();
  auto a = ray::Task(registered).Remote(1);
  auto b = ray::Task(forgotten).Remote(2);  // expect: missing-remote-registration
  auto c = ray::Task(forgotten).Remote(3);  // reported once per function
  ray::ActorHandle<Store> store = ray::Actor(CreateStore).Remote();
  auto d = store.Task(&Store::get).Remote();
  auto e = store.Task(&Store::peek).Remote();  // expect: missing-remote-registration
  auto other = ray::Actor(CreateOtherStore).Remote();  // expect: missing-remote-registration
  int sum = *ray::Get(a) + *ray::Get(b) + *ray::Get(c) + *ray::Get(d) + *ray::Get(e);
  (void)other;
  ray::Shutdown();
  return sum + defined_elsewhere(0);
}
