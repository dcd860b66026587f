// Measures ray::Init time and the amortized cost of empty tasks (submit N tasks with
// an int argument, then Get all) on whatever Ray API this is built against: the
// bundled runtime, or Ray (against RAY_ADDRESS, or in Ray's local_mode when
// BENCH_LOCAL_MODE=1). Prints one line: init_ms=... task_us=...
//
//   backend_bench [tasks]
#include <ray/api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int Identity(int x) { return x; }
RAY_REMOTE(Identity);

int main(int argc, char **argv) {
  int tasks = argc > 1 ? std::atoi(argv[1]) : 10000;
  ray::RayConfig config;
  if (const char *address = std::getenv("RAY_ADDRESS")) config.address = address;
  const char *local = std::getenv("BENCH_LOCAL_MODE");
  config.local_mode = local != nullptr && *local == '1';
  auto start = std::chrono::steady_clock::now();
  ray::Init(config, argc, argv);
  auto initialized = std::chrono::steady_clock::now();
  // One round trip first, so worker start-up is not counted as task cost.
  ray::Get(ray::Task(Identity).Remote(0));
  auto warm = std::chrono::steady_clock::now();
  std::vector<ray::ObjectRef<int>> refs;
  refs.reserve(tasks);
  for (int i = 0; i < tasks; ++i) refs.push_back(ray::Task(Identity).Remote(i));
  long sum = 0;
  for (auto &value : ray::Get(refs)) sum += *value;
  auto done = std::chrono::steady_clock::now();
  std::fflush(stdout);
  ray::Shutdown();
  std::printf("init_ms=%.1f first_task_ms=%.1f task_us=%.2f checksum=%ld\n",
              std::chrono::duration<double, std::milli>(initialized - start).count(),
              std::chrono::duration<double, std::milli>(warm - initialized).count(),
              std::chrono::duration<double, std::micro>(done - warm).count() / tasks, sum);
  return 0;
}
