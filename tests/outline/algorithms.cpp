// Standard algorithms that are loops in disguise: std::transform into a vector and
// through std::back_inserter, with a named function and with a capture-free lambda,
// and std::for_each changing each element in place; and a loop calling a lambda that
// main keeps in a variable, which each task declares again.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <vector>

// A slowly converging series: about a millisecond per call.
double series(double x)
{
    double sum = 0.0;
    for (int k = 1; k < 200000; ++k)
        sum += 1.0 / (k * (k + x));
    return sum;
}

void refine(double &value)
{
    value = value * 0.5 + series(value);
}

int main()
{
    std::vector<double> inputs;
    for (int i = 0; i < 24; ++i)
        inputs.push_back(0.25 * i);

    std::vector<double> sums(inputs.size());
    std::transform(inputs.begin(), inputs.end(), sums.begin(), series);

    std::vector<double> scaled;
    std::transform(inputs.begin(), inputs.end(), std::back_inserter(scaled),
                   [](double x) { return series(x + 1.0) * 2.0; });

    std::vector<double> values = inputs;
    std::for_each(values.begin(), values.end(), refine);

    auto damped = [](double x) { return series(x * 0.5) - x; };
    std::vector<double> damped_values(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        damped_values[i] = damped(inputs[i]);

    std::printf("%.17g %.17g %.17g %.17g\n", sums[3], scaled[20], values[11],
                damped_values[7]);
    double total = 0.0;
    for (double v : values)
        total += v;
    std::printf("total %.17g\n", total);
    return 0;
}
