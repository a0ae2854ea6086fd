package io.recur.backend.cpu;

import io.recur.backend.RootSettings;

/**
 * The inverse p-th root of one symmetric positive semi-definite matrix from its Jacobi
 * eigendecomposition, in float64: Q diag((max(λ, 0) + ridge)^{-1/p}) Qᵀ. Eigenvalues below zero
 * are rounding in a sum of outer products, so they are clamped before the ridge is added.
 */
final class EigenRoot {
    private EigenRoot() {}

    /**
     * Writes the root into root (n×n) and returns the eigendecomposition's relative off-diagonal
     * residual (NaN when the root is not finite: a zero eigenvalue with no ridge, or NaN input).
     */
    static double inverseRoot(double[] a, int n, RootSettings s, double[] root) {
        double[] values = new double[n], q = new double[n * n];
        double residual = JacobiEigen.decompose(a, n, values, q);
        double ridge = s.ridge(values[n - 1]);
        double[] scaled = new double[n];
        for (int j = 0; j < n; j++) scaled[j] = Math.pow(Math.max(values[j], 0) + ridge, -1.0 / s.p());
        boolean finite = true;
        for (int i = 0; i < n; i++)
            for (int k = 0; k <= i; k++) {
                double sum = 0;
                for (int j = 0; j < n; j++) sum += q[i * n + j] * scaled[j] * q[k * n + j];
                root[i * n + k] = sum;
                root[k * n + i] = sum;
                finite &= Double.isFinite(sum);
            }
        return finite ? residual : Double.NaN;
    }
}
