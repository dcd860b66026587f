// Loops that look like the outlined ones but must stay sequential: a task would read a
// value the loop updates, a function of the program carries the state, and two
// references may be one vector. Converting any of them would change the output.
#include <cstdio>
#include <vector>

double work(int seed)
{
    double s = 0.0;
    for (int k = 0; k < 50000; ++k)
        s += ((seed * 31 + k) % 17) * 1e-3;
    return s;
}

double advance(double level)
{
    return level * 0.5 + work(static_cast<int>(level) % 7);
}

void shift(std::vector<double> &out, const std::vector<double> &in)
{
    for (size_t i = 1; i < out.size(); ++i)
        out[i] = work(static_cast<int>(i)) + in[i - 1];
}

int main()
{
    double total = 1.0;
    for (int i = 0; i < 12; ++i) {
        double x = work(i) + total;
        total += x;
    }

    double level = 3.0;
    std::vector<double> levels;
    for (int i = 0; i < 12; ++i) {
        level = advance(level);
        levels.push_back(work(i) + level);
    }

    std::vector<double> v(12, 1.0);
    shift(v, v);

    std::printf("%.17g %.17g %.17g %.17g\n", total, level, levels[11], v[11]);
    return 0;
}
