package io.recur.backend.cpu;

/**
 * The eigendecomposition of one symmetric matrix by the cyclic Jacobi method in float64 (Golub &amp;
 * Van Loan 8.5): sweeps of plane rotations, each zeroing one off-diagonal pair, until the
 * off-diagonal part is negligible. Slower than tridiagonal QR, but simple, accurate for small
 * eigenvalues of ill-conditioned matrices, and the same algorithm the CUDA kernel runs.
 */
final class JacobiEigen {
    /** Stop when ‖off(A)‖_F ≤ this · ‖A‖_F. */
    static final double TOLERANCE = 1e-14;
    static final int MAX_SWEEPS = 50;

    private JacobiEigen() {}

    /**
     * Eigenvalues ascending into values (n) and the matching unit eigenvectors as the columns of
     * vectors (n×n row-major, so a = V diag(values) Vᵀ). Returns ‖off‖_F / ‖A‖_F left at the end
     * (0 for a zero matrix; NaN when the input has NaN).
     */
    static double decompose(double[] input, int n, double[] values, double[] vectors) {
        double[] a = input.clone();
        double[] v = DenseMatrices.identity(n);
        double total = DenseMatrices.frobenius(a, n);
        double off = offDiagonal(a, n);
        for (int sweep = 0; sweep < MAX_SWEEPS && off > TOLERANCE * total; sweep++) {
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++) rotate(a, v, n, p, q);
            off = offDiagonal(a, n);
        }
        sortAscending(a, v, n, values, vectors);
        return total == 0 ? 0 : off / total;
    }

    /** Zeroes a[p][q] by A ← Jᵀ A J, V ← V J with J the rotation by (c, s) in the (p, q) plane. */
    private static void rotate(double[] a, double[] v, int n, int p, int q) {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        double c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++) {                        // columns p and q
            double kp = a[k * n + p], kq = a[k * n + q];
            a[k * n + p] = c * kp - s * kq;
            a[k * n + q] = s * kp + c * kq;
        }
        for (int k = 0; k < n; k++) {                        // rows p and q
            double pk = a[p * n + k], qk = a[q * n + k];
            a[p * n + k] = c * pk - s * qk;
            a[q * n + k] = s * pk + c * qk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (int k = 0; k < n; k++) {
            double kp = v[k * n + p], kq = v[k * n + q];
            v[k * n + p] = c * kp - s * kq;
            v[k * n + q] = s * kp + c * kq;
        }
    }

    private static double offDiagonal(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) if (i != j) s += a[i * n + j] * a[i * n + j];
        return Math.sqrt(s);
    }

    private static void sortAscending(double[] a, double[] v, int n, double[] values, double[] vectors) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[x * n + x], a[y * n + y]));
        for (int j = 0; j < n; j++) {
            int from = order[j];
            values[j] = a[from * n + from];
            for (int k = 0; k < n; k++) vectors[k * n + j] = v[k * n + from];
        }
    }
}
