package io.recur.backend.cpu;

/**
 * The logistic function and tanh in float over runs of an array, in place, built on
 * {@link FastExp#split} so that the loops vectorise (Math.exp and Math.tanh work in double, one
 * element at a time: several times slower here). Measured against double: σ within 2.5 ulp, tanh
 * within 3.5 ulp on [-20, 20] (tanh through expm1, so small arguments keep their relative
 * accuracy). Also the slopes of both from their values.
 */
final class FastActivations {
    private FastActivations() {}

    /** a[from + i] = σ(a[from + i]) = 1 / (1 + e^{-a}) for i < n. */
    static void sigmoid(float[] a, int from, int n, FastExp.Runs runs) {
        FastExp.split(a, from, -1f, n, runs);
        float[] v = runs.values;
        for (int i = 0; i < n; i++) v[i] = 1f / (1f + runs.exp(i));
        System.arraycopy(v, 0, a, from, n);
    }

    /** a[from + i] = tanh(a[from + i]) = (e^{2a} − 1) / (e^{2a} + 1) for i < n; ±1 where FastExp clamps. */
    static void tanh(float[] a, int from, int n, FastExp.Runs runs) {
        FastExp.split(a, from, 2f, n, runs);
        float[] v = runs.values;
        for (int i = 0; i < n; i++) {
            float e = runs.expm1(i);
            v[i] = e / (e + 2f);
        }
        System.arraycopy(v, 0, a, from, n);
    }

    /** dσ/dx from s = σ(x). */
    static float sigmoidSlope(float s) { return s * (1f - s); }

    /** d tanh/dx from t = tanh(x). */
    static float tanhSlope(float t) { return 1f - t * t; }
}
