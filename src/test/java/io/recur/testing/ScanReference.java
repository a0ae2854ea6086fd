package io.recur.testing;

/**
 * Sequential float64 loops for linear recurrences, written straight from the definitions (not from
 * the scan operator): the answers the parallel scans are compared with. Layouts as in the Backend
 * SPI: diagonal rows (rows, T) time-last; dense A (rows, T, n, n), vectors (rows, T, n).
 * Null h0 means zeros, null resets means none.
 */
public final class ScanReference {
    private ScanReference() {}

    /** Gradients of a scan: da (or dA), db and dh0 (rows or rows × n; zeros when there is no h0). */
    public record Grads(double[] da, double[] db, double[] dh0) {}

    /** Time of the k-th step in forward order. */
    private static int at(int k, int length, boolean reverse) { return reverse ? length - 1 - k : k; }

    private static double effectiveA(double[] a, double[] resets, int i) {
        return resets != null && resets[i] != 0 ? 0 : a[i];
    }

    /** h_t = a'_t h_prev + b_t, in time order or reversed. */
    public static double[] linear(double[] a, double[] b, double[] h0, double[] resets, int rows, int length, boolean reverse) {
        double[] h = new double[rows * length];
        for (int r = 0; r < rows; r++) {
            double state = h0 == null ? 0 : h0[r];
            for (int k = 0; k < length; k++) {
                int i = r * length + at(k, length, reverse);
                state = effectiveA(a, resets, i) * state + b[i];
                h[i] = state;
            }
        }
        return h;
    }

    /** Backpropagation through the loop above, for the upstream gradient g of h. */
    public static Grads linearBackward(double[] a, double[] b, double[] h0, double[] resets, double[] g, int rows, int length,
                                       boolean reverse) {
        double[] h = linear(a, b, h0, resets, rows, length, reverse);
        double[] da = new double[rows * length], db = new double[rows * length], dh0 = new double[rows];
        for (int r = 0; r < rows; r++) {
            double carried = 0;   // d loss / d h_k through h_{k+1}
            for (int k = length - 1; k >= 0; k--) {
                int i = r * length + at(k, length, reverse);
                double dh = g[i] + carried;
                db[i] = dh;
                double prev = k > 0 ? h[r * length + at(k - 1, length, reverse)] : (h0 == null ? 0 : h0[r]);
                da[i] = resets != null && resets[i] != 0 ? 0 : dh * prev;
                carried = effectiveA(a, resets, i) * dh;
            }
            dh0[r] = carried;
        }
        return new Grads(da, db, dh0);
    }

    /** h_t = A_t h_prev + b_t, one matrix-vector product per step. */
    public static double[] matrix(double[] a, double[] b, double[] h0, int rows, int length, int n, boolean reverse) {
        double[] h = new double[rows * length * n];
        for (int r = 0; r < rows; r++) {
            double[] state = new double[n];
            if (h0 != null) System.arraycopy(h0, r * n, state, 0, n);
            for (int k = 0; k < length; k++) {
                int t = r * length + at(k, length, reverse);
                double[] next = new double[n];
                for (int i = 0; i < n; i++) {
                    double s = b[t * n + i];
                    for (int j = 0; j < n; j++) s += a[(t * n + i) * n + j] * state[j];
                    next[i] = s;
                }
                state = next;
                System.arraycopy(state, 0, h, t * n, n);
            }
        }
        return h;
    }

    /**
     * The same recurrence written out as repeated matrix products:
     * h_k = (A_k … A_0) h0 + Σ_{j ≤ k} (A_k … A_{j+1}) b_j (forward order k). Quadratic in T.
     */
    public static double[] matrixByProducts(double[] a, double[] b, double[] h0, int rows, int length, int n, boolean reverse) {
        double[] h = new double[rows * length * n];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < length; k++) {
                int t = r * length + at(k, length, reverse);
                double[] sum = new double[n];
                for (int j = -1; j <= k; j++) {   // j = -1: the h0 term
                    double[] product = identity(n);
                    for (int m = j + 1; m <= k; m++) product = multiply(block(a, r * length + at(m, length, reverse), n), product, n);
                    double[] v = new double[n];
                    if (j >= 0) System.arraycopy(b, (r * length + at(j, length, reverse)) * n, v, 0, n);
                    else if (h0 != null) System.arraycopy(h0, r * n, v, 0, n);
                    for (int i = 0; i < n; i++) for (int c = 0; c < n; c++) sum[i] += product[i * n + c] * v[c];
                }
                System.arraycopy(sum, 0, h, t * n, n);
            }
        return h;
    }

    /** Backpropagation through {@link #matrix}: λ = dh, dA_t = λ_t h_prev^T, dh0 = A_first^T λ_first. */
    public static Grads matrixBackward(double[] a, double[] b, double[] h0, double[] g, int rows, int length, int n,
                                       boolean reverse) {
        double[] h = matrix(a, b, h0, rows, length, n, reverse);
        double[] dA = new double[a.length], db = new double[b.length], dh0 = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double[] carried = new double[n];
            for (int k = length - 1; k >= 0; k--) {
                int t = r * length + at(k, length, reverse);
                double[] lambda = new double[n];
                for (int i = 0; i < n; i++) lambda[i] = g[t * n + i] + carried[i];
                System.arraycopy(lambda, 0, db, t * n, n);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) {
                        double prev = k > 0 ? h[(r * length + at(k - 1, length, reverse)) * n + j] : (h0 == null ? 0 : h0[r * n + j]);
                        dA[(t * n + i) * n + j] = lambda[i] * prev;
                    }
                carried = new double[n];
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) carried[i] += a[(t * n + j) * n + i] * lambda[j];
            }
            System.arraycopy(carried, 0, dh0, r * n, n);
        }
        return new Grads(dA, db, dh0);
    }

    private static double[] identity(int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }

    private static double[] block(double[] a, int t, int n) {
        double[] m = new double[n * n];
        System.arraycopy(a, t * n * n, m, 0, n * n);
        return m;
    }

    private static double[] multiply(double[] x, double[] y, int n) {
        double[] z = new double[n * n];
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) for (int j = 0; j < n; j++) z[i * n + j] += x[i * n + k] * y[k * n + j];
        return z;
    }
}
