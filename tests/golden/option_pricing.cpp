// Prices a book of European options by Monte Carlo simulation of geometric Brownian
// motion. Each option is priced independently with its own random stream, so the
// pricing loop is a natural map over the book.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

// Converted by rayify from option_pricing.cpp: independent loops run as Ray tasks, stateful
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

// Lets a container copy a task's ref instead of moving it: Ray's ObjectRef move
// constructor lets go of the only reference before taking it again, and Ray then
// forgets that this program owns the task's result.
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) {
  return ref;
}

#line 10
struct OptionSpec {
    std::string name;
    double spot;
    double strike;
    double rate;
    double volatility;
    double years;
    bool is_call;
    MSGPACK_DEFINE(name, spot, strike, rate, volatility, years, is_call);
    auto rayify_fields() { return std::tie(name, spot, strike, rate, volatility, years, is_call); }  // for rayify's runtime
};

#line 20
struct Price {
    double value;
    double std_error;
    MSGPACK_DEFINE(value, std_error);
    auto rayify_fields() { return std::tie(value, std_error); }  // for rayify's runtime
};

#line 25
// xorshift64* generator
uint64_t next_random(uint64_t& state)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

// standard normal sample (Box-Muller, one of the pair)
double normal_sample(uint64_t& state)
{
    const double two_pi = 6.283185307179586;
    double u1 = (static_cast<double>(next_random(state) >> 11) + 0.5) * 0x1.0p-53;
    double u2 = static_cast<double>(next_random(state) >> 11) * 0x1.0p-53;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

Price price_option(const OptionSpec& option, uint64_t seed, int paths)
{
    uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
    const double drift = (option.rate - 0.5 * option.volatility * option.volatility) * option.years;
    const double diffusion = option.volatility * std::sqrt(option.years);
    double sum = 0.0, sum_sq = 0.0;
    for (int p = 0; p < paths; ++p) {
        double terminal = option.spot * std::exp(drift + diffusion * normal_sample(state));
        double payoff = option.is_call ? std::fmax(terminal - option.strike, 0.0)
                                       : std::fmax(option.strike - terminal, 0.0);
        sum += payoff;
        sum_sq += payoff * payoff;
    }
    double discount = std::exp(-option.rate * option.years);
    double mean = sum / paths;
    double variance = sum_sq / paths - mean * mean;
    return Price{discount * mean, discount * std::sqrt(variance / paths)};
}

static int rayify_original_main()
{
    std::vector<OptionSpec> book = {
        {"ACME 6m call 100", 100.0, 100.0, 0.03, 0.20, 0.5, true},
        {"ACME 6m put 95", 100.0, 95.0, 0.03, 0.20, 0.5, false},
        {"ACME 1y call 110", 100.0, 110.0, 0.03, 0.22, 1.0, true},
        {"BOLT 3m call 50", 48.0, 50.0, 0.03, 0.35, 0.25, true},
        {"BOLT 1y put 45", 48.0, 45.0, 0.03, 0.35, 1.0, false},
        {"CORE 2y call 200", 210.0, 200.0, 0.03, 0.15, 2.0, true},
        {"CORE 2y put 220", 210.0, 220.0, 0.03, 0.15, 2.0, false},
        {"DRIFT 9m call 12", 11.5, 12.0, 0.03, 0.50, 0.75, true},
    };
    const int paths = 1500000;

    // price every option of the book
    std::vector<Price> prices;
    std::vector<ray::ObjectRef<Price>> prices_refs;
#line 78
    for (size_t i = 0; i < book.size(); ++i) {
        prices_refs.push_back(rayify_copy_of(ray::Task(price_option).SetResource("CPU", 1).Remote(book[i], 1000 + i, paths)));
        // At most 64 tasks in flight: wait for the oldest one first.
        if (prices_refs.size() >= 64)
            ray::Wait(std::vector{prices_refs[prices_refs.size() - 64]}, 1, -1);
    }
    for (auto &prices_value : ray::Get(prices_refs))
        prices.push_back(std::move(*prices_value));

#line 81
    double book_value = 0.0;
    for (size_t i = 0; i < book.size(); ++i) {
        std::printf("%-18s %10.4f  +/- %.4f\n", book[i].name.c_str(), prices[i].value,
                    prices[i].std_error);
        book_value += prices[i].value;
    }
    std::printf("book value: %.4f (%zu options, %d paths each)\n", book_value, book.size(), paths);
    return 0;
}

RAY_REMOTE(price_option);

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
