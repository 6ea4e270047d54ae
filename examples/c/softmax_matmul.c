/* Calls the ahead-of-time persim kernel library from C: softmax and f32
 * matmul, checked against plain C references. Build (see README.md):
 *
 *   cc -O2 -I<aot dir> examples/c/softmax_matmul.c <aot dir>/libpersim_kernels_aot.a -lm
 *
 * where <aot dir> is <target dir>/<profile>/persim-kernels. Prints one
 * line per check and exits nonzero if any fails. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "persim_kernels.h"

static float rand_unit(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (float)((*state >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}

static int check_softmax(void) {
    enum { ROWS = 37, COLS = 1000 };
    float *x = malloc(sizeof(float) * ROWS * COLS);
    float *y = malloc(sizeof(float) * ROWS * COLS);
    unsigned seed = 1;
    for (int i = 0; i < ROWS * COLS; i++) x[i] = 4.0f * rand_unit(&seed);
    /* Persistent kernel: 8 programs stride over the rows. */
    int rc = persim_softmax_b1024(y, ROWS * COLS, x, ROWS * COLS, COLS, COLS, ROWS, COLS, 8, 1, 1);
    double worst = 0.0;
    for (int r = 0; r < ROWS && rc == 0; r++) {
        double max = -INFINITY, sum = 0.0;
        for (int c = 0; c < COLS; c++) max = fmax(max, x[r * COLS + c]);
        for (int c = 0; c < COLS; c++) sum += exp(x[r * COLS + c] - max);
        for (int c = 0; c < COLS; c++) {
            double want = exp(x[r * COLS + c] - max) / sum;
            worst = fmax(worst, fabs(y[r * COLS + c] - want));
        }
    }
    int ok = rc == 0 && worst < 1e-6;
    printf("softmax %dx%d: rc=%d max_abs_err=%.3g %s\n", ROWS, COLS, rc, worst, ok ? "ok" : "FAILED");
    free(x);
    free(y);
    return ok;
}

static int check_matmul(void) {
    enum { M = 100, N = 70, K = 90, BM = 64, BN = 64 };
    float *a = malloc(sizeof(float) * M * K);
    float *b = malloc(sizeof(float) * K * N);
    float *c = malloc(sizeof(float) * M * N);
    unsigned seed = 2;
    for (int i = 0; i < M * K; i++) a[i] = rand_unit(&seed);
    for (int i = 0; i < K * N; i++) b[i] = rand_unit(&seed);
    unsigned grid = ((M + BM - 1) / BM) * ((N + BN - 1) / BN);
    int rc = persim_matmul_64x64x32(a, M * K, b, K * N, c, M * N, M, N, K, K, 1, N, 1, N, 1, grid, 1, 1);
    double worst = 0.0;
    for (int i = 0; i < M && rc == 0; i++)
        for (int j = 0; j < N; j++) {
            double want = 0.0;
            for (int k = 0; k < K; k++) want += (double)a[i * K + k] * b[k * N + j];
            worst = fmax(worst, fabs(c[i * N + j] - want));
        }
    int ok = rc == 0 && worst < 1e-4;
    printf("matmul %dx%dx%d: rc=%d max_abs_err=%.3g %s\n", M, N, K, rc, worst, ok ? "ok" : "FAILED");
    /* The same grid as ranges of programs (what a caller's threads would
     * each run): program 0 alone, then the rest; the result is identical. */
    float *c2 = malloc(sizeof(float) * M * N);
    int r0 = persim_matmul_64x64x32_range(a, M * K, b, K * N, c2, M * N, M, N, K, K, 1, N, 1, N, 1,
                                          grid, 1, 1, 0, 1);
    int r1 = persim_matmul_64x64x32_range(a, M * K, b, K * N, c2, M * N, M, N, K, K, 1, N, 1, N, 1,
                                          grid, 1, 1, 1, 1000);
    int same = r0 == 0 && r1 == 0;
    for (int i = 0; i < M * N && same; i++) same = c2[i] == c[i];
    printf("matmul as two ranges: rc=%d,%d %s\n", r0, r1, same ? "ok" : "FAILED");
    free(c2);
    ok = ok && same;
    /* An empty grid is refused before anything runs. */
    int empty = persim_matmul_64x64x32(a, M * K, b, K * N, c, M * N, M, N, K, K, 1, N, 1, N, 1, 0, 1, 1);
    int ok_empty = empty == -1;
    printf("empty grid: rc=%d %s\n", empty, ok_empty ? "ok" : "FAILED");
    free(a);
    free(b);
    free(c);
    return ok && ok_empty;
}

int main(void) {
    int ok = check_softmax();
    ok = check_matmul() && ok;
    return ok ? 0 : 1;
}
