// Integer sums, minima and maxima updated in an inner loop, as in fannkuch-redux's
// checksum and maximum: each task folds its runs into one value (a sum modulo 2^64,
// the largest or smallest candidate) and the driver replays the statement once on it.
// The unsigned total wraps many times and the char total overflows its type, so the
// converted program prints the same only if the fold wraps exactly as the runs did.
// Some iterations offer no candidate at all. The double sum beside them still goes
// back run by run, to be added in the original order. Maxima and minima of doubles
// fold as well, with NaNs, infinities and signed zeros among the candidates, and so
// do argmax and argmin statements, with ties.
//
// The second loop has many cheap iterations, run in chunks: a statement run once per
// iteration folds across the chunk's iterations, so each chunk sends one result. The
// third has two statements changing one value, which must not be regrouped.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>

// Converted by rayify from folds.cpp: independent loops run as Ray tasks, stateful
// classes as Ray actors.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <limits>
#include <sys/resource.h>
#include <thread>
#include <tuple>
#include <utility>

// Appends one run of values to what a task returns. Growing the list is out of
// line, taking the values by value, so that a sum computed in a register stays
// there while it is computed; the common case, room left, is a store.
template <typename Results, typename... Values>
__attribute__((noinline)) static void rayify_append_grown(Results &results,
                                                           Values... values) {
  results.emplace_back(std::move(values)...);
}
template <typename Results, typename... Values>
static inline void rayify_append(Results &results, Values... values) {
  if (__builtin_expect(results.size() < results.capacity(), 1))
    results.emplace_back(std::move(values)...);
  else
    rayify_append_grown(results, std::move(values)...);
}

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

// Microseconds of the driver's work since it was made: the wall's time, or the
// thread's CPU time when the scheduler gave the CPU to another thread meanwhile
// (the wall would count that thread's turn too) and this one never waited.
class rayify_driver_clock {
 public:
  rayify_driver_clock()
      : switches_(Switches()), cpu_(CpuNanoseconds()),
        wall_(std::chrono::steady_clock::now()) {}
  double Microseconds() const {
    const std::chrono::duration<double, std::micro> wall =
        std::chrono::steady_clock::now() - wall_;
    const Counts now = Switches();
    if (now.waited != switches_.waited || now.preempted == switches_.preempted)
      return wall.count();
    return (CpuNanoseconds() - cpu_) / 1e3;
  }

 private:
  // Times the thread gave up its CPU to wait, and times another took it.
  struct Counts {
    long waited = 0;
    long preempted = 0;
  };
  static Counts Switches() {
    Counts counts;
#ifdef RUSAGE_THREAD
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    counts.waited = usage.ru_nvcsw;
    counts.preempted = usage.ru_nivcsw;
#endif
    return counts;
  }
  static double CpuNanoseconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
  }

  Counts switches_;
  double cpu_;
  std::chrono::steady_clock::time_point wall_;
};

// Runs the loop's first iterations here, timed, and the others too when a chunk
// of them would take less than `least_microseconds`: too little work to pay for
// a task. Returns the first iteration left to the tasks (`end` when none is).
// RAYIFY_ALWAYS_TASKS=1 leaves them all to the tasks.
template <typename Counter, typename Here>
static Counter rayify_run_first_here(Counter begin, Counter end, Counter chunk,
                                     double least_microseconds, const Here &here) {
  static const char *const always = std::getenv("RAYIFY_ALWAYS_TASKS");
  if (!(begin < end) || (always != nullptr && std::strcmp(always, "0") != 0))
    return begin;
  const Counter tried = std::min<Counter>(std::max<Counter>(1, chunk / 8), end - begin);
  const rayify_driver_clock clock;
  here(begin, static_cast<Counter>(begin + tried));
  if (clock.Microseconds() / static_cast<double>(tried) * static_cast<double>(chunk) >=
      least_microseconds)
    return static_cast<Counter>(begin + tried);
  here(static_cast<Counter>(begin + tried), end);
  return end;
}

#line 20
// A value in [0, 100000) from a seed, after some work: about 40 µs per call.
long sample(int seed)
{
    double x = 0.5 + seed * 1e-7;
    for (int r = 0; r < 20000; ++r)
        x = std::fmod(x * 3.9999 * (1.0 - x) + 1e-9, 1.0);
    return static_cast<long>(x * 100000.0);
}

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; ++d)
        if (n % d == 0)
            return false;
    return true;
}

static int digit_sum(long n)
{
    int s = 0;
    for (; n > 0; n /= 10)
        s += static_cast<int>(n % 10);
    return s;
}

// What one iteration of the loop at line 75 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_75_result {
    unsigned long long signed_total{};
    unsigned long long wrapped{};
    unsigned long long small_total{};
    int largest{};
    short highest{};
    long long lowest{};
    int below{};
    unsigned long long count{};
    std::vector<double> mean{};
    double peak{};
    double signed_zero{};
    float least{};
    double untouched{};
    std::vector<double> last_zero{};
    std::vector<double> kept_nan{};
    std::vector<std::tuple<int, int>> first_top{};
    std::vector<std::tuple<int, int>> last_top{};
    std::vector<std::tuple<int, int, int>> bottom{};
    std::vector<std::tuple<double, int>> best_x{};
    MSGPACK_DEFINE(signed_total, wrapped, small_total, largest, highest, lowest, below, count, mean, peak, signed_zero, least, untouched, last_zero, kept_nan, first_top, last_top, bottom, best_x);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(signed_total, wrapped, small_total, largest, highest, lowest, below, count, mean, peak, signed_zero, least, untouched, last_zero, kept_nan, first_top, last_top, bottom, best_x); }
};

// One iteration of the loop at line 75 of main(), run as a Ray task.
static main_loop_75_result main_loop_75(int k) {
    main_loop_75_result iteration_result;
    // The sum of this iteration's values for 'signed_total', modulo 2^64: integer sums wrap alike.
    // The sum of this iteration's values for 'wrapped', modulo 2^64: integer sums wrap alike.
    // The sum of this iteration's values for 'small_total', modulo 2^64: integer sums wrap alike.
    // The largest value this iteration offers 'largest' (none: the lowest).
    iteration_result.largest = std::numeric_limits<int>::lowest();
    // The largest value this iteration offers 'highest' (none: the lowest).
    iteration_result.highest = std::numeric_limits<short>::lowest();
    // The smallest value this iteration offers 'lowest' (none: the highest).
    iteration_result.lowest = std::numeric_limits<long long>::max();
    // The smallest value this iteration offers 'below' (none: the highest).
    iteration_result.below = std::numeric_limits<int>::max();
    // The sum of this iteration's values for 'count', modulo 2^64: integer sums wrap alike.
    // The largest value this iteration offers 'peak' (none: the lowest).
    iteration_result.peak = -std::numeric_limits<double>::infinity();
    // The largest value this iteration offers 'signed_zero' (none: the lowest).
    iteration_result.signed_zero = -std::numeric_limits<double>::infinity();
    // The smallest value this iteration offers 'least' (none: the highest).
    iteration_result.least = std::numeric_limits<float>::infinity();
    // The smallest value this iteration offers 'untouched' (none: the highest).
    iteration_result.untouched = std::numeric_limits<double>::infinity();
    for (int i = 0; i < k % 5 * 10; i++) {
        long v = sample(k * 50 + i);
        int w = static_cast<int>(v % 977) - 488;
        iteration_result.signed_total += static_cast<unsigned long long>((v - 50000));
        iteration_result.wrapped += static_cast<unsigned long long>((static_cast<unsigned>(v) * 2654435761u));
        iteration_result.small_total += static_cast<unsigned long long>(static_cast<char>(w));
        iteration_result.largest = std::max<int>(iteration_result.largest, w);
        short s = static_cast<short>(w / 3);
        iteration_result.highest = std::max<short>(iteration_result.highest, s);
        iteration_result.lowest = std::min<long long>(iteration_result.lowest, (static_cast<long long>(v) - 3));
        if (v % 3 == 0) iteration_result.below = std::min<int>(iteration_result.below, w);
        iteration_result.count += static_cast<unsigned long long>((v > 50000));
        rayify_append(iteration_result.mean, (v * 1e-5));
        double x = v % 89 == 0 ? std::nan("") : (v % 7 == 0 ? -HUGE_VAL : v * 1e-3);
        iteration_result.peak = std::max<double>(iteration_result.peak, x);
        double z = v % 2 == 0 ? 0.0 : -0.0;
        iteration_result.signed_zero = std::max<double>(iteration_result.signed_zero, z);
        float f = v % 83 == 0 ? std::nanf("") : static_cast<float>(w) * 0.5f;
        iteration_result.least = std::min<float>(iteration_result.least, f);
        iteration_result.untouched = std::min<double>(iteration_result.untouched, x);
        double tie = i == 0 ? 0.0 : -0.0;
        rayify_append(iteration_result.last_zero, tie);
        double maybe = k == 23 && i == 29 ? std::nan("") : tie;
        rayify_append(iteration_result.kept_nan, maybe);
        int at = k * 100 + i;
        int level = w / 100;
        if (level > (iteration_result.first_top.empty() ? std::numeric_limits<int>::lowest() : std::get<0>(iteration_result.first_top.front()))) iteration_result.first_top.assign(1, std::make_tuple(level, at));
        if (level >= (iteration_result.last_top.empty() ? std::numeric_limits<int>::lowest() : std::get<0>(iteration_result.last_top.front()))) iteration_result.last_top.assign(1, std::make_tuple(level, at));
        if (level < (iteration_result.bottom.empty() ? std::numeric_limits<int>::max() : std::get<0>(iteration_result.bottom.front()))) iteration_result.bottom.assign(1, std::make_tuple(level, k, i));
        double y = v % 5 == 0 ? tie : x;
        if (y > (iteration_result.best_x.empty() ? -std::numeric_limits<double>::infinity() : std::get<0>(iteration_result.best_x.front()))) iteration_result.best_x.assign(1, std::make_tuple(y, at));
    }
    return iteration_result;
}

// What one iteration of the loop at line 142 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_142_result {
    unsigned long long primes{};
    unsigned long long digits{};
    int widest{};
    MSGPACK_DEFINE(primes, digits, widest);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(primes, digits, widest); }
};

// One iteration of the loop at line 142 of main(), run as a Ray task.
static main_loop_142_result main_loop_142(long n) {
    main_loop_142_result iteration_result_2;
    // The sum of this iteration's values for 'digits', modulo 2^64: integer sums wrap alike.
    // The largest value this iteration offers 'widest' (none: the lowest).
    iteration_result_2.widest = std::numeric_limits<int>::lowest();
    if (is_prime(n))
        ++iteration_result_2.primes;
    int s = digit_sum(n * 7919);
    iteration_result_2.digits += static_cast<unsigned long long>(s);
    iteration_result_2.widest = std::max<int>(iteration_result_2.widest, s);
    return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 142 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_142_result> main_loop_142_chunk(long chunk_begin, long chunk_end) {
    std::vector<main_loop_142_result> chunk_results;
    // Every update folds: the iterations' results fold into one.
    for (long n = chunk_begin; n < chunk_end; ++n) {
        auto one = main_loop_142(n);
        if (chunk_results.empty()) {
            chunk_results.push_back(std::move(one));
            continue;
        }
        chunk_results.front().primes += one.primes;
        chunk_results.front().digits += one.digits;
        chunk_results.front().widest = std::max(chunk_results.front().widest, one.widest);
    }
    return chunk_results;
}

// What one iteration of the loop at line 155 of main() leaves for the driver
// to apply, in iteration order.
struct main_loop_155_result {
    unsigned long long mixed{};
    unsigned long long mixed_2{};
    MSGPACK_DEFINE(mixed, mixed_2);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(mixed, mixed_2); }
};

// One iteration of the loop at line 155 of main(), run as a Ray task.
static main_loop_155_result main_loop_155(long n) {
    main_loop_155_result iteration_result_3;
    int s = digit_sum(n * 7919);
    if (s % 3 == 0)
        ++iteration_result_3.mixed;
    if (s % 5 == 0)
        ++iteration_result_3.mixed_2;
    return iteration_result_3;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 155 of main(), run one after the other
// as one Ray task.
static std::vector<main_loop_155_result> main_loop_155_chunk(long chunk_begin, long chunk_end) {
    std::vector<main_loop_155_result> chunk_results;
    for (long n = chunk_begin; n < chunk_end; ++n)
        chunk_results.push_back(main_loop_155(n));
    return chunk_results;
}

static int rayify_original_main()
{
#line 49
    long signed_total = -7;
    unsigned wrapped = 4000000000u;
    char small_total = 0;
    int largest = INT_MIN;
    short highest = -1;
    long long lowest = LLONG_MAX;
    int below = 1 << 20;
    long count = 0;
    double mean = 0.0;
    // Maxima and minima of doubles fold too, as the first of the largest: NaNs are
    // never taken, and of +0.0 and -0.0 the earlier stays.
    double peak = -1.0;
    double signed_zero = -1.0;
    float least = std::numeric_limits<float>::infinity();
    double untouched = std::nan("");
    // These two must not fold: `>=` keeps the last of equal values (each task's first
    // zero is +0.0, every other -0.0), and std::max(e, t) takes the NaN that comes last.
    double last_zero = -1.0;
    double kept_nan = -1.0;
    // Argmax and argmin: each task keeps the one run its comparison would have kept
    // last: the first of equal values for `>`, the last for `>=`.
    int first_top = -1, first_top_at = -1, last_top = -1, last_top_at = -1;
    int bottom = 1000, bottom_k = -1, bottom_i = -1;
    double best_x = -1.0;
    int best_x_at = -1;
    bool best_x_seen = false;
    std::deque<ray::ObjectRef<main_loop_75_result>> main_loop_75_refs;
#line 75
    for (int k = 0; k < 24; k++) {
        main_loop_75_refs.push_back(rayify_copy_of(ray::Task(main_loop_75).SetResource("CPU", 1).Remote(k)));
    }
    while (!main_loop_75_refs.empty()) {
        const auto main_loop_75_iteration = ray::Get(std::move(main_loop_75_refs.front()));
        main_loop_75_refs.pop_front();
        signed_total -= main_loop_75_iteration->signed_total;
        wrapped += main_loop_75_iteration->wrapped;
        small_total = small_total + main_loop_75_iteration->small_total;
        if (main_loop_75_iteration->largest >= largest) largest = main_loop_75_iteration->largest;
        if (highest < main_loop_75_iteration->highest) highest = main_loop_75_iteration->highest;
        lowest = std::min(lowest, main_loop_75_iteration->lowest);
        below = std::min(main_loop_75_iteration->below, below);
        count += main_loop_75_iteration->count;
        for (const auto &update : main_loop_75_iteration->mean)
            mean += update;
        if (main_loop_75_iteration->peak > peak)
            peak = main_loop_75_iteration->peak;
        signed_zero = std::max(signed_zero, main_loop_75_iteration->signed_zero);
        if (least > main_loop_75_iteration->least)
            least = main_loop_75_iteration->least;
        untouched = std::min(untouched, main_loop_75_iteration->untouched);
        for (const auto &update_2 : main_loop_75_iteration->last_zero)
            if (update_2 >= last_zero)
                last_zero = update_2;
        for (const auto &update_3 : main_loop_75_iteration->kept_nan)
            kept_nan = std::max(update_3, kept_nan);
        for (const auto &update_4 : main_loop_75_iteration->first_top)
            if (std::get<0>(update_4) > first_top) {
                first_top = std::get<0>(update_4);
                first_top_at = std::get<1>(update_4);
            }
        for (const auto &update_5 : main_loop_75_iteration->last_top)
            if (last_top <= std::get<0>(update_5)) {
                last_top = std::get<0>(update_5);
                last_top_at = std::get<1>(update_5);
            }
        for (const auto &update_6 : main_loop_75_iteration->bottom)
            if (std::get<0>(update_6) < bottom) {
                bottom = std::get<0>(update_6);
                bottom_k = std::get<1>(update_6);
                bottom_i = std::get<2>(update_6);
            }
        for (const auto &update_7 : main_loop_75_iteration->best_x)
            if (std::get<0>(update_7) > best_x) {
                best_x = std::get<0>(update_7);
                best_x_at = std::get<1>(update_7);
                best_x_seen = true;
            }
    }
#line 126
    std::printf("signed_total = %ld\n", signed_total);
    std::printf("wrapped = %u\n", wrapped);
    std::printf("small_total = %d\n", small_total);
    std::printf("largest = %d, highest = %d\n", largest, highest);
    std::printf("lowest = %lld, below = %d\n", lowest, below);
    std::printf("count = %ld, mean = %.17g\n", count, mean);
    std::printf("peak = %.17g, signed_zero = %g, least = %.9g, untouched = %g\n", peak,
                signed_zero, least, untouched);
    std::printf("last_zero = %g, kept_nan = %g\n", last_zero, kept_nan);
    std::printf("first_top = %d at %d, last_top = %d at %d, bottom = %d at %d/%d\n",
                first_top, first_top_at, last_top, last_top_at, bottom, bottom_k, bottom_i);
    std::printf("best_x = %g at %d (%d)\n", best_x, best_x_at, best_x_seen);

    long primes = 0;
    unsigned short digits = 0;
    int widest = 0;
    // The loop as written, for iterations that run here.
    const auto main_loop_142_here = [&](long main_loop_142_from, long main_loop_142_to) {
        for (long n = main_loop_142_from; n < main_loop_142_to; ++n) {
            if (is_prime(n))
                ++primes;
            int s = digit_sum(n * 7919);
            digits += s;
            if (s > widest)
                widest = s;
        }
    };
    // About 8 chunks of iterations per CPU, one task each.
    const long main_loop_142_chunk_size = std::max<long>(
        1, (400000 - 0) / static_cast<long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    // A few iterations run here first, timed; the rest are tasks only if a chunk
    // would take 1000 us or more (min-chunk-microseconds), else they run here too.
    const long main_loop_142_start = rayify_run_first_here<long>(0, 400000, main_loop_142_chunk_size, 1000, main_loop_142_here);
    if (main_loop_142_start < 400000) {
        std::deque<ray::ObjectRef<std::vector<main_loop_142_result>>> main_loop_142_refs;
        for (long main_loop_142_first = main_loop_142_start; main_loop_142_first < 400000; main_loop_142_first += main_loop_142_chunk_size) {
            long main_loop_142_last = 400000 - main_loop_142_first > main_loop_142_chunk_size ? main_loop_142_first + main_loop_142_chunk_size : 400000;
            main_loop_142_refs.push_back(rayify_copy_of(ray::Task(main_loop_142_chunk).SetResource("CPU", 1).Remote(main_loop_142_first, main_loop_142_last)));
            // At most 64 tasks in flight: wait for the oldest one first.
            if (main_loop_142_refs.size() >= 64)
                ray::Wait(std::vector{main_loop_142_refs[main_loop_142_refs.size() - 64]}, 1, -1);
        }
        while (!main_loop_142_refs.empty()) {
            const auto main_loop_142_results = ray::Get(std::move(main_loop_142_refs.front()));
            main_loop_142_refs.pop_front();
            for (const auto &main_loop_142_iteration : *main_loop_142_results) {
                for (unsigned long long times = 0; times < main_loop_142_iteration.primes; ++times)
                    ++primes;
                digits += main_loop_142_iteration.digits;
                if (main_loop_142_iteration.widest > widest)
                    widest = main_loop_142_iteration.widest;
            }
        }
    }
#line 150
    std::printf("primes = %ld, digits = %d, widest = %d\n", primes, digits, widest);

    // Two statements without parts change one value: replayed run by run in order, as
    // tripling and adding one do not commute, so these chunks send every iteration.
    unsigned mixed = 1;
    // The loop as written, for iterations that run here.
    const auto main_loop_155_here = [&](long main_loop_155_from, long main_loop_155_to) {
        for (long n = main_loop_155_from; n < main_loop_155_to; ++n) {
            int s = digit_sum(n * 7919);
            if (s % 3 == 0)
                mixed *= 3;
            if (s % 5 == 0)
                mixed += 1;
        }
    };
    // About 8 chunks of iterations per CPU, one task each.
    const long main_loop_155_chunk_size = std::max<long>(
        1, (400000 - 0) / static_cast<long>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    // A few iterations run here first, timed; the rest are tasks only if a chunk
    // would take 1000 us or more (min-chunk-microseconds), else they run here too.
    const long main_loop_155_start = rayify_run_first_here<long>(0, 400000, main_loop_155_chunk_size, 1000, main_loop_155_here);
    if (main_loop_155_start < 400000) {
        std::deque<ray::ObjectRef<std::vector<main_loop_155_result>>> main_loop_155_refs;
        for (long main_loop_155_first = main_loop_155_start; main_loop_155_first < 400000; main_loop_155_first += main_loop_155_chunk_size) {
            long main_loop_155_last = 400000 - main_loop_155_first > main_loop_155_chunk_size ? main_loop_155_first + main_loop_155_chunk_size : 400000;
            main_loop_155_refs.push_back(rayify_copy_of(ray::Task(main_loop_155_chunk).SetResource("CPU", 1).Remote(main_loop_155_first, main_loop_155_last)));
            // At most 64 tasks in flight: wait for the oldest one first.
            if (main_loop_155_refs.size() >= 64)
                ray::Wait(std::vector{main_loop_155_refs[main_loop_155_refs.size() - 64]}, 1, -1);
        }
        while (!main_loop_155_refs.empty()) {
            const auto main_loop_155_results = ray::Get(std::move(main_loop_155_refs.front()));
            main_loop_155_refs.pop_front();
            for (const auto &main_loop_155_iteration : *main_loop_155_results) {
                for (unsigned long long times_2 = 0; times_2 < main_loop_155_iteration.mixed; ++times_2)
                    mixed *= 3;
                for (unsigned long long times_3 = 0; times_3 < main_loop_155_iteration.mixed_2; ++times_3)
                    mixed += 1;
            }
        }
    }
#line 162
    std::printf("mixed = %u\n", mixed);
    return 0;
}

RAY_REMOTE(main_loop_75, main_loop_142_chunk, main_loop_155_chunk);

// Ray's C++ driver sends a token only in token mode, and it reads RAY_AUTH_MODE when
// the program loads, before main runs. When joining a cluster with a token at hand
// (RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token) and token mode off, turn
// it on and report that the program must start again to see it. A cluster without
// authentication accepts a token too.
static bool rayify_enable_token_auth() {
  const char *address = std::getenv("RAY_ADDRESS");
  if (address == nullptr || *address == '\0' || std::getenv("RAY_AUTH_MODE")) return false;
  const char *home = std::getenv("HOME");
  std::string default_token = std::string(home != nullptr ? home : "") + "/.ray/auth_token";
  if (!std::getenv("RAY_AUTH_TOKEN") && !std::getenv("RAY_AUTH_TOKEN_PATH")) {
    if (home == nullptr || !std::ifstream(default_token).good()) return false;
    setenv("RAY_AUTH_TOKEN_PATH", default_token.c_str(), 1);
  }
  setenv("RAY_AUTH_MODE", "token", 1);
  return true;
}

// Disconnects from Ray, once. Runs when the original main returns, from atexit() when
// it calls std::exit(), and from std::terminate(): Ray must shut down before its own
// static objects are destroyed.
static void rayify_disconnect() {
  static bool done = false;
  if (done) return;
  done = true;
  ray::Shutdown();
}

static void rayify_shutdown() {
  std::fflush(nullptr);
  rayify_disconnect();
}

// Names the failure that ends the program when it came from Ray. Only the converted
// code calls Ray, so these mean one of its tasks or actors failed or was lost (a task
// that aborted, as a failed assert does, included).
static void rayify_explain_failure(const char *program, std::exception_ptr failure) {
  if (failure == nullptr) return;
  try {
    std::rethrow_exception(failure);
  } catch (const ray::internal::RayException &error) {
    std::fprintf(stderr, "%s: a Ray task or actor failed, so the program stops: %s\n",
                 program, error.what());
  } catch (const msgpack::type_error &) {
    // Ray's C++ API decodes the error left by an actor or a node that died as if it were
    // the result, which fails here (unless the program uses msgpack itself).
    std::fprintf(stderr,
                 "%s: a result from Ray could not be read: the task or actor computing it "
                 "was most likely lost with its worker or node; `ray list tasks --filter "
                 "state=FAILED` names it\n",
                 program);
  } catch (...) {
    // the program's own exception: it goes on unchanged
  }
}

// An exception leaving the original main ended it in std::terminate(): no destructor
// ran and unflushed output was lost. Main catches nothing so that the converted program
// ends the same way, a task that failed included; this handler only adds the reason and
// disconnects before the default handler aborts.
static const char *rayify_program = "";
static std::terminate_handler rayify_default_terminate = nullptr;
[[noreturn]] static void rayify_terminate() {
  rayify_explain_failure(rayify_program, std::current_exception());
  try {
    rayify_disconnect();
  } catch (...) {
    // Ray could not disconnect cleanly: the program ends anyway
  }
  if (rayify_default_terminate != nullptr) rayify_default_terminate();
  std::abort();
}

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and std::terminate(). Configured from the environment:
//   RAY_ADDRESS      cluster to join (empty, "auto" or "local": run locally)
//   RAY_NAMESPACE    namespace for named actors
//   RAY_RUNTIME_ENV  runtime environment as JSON, e.g. {"env_vars": {"A": "1"}}
//   RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH  token of a cluster with token authentication
//                    (default: ~/.ray/auth_token, from `ray get-auth-token --generate`)
int main(int argc, char **argv) {
  if (rayify_enable_token_auth()) execv("/proc/self/exe", argv);

  ray::RayConfig config;
  if (const char *address = std::getenv("RAY_ADDRESS")) config.address = address;
  if (const char *ray_namespace = std::getenv("RAY_NAMESPACE")) {
    config.ray_namespace = ray_namespace;
  }
  try {
    if (const char *runtime_env = std::getenv("RAY_RUNTIME_ENV")) {
      config.runtime_env = ray::RuntimeEnv::Deserialize(runtime_env);
    }
    ray::Init(config, argc, argv);
  } catch (const std::exception &error) {
    std::fprintf(stderr, "%s: cannot start Ray: %s\n", argv[0], error.what());
    return 1;
  }
  std::atexit(rayify_shutdown);
  rayify_program = argv[0];
  rayify_default_terminate = std::set_terminate(rayify_terminate);
  int status = rayify_original_main();
  rayify_shutdown();
  return status;
}
