// Random tensors from Philox4x32-10 (philox.cuh): one thread per Philox block of four elements.
#include "common.cuh"
#include "philox.cuh"

// t[i] = lo + range * uniform(word i): range = hi - lo is computed by the host as Java does.
extern "C" __global__ void random_uniform_f32(float* __restrict__ t, long long n, unsigned long long seed,
                                              unsigned long long offset, float lo, float range) {
    const long long blocks = (n + 3) / 4;
    for (long long b = firstIndex(); b < blocks; b += gridStride()) {
        const PhiloxWords w = philoxBlock(offset + (unsigned long long)b, seed);
        for (int j = 0; j < 4 && 4 * b + j < n; ++j) t[4 * b + j] = __fadd_rn(lo, __fmul_rn(range, philoxUniform(w.w[j])));
    }
}

// Words (0, 1) and (2, 3) each give a Box-Muller pair (cos, sin).
extern "C" __global__ void random_normal_f32(float* __restrict__ t, long long n, unsigned long long seed,
                                             unsigned long long offset, float mean, float std) {
    const long long blocks = (n + 3) / 4;
    for (long long b = firstIndex(); b < blocks; b += gridStride()) {
        const PhiloxWords w = philoxBlock(offset + (unsigned long long)b, seed);
        for (int j = 0; j < 4 && 4 * b + j < n; ++j) {
            const int pair = j & ~1;
            t[4 * b + j] = __fadd_rn(mean, __fmul_rn(std, philoxBoxMuller(w.w[pair], w.w[pair + 1], (j & 1) != 0)));
        }
    }
}

// y[i] = x[i] / keep if uniform(word i) >= p, else 0, with keep = 1 - p from the host. y may alias x.
extern "C" __global__ void dropout_f32(const float* x, float p, float keep, unsigned long long seed,
                                       unsigned long long offset, float* y, long long n) {
    const long long blocks = (n + 3) / 4;
    for (long long b = firstIndex(); b < blocks; b += gridStride()) {
        const PhiloxWords w = philoxBlock(offset + (unsigned long long)b, seed);
        for (int j = 0; j < 4 && 4 * b + j < n; ++j) {
            const long long i = 4 * b + j;
            y[i] = philoxUniform(w.w[j]) >= p ? __fdiv_rn(x[i], keep) : 0.0f;
        }
    }
}
