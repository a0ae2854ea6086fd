package io.recur.backend.cpu;

/**
 * The eigendecomposition of one symmetric matrix by the cyclic Jacobi method in float64 (Golub &amp;
 * Van Loan 8.5): sweeps of plane rotations, each zeroing one off-diagonal pair, until the
 * off-diagonal part is negligible. Slower than tridiagonal QR, but simple and accurate for small
 * eigenvalues of ill-conditioned matrices. The pairs are visited in the parallel (round-robin)
 * order of the CUDA kernel: each of the m − 1 rounds of a sweep (m = n rounded up to even) rotates
 * m/2 disjoint pairs at once, which lets both A ← Jᵀ A and A ← A J run over contiguous rows.
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
        double[] vt = DenseMatrices.identity(n);   // Vᵀ: eigenvectors as rows, so rotations touch contiguous rows
        int m = n + (n & 1), half = m / 2;
        int[] ps = new int[half], qs = new int[half];
        double[] cs = new double[half], ss = new double[half];
        double total = DenseMatrices.frobenius(a, n);
        double off = offDiagonal(a, n);
        for (int sweep = 0; sweep < MAX_SWEEPS && off > TOLERANCE * total; sweep++) {
            for (int round = 0; round < m - 1; round++) {
                int pairs = 0;
                for (int k = 0; k < half; k++) {
                    int p = pairP(round, k, m), q = pairQ(round, k, m);
                    if (Math.max(p, q) >= n || a[Math.min(p, q) * n + Math.max(p, q)] == 0) continue;
                    ps[pairs] = Math.min(p, q);
                    qs[pairs] = Math.max(p, q);
                    rotation(a, n, ps[pairs], qs[pairs], cs, ss, pairs);
                    pairs++;
                }
                rotate(a, vt, n, ps, qs, cs, ss, pairs);
            }
            off = offDiagonal(a, n);
        }
        sortAscending(a, vt, n, values, vectors);
        return total == 0 ? 0 : off / total;
    }

    /** The pair of index k in round r of the circle method on m (even) indices: every pair meets once per m − 1 rounds. */
    static int pairP(int r, int k, int m) { return k == 0 ? r : (r + k) % (m - 1); }

    static int pairQ(int r, int k, int m) { return k == 0 ? m - 1 : (r - k + m - 1) % (m - 1); }

    /** The rotation (c, s) that zeroes a[p][q] (p < q), into slot i. */
    private static void rotation(double[] a, int n, int p, int q, double[] cs, double[] ss, int i) {
        double tau = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q]);
        double t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        cs[i] = 1 / Math.sqrt(1 + t * t);
        ss[i] = t * cs[i];
    }

    /**
     * A ← Jᵀ A J and Vᵀ ← Jᵀ Vᵀ for the product J of the round's disjoint rotations: rows p and q
     * of each pair, then columns p and q within every row; each pair's a[p][q] ends exactly 0.
     */
    private static void rotate(double[] a, double[] vt, int n, int[] ps, int[] qs, double[] cs, double[] ss, int pairs) {
        CpuParallel.forRange(pairs, n, (from, to) -> {   // parallel from n = 256 on: smaller rounds cost less than a hand-off
            for (int i = from; i < to; i++) {
                rotateRows(a, ps[i] * n, qs[i] * n, n, cs[i], ss[i]);
                rotateRows(vt, ps[i] * n, qs[i] * n, n, cs[i], ss[i]);
            }
        });
        CpuParallel.forRange(n, pairs, (from, to) -> {
            for (int row = from; row < to; row++) {
                int base = row * n;
                for (int i = 0; i < pairs; i++) {
                    double xp = a[base + ps[i]], xq = a[base + qs[i]], c = cs[i], s = ss[i];
                    a[base + ps[i]] = c * xp - s * xq;
                    a[base + qs[i]] = s * xp + c * xq;
                }
            }
        });
        for (int i = 0; i < pairs; i++) {
            a[ps[i] * n + qs[i]] = 0;
            a[qs[i] * n + ps[i]] = 0;
        }
    }

    /** Rows at offsets rp and rq of m become c·row_p − s·row_q and s·row_p + c·row_q. */
    private static void rotateRows(double[] m, int rp, int rq, int n, double c, double s) {
        for (int k = 0; k < n; k++) {
            double xp = m[rp + k], xq = m[rq + k];
            m[rp + k] = c * xp - s * xq;
            m[rq + k] = s * xp + c * xq;
        }
    }

    private static double offDiagonal(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) if (i != j) s += a[i * n + j] * a[i * n + j];
        return Math.sqrt(s);
    }

    /** Eigenvalues ascending, with the matching rows of Vᵀ as the columns of vectors. */
    private static void sortAscending(double[] a, double[] vt, int n, double[] values, double[] vectors) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[x * n + x], a[y * n + y]));
        for (int j = 0; j < n; j++) {
            int from = order[j];
            values[j] = a[from * n + from];
            for (int k = 0; k < n; k++) vectors[k * n + j] = vt[from * n + k];
        }
    }
}
