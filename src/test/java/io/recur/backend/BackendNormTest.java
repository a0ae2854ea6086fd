package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.NormReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RMSNorm and LayerNorm forward (with the saved statistics) and backward on every backend. The
 * weight (and bias) gradients are accumulated into random starting values, as the SPI promises.
 */
class BackendNormTest {
    /** (rows, dim): single element and row, odd, a row of several blocks, many rows (chunked weight gradients). */
    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {5, 33}, {7, 33}, {3, 768}, {2, 3000}, {260, 130}, {1500, 40}};
    private static final float EPS = 1e-5f;

    private static D plus(D a, D b) { return a.zip(b, Double::sum); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void rmsNormForwardAndBackward(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : SHAPES) {
                int rows = s[0], dim = s[1];
                String what = "rmsNorm " + rows + "x" + dim;
                D x = f.rand.normal(rows, dim), w = f.rand.uniform(0.5, 1.5, dim), dy = f.rand.normal(rows, dim), dw0 = f.rand.normal(dim);
                Tensor xt = f.view(x), wt = f.view(w), y = f.output(rows, dim), rstd = f.output(rows);
                backend.rmsNorm(xt, wt, rows, dim, EPS, y, rstd);
                f.assertClose(NormReference.rmsNorm(x, w, EPS), y, 1e-5, 1e-5, what);
                f.assertClose(NormReference.stats(x, EPS, false).rstd(), rstd, 1e-5, 0, what + " rstd");
                NormReference.Grads expected = NormReference.backward(x, w, dy, EPS, false);
                Tensor dx = f.output(rows, dim), dw = f.view(dw0);
                backend.rmsNormBackward(xt, wt, rstd, f.view(dy), rows, dim, dx, dw);
                f.assertClose(expected.dx(), dx, 1e-4, 1e-5, what + " dx");
                f.assertClose(plus(dw0, expected.dWeight()), dw, 1e-4, 1e-3, what + " dWeight");
            }
        }
    }

    /** Inputs around 3, so that a one-pass variance would lose digits. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void layerNormForwardAndBackward(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : SHAPES) {
                int rows = s[0], dim = s[1];
                String what = "layerNorm " + rows + "x" + dim;
                D x = f.rand.normal(rows, dim).map(v -> v + 3).roundToFloat(), w = f.rand.uniform(0.5, 1.5, dim), b = f.rand.normal(dim);
                D dy = f.rand.normal(rows, dim), dw0 = f.rand.normal(dim), db0 = f.rand.normal(dim);
                Tensor xt = f.view(x), wt = f.view(w), y = f.output(rows, dim), mean = f.output(rows), rstd = f.output(rows);
                backend.layerNorm(xt, wt, f.view(b), rows, dim, EPS, y, mean, rstd);
                NormReference.Stats stats = NormReference.stats(x, EPS, true);
                f.assertClose(NormReference.layerNorm(x, w, b, EPS), y, 1e-4, 1e-4, what);
                f.assertClose(stats.mean(), mean, 1e-5, 1e-6, what + " mean");
                f.assertClose(stats.rstd(), rstd, 1e-4, 0, what + " rstd");
                NormReference.Grads expected = NormReference.backward(x, w, dy, EPS, true);
                Tensor dx = f.output(rows, dim), dw = f.view(dw0), db = f.view(db0);
                backend.layerNormBackward(xt, wt, mean, rstd, f.view(dy), rows, dim, dx, dw, db);
                f.assertClose(expected.dx(), dx, 1e-3, 1e-4, what + " dx");
                f.assertClose(plus(dw0, expected.dWeight()), dw, 1e-4, 1e-3, what + " dWeight");
                f.assertClose(plus(db0, expected.dBias()), db, 1e-4, 1e-3, what + " dBias");
            }
        }
    }
}
