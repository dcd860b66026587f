// Explicit finite-difference simulation of heat diffusion along a rod, for several
// materials. Each material is simulated independently, and its final temperature
// profile is stored at the material's index.
#include <cstdio>
#include <vector>

struct Material {
    const char* name;
    double diffusivity;  // m^2/s
};

struct Profile {
    double peak;
    double mean;
    double at_quarter;
};

Profile simulate_rod(double diffusivity, int cells, int steps)
{
    const double dx = 1.0 / cells;
    const double dt = 0.4 * dx * dx / diffusivity;  // stable explicit step
    std::vector<double> temp(cells, 20.0), next(cells);
    temp[cells / 2] = 500.0;
    for (int s = 0; s < steps; ++s) {
        for (int c = 1; c + 1 < cells; ++c)
            next[c] = temp[c] + diffusivity * dt / (dx * dx) * (temp[c - 1] - 2.0 * temp[c] + temp[c + 1]);
        next[0] = 20.0;
        next[cells - 1] = 20.0;
        temp.swap(next);
    }
    Profile p{0.0, 0.0, temp[cells / 4]};
    for (double t : temp) {
        p.peak = t > p.peak ? t : p.peak;
        p.mean += t / cells;
    }
    return p;
}

int main()
{
    const Material materials[] = {
        {"copper", 1.11e-4}, {"aluminium", 9.7e-5}, {"steel", 1.2e-5}, {"glass", 3.4e-7},
        {"brick", 5.2e-7},   {"water", 1.43e-7},    {"air", 1.9e-5},   {"gold", 1.27e-4},
    };
    const int count = sizeof(materials) / sizeof(materials[0]);

    std::vector<Profile> profiles(count);
    for (int m = 0; m < count; ++m)
        profiles[m] = simulate_rod(materials[m].diffusivity, 600, 100000);

    std::printf("%-10s %10s %10s %10s\n", "material", "peak", "mean", "x=0.25");
    for (int m = 0; m < count; ++m)
        std::printf("%-10s %10.4f %10.4f %10.4f\n", materials[m].name, profiles[m].peak,
                    profiles[m].mean, profiles[m].at_quarter);
    return 0;
}
