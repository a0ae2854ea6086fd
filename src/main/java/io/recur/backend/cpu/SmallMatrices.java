package io.recur.backend.cpu;

/** Dense n×n float64 matrices in row-major arrays, for the Kalman gains of ELK ({@link CpuKalman}). */
final class SmallMatrices {
    private SmallMatrices() {}

    static double[] read(float[] src, int offset, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) m[i] = src[offset + i];
        return m;
    }

    static void write(double[] m, float[] dst, int offset) {
        for (int i = 0; i < m.length; i++) dst[offset + i] = (float) m[i];
    }

    static double[] multiply(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                if (aik == 0) continue;
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        return c;
    }

    static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        return t;
    }

    /** A P Aᵀ. */
    static double[] sandwich(double[] a, double[] p, int n) { return multiply(multiply(a, p, n), transpose(a, n), n); }

    /** (A + Aᵀ) / 2: keeps a covariance symmetric against rounding. */
    static double[] symmetrized(double[] a, int n) {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
        return s;
    }

    /** A⁻¹ by Gauss–Jordan elimination with partial pivoting; A must be invertible (here: symmetric positive definite). */
    static double[] inverse(double[] a, int n) {
        double[] m = a.clone(), inv = new double[n * n];
        for (int i = 0; i < n; i++) inv[i * n + i] = 1;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
            if (m[pivot * n + col] == 0) throw new ArithmeticException("singular matrix in the Kalman smoother (column " + col + ")");
            swapRows(m, col, pivot, n);
            swapRows(inv, col, pivot, n);
            double scale = 1 / m[col * n + col];
            for (int j = 0; j < n; j++) {
                m[col * n + j] *= scale;
                inv[col * n + j] *= scale;
            }
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = m[r * n + col];
                if (f == 0) continue;
                for (int j = 0; j < n; j++) {
                    m[r * n + j] -= f * m[col * n + j];
                    inv[r * n + j] -= f * inv[col * n + j];
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] m, int a, int b, int n) {
        if (a == b) return;
        for (int j = 0; j < n; j++) {
            double t = m[a * n + j];
            m[a * n + j] = m[b * n + j];
            m[b * n + j] = t;
        }
    }
}
