package io.recur.backend.cpu;

/**
 * exp in float over arrays, in a form the JIT can vectorise: range reduction by a power of two
 * (the rounding done by adding 1.5·2^23, so no float-to-int conversion) and a degree-7 Taylor
 * polynomial on |r| ≤ ln2/2, all in fused multiply-adds. Relative error below 1e-7 (under one
 * float ulp at 1) for inputs in [-87.3, 88.37]; below that the result is the smallest normal float
 * times the polynomial instead of 0 or a subnormal (≤ 1.2e-38), above it about 2.4e38 instead of
 * infinity. NaN stays NaN. Math.exp works in double, one element at a time.
 */
final class FastExp {
    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145751953125f, LN2_LO = 1.42860682e-6f;
    private static final float ROUND = 12582912f;   // 1.5·2^23: x + ROUND rounds x to an integer in the low mantissa bits
    private static final float LOWEST = -87.33f, HIGHEST = 88.37f;   // keeps the power of two a normal float

    private FastExp() {}

    static float exp(float x) {
        x = Math.min(Math.max(x, LOWEST), HIGHEST);
        float t = Math.fma(x, LOG2E, ROUND);
        float k = t - ROUND;
        int power = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND);
        float r = Math.fma(-k, LN2_LO, Math.fma(-k, LN2_HI, x));
        float p = Math.fma(1f / 5040, r, 1f / 720);
        p = Math.fma(p, r, 1f / 120);
        p = Math.fma(p, r, 1f / 24);
        p = Math.fma(p, r, 1f / 6);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat((power + 127) << 23);
    }

    /** out[i] = exp(scale · in[i]) for i < n (out may be in). */
    static void expScaled(float[] in, float scale, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = exp(scale * in[i]);
    }
}
