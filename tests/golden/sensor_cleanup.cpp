// Cleans up a day of readings from a small sensor network. Most of these loops must
// stay sequential, each for a different reason; one of them is safe to parallelize.
#include <cmath>
#include <cstdio>
#include <vector>

// Converted by rayify from sensor_cleanup.cpp: independent loops run as Ray tasks, stateful
// classes as Ray actors.
// Build against rayify's bundled runtime or Ray's C++ API (pip install "ray[cpp]").
#include <ray/api.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

int g_calibrations = 0;

std::vector<double> make_readings(int sensor, int count)
{
    std::vector<double> r(count);
    for (int i = 0; i < count; ++i)
        r[i] = 20.0 + 5.0 * std::sin(0.001 * i * (sensor + 1)) + 0.01 * ((i * 7919 + sensor) % 101);
    return r;
}

// fits a drift correction; counts calibrations in a global for the audit log
double calibrate(const std::vector<double>& readings)
{
    ++g_calibrations;
    double drift = 0.0;
    for (size_t i = 1; i < readings.size(); ++i)
        drift += (readings[i] - readings[i - 1]) / readings.size();
    return drift;
}

// removes spikes in place
void despike(std::vector<double>& readings)
{
    for (size_t i = 1; i + 1 < readings.size(); ++i) {
        double neighbours = 0.5 * (readings[i - 1] + readings[i + 1]);
        if (std::fabs(readings[i] - neighbours) > 1.0)
            readings[i] = neighbours;
    }
}

// prints a progress line while it works
double checksum(const std::vector<double>& readings, int sensor)
{
    double sum = 0.0;
    for (size_t i = 0; i < readings.size(); ++i)
        sum += readings[i] * static_cast<double>(i % 13 + 1);
    std::printf("  checksummed sensor %d\n", sensor);
    return sum;
}

// root-mean-square deviation from the daily mean
double rms_deviation(const std::vector<double>& readings)
{
    double mean = 0.0;
    for (double r : readings)
        mean += r / readings.size();
    double sq = 0.0;
    for (double r : readings)
        sq += (r - mean) * (r - mean);
    return std::sqrt(sq / readings.size());
}

static int rayify_original_main()
{
    const int sensors = 8;
    std::vector<std::vector<double>> data;
    std::vector<ray::ObjectRef<std::vector<double>>> data_refs;
    for (int s = 0; s < sensors; ++s)
        data_refs.push_back(ray::Task(make_readings).Remote(s, 400000));
    for (auto &data_value : ray::Get(data_refs))
        data.push_back(std::move(*data_value));

    // calibration writes a global counter (global-write)
    std::vector<double> drifts;
    for (int s = 0; s < sensors; ++s)
        drifts.push_back(calibrate(data[s]));

    // despiking changes the data in place (non-const-reference)
    for (int s = 0; s < sensors; ++s)
        despike(data[s]);

    // checksums print progress (io)
    std::vector<double> sums;
    for (int s = 0; s < sensors; ++s)
        sums.push_back(checksum(data[s], s));

    // the first sensor whose drift exceeds the limit (early-exit)
    int first_drifting = -1;
    for (int s = 0; s < sensors; ++s) {
        if (std::fabs(drifts[s]) > 1e-5) {
            first_drifting = s;
            break;
        }
    }

    // exponential smoothing of the daily means carries state; the statistic it smooths
    // is too cheap to send a series for (loop-carried-dependency)
    double smoothed = 0.0;
    std::vector<double> trend;
    for (int s = 0; s < sensors; ++s) {
        smoothed = 0.7 * smoothed + 0.3 * rms_deviation(data[s]);
        trend.push_back(smoothed);
    }

    // independent per-sensor statistics, but each is one cheap pass over a sensor's
    // whole series: sending the series to a task costs as much (too-much-data)
    std::vector<double> deviations;
    for (int s = 0; s < sensors; ++s)
        deviations.push_back(rms_deviation(data[s]));

    for (int s = 0; s < sensors; ++s)
        std::printf("sensor %d: drift %+.3e  checksum %.3f  rms %.6f  trend %.6f\n", s, drifts[s],
                    sums[s], deviations[s], trend[s]);
    std::printf("calibrations: %d, first drifting sensor: %d\n", g_calibrations, first_drifting);
    return 0;
}

RAY_REMOTE(make_readings);

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

// Flushes the program's output, then disconnects from Ray, once. Runs when the
// original main returns or throws, and from atexit() when it calls std::exit(): Ray
// must shut down before its own static objects are destroyed.
static void rayify_shutdown() {
  static bool done = false;
  if (done) return;
  done = true;
  std::fflush(nullptr);
  ray::Shutdown();
}

// Connects to Ray before the program runs and disconnects on every way out:
// return, std::exit() and exceptions. Configured from the environment:
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
  int status;
  try {
    status = rayify_original_main();
  } catch (...) {
    rayify_shutdown();
    throw;
  }
  rayify_shutdown();
  return status;
}
