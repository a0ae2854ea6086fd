package io.recur.backend.cpu;

/** Small float64 helpers on square row-major n×n matrices, for the inverse-root and eigen routines. */
final class DenseMatrices {
    private DenseMatrices() {}

    static double[] identity(int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }

    /**
     * out = a · b (out must not alias a or b); i-k-j order keeps the inner loop on contiguous rows.
     * Rows are split over the cores when the product is large (one big block alone still uses them all).
     */
    static void multiply(double[] a, double[] b, int n, double[] out) { product(a, b, n, out, false); }

    static double[] multiply(double[] a, double[] b, int n) {
        double[] out = new double[n * n];
        product(a, b, n, out, false);
        return out;
    }

    /**
     * a · b when the product is known to be symmetric (a and b are polynomials in one symmetric
     * matrix, as every matrix of the coupled Newton iteration is): the upper triangle is computed,
     * at half the work, and mirrored.
     */
    static double[] multiplySymmetric(double[] a, double[] b, int n) {
        double[] out = new double[n * n];
        product(a, b, n, out, true);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) out[j * n + i] = out[i * n + j];
        return out;
    }

    /** out = a · b, or only its upper triangle (j >= i) when upper. */
    private static void product(double[] a, double[] b, int n, double[] out, boolean upper) {
        CpuParallel.forRange(n, (long) n * n, (from, to) -> {
            java.util.Arrays.fill(out, from * n, to * n, 0);
            for (int i = from; i < to; i++) {
                int row = i * n, first = upper ? i : 0;
                for (int k = 0; k < n; k++) {
                    double aik = a[row + k];
                    if (aik == 0) continue;
                    int bk = k * n;
                    for (int j = first; j < n; j++) out[row + j] += aik * b[bk + j];
                }
            }
        });
    }

    /** m^p for p >= 1 and symmetric m, by repeated squaring. */
    static double[] power(double[] m, int p, int n) {
        double[] result = null, square = m;
        for (int e = p; ; ) {
            if ((e & 1) != 0) result = result == null ? square.clone() : multiplySymmetric(result, square, n);
            e >>= 1;
            if (e == 0) return result;
            square = multiplySymmetric(square, square, n);
        }
    }

    static double frobenius(double[] m, int n) {
        double s = 0;
        for (int i = 0; i < n * n; i++) s += m[i] * m[i];
        return Math.sqrt(s);
    }

    /** max |m − I|, NaN if any entry is NaN. */
    static double maxAbsFromIdentity(double[] m, int n) {
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double d = Math.abs(m[i * n + j] - (i == j ? 1 : 0));
                if (!(d <= worst)) worst = d;   // NaN sticks
            }
        return worst;
    }

    /** ‖m − I‖_F. */
    static double frobeniusFromIdentity(double[] m, int n) {
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double d = m[i * n + j] - (i == j ? 1 : 0);
                s += d * d;
            }
        return Math.sqrt(s);
    }

    /** The symmetric part (a + aᵀ)/2 of a float32 matrix at offset, widened to float64. */
    static double[] symmetricPart(float[] a, int offset, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i * n + j] = 0.5 * ((double) a[offset + i * n + j] + a[offset + j * n + i]);
        return m;
    }

    /** The largest eigenvalue of a symmetric positive semi-definite matrix by power iteration from a fixed start. */
    static double largestEigenvalue(double[] a, int n, int iterations) {
        double[] v = new double[n], w = new double[n];
        for (int i = 0; i < n; i++) v[i] = 1 + 0.5 * Math.sin(i + 1);   // fixed, and not orthogonal to any likely eigenvector
        normalize(v);
        double lambda = 0;
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * v[j];
                w[i] = s;
            }
            double next = 0;
            for (int i = 0; i < n; i++) next += v[i] * w[i];
            double norm = normalize(w);
            double[] t = v; v = w; w = t;
            boolean settled = Math.abs(next - lambda) <= 1e-6 * Math.abs(next);
            lambda = next;
            if (norm == 0 || settled) break;
        }
        return lambda;
    }

    private static double normalize(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        double norm = Math.sqrt(s);
        if (norm > 0) for (int i = 0; i < v.length; i++) v[i] /= norm;
        return norm;
    }
}
