// Measures the bundled runtime's fixed costs against oneTBB and a plain loop, doing
// the same work in one process. Prints amortized cost per operation and the ratios.
//
//   build/bench/runtime_bench [repetitions]
//   build/bench/runtime_bench --window [tasks]   (1M tiny tasks, bounded; peak RSS)
#include <ray/api.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>

#include <sys/resource.h>
#include <vector>

namespace {

constexpr int kTasks = 100000;
constexpr int kActorCalls = 100000;
constexpr int kObjectRounds = 200;
constexpr size_t kObjectBytes = 1 << 20;

int Identity(int x) { return x; }

class Accumulator {
 public:
  static Accumulator *Create() { return new Accumulator(); }
  int Add(int x) { return total_ += x; }

 private:
  int total_ = 0;
};

RAY_REMOTE(Identity, Accumulator::Create, &Accumulator::Add);

// Keeps the compiler from dropping work whose result is otherwise unused.
volatile long g_sink = 0;

/// Median wall time in microseconds of `repetitions` runs of `body`.
double MedianMicros(int repetitions, const std::function<void()> &body) {
  std::vector<double> times;
  for (int r = 0; r < repetitions; ++r) {
    auto start = std::chrono::steady_clock::now();
    body();
    auto end = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

struct Row {
  const char *name;
  int operations;
  double ray_us, tbb_us, loop_us;
};

void PrintRow(const Row &row) {
  double ray = row.ray_us / row.operations;
  double tbb = row.tbb_us / row.operations;
  double loop = row.loop_us / row.operations;
  std::printf("%-22s %12.3f %12.3f %12.3f %10.1fx %10.1fx\n", row.name, ray, tbb, loop,
              ray / tbb, ray / loop);
}

Row EmptyTasks(int repetitions) {
  Row row{"empty task", kTasks, 0, 0, 0};
  row.ray_us = MedianMicros(repetitions, [] {
    std::vector<ray::ObjectRef<int>> refs;
    refs.reserve(kTasks);
    for (int i = 0; i < kTasks; ++i) refs.push_back(ray::Task(Identity).Remote(i));
    long sum = 0;
    for (auto &value : ray::Get(refs)) sum += *value;
    g_sink = sum;
  });
  row.tbb_us = MedianMicros(repetitions, [] {
    std::vector<int> results(kTasks);
    tbb::task_group group;
    for (int i = 0; i < kTasks; ++i)
      group.run([&results, i] { results[i] = Identity(i); });
    group.wait();
    g_sink = results.back();
  });
  row.loop_us = MedianMicros(repetitions, [] {
    std::vector<int> results(kTasks);
    for (int i = 0; i < kTasks; ++i) results[i] = Identity(i);
    g_sink = results.back();
  });
  return row;
}

Row ActorCalls(int repetitions) {
  Row row{"actor call", kActorCalls, 0, 0, 0};
  row.ray_us = MedianMicros(repetitions, [] {
    auto actor = ray::Actor(Accumulator::Create).Remote();
    std::vector<ray::ObjectRef<int>> refs;
    refs.reserve(kActorCalls);
    for (int i = 0; i < kActorCalls; ++i) {
      refs.push_back(actor.Task(&Accumulator::Add).Remote(1));
    }
    g_sink = *ray::Get(refs).back();
    actor.Kill();
  });
  // The same serialized state changes on oneTBB: tasks that take the object's lock.
  row.tbb_us = MedianMicros(repetitions, [] {
    Accumulator accumulator;
    std::mutex mutex;
    std::vector<int> results(kActorCalls);
    tbb::task_group group;
    for (int i = 0; i < kActorCalls; ++i) {
      group.run([&, i] {
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = accumulator.Add(1);
      });
    }
    group.wait();
    g_sink = results.back();
  });
  row.loop_us = MedianMicros(repetitions, [] {
    Accumulator accumulator;
    std::vector<int> results(kActorCalls);
    for (int i = 0; i < kActorCalls; ++i) results[i] = accumulator.Add(1);
    g_sink = results.back();
  });
  return row;
}

// `ray::Get(ray::Put(v))` hands the stored object to the Get of its last reference;
// with the reference kept for later reads, Get copies it.
Row PutGet(int repetitions, bool keep_reference) {
  Row row{keep_reference ? "Put+Get, ref kept" : "Put+Get of 1 MB", kObjectRounds, 0, 0,
          0};
  std::vector<char> payload(kObjectBytes, 'x');
  row.ray_us = MedianMicros(repetitions, [&] {
    for (int i = 0; i < kObjectRounds; ++i) {
      if (keep_reference) {
        auto ref = ray::Put(payload);
        g_sink = ray::Get(ref)->size();
      } else {
        g_sink = ray::Get(ray::Put(payload))->size();
      }
    }
  });
  // oneTBB has no object store; the nearest work is handing a copy to a task.
  row.tbb_us = MedianMicros(repetitions, [&] {
    for (int i = 0; i < kObjectRounds; ++i) {
      std::vector<char> copy;
      tbb::task_group group;
      group.run([&] { copy = payload; });
      group.wait();
      g_sink = copy.size();
    }
  });
  row.loop_us = MedianMicros(repetitions, [&] {
    for (int i = 0; i < kObjectRounds; ++i) {
      std::vector<char> copy = payload;
      g_sink = copy.size();
    }
  });
  return row;
}

long PeakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

// Submits `tasks` tiny tasks, never more than kWindow in flight (the converted loops'
// bound, here drained a window at a time), and reports the process's
// peak RSS. What is bounded is what the runtime keeps per task still in flight.
int RunWindow(long tasks) {
  constexpr size_t kWindow = 1000;
  long before = PeakRssKiB();
  auto start = std::chrono::steady_clock::now();
  ray::Init();
  std::vector<ray::ObjectRef<int>> window;
  window.reserve(kWindow);
  long sum = 0;
  for (long i = 0; i < tasks; ++i) {
    if (window.size() == kWindow) {
      for (auto &ref : window) sum += *ray::Get(ref);
      window.clear();
    }
    window.push_back(ray::Task(Identity).Remote(static_cast<int>(i % 1000)));
  }
  for (auto &ref : window) sum += *ray::Get(ref);
  ray::Shutdown();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_sink = sum;
  std::printf(
      "%ld tiny tasks, at most %zu in flight: %.3f s (%.2f us per task), peak RSS "
      "%.1f MB (%.1f MB before the runtime started)\n",
      tasks, kWindow, seconds, seconds * 1e6 / tasks, PeakRssKiB() / 1024.0,
      before / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "--window") {
    return RunWindow(argc > 2 ? std::atol(argv[2]) : 1000000);
  }
  int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  ray::Init();
  std::printf(
      "rayify bundled runtime vs oneTBB task_group vs plain loop "
      "(median of %d runs, microseconds per operation)\n\n",
      repetitions);
  std::printf("%-22s %12s %12s %12s %11s %11s\n", "operation", "bundled", "oneTBB",
              "loop", "vs oneTBB", "vs loop");
  PrintRow(EmptyTasks(repetitions));
  PrintRow(ActorCalls(repetitions));
  PrintRow(PutGet(repetitions, false));
  PrintRow(PutGet(repetitions, true));
  ray::Shutdown();
  return 0;
}
