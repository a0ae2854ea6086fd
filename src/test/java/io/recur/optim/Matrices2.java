package io.recur.optim;

/** 2×2 float64 matrix arithmetic for hand-computed optimizer steps: [a, b; c, d] as {a, b, c, d}. */
final class Matrices2 {
    private Matrices2() {}

    static double[] multiply(double[] x, double[] y) {
        return new double[] {x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3], x[2] * y[0] + x[3] * y[2], x[2] * y[1] + x[3] * y[3]};
    }

    static double[] transpose(double[] x) { return new double[] {x[0], x[2], x[1], x[3]}; }

    /** The two eigenvalues of a symmetric 2×2 matrix, largest first. */
    static double[] eigenvalues(double[] s) {
        double mean = (s[0] + s[3]) / 2, half = Math.sqrt((s[0] - s[3]) * (s[0] - s[3]) / 4 + s[1] * s[1]);
        return new double[] {mean + half, mean - half};
    }

    /**
     * (S + ridge·I)^{-1/p} of a symmetric positive definite 2×2 matrix in closed form: with
     * eigenvalues λ1 ≠ λ2, f(S) = f(λ1) I + (f(λ1) − f(λ2)) / (λ1 − λ2) · (S − λ1 I).
     */
    static double[] inverseRoot(double[] s, double ridge, int p) {
        double[] m = {s[0] + ridge, s[1], s[2], s[3] + ridge};
        double[] l = eigenvalues(m);
        double f1 = Math.pow(l[0], -1.0 / p), f2 = Math.pow(l[1], -1.0 / p);
        double slope = l[0] - l[1] < 1e-12 * l[0] ? -1.0 / p * Math.pow(l[0], -1.0 / p - 1) : (f1 - f2) / (l[0] - l[1]);
        return new double[] {f1 + slope * (m[0] - l[0]), slope * m[1], slope * m[2], f1 + slope * (m[3] - l[0])};
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }
}
