// Philox4x32-10, identical to io.recur.random.Philox: element i of a (seed, offset) stream is word
// i % 4 of the block at 64-bit counter (offset + i / 4) (words 0-1; words 2-3 are zero), key = seed.
// Conversions use explicit round-to-nearest intrinsics so nvcc cannot contract them into FMAs that
// the Java side does not perform; uniforms are then bit-identical on both sides.
#pragma once

struct PhiloxWords { unsigned int w[4]; };

__device__ __forceinline__ PhiloxWords philoxBlock(unsigned long long counter, unsigned long long seed) {
    const unsigned int M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    unsigned int c0 = (unsigned int)counter, c1 = (unsigned int)(counter >> 32), c2 = 0u, c3 = 0u;
    unsigned int k0 = (unsigned int)seed, k1 = (unsigned int)(seed >> 32);
    for (int r = 0; r < 10; ++r) {
        if (r > 0) { k0 += W0; k1 += W1; }
        const unsigned int hi0 = __umulhi(M0, c0), lo0 = M0 * c0;
        const unsigned int hi1 = __umulhi(M1, c2), lo1 = M1 * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    PhiloxWords out;
    out.w[0] = c0; out.w[1] = c1; out.w[2] = c2; out.w[3] = c3;
    return out;
}

// [0, 1) with 24 bits: (w >> 8) * 2^-24, exact in float.
__device__ __forceinline__ float philoxUniform(unsigned int w) { return (float)(w >> 8) * 5.9604644775390625e-8f; }

// (0, 1], safe for a logarithm.
__device__ __forceinline__ float philoxUniformOpenZero(unsigned int w) {
    return (float)((w >> 8) + 1u) * 5.9604644775390625e-8f;
}

// One Box-Muller normal from a word pair: cosine for the even element, sine for the odd one.
__device__ __forceinline__ float philoxBoxMuller(unsigned int w1, unsigned int w2, bool sine) {
    const float r = sqrtf(__fmul_rn(-2.0f, logf(philoxUniformOpenZero(w1))));
    const float theta = __fmul_rn(6.2831855f, philoxUniform(w2));
    return __fmul_rn(r, sine ? sinf(theta) : cosf(theta));
}
