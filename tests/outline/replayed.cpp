// Calls that only keep the program's books, the way NPB times its phases: a timer
// started and stopped around each batch under a flag, and a trace of the batches
// worth noting, both in globals. The clock is a tick counter, so the times printed
// at the end come out the same only if the driver replays every call, and in the
// original order. What must convert: the first loop, its timer and trace calls
// replayed on the driver, and the last, whose trace call's argument reads a timer
// no call of that loop changes. What must not: the loops that read the count the
// trace keeps, in the work or in the trace call's own argument.
#include <cmath>
#include <cstdio>

static long ticks = 0;
static double started[4];
static double elapsed[4];
static int trace_log[64];
static int traced = 0;

static double now() { return static_cast<double>(++ticks); }

void timer_start(int n) { started[n] = now(); }

void timer_stop(int n) { elapsed[n] += now() - started[n]; }

void note(int batch, int kind) {
    if (traced < 64) trace_log[traced++] = batch * 10 + kind;
}

static double batch_mean(int batch) {
    double sum = 0.0;
    for (int step = 0; step < 300000; step++) sum += std::sin(0.0001 * step + batch);
    return sum / 300000.0;
}

int main(int argc, char **argv) {
    bool timed = argc > 0;
    double total = 0.0;
    for (int batch = 0; batch < 32; batch++) {
        if (timed) timer_start(1);
        double mean = batch_mean(batch);
        total = total + mean;
        if (mean > 0.0) {
            note(batch, 1);
        } else {
            note(batch, 2);
        }
        if (timed) timer_stop(1);
    }
    timer_start(2);
    std::printf("total %.15e\n", total);
    std::printf("timer 1: %.0f ticks, clock at %ld\n", elapsed[1], ticks);
    for (int i = 0; i < traced; i++) std::printf("%d%c", trace_log[i], i % 16 == 15 ? '\n' : ' ');

    double weighted = 0.0;
    for (int batch = 0; batch < 8; batch++) {
        note(batch, 3);
        weighted += batch_mean(batch) * traced;
    }
    std::printf("weighted %.12f\n", weighted);

    for (int batch = 0; batch < 8; batch++) {
        total += batch_mean(batch);
        note(batch, traced % 7);
    }
    std::printf("total %.12f, %d notes\n", total, traced);

    for (int batch = 0; batch < 8; batch++) {
        total += batch_mean(batch);
        note(batch, static_cast<int>(elapsed[1]) % 7);
    }
    std::printf("total %.12f, last note %d\n", total, trace_log[traced - 1]);
    return 0;
}
