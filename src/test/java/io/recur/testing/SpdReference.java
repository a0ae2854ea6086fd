package io.recur.testing;

/**
 * Symmetric positive definite test matrices with a known spectrum, A = Q diag(λ) Qᵀ with Q random
 * orthogonal, and float64 matrix functions of them, Q diag(f(λ)) Qᵀ: the reference for inverse
 * roots and eigendecompositions.
 */
public final class SpdReference {
    private SpdReference() {}

    /** A random orthogonal n×n matrix (Gram–Schmidt, twice, on a Gaussian matrix), row-major. */
    public static double[] orthogonal(Rand rand, int n) {
        double[] q = new double[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(rand.nextLong());
        for (int i = 0; i < n * n; i++) q[i] = r.nextGaussian();
        for (int j = 0; j < n; j++) {                     // column j against columns before it
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
                    for (int i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
                }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i * n + j] * q[i * n + j];
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) q[i * n + j] /= norm;
        }
        return q;
    }

    /** n eigenvalues spread log-uniformly from scale down to scale / condition, shuffled by the generator. */
    public static double[] spectrum(Rand rand, int n, double condition, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double t = n == 1 ? 0 : (double) i / (n - 1);
            v[i] = scale * Math.pow(condition, -t);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rand.nextInt(i + 1);
            double t = v[i]; v[i] = v[j]; v[j] = t;
        }
        return v;
    }

    /** Q diag(values) Qᵀ. */
    public static double[] compose(double[] q, double[] values, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += q[i * n + j] * values[j] * q[k * n + j];
                a[i * n + k] = s;
            }
        return a;
    }

    /** Q diag((λ + ridge)^{-1/p}) Qᵀ. */
    public static double[] inverseRoot(double[] q, double[] values, int n, double ridge, int p) {
        double[] f = new double[n];
        for (int j = 0; j < n; j++) f[j] = Math.pow(values[j] + ridge, -1.0 / p);
        return compose(q, f, n);
    }

    /** ‖actual − expected‖_F / ‖expected‖_F. */
    public static double relativeError(double[] expected, double[] actual) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff / norm);
    }
}
