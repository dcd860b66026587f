// Cleans up a day of readings from a small sensor network. Every loop stays
// sequential, each for a different reason: the two that are safe move as much data
// to or from each task as they compute with (too-much-data).
#include <cmath>
#include <cstdio>
#include <vector>

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

int main()
{
    const int sensors = 8;
    // each series is a few operations per reading: returning it costs as much
    // (too-much-data)
    std::vector<std::vector<double>> data;
    for (int s = 0; s < sensors; ++s)
        data.push_back(make_readings(s, 400000));

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

    // exponential smoothing of the daily means carries state, which the driver could
    // replay in order; but the statistic it smooths is too cheap to send a series for
    // (too-much-data)
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
