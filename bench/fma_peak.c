/* The single-precision FMA peak of this machine's cores, measured: each of N threads runs eight
 * independent chains of 8-lane AVX2 fused multiply-adds (enough to fill both FMA pipes), so the
 * clock the cores really run at (boost included) is in the figure. Prints GFLOP/s for N threads.
 * Usage: fma_peak [THREADS]   (bench/word2vec compiles and runs it)
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERATIONS 200000000L

static void *work(void *unused) {
    (void)unused;
    __m256 x0 = _mm256_set1_ps(1), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0;
    const __m256 m = _mm256_set1_ps(1.0000001f), b = _mm256_set1_ps(1e-9f);
    for (long i = 0; i < ITERATIONS; i++) {
        x0 = _mm256_fmadd_ps(x0, m, b); x1 = _mm256_fmadd_ps(x1, m, b); x2 = _mm256_fmadd_ps(x2, m, b); x3 = _mm256_fmadd_ps(x3, m, b);
        x4 = _mm256_fmadd_ps(x4, m, b); x5 = _mm256_fmadd_ps(x5, m, b); x6 = _mm256_fmadd_ps(x6, m, b); x7 = _mm256_fmadd_ps(x7, m, b);
    }
    volatile float sink = x0[0] + x1[0] + x2[0] + x3[0] + x4[0] + x5[0] + x6[0] + x7[0];
    (void)sink;
    return 0;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1;
    if (n < 1 || n > 256) n = 1;
    pthread_t threads[256];
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < n; i++) pthread_create(&threads[i], 0, work, 0);
    for (int i = 0; i < n; i++) pthread_join(threads[i], 0);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.1f\n", n * ITERATIONS * 8.0 * 8 * 2 / seconds / 1e9);
    return 0;
}
