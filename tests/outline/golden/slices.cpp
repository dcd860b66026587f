// Arrays each iteration updates only in its own slice, reading what it writes: the
// way NPB's solvers sweep a field in place. What must convert: rows updated through
// private scratch (a `continue` ending some rows early), columns of a field kept as
// [component][point], and a C-style sweep over `k <= N - 2` whose counter the program
// reads after the loop. What must not: a row that reads the row before it. Like NPB's
// common header, it defines a lower-case `max` macro, and like C-style code its sizes
// `N` and `M`, before its last include: the headers the conversion adds must not see
// them (`N` names template parameters there).
#include <cmath>
#define max(a, b) (((a) > (b)) ? (a) : (b))
#define N 20
#define M 5
#include <cstdio>

// The program's macros of these names would rewrite the headers below.
#pragma push_macro("M")
#undef M
#pragma push_macro("N")
#undef N
#pragma push_macro("max")
#undef max
// Converted by rayify from slices.cpp: independent loops run as Ray tasks, stateful
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
#include <cstring>
#include <deque>
#include <memory>
#include <thread>
#include <utility>

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}
#pragma pop_macro("M")
#pragma pop_macro("N")
#pragma pop_macro("max")

#line 15
static double u[N][N][M];
static double rhs[N][N][M];
static double flux[M][N];

static double smooth(double x, int terms) {
    double s = 0;
    for (int t = 1; t <= terms; ++t)
        s += std::sin(x * t) / t;
    return s;
}

static void init() {
    for (int k = 0; k < N; k++)
        for (int j = 0; j < N; j++)
            for (int m = 0; m < M; m++) {
                u[k][j][m] = std::cos(0.1 * k + 0.03 * j + 0.7 * m);
                rhs[k][j][m] = 0.01 * (k + j + m);
            }
    for (int m = 0; m < M; m++)
        for (int j = 0; j < N; j++)
            flux[m][j] = 0.5 * m - 0.02 * j;
}

// 'u', a C array, as a task receives it.
struct rows_in_place_loop_42_u_array {
    double value[20][20][5];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// 'rhs', a C array, as a task receives it.
struct rows_in_place_loop_42_rhs_array {
    double value[20][20][5];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 42 of rows_in_place() leaves for the driver
// to apply, in iteration order.
struct rows_in_place_loop_42_result {
    std::vector<double> rhs{};
    int k{};
    MSGPACK_DEFINE(rhs, k);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(rhs, k); }
};

// One iteration of the loop at line 42 of rows_in_place(), run as a Ray task.
static rows_in_place_loop_42_result rows_in_place_loop_42(int k, const rows_in_place_loop_42_u_array &u_sent, const rows_in_place_loop_42_rhs_array &rhs_sent) {
    rows_in_place_loop_42_result iteration_result;
    const auto &u = u_sent.value;
    // 'rhs': this iteration's own slice, as the loop found it.
    std::unique_ptr<rows_in_place_loop_42_rhs_array> rhs_own(new rows_in_place_loop_42_rhs_array);
    auto &rhs = rhs_own->value;
    std::memcpy(&rhs[k], &rhs_sent.value[k], 800);
    int j{};
    double r1{};
    double r2{};
    int m{};
    do {
        if (rhs[k][0][0] > 1e9)
            continue;
        for (j = 0; j < N; j++) {
            r1 = rhs[k][j][0];
            r2 = rhs[k][j][1];
            for (m = 0; m < M; m++)
                rhs[k][j][m] = 0.5 * rhs[k][j][m] + r1 - r2 + smooth(u[k][j][m], 3000);
        }
    } while (false);
    iteration_result.rhs.resize(800 / sizeof(double));
    std::memcpy(iteration_result.rhs.data(), &rhs[k], 800);
    iteration_result.k = k;
    return iteration_result;
}

#line 38
// Each row reads its own two components into scratch, then rewrites all five.
static void rows_in_place() {
    int j, m;
    double r1, r2;
    auto u_array = std::make_unique<rows_in_place_loop_42_u_array>();
    std::memcpy(u_array->value, u, sizeof u_array->value);
    auto u_ref = ray::Put(*u_array);
    auto rhs_array = std::make_unique<rows_in_place_loop_42_rhs_array>();
    std::memcpy(rhs_array->value, rhs, sizeof rhs_array->value);
    auto rhs_ref = ray::Put(*rhs_array);
    std::deque<ray::ObjectRef<rows_in_place_loop_42_result>> rows_in_place_loop_42_refs;
#line 42
    for (int k = 0; k < N; k++) {
        rows_in_place_loop_42_refs.push_back(rayify_copy_of(ray::Task(rows_in_place_loop_42).SetResource("CPU", 1).Remote(k, u_ref, rhs_ref)));
    }
    while (!rows_in_place_loop_42_refs.empty()) {
        const auto rows_in_place_loop_42_iteration = ray::Get(std::move(rows_in_place_loop_42_refs.front()));
        rows_in_place_loop_42_refs.pop_front();
        std::memcpy(&rhs[rows_in_place_loop_42_iteration->k], rows_in_place_loop_42_iteration->rhs.data(), 800);
    }
}

// 'flux', a C array, as a task receives it.
struct columns_in_place_loop_56_flux_array {
    double value[5][20];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 56 of columns_in_place() leaves for the driver
// to apply, in iteration order.
struct columns_in_place_loop_56_result {
    std::vector<double> flux{};
    int j{};
    MSGPACK_DEFINE(flux, j);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(flux, j); }
};

// One iteration of the loop at line 56 of columns_in_place(), run as a Ray task.
static columns_in_place_loop_56_result columns_in_place_loop_56(int j, const columns_in_place_loop_56_flux_array &flux_sent) {
    columns_in_place_loop_56_result iteration_result_2;
    // 'flux': this iteration's own slice, as the loop found it.
    std::unique_ptr<columns_in_place_loop_56_flux_array> flux_own(new columns_in_place_loop_56_flux_array);
    auto &flux = flux_own->value;
    for (std::size_t slice_row_2 = 0; slice_row_2 < 5; ++slice_row_2)
        std::memcpy(reinterpret_cast<char *>(&flux[0]) + (slice_row_2 * 20 + j) * 8, reinterpret_cast<const char *>(&flux_sent.value[0]) + (slice_row_2 * 20 + j) * 8, 8);
    do {
        double base = flux[0][j];
        for (int m = 0; m < M; m++)
            flux[m][j] = flux[m][j] * 0.25 + smooth(base + m, 4000);
    } while (false);
    iteration_result_2.flux.resize(40 / sizeof(double));
    for (std::size_t slice_row_2 = 0; slice_row_2 < 5; ++slice_row_2)
        std::memcpy(reinterpret_cast<char *>(iteration_result_2.flux.data()) + (slice_row_2) * 8, reinterpret_cast<const char *>(&flux[0]) + (slice_row_2 * 20 + j) * 8, 8);
    iteration_result_2.j = j;
    return iteration_result_2;
}

// Iterations [chunk_begin, chunk_end) of the loop at line 56 of columns_in_place(), run one after the other
// as one Ray task.
static std::vector<columns_in_place_loop_56_result> columns_in_place_loop_56_chunk(int chunk_begin, int chunk_end, const columns_in_place_loop_56_flux_array &flux_sent) {
    std::vector<columns_in_place_loop_56_result> chunk_results;
    for (int j = chunk_begin; j < chunk_end; ++j)
        chunk_results.push_back(columns_in_place_loop_56(j, flux_sent));
    return chunk_results;
}

#line 54
// The field is kept component first: each iteration owns one column of every row.
static void columns_in_place() {
    auto flux_array = std::make_unique<columns_in_place_loop_56_flux_array>();
    std::memcpy(flux_array->value, flux, sizeof flux_array->value);
    auto flux_ref = ray::Put(*flux_array);
    std::deque<ray::ObjectRef<std::vector<columns_in_place_loop_56_result>>> columns_in_place_loop_56_refs;
    // About 8 chunks of iterations per CPU, one task each.
    const int columns_in_place_loop_56_chunk_size = std::max<int>(
        1, (N - 0) / static_cast<int>(8 * std::max<unsigned>(1u, std::thread::hardware_concurrency())));
    for (int columns_in_place_loop_56_first = 0; columns_in_place_loop_56_first < N; columns_in_place_loop_56_first += columns_in_place_loop_56_chunk_size) {
        int columns_in_place_loop_56_last = N - columns_in_place_loop_56_first > columns_in_place_loop_56_chunk_size ? columns_in_place_loop_56_first + columns_in_place_loop_56_chunk_size : N;
        columns_in_place_loop_56_refs.push_back(rayify_copy_of(ray::Task(columns_in_place_loop_56_chunk).SetResource("CPU", 1).Remote(columns_in_place_loop_56_first, columns_in_place_loop_56_last, flux_ref)));
    }
    while (!columns_in_place_loop_56_refs.empty()) {
        const auto columns_in_place_loop_56_results = ray::Get(std::move(columns_in_place_loop_56_refs.front()));
        columns_in_place_loop_56_refs.pop_front();
        for (const auto &columns_in_place_loop_56_iteration : *columns_in_place_loop_56_results) {
            for (std::size_t slice_row_2 = 0; slice_row_2 < 5; ++slice_row_2)
                std::memcpy(reinterpret_cast<char *>(&flux[0]) + (slice_row_2 * 20 + columns_in_place_loop_56_iteration.j) * 8, reinterpret_cast<const char *>(columns_in_place_loop_56_iteration.flux.data()) + (slice_row_2) * 8, 8);
        }
    }
}

// 'u', a C array, as a task receives it.
struct interior_sweep_loop_66_u_array {
    double value[20][20][5];
    MSGPACK_DEFINE(value);
    // Its one field, as encoded (lets rayify's runtime keep and read it as it is).
    auto rayify_fields() { return std::tie(value); }
};

// What one iteration of the loop at line 66 of interior_sweep() leaves for the driver
// to apply, in iteration order.
struct interior_sweep_loop_66_result {
    std::vector<double> u{};
    int k{};
    MSGPACK_DEFINE(u, k);
    // Every field, as encoded (lets rayify's runtime skip msgpack objects).
    auto rayify_fields() { return std::tie(u, k); }
};

// One iteration of the loop at line 66 of interior_sweep(), run as a Ray task.
static interior_sweep_loop_66_result interior_sweep_loop_66(int k, const interior_sweep_loop_66_u_array &u_sent_2) {
    interior_sweep_loop_66_result iteration_result_3;
    // 'u': this iteration's own slice, as the loop found it.
    std::unique_ptr<interior_sweep_loop_66_u_array> u_own(new interior_sweep_loop_66_u_array);
    auto &u = u_own->value;
    std::memcpy(&u[k], &u_sent_2.value[k], 800);
    int j{};
    do {
        for (j = 0; j < N; j++)
            u[k][j][0] = u[k][j][0] + 0.001 * smooth(u[k][j][1], 2500);
    } while (false);
    iteration_result_3.u.resize(800 / sizeof(double));
    std::memcpy(iteration_result_3.u.data(), &u[k], 800);
    iteration_result_3.k = k;
    return iteration_result_3;
}

#line 63
// C style: the counter lives on after the sweep, which runs to N - 2 inclusive.
static int interior_sweep() {
    int k, j;
    auto u_array_2 = std::make_unique<interior_sweep_loop_66_u_array>();
    std::memcpy(u_array_2->value, u, sizeof u_array_2->value);
    auto u_ref_2 = ray::Put(*u_array_2);
    std::deque<ray::ObjectRef<interior_sweep_loop_66_result>> interior_sweep_loop_66_refs;
#line 66
    for (k = 1; k <= N - 2; k++) {
        interior_sweep_loop_66_refs.push_back(rayify_copy_of(ray::Task(interior_sweep_loop_66).SetResource("CPU", 1).Remote(k, u_ref_2)));
    }
    while (!interior_sweep_loop_66_refs.empty()) {
        const auto interior_sweep_loop_66_iteration = ray::Get(std::move(interior_sweep_loop_66_refs.front()));
        interior_sweep_loop_66_refs.pop_front();
        std::memcpy(&u[interior_sweep_loop_66_iteration->k], interior_sweep_loop_66_iteration->u.data(), 800);
    }
#line 70
    return k;
}

// Each row reads the one before it, which another iteration wrote.
static void carried_rows() {
    for (int k = 1; k < N; k++)
        for (int j = 0; j < N; j++)
            rhs[k][j][2] = rhs[k - 1][j][2] * 0.5 + smooth(rhs[k][j][3], 10);
}

static int rayify_original_main() {
    init();
    rows_in_place();
    columns_in_place();
    int last = interior_sweep();
    carried_rows();
    double total = 0, columns = 0, field = 0;
    for (int k = 0; k < N; k++)
        for (int j = 0; j < N; j++)
            for (int m = 0; m < M; m++) {
                total += rhs[k][j][m];
                field += u[k][j][m];
            }
    for (int m = 0; m < M; m++)
        for (int j = 0; j < N; j++)
            columns += flux[m][j];
    std::printf("sweep stopped at k = %d (at least %d)\n", last, max(last, N / 2));
    std::printf("rhs %.12f\nflux %.12f\nu %.12f\n", total, columns, field);
    return 0;
}

RAY_REMOTE(rows_in_place_loop_42, columns_in_place_loop_56_chunk, interior_sweep_loop_66);

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
