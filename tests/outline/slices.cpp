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

// Each row reads its own two components into scratch, then rewrites all five.
static void rows_in_place() {
    int j, m;
    double r1, r2;
    for (int k = 0; k < N; k++) {
        if (rhs[k][0][0] > 1e9)
            continue;
        for (j = 0; j < N; j++) {
            r1 = rhs[k][j][0];
            r2 = rhs[k][j][1];
            for (m = 0; m < M; m++)
                rhs[k][j][m] = 0.5 * rhs[k][j][m] + r1 - r2 + smooth(u[k][j][m], 3000);
        }
    }
}

// The field is kept component first: each iteration owns one column of every row.
static void columns_in_place() {
    for (int j = 0; j < N; j++) {
        double base = flux[0][j];
        for (int m = 0; m < M; m++)
            flux[m][j] = flux[m][j] * 0.25 + smooth(base + m, 4000);
    }
}

// C style: the counter lives on after the sweep, which runs to N - 2 inclusive.
static int interior_sweep() {
    int k, j;
    for (k = 1; k <= N - 2; k++) {
        for (j = 0; j < N; j++)
            u[k][j][0] = u[k][j][0] + 0.001 * smooth(u[k][j][1], 2500);
    }
    return k;
}

// Each row reads the one before it, which another iteration wrote.
static void carried_rows() {
    for (int k = 1; k < N; k++)
        for (int j = 0; j < N; j++)
            rhs[k][j][2] = rhs[k - 1][j][2] * 0.5 + smooth(rhs[k][j][3], 10);
}

int main() {
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
