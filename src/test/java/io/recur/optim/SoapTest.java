package io.recur.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SOAP against steps computed by hand in float64 on a 2×2 matrix (whose eigenbases have a closed
 * form), against AdamW on a vector, and the structure its eigenbasis must give: with the basis
 * refreshed from G₁ alone, the rotated gradient is G's singular values.
 */
class SoapTest {
    private static final double DECAY = 0.1;

    static List<Backend> backends() { return io.recur.testing.TestBackends.all(); }

    /** Eigenvectors of a symmetric 2×2 matrix as the columns of Q, by ascending eigenvalue. */
    private static double[] eigenbasis(double[] s) {
        double theta = 0.5 * Math.atan2(2 * s[1], s[0] - s[3]);   // the larger eigenvalue's direction
        double c = Math.cos(theta), sn = Math.sin(theta);
        return new double[] {-sn, c, c, sn};
    }

    @ParameterizedTest @MethodSource("backends")
    void stepsMatchTheHandComputation(Backend backend) {
        // eps 1e-3: with the basis fitted to G₁ alone, G₁' is diagonal and its off-diagonal float32
        // rounding (~1e-7) would be divided by a √v of the same size under a tiny eps.
        Soap.Settings s = new Soap.Settings(0.9, 0.95, 0.8, 1e-3, 2, 1024, true);
        double[] lr = {0.1, 0.05, 0.2, 0.1, 0.02};
        try (BackendFixture f = BackendFixture.on(backend)) {
            D w = f.rand.normal(2, 2);
            Tensor p = f.view(w).requiresGrad(true);
            double[] expected = w.data.clone(), l = new double[4], r = new double[4], m = new double[4], v = new double[4];
            double[] ql = {1, 0, 0, 1}, qr = {1, 0, 0, 1};
            try (Soap opt = new Soap(List.of(new ParameterGroup("all", Map.of("w", p), DECAY)), s)) {
                for (int t = 1; t <= lr.length; t++) {
                    D gd = f.rand.normal(2, 2);
                    double[] g = gd.data;
                    p.setGrad(f.view(gd));
                    double[] ggt = Matrices2.multiply(g, Matrices2.transpose(g)), gtg = Matrices2.multiply(Matrices2.transpose(g), g);
                    for (int i = 0; i < 4; i++) {
                        l[i] = s.shampooBeta() * l[i] + (1 - s.shampooBeta()) * ggt[i];
                        r[i] = s.shampooBeta() * r[i] + (1 - s.shampooBeta()) * gtg[i];
                        m[i] = s.beta1() * m[i] + (1 - s.beta1()) * g[i];
                    }
                    if ((t - 1) % s.preconditionFrequency() == 0) { ql = eigenbasis(l); qr = eigenbasis(r); }
                    double[] gr = rotate(ql, g, qr), mr = rotate(ql, m, qr), n = new double[4];
                    for (int i = 0; i < 4; i++) {
                        v[i] = s.beta2() * v[i] + (1 - s.beta2()) * gr[i] * gr[i];
                        n[i] = mr[i] / (Math.sqrt(v[i]) + s.eps());
                    }
                    double[] d = Matrices2.multiply(Matrices2.multiply(ql, n), Matrices2.transpose(qr));
                    double stepSize = lr[t - 1] * Math.sqrt(1 - Math.pow(s.beta2(), t)) / (1 - Math.pow(s.beta1(), t));
                    for (int i = 0; i < 4; i++) expected[i] = expected[i] * (1 - lr[t - 1] * DECAY) - stepSize * d[i];
                    opt.step(lr[t - 1]);
                    f.assertClose(expected, p.toFloatArray(), 2e-4, 2e-5, "after step " + t);
                }
            }
        }
    }

    /** Qlᵀ x Qr. */
    private static double[] rotate(double[] ql, double[] x, double[] qr) {
        return Matrices2.multiply(Matrices2.multiply(Matrices2.transpose(ql), x), qr);
    }

    @ParameterizedTest @MethodSource("backends")
    void aVectorGetsAdamW(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D start = f.rand.normal(7);
            Tensor a = f.view(start).requiresGrad(true), b = f.view(start).requiresGrad(true);
            Soap.Settings s = Soap.Settings.defaults();
            try (Soap soap = new Soap(List.of(new ParameterGroup("v", Map.of("v", a), DECAY)), s);
                 AdamW adam = new AdamW(List.of(new ParameterGroup("v", Map.of("v", b), DECAY)), new AdamW.Settings(s.beta1(), s.beta2(), s.eps()))) {
                for (int t = 1; t <= 5; t++) {
                    D g = f.rand.normal(7);
                    a.setGrad(f.view(g));
                    b.setGrad(f.view(g));
                    soap.step(0.03);
                    adam.step(0.03);
                    f.assertClose(D.of(b).data, a.toFloatArray(), 1e-5, 1e-6, "step " + t);
                }
            }
        }
    }

    /**
     * Frequency 1 on a 3×5 matrix after one step: the bases are orthonormal eigenvectors of the
     * statistics (Qᵀ F Q diagonal), and the rotated second moment (1 − β2)·(Q_Lᵀ G Q_R)² holds G's
     * squared singular values, one per row, in at most one entry per column, summing to (1 − β2)‖G‖².
     */
    @ParameterizedTest @MethodSource("backends")
    void theEigenbasisDiagonalizesTheFirstGradient(Backend backend) {
        int rows = 3, cols = 5;
        try (BackendFixture f = BackendFixture.on(backend)) {
            Tensor p = f.view(f.rand.normal(rows, cols)).requiresGrad(true);
            D g = f.rand.normal(rows, cols);
            Soap.Settings s = Soap.Settings.defaults().withFrequency(1);
            try (Soap opt = new Soap(ParameterGroup.of(List.of(p)), s)) {
                p.setGrad(f.view(g));
                opt.step(0.01);
                Map<String, Tensor> state = opt.state();
                for (int mode = 0; mode < 2; mode++) {
                    int n = mode == 0 ? rows : cols;
                    float[] q = state.get("0.block0.mode" + mode + ".basis").toFloatArray(), stat = state.get("0.block0.mode" + mode + ".statistics").toFloatArray();
                    double scale = 0;
                    for (float x : stat) scale = Math.max(scale, Math.abs(x));
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++) {
                            double gram = 0, rotated = 0;
                            for (int k = 0; k < n; k++) {
                                gram += (double) q[k * n + i] * q[k * n + j];
                                for (int l = 0; l < n; l++) rotated += (double) q[k * n + i] * stat[k * n + l] * q[l * n + j];
                            }
                            assertEquals(i == j ? 1 : 0, gram, 1e-5, f.where("QᵀQ mode " + mode));
                            if (i != j) assertEquals(0, rotated, 1e-5 * scale, f.where("QᵀFQ off the diagonal, mode " + mode));
                        }
                }
                float[] v = state.get("0.exp_avg_sq").toFloatArray();
                double total = 0, norm = 0;
                for (float x : v) total += x;
                for (double x : g.data) norm += x * x;
                assertEquals((1 - s.beta2()) * norm, total, 1e-4 * total, f.where("Σ v"));
                boolean[] columnUsed = new boolean[cols];
                for (int i = 0; i < rows; i++) {
                    int big = 0, at = -1;
                    for (int j = 0; j < cols; j++) if (v[i * cols + j] > 1e-4 * total) { big++; at = j; }
                    assertEquals(1, big, f.where("row " + i + " of the rotated second moment: " + Arrays.toString(v)));
                    assertTrue(!columnUsed[at], f.where("column " + at + " used twice"));
                    columnUsed[at] = true;
                }
            }
        }
    }
}
