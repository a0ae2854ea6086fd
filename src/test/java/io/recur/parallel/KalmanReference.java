package io.recur.parallel;

/**
 * Float64 references for ELK's Kalman gains: dense linear solves, the sequential covariance
 * recursion, and Särkkä and García-Fernández's filtering elements restricted to their
 * data-independent part (A, C, J̄) with their associative combination, for H = I, Q = I, R = σ² I.
 * Matrices are row-major n×n arrays.
 */
final class KalmanReference {
    private KalmanReference() {}

    /** An element of the covariance scan: the prefix over steps 0..t has a = 0, info = 0 and c = P_t. */
    record Element(double[] a, double[] c, double[] info) {}

    /** X = A⁻¹ B for A (n×n) and B (n×cols) by Gaussian elimination with partial pivoting and back substitution. */
    static double[] solve(double[] a, double[] b, int n, int cols) {
        double[] m = a.clone(), x = b.clone();
        for (int k = 0; k < n; k++) {
            int best = k;
            for (int i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]) > Math.abs(m[best * n + k])) best = i;
            for (int j = 0; j < n; j++) { double t = m[k * n + j]; m[k * n + j] = m[best * n + j]; m[best * n + j] = t; }
            for (int j = 0; j < cols; j++) { double t = x[k * cols + j]; x[k * cols + j] = x[best * cols + j]; x[best * cols + j] = t; }
            for (int i = k + 1; i < n; i++) {
                double f = m[i * n + k] / m[k * n + k];
                for (int j = k; j < n; j++) m[i * n + j] -= f * m[k * n + j];
                for (int j = 0; j < cols; j++) x[i * cols + j] -= f * x[k * cols + j];
            }
        }
        for (int i = n - 1; i >= 0; i--)
            for (int j = 0; j < cols; j++) {
                double s = x[i * cols + j];
                for (int k = i + 1; k < n; k++) s -= m[i * n + k] * x[k * cols + j];
                x[i * cols + j] = s / m[i * n + i];
            }
        return x;
    }

    static double[] times(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    static double[] transposed(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        return t;
    }

    static double[] plus(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) c[i] += b[i];
        return c;
    }

    /** a + s I. */
    static double[] shifted(double[] a, double s, int n) {
        double[] c = a.clone();
        for (int i = 0; i < n; i++) c[i * n + i] += s;
        return c;
    }

    static double[] identity(int n) { return shifted(new double[n * n], 1, n); }

    /** J P Jᵀ + I. */
    static double[] predicted(double[] j, double[] p, int n) { return shifted(times(times(j, p, n), transposed(j, n), n), 1, n); }

    /**
     * The sequential recursion for one row of Jacobians j[t] from P_{-1} = 0: [keep_t, P_t, G_t] per
     * step, keep = σ² (P̂ + σ² I)⁻¹, P = keep P̂, G_t = P_t J_{t+1}ᵀ P̂_{t+1}⁻¹ (0 at the last step).
     */
    static double[][][] sequential(double[][] j, int n, double variance) {
        int length = j.length;
        double[][] keep = new double[length][], filtered = new double[length][], gain = new double[length][];
        double[] p = new double[n * n];
        for (int t = 0; t < length; t++) {
            double[] pp = predicted(j[t], p, n);
            double[] inverse = solve(shifted(pp, variance, n), identity(n), n, n);
            for (int i = 0; i < n * n; i++) inverse[i] *= variance;
            keep[t] = inverse;
            p = filtered[t] = times(inverse, pp, n);
        }
        for (int t = 0; t < length; t++) {
            if (t + 1 == length) { gain[t] = new double[n * n]; continue; }
            // G P̂ = P Jᵀ  ⇔  P̂ Gᵀ = J P (P̂, P symmetric)
            gain[t] = transposed(solve(predicted(j[t + 1], filtered[t], n), times(j[t + 1], filtered[t], n), n, n), n);
        }
        return new double[][][] {keep, filtered, gain};
    }

    /** Step t's element: A = (I − K) J_t, C = (I − K) Q, J̄ = J_tᵀ (Q + R)⁻¹ J_t, K = (1 + σ²)⁻¹ I; at t = 0 (P_{-1} = 0) A = 0, J̄ = 0. */
    static Element element(double[] j, boolean first, int n, double variance) {
        double keep = variance / (1 + variance);
        double[] a = new double[n * n], info = times(transposed(j, n), j, n);
        for (int i = 0; i < n * n; i++) {
            a[i] = first ? 0 : keep * j[i];
            info[i] = first ? 0 : info[i] / (1 + variance);
        }
        double[] c = identity(n);
        for (int i = 0; i < n * n; i++) c[i] *= keep;
        return new Element(a, c, info);
    }

    /**
     * Earlier element e, later f: A = A_f (I + C_e J̄_f)⁻¹ A_e, C = A_f (I + C_e J̄_f)⁻¹ C_e A_fᵀ + C_f,
     * J̄ = A_eᵀ (I + J̄_f C_e)⁻¹ J̄_f A_e + J̄_e, the paper's formulas as written.
     */
    static Element combine(Element e, Element f, int n) {
        double[] m = plus(identity(n), times(e.c(), f.info(), n));
        double[] mt = plus(identity(n), times(f.info(), e.c(), n));
        double[] a = times(f.a(), solve(m, e.a(), n, n), n);
        double[] c = plus(times(times(f.a(), solve(m, e.c(), n, n), n), transposed(f.a(), n), n), f.c());
        double[] info = plus(times(transposed(e.a(), n), solve(mt, times(f.info(), e.a(), n), n, n), n), e.info());
        return new Element(a, c, info);
    }
}
