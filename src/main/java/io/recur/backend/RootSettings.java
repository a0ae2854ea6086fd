package io.recur.backend;

/**
 * What {@link Backend#inverseRoots} computes: X ≈ (A + r·I)^{-1/p} for each matrix A of a batch.
 *
 * <p>The ridge r is {@code epsilon} when absolute (Meta's Distributed Shampoo), or
 * epsilon · max(λ_max(A), 1e-6) when relative (Google's scalable Shampoo), with λ_max from the
 * eigenvalues for {@link RootMethod#EIGEN} and from {@link #POWER_ITERATIONS} power-iteration
 * steps for {@link RootMethod#COUPLED_NEWTON}.
 *
 * <p>Newton stops when max|M − I| ≤ tolerance, after maxIterations, or when ‖M − I‖_F grows by
 * more than ×1.2 (then the previous iterate is kept). The eigen method clamps eigenvalues at 0
 * (A is a sum of outer products, so a negative eigenvalue is rounding) before adding the ridge.
 */
public record RootSettings(RootMethod method, int p, double epsilon, boolean relativeEpsilon, int maxIterations, double tolerance) {
    /** Power-iteration steps that estimate λ_max for a relative ridge in the Newton method. */
    public static final int POWER_ITERATIONS = 100;

    public RootSettings {
        if (method == null) throw new IllegalArgumentException("inverse root: method is null");
        if (p < 1) throw new IllegalArgumentException("inverse root: p must be >= 1, got " + p);
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("inverse root: epsilon must be finite and >= 0, got " + epsilon);
        if (maxIterations < 1) throw new IllegalArgumentException("inverse root: max iterations must be >= 1, got " + maxIterations);
        if (!(tolerance > 0)) throw new IllegalArgumentException("inverse root: tolerance must be > 0, got " + tolerance);
    }

    /** The references' defaults: 100 Newton iterations, tolerance 1e-6. */
    public static RootSettings of(RootMethod method, int p, double epsilon, boolean relativeEpsilon) {
        return new RootSettings(method, p, epsilon, relativeEpsilon, 100, 1e-6);
    }

    /** The ridge for a matrix whose largest eigenvalue is (about) lambdaMax. */
    public double ridge(double lambdaMax) {
        return relativeEpsilon ? epsilon * Math.max(lambdaMax, 1e-6) : epsilon;
    }
}
