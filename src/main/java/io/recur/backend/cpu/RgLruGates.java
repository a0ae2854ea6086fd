package io.recur.backend.cpu;

import io.recur.backend.UnaryOp;

/**
 * The RG-LRU's per-element gate arithmetic in float32, shared by its forward and backward sequences
 * (the CUDA kernel in kernels/rglru.cu computes the same expressions).
 */
final class RgLruGates {
    /** Decay exponent scale of recurrentgemma: log a = -8 · σ(gateAPre) · softplus(Λ). */
    static final float C = 8f;
    /** SqrtBoundDerivative: d sqrt(u)/du taken as 1 / sqrt(max(4u, 1e-6)), i.e. at most 1000. */
    static final float MIN_FOUR_U = 1e-6f;

    private RgLruGates() {}

    static float sigmoid(float z) { return (float) CpuMath.sigmoid(z); }

    /** torch's softplus (threshold 20), as the SOFTPLUS activation. */
    static float softplus(float z) { return CpuMath.apply(UnaryOp.SOFTPLUS, z); }

    static float softplusDerivative(float z) { return CpuMath.derivative(UnaryOp.SOFTPLUS, z, 0f); }

    /** log a for a gate pre-activation and softplus(Λ) of its channel. */
    static float logA(float gateAPre, float softplusLambda) { return -C * sigmoid(gateAPre) * softplusLambda; }

    /**
     * u = 1 - a² (the multiplier's square) from a = exp(log a) computed in double: the double square
     * keeps u accurate to float precision even where a is close to 1 and 1 - a·a in float would
     * cancel (Math.expm1 would too, at several times the cost of Math.exp).
     */
    static float oneMinusSquare(double a) { return (float) (1.0 - a * a); }

    /** The bounded derivative of sqrt at u. */
    static float sqrtDerivative(float u) { return 1f / (float) Math.sqrt(Math.max(4f * u, MIN_FOUR_U)); }
}
