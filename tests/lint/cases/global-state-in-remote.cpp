// global-state-in-remote: registered functions and actor methods using mutable
// globals or statics.
#include <ray/api.h>

int g_calls = 0;
double g_scale = 2.0;
const int kLimit = 100;

int counts(int x) {  // expect: global-state-in-remote
  ++g_calls;
  return x;
}
double scaled(double x) { return x * g_scale; }  // expect: global-state-in-remote
int memo(int x) {  // expect: global-state-in-remote
  static int last = 0;
  last = x;
  return last;
}

struct Counter {
  int n = 0;
  int bump() { return n += kLimit; }  // near miss: own state and a constant
  int shared() { return g_calls; }  // expect: global-state-in-remote
};
Counter *CreateCounter() { return new Counter(); }

// Near miss: reads a constant, writes nothing global.
int clamp(int x) { return x > kLimit ? kLimit : x; }
// Near miss: uses a global but is never registered, so it never runs remotely.
int local_only() { return ++g_calls; }

RAY_REMOTE(counts, scaled, memo, clamp, CreateCounter, &Counter::bump, &Counter::shared);

int main(int argc, char **argv) {
  ray::Init();
  int v = *ray::Get(ray::Task(clamp).Remote(argc));
  ray::Shutdown();
  return v + local_only();
}
