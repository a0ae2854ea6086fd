package io.recur.backend.cpu;

/**
 * exp and expm1 in float over arrays, in a form the JIT can vectorise: range reduction by a power
 * of two (the rounding done by adding 1.5·2^23, so no float-to-int conversion) and a degree-7 Taylor
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
        float r = reduced(x, t - ROUND);
        return Math.fma(series(r), r, 1f) * powerOfTwo(t);
    }

    /**
     * Scratch for the run forms ({@link #split}): one per thread, for runs of up to capacity
     * elements. Every loop over a run indexes all its arrays alike (C2 vectorises no loop that
     * stores to one float array at another offset than it loads from another, as they might be the
     * same array), and the power of two is rebuilt in a loop of its own from an int that a
     * conversion, not a bit copy, made (C2 vectorises neither a float-to-bits copy next to float
     * arithmetic nor float arithmetic on a bits-to-float copy, but each of the loops alone).
     */
    static final class Runs {
        /** The run's values: its input after {@link #split}, then whatever its caller writes. */
        final float[] values;
        final float[] reduced, series, scales;
        final int[] powers;

        Runs(int capacity) {
            values = new float[capacity];
            reduced = new float[capacity];
            series = new float[capacity];
            scales = new float[capacity];
            powers = new int[capacity];
        }

        /** e^x for the run's element i: (1 + r·P(r))·2^k, as {@link #exp}. */
        float exp(int i) { return Math.fma(series[i], reduced[i], 1f) * scales[i]; }

        /**
         * e^x − 1 for the run's element i: 2^k·r·P(r) + (2^k − 1). Where k = 0 (|x| ≤ ln2/2) that is
         * r·P(r), with no constant to cancel, so small results keep their relative accuracy; elsewhere
         * the final addition loses at most a bit.
         */
        float expm1(int i) {
            float scale = scales[i];
            return Math.fma(scale, series[i] * reduced[i], scale - 1f);
        }
    }

    /**
     * Copies in[from, from + n) into runs.values and range-reduces x = factor·values[i]: e^x = 2^k·e^r,
     * 2^k in scales, r and P(r) with e^r = 1 + r·P(r). {@link Runs#exp} and {@link Runs#expm1}
     * then finish an element.
     */
    static void split(float[] in, int from, float factor, int n, Runs runs) {
        float[] values = runs.values, reducedOut = runs.reduced, seriesOut = runs.series;
        int[] powers = runs.powers;
        System.arraycopy(in, from, values, 0, n);
        for (int i = 0; i < n; i++) {
            float x = Math.min(Math.max(factor * values[i], LOWEST), HIGHEST);
            float k = Math.fma(x, LOG2E, ROUND) - ROUND;
            float r = reduced(x, k);
            reducedOut[i] = r;
            seriesOut[i] = series(r);
            powers[i] = (int) k;
        }
        float[] scales = runs.scales;
        for (int i = 0; i < n; i++) scales[i] = Float.intBitsToFloat((powers[i] + 127) << 23);
    }

    /** r = x − k ln2 in two parts, so that r keeps the bits of x that k·ln2 cancels. */
    private static float reduced(float x, float k) { return Math.fma(-k, LN2_LO, Math.fma(-k, LN2_HI, x)); }

    /** P(r) with e^r ≈ 1 + r·P(r): the degree-7 Taylor polynomial less its constant, divided by r. */
    private static float series(float r) {
        float p = Math.fma(1f / 5040, r, 1f / 720);
        p = Math.fma(p, r, 1f / 120);
        p = Math.fma(p, r, 1f / 24);
        p = Math.fma(p, r, 1f / 6);
        p = Math.fma(p, r, 0.5f);
        return Math.fma(p, r, 1f);
    }

    /** 2^k for t = x·log2(e) + ROUND, whose low mantissa bits hold k + ROUND's. */
    private static float powerOfTwo(float t) {
        int power = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND);
        return Float.intBitsToFloat((power + 127) << 23);
    }

    /** out[i] = exp(scale · in[i]) for i < n (out may be in). */
    static void expScaled(float[] in, float scale, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = exp(scale * in[i]);
    }
}
