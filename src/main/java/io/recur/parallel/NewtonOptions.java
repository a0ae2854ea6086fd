package io.recur.parallel;

/**
 * How Newton's iterations on a trajectory run.
 *
 * @param method        DEER, quasi-DEER, ELK or quasi-ELK
 * @param maxIterations the most iterations. The undamped methods never run more than T, since
 *                      Newton on a trajectory of T steps is exact after T (step t is exact from
 *                      iteration t on); the damped ones have no such bound (a damped step only moves
 *                      part of the way), so for them this is the only limit
 * @param tolerance     DEER and quasi-DEER stop once max |h_new − h| ≤ tolerance (1e-4 suits
 *                      float32); ELK and quasi-ELK once max |f(h_{t-1}, x_t) − h_t| ≤ tolerance
 * @param damping       λ of the damped methods: the Levenberg–Marquardt weight of ‖h − h̃‖², i.e.
 *                      1/σ² for the ELK paper's observation variance σ²; λ → 0 is DEER again, larger λ
 *                      takes shorter, safer steps. Ignored by DEER and quasi-DEER.
 * @param clip          every iterate is clamped to [−clip, clip] (Float.POSITIVE_INFINITY: never);
 *                      keeps a diverging iterate finite when the true states are known to be bounded
 *                      (a GRU's lie in [−1, 1] when h0 does)
 * @param exactAdjoint  the gradient's reverse scan uses the full Jacobian even for the quasi methods
 *                      (exact gradients at O(T·n²) memory, n ≤ 32); otherwise the method's own
 */
public record NewtonOptions(Method method, int maxIterations, float tolerance, float damping, float clip, boolean exactAdjoint) {
    public NewtonOptions {
        if (method == null) throw new IllegalArgumentException("NewtonOptions: method is required");
        if (maxIterations < 1) throw new IllegalArgumentException("NewtonOptions: maxIterations must be >= 1, got " + maxIterations);
        if (!(tolerance >= 0)) throw new IllegalArgumentException("NewtonOptions: tolerance must be >= 0, got " + tolerance);
        if (!(damping >= 0) || Float.isInfinite(damping))
            throw new IllegalArgumentException("NewtonOptions: damping must be finite and >= 0, got " + damping);
        if (!(clip > 0)) throw new IllegalArgumentException("NewtonOptions: clip must be > 0 (POSITIVE_INFINITY for none), got " + clip);
    }

    /**
     * The method with up to 1000 iterations (and T), tolerance 1e-4, no clipping and damping 1e-6
     * (σ² = 1e6, the ELK paper's choice for ELK on its autoregressive GRU: barely damped where
     * Newton is well behaved, enough to keep the iterates finite where its steps overflow).
     */
    public static NewtonOptions of(Method method) {
        return new NewtonOptions(method, 1000, 1e-4f, 1e-6f, Float.POSITIVE_INFINITY, false);
    }

    public NewtonOptions withMaxIterations(int n) { return new NewtonOptions(method, n, tolerance, damping, clip, exactAdjoint); }

    public NewtonOptions withTolerance(float tol) { return new NewtonOptions(method, maxIterations, tol, damping, clip, exactAdjoint); }

    public NewtonOptions withDamping(float lambda) { return new NewtonOptions(method, maxIterations, tolerance, lambda, clip, exactAdjoint); }

    public NewtonOptions withClip(float c) { return new NewtonOptions(method, maxIterations, tolerance, damping, c, exactAdjoint); }

    public NewtonOptions withExactAdjoint(boolean on) { return new NewtonOptions(method, maxIterations, tolerance, damping, clip, on); }

    /** The Jacobian the gradient's reverse scan uses. */
    public JacobianKind adjointJacobian() { return exactAdjoint ? JacobianKind.FULL : method.jacobian(); }
}
