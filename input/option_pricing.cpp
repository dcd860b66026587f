// Prices a book of European options by Monte Carlo simulation of geometric Brownian
// motion. Each option is priced independently with its own random stream, so the
// pricing loop is a natural map over the book.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

struct OptionSpec {
    std::string name;
    double spot;
    double strike;
    double rate;
    double volatility;
    double years;
    bool is_call;
};

struct Price {
    double value;
    double std_error;
};

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

int main()
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
    for (size_t i = 0; i < book.size(); ++i)
        prices.push_back(price_option(book[i], 1000 + i, paths));

    double book_value = 0.0;
    for (size_t i = 0; i < book.size(); ++i) {
        std::printf("%-18s %10.4f  +/- %.4f\n", book[i].name.c_str(), prices[i].value,
                    prices[i].std_error);
        book_value += prices[i].value;
    }
    std::printf("book value: %.4f (%zu options, %d paths each)\n", book_value, book.size(), paths);
    return 0;
}
