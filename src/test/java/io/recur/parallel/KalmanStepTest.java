package io.recur.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The damped steps solve the Levenberg–Marquardt problem min Σ‖h_t − J_t h_{t-1} − b_t‖² + λ Σ‖h_t − y_t‖²:
 * checked against its normal equations, solved directly in float64.
 */
class KalmanStepTest {
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void denseSmootherSolvesTheNormalEquations(Backend backend) { checkNormalEquations(backend, false, 7); }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void scalarSmootherSolvesTheNormalEquations(Backend backend) { checkNormalEquations(backend, true, 9); }

    /** Random J (|entries| ≤ 1.2, or diagonals ≤ 1.5), b, y and h0 at three dampings. */
    private static void checkNormalEquations(Backend backend, boolean diagonal, int length) {
        Rand rand = Rand.fresh();
        int batch = 2, n = 3;
        for (float damping : new float[] {0.01f, 1f, 30f}) {
            D j = diagonal ? rand.uniform(-1.5, 1.5, batch, length, n) : rand.uniform(-1.2, 1.2, batch, length, n, n);
            D b = rand.normal(batch, length, n), y = rand.normal(batch, length, n), h0 = rand.normal(batch, n);
            double[] expected = normalEquations(j.data, diagonal, b.data, y.data, h0.data, damping, batch, length, n);
            try (Scope s = Scope.open("test")) {
                Tensor jt = j.toTensor(backend), bt = b.toTensor(backend), h0t = h0.toTensor(backend), yt = y.toTensor(backend);
                Tensor step = diagonal ? ScalarKalman.smooth(jt, bt, h0t, yt, damping) : DenseKalman.smooth(jt, bt, h0t, yt, damping);
                NewtonSolverTest.assertClose(expected, D.of(step).data, 2e-4 * scale(expected),
                        (diagonal ? "quasi-ELK" : "ELK") + " step, λ = " + damping + " on " + backend.name() + rand.tag());
            }
        }
    }

    /** Thousands of steps with |a| up to 2: the variance scan neither overflows nor loses the answer. */
    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void scalarSmootherStaysAccurateOverLongSequences(Backend backend) {
        Rand rand = Rand.fresh();
        int length = 3000;
        float damping = 0.05f;
        D a = rand.uniform(-2, 2, 1, length, 1), b = rand.normal(1, length, 1), y = rand.normal(1, length, 1), h0 = rand.normal(1, 1);
        double[] expected = tridiagonal(a.data, b.data, y.data, h0.data[0], damping);
        try (Scope s = Scope.open("test")) {
            double[] got = D.of(ScalarKalman.smooth(a.toTensor(backend), b.toTensor(backend), h0.toTensor(backend), y.toTensor(backend), damping)).data;
            NewtonSolverTest.assertClose(expected, got, 2e-4 * scale(expected), "long quasi-ELK step on " + backend.name() + rand.tag());
        }
    }

    private static double scale(double[] v) {
        double m = 1;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /**
     * Per row: (I + J_{t+1}ᵀJ_{t+1} + λI) h_t − J_t h_{t-1} − J_{t+1}ᵀ h_{t+1} = b_t − J_{t+1}ᵀ b_{t+1} + λ y_t
     * (+ J_0 h0 at t = 0), as one dense (T·n)² system. diagonal: j holds (batch, T, n) diagonals.
     */
    static double[] normalEquations(double[] j, boolean diagonal, double[] b, double[] y, double[] h0, double damping,
                                    int batch, int length, int n) {
        int size = length * n;
        double[] out = new double[batch * size];
        for (int r = 0; r < batch; r++) {
            double[][] jt = new double[length][];
            for (int t = 0; t < length; t++) {
                jt[t] = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < n; k++)
                        jt[t][i * n + k] = diagonal ? (i == k ? j[(r * length + t) * n + i] : 0) : j[((r * length + t) * n + i) * n + k];
            }
            double[] m = new double[size * size], rhs = new double[size];
            for (int t = 0; t < length; t++)
                for (int i = 0; i < n; i++) {
                    int row = t * n + i;
                    m[row * size + row] += 1 + damping;
                    rhs[row] += b[(r * length + t) * n + i] + damping * y[(r * length + t) * n + i];
                    for (int k = 0; k < n; k++) {
                        if (t > 0) m[row * size + (t - 1) * n + k] -= jt[t][i * n + k];
                        else rhs[row] += jt[0][i * n + k] * h0[r * n + k];
                    }
                    if (t + 1 < length)
                        for (int k = 0; k < n; k++) {
                            // J_{t+1}ᵀ row i is column i of J_{t+1}
                            double jki = jt[t + 1][k * n + i];
                            rhs[row] -= jki * b[(r * length + t + 1) * n + k];
                            m[row * size + (t + 1) * n + k] -= jki;
                            for (int l = 0; l < n; l++) m[row * size + t * n + l] += jki * jt[t + 1][k * n + l];
                        }
                }
            System.arraycopy(KalmanReference.solve(m, rhs, size, 1), 0, out, r * size, size);
        }
        return out;
    }

    /** The scalar normal equations of one channel by the Thomas algorithm. */
    private static double[] tridiagonal(double[] a, double[] b, double[] y, double h0, double damping) {
        int length = a.length;
        double[] lower = new double[length], diag = new double[length], upper = new double[length], rhs = new double[length];
        for (int t = 0; t < length; t++) {
            double next = t + 1 < length ? a[t + 1] : 0;
            diag[t] = 1 + damping + next * next;
            lower[t] = -a[t];
            upper[t] = -next;
            rhs[t] = b[t] - (t + 1 < length ? next * b[t + 1] : 0) + damping * y[t] + (t == 0 ? a[0] * h0 : 0);
        }
        for (int t = 1; t < length; t++) {
            double w = lower[t] / diag[t - 1];
            diag[t] -= w * upper[t - 1];
            rhs[t] -= w * rhs[t - 1];
        }
        double[] h = new double[length];
        h[length - 1] = rhs[length - 1] / diag[length - 1];
        for (int t = length - 2; t >= 0; t--) h[t] = (rhs[t] - upper[t] * h[t + 1]) / diag[t];
        return h;
    }
}
