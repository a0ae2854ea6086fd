package io.recur.backend.cpu;

import io.recur.backend.RootSettings;

/**
 * The inverse p-th root of one symmetric positive semi-definite matrix by the coupled Newton
 * iteration, in float64 (Higham, Functions of Matrices, eq. 7.18; Anil et al. 2021): with
 * α = −1/p, z = (1 + p) / (2‖A‖_F), M₀ = z·A, H₀ = z^{1/p}·I, repeat
 * Mᵢ = (1 − α)I + αM; M ← Mᵢ^p M; H ← H Mᵢ. M → I and H → A^{-1/p}. The scaling z puts every
 * eigenvalue of M₀ in (0, (1 + p)/2], inside the iteration's region of convergence. M, H and Mᵢ
 * are all polynomials in A, so every product is symmetric and computed as such (half the work).
 *
 * <p>Stopping: at max|M − I| ≤ tolerance, after maxIterations, or when rounding makes the iteration
 * diverge, seen as ‖M − I‖_F growing by more than {@link #GROWTH_LIMIT} (the previous iterate is
 * kept). The growth test uses the Frobenius norm, not the max-entry norm of the tolerance: every
 * eigenvalue of M moves toward 1 in exact arithmetic, so ‖M − I‖_F never grows, whereas the
 * largest entry can rise in the first steps when A is rank-deficient (a factor after one step),
 * which stopped the iteration far from convergence.
 */
final class CoupledNewtonRoot {
    /** An error that grows by more than this factor means rounding took over: keep the previous iterate. */
    static final double GROWTH_LIMIT = 1.2;

    private CoupledNewtonRoot() {}

    /**
     * Writes (A + ridge·I)^{-1/p} into root (n×n) and returns the final max|M − I|, the
     * iteration's own residual (NaN when A is zero or the iteration broke down).
     */
    static double inverseRoot(double[] a, int n, RootSettings s, double[] root) {
        double ridge = s.relativeEpsilon() ? s.ridge(DenseMatrices.largestEigenvalue(a, n, RootSettings.POWER_ITERATIONS)) : s.epsilon();
        int p = s.p();
        double[] m = a.clone();
        for (int i = 0; i < n; i++) m[i * n + i] += ridge;
        double norm = DenseMatrices.frobenius(m, n);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            java.util.Arrays.fill(root, 0, n * n, Double.NaN);
            return Double.NaN;
        }
        double z = (1.0 + p) / (2 * norm);
        for (int i = 0; i < n * n; i++) m[i] *= z;
        double[] h = DenseMatrices.identity(n);
        double hScale = Math.pow(z, 1.0 / p);
        for (int i = 0; i < n; i++) h[i * n + i] = hScale;
        double error = DenseMatrices.maxAbsFromIdentity(m, n), distance = DenseMatrices.frobeniusFromIdentity(m, n);
        double alpha = -1.0 / p;
        double[] mi = new double[n * n];
        for (int it = 0; it < s.maxIterations() && error > s.tolerance(); it++) {
            for (int i = 0; i < n * n; i++) mi[i] = alpha * m[i];
            for (int i = 0; i < n; i++) mi[i * n + i] += 1 - alpha;
            double[] nextM = DenseMatrices.multiplySymmetric(DenseMatrices.power(mi, p, n), m, n);
            double nextDistance = DenseMatrices.frobeniusFromIdentity(nextM, n);
            if (!(nextDistance <= GROWTH_LIMIT * distance)) break;
            m = nextM;
            h = DenseMatrices.multiplySymmetric(h, mi, n);
            error = DenseMatrices.maxAbsFromIdentity(m, n);
            distance = nextDistance;
        }
        System.arraycopy(h, 0, root, 0, n * n);
        return error;
    }
}
