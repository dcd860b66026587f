// Loop bodies of several statements that fill results: scratch declared before the
// loop, an inner counter declared before it, two results per iteration, an
// if-guarded append, a `continue`, a range-for over const references, a running value
// the driver carries, a while loop stepping its counter last, and a grid filled row by
// row in a helper that main calls.
#include <cstdio>
#include <string>
#include <vector>

struct Sample {
    int id;
    double weight;
};

// A small linear-congruential walk: about half a millisecond per call.
double walk(int seed, int steps)
{
    unsigned long long state = 88172645463325252ULL + static_cast<unsigned long long>(seed);
    double position = 0.0;
    for (int s = 0; s < steps; ++s) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        position += static_cast<double>(state >> 40) / 16777216.0 - 0.5;
    }
    return position;
}

double g_drift = 0.0;

void fill_grid(std::vector<std::vector<double>> &grid, int rows, int cols)
{
    int j;
    for (int i = 0; i < rows; ++i) {
        double row_scale = walk(i, 40000);
        for (j = 0; j < cols; ++j)
            grid[i][j] = row_scale * (j + 1);
        g_drift += row_scale / rows;
    }
}

int main()
{
    const int n = 40;
    std::vector<double> ends(n), squares(n);
    std::vector<int> far;
    double scratch;
    for (int i = 0; i < n; ++i) {
        scratch = walk(i, 60000);
        ends[i] = scratch;
        squares[i] = scratch * scratch;
        if (scratch > 20.0 || scratch < -20.0)
            far.push_back(i);
    }

    std::vector<std::string> labels;
    for (int i = 0; i < n; ++i) {
        if (i % 3 == 1)
            continue;
        double end = walk(1000 + i, 30000);
        labels.push_back(std::to_string(i) + (end > 0 ? "+" : "-"));
    }

    std::vector<Sample> samples;
    for (int i = 0; i < 24; ++i)
        samples.push_back(Sample{i, 0.5 + i * 0.25});
    std::vector<double> weighted;
    for (const Sample &s : samples)
        weighted.push_back(walk(s.id, 400000) * s.weight);

    std::vector<double> running(n);
    running[0] = 0.0;
    for (int i = 1; i < n; ++i)
        running[i] = running[i - 1] + walk(2000 + i, 30000);

    std::vector<double> strides(n);
    int k = 0;
    while (k < n) {
        strides[k] = walk(3000 + k, 200000) / (k + 1);
        ++k;
    }

    std::vector<std::vector<double>> grid(16, std::vector<double>(6));
    fill_grid(grid, 16, 6);

    std::printf("end[7] %.17g square[11] %.17g far %zu\n", ends[7], squares[11], far.size());
    for (int i : far)
        std::printf(" far %d", i);
    std::printf("\n");
    for (const std::string &label : labels)
        std::printf("%s ", label.c_str());
    std::printf("\nweighted[5] %.17g running %.17g\n", weighted[5], running[n - 1]);
    std::printf("grid %.17g %.17g drift %.17g\n", grid[3][2], grid[15][5], g_drift);
    std::printf("strides %.17g %.17g after %d\n", strides[0], strides[n - 1], k);
    return 0;
}
