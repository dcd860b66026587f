// invalid-resource: amounts Ray rejects, and annotations rayify cannot read.
#include <ray/api.h>

int work(int x) {
  int s = 0;
  for (int i = 0; i < x; ++i) s += i;
  return s;
}

// rayify: resources(CPU=2, memory=4 parsecs)
int annotated(int x) { return work(x); }  // expect: invalid-resource

// rayify: resources(CPU=1, memory=512MB)
int well_annotated(int x) { return work(x); }

RAY_REMOTE(work, annotated, well_annotated);

int main(int argc, char **argv) {
  ray::Init();
  constexpr double kHalfCpu = 0.5;
  auto a = ray::Task(work).SetResource("CPU", 0).Remote(1);  // expect: invalid-resource
  auto b = ray::Task(work).SetResource("CPU", -1).Remote(2);  // expect: invalid-resource
  auto c = ray::Task(work).SetResource("CPU", 2.5).Remote(3);  // expect: invalid-resource
  // Near misses: fractions up to 1, whole numbers above, a run-time amount.
  auto d = ray::Task(work).SetResource("CPU", kHalfCpu).Remote(4);
  auto e = ray::Task(work).SetResource("CPU", 4).SetResource("memory", 1e9).Remote(5);
  auto f = ray::Task(work).SetResource("CPU", argc * 1.5).Remote(6);
  int v = *ray::Get(a) + *ray::Get(b) + *ray::Get(c) + *ray::Get(d) + *ray::Get(e) +
          *ray::Get(f);
  ray::Shutdown();
  return v;
}
