package io.recur.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGD and AdamW against float64 updates written out here, over several steps with a changing
 * learning rate, on every backend: a matrix in a weight-decay group and a vector without decay.
 */
class OptimizerReferenceTest {
    private static final int STEPS = 6;
    private static final double[] LR = {0.1, 0.05, 0.2, 0.01, 0.1, 0.3};
    private static final double DECAY = 0.1;

    /** One float64 update of one parameter: p, its buffers and its gradient at step t (from 1). */
    private interface Reference { void update(double[] p, double[][] buffers, double[] g, double lr, double wd, int t); }

    private static void adamW(double[] p, double[][] buf, double[] g, double lr, double wd, int t) {
        double b1 = 0.9, b2 = 0.99, eps = 1e-6;
        double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            buf[0][i] = b1 * buf[0][i] + (1 - b1) * g[i];
            buf[1][i] = b2 * buf[1][i] + (1 - b2) * g[i] * g[i];
            p[i] -= lr / c1 * buf[0][i] / (Math.sqrt(buf[1][i]) / Math.sqrt(c2) + eps);
        }
    }

    private static Reference sgd(double mu, boolean nesterov) {
        return (p, buf, g, lr, wd, t) -> {
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * wd;
                double d = g[i];
                if (mu > 0) {
                    buf[0][i] = mu * buf[0][i] + g[i];
                    d = nesterov ? g[i] + mu * buf[0][i] : buf[0][i];
                }
                p[i] -= lr * d;
            }
        };
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void adamWWithBiasCorrectionAndDecay(Backend backend) {
        check(backend, groups -> new AdamW(groups, new AdamW.Settings(0.9, 0.99, 1e-6)), OptimizerReferenceTest::adamW, 2);
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void sgdWithMomentum(Backend backend) {
        check(backend, groups -> new Sgd(groups, new Sgd.Settings(0.9, false)), sgd(0.9, false), 1);
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void sgdWithNesterovMomentum(Backend backend) {
        check(backend, groups -> new Sgd(groups, new Sgd.Settings(0.8, true)), sgd(0.8, true), 1);
    }

    @ParameterizedTest @MethodSource("io.recur.testing.TestBackends#all")
    void plainSgd(Backend backend) {
        check(backend, groups -> new Sgd(groups, Sgd.Settings.plain()), sgd(0, false), 0);
    }

    private static void check(Backend backend, java.util.function.Function<List<ParameterGroup>, Optimizer> make, Reference reference, int buffers) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D w = f.rand.normal(3, 5), bias = f.rand.normal(7);
            Map<String, Tensor> named = new LinkedHashMap<>();
            named.put("w", f.view(w).requiresGrad(true));
            named.put("b", f.view(bias).requiresGrad(true));
            List<double[]> expected = List.of(w.data.clone(), bias.data.clone());
            List<double[][]> state = List.of(new double[buffers][w.size()], new double[buffers][bias.size()]);
            double[] decay = {DECAY, 0};   // matrices decay, vectors do not
            try (Optimizer opt = make.apply(ParameterGroup.decayMatricesOnly(named, DECAY))) {
                for (int t = 1; t <= STEPS; t++) {
                    List<Tensor> params = new ArrayList<>(named.values());
                    for (int k = 0; k < params.size(); k++) {
                        Tensor p = params.get(k);
                        D g = f.rand.normal(p.shape().dims());
                        p.setGrad(f.view(g));
                        reference.update(expected.get(k), state.get(k), g.data, LR[t - 1], decay[k], t);
                    }
                    opt.step(LR[t - 1]);
                    for (int k = 0; k < params.size(); k++)
                        f.assertClose(expected.get(k), params.get(k).toFloatArray(), 2e-5, 2e-6, "parameter " + k + " after step " + t);
                }
                assertEquals(STEPS, opt.steps());
            }
        }
    }
}
