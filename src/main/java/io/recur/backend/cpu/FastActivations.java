package io.recur.backend.cpu;

/**
 * The logistic function and tanh in float, built on {@link FastExp} so that loops over them
 * vectorise (Math.exp and Math.tanh work in double, one element at a time), and their slopes from
 * their values. Measured against double: σ within 2.5 ulp, tanh within 3.5 ulp on [-20, 20] (tanh
 * through expm1, so small arguments keep their relative accuracy).
 */
final class FastActivations {
    private FastActivations() {}

    static float sigmoid(float x) { return 1f / (1f + FastExp.exp(-x)); }

    /** tanh(x) = (e^{2x} − 1) / (e^{2x} + 1); saturates to ±1 where FastExp clamps. */
    static float tanh(float x) {
        float e = FastExp.expm1(2f * x);
        return e / (e + 2f);
    }

    /** dσ/dx from s = σ(x). */
    static float sigmoidSlope(float s) { return s * (1f - s); }

    /** d tanh/dx from t = tanh(x). */
    static float tanhSlope(float t) { return 1f - t * t; }
}
