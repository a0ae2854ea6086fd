package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.RgLruReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused RG-LRU on every backend against recurrentgemma's definition run step by step in float64,
 * forward and every gradient: lengths from 1 to 10,000 (several time segments on CUDA and time
 * chunks on the CPU when channels are few), widths that are not a multiple of the block or tile,
 * with and without h0 and resets.
 */
class BackendRgLruTest {
    private static final int[] LENGTHS = {1, 7, 64, 2053, 10_000};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void matchesTheSequentialDefinition(Backend backend) {
        for (int length : LENGTHS)
            for (int variant = 0; variant < 4; variant++) {
                boolean withH0 = (variant & 1) != 0, withResets = (variant & 2) != 0;
                if (length == 10_000 && variant % 3 != 0) continue;   // the plain and the everything case suffice there
                // one sequence of 10,000 steps: fewer rows than cores, so the CPU cuts time into chunks too
                check(backend, length == 10_000 && withH0 ? 1 : 2, length, 37, withH0, withResets);
            }
    }

    /** Enough channels for one segment per sequence on the simulated device; CPU rows of several tiles. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void manyChannels(Backend backend) {
        check(backend, 2, 130, 2100, true, true);
        check(backend, 3, 5, 70, false, true);
    }

    /**
     * Λ far below zero makes a ≈ 1 and 1 - a² ≈ 1e-13: the plain derivative of sqrt there is about
     * 1e6, the bounded one 1000; the gradients stay finite and follow the bound.
     */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void multiplierDerivativeIsBounded(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            int batch = 2, length = 50, width = 5;
            D x = f.rand.normal(batch, length, width), gx = f.rand.normal(batch, length, width);
            D ga = f.rand.normal(batch, length, width), g = f.rand.normal(batch, length, width);
            D lambda = f.rand.uniform(-32, -28, width);
            Tensor h = f.output(batch, length, width);
            Tensor[] in = {f.view(x), f.view(gx), f.view(ga), f.view(lambda)};
            backend.rgLru(in[0], in[1], in[2], in[3], null, null, batch, length, width, h);
            RgLruReference.Grads want = RgLruReference.backward(x.data, gx.data, ga.data, lambda.data, null, null, g.data,
                    batch, length, width);
            Tensor dga = f.output(batch, length, width), dLambda = f.output(width);
            backend.rgLruBackward(in[0], in[1], in[2], in[3], null, null, h, f.view(g), batch, length, width,
                    f.output(batch, length, width), f.output(batch, length, width), dga, dLambda, null);
            for (float v : dga.toFloatArray()) assertTrue(Float.isFinite(v), f.where("dGateAPre finite"));
            f.assertCloseScaled(want.dGateA(), dga.toFloatArray(), 1e-3, "bounded dGateAPre");
            f.assertCloseScaled(want.dLambda(), dLambda.toFloatArray(), 1e-3, "bounded dLambda");
        }
    }

    private static void check(Backend backend, int batch, int length, int width, boolean withH0, boolean withResets) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            String what = "rgLru " + batch + "x" + length + "x" + width + (withH0 ? " h0" : "") + (withResets ? " resets" : "");
            D x = f.rand.normal(batch, length, width), gx = f.rand.normal(batch, length, width);
            D ga = f.rand.normal(batch, length, width), g = f.rand.normal(batch, length, width);
            D lambda = RgLruReference.lambdaInit(f.rand, width);
            D h0 = withH0 ? f.rand.normal(batch, width) : null, resets = withResets ? f.resetMask(batch, length) : null;
            double[] expected = RgLruReference.forward(x.data, gx.data, ga.data, lambda.data, BackendFixture.data(resets), BackendFixture.data(h0),
                    batch, length, width);
            Tensor xt = f.view(x), gxt = f.view(gx), gat = f.view(ga), lt = f.view(lambda);
            Tensor h0t = h0 == null ? null : f.view(h0), rt = resets == null ? null : f.view(resets);
            Tensor h = f.output(batch, length, width);
            backend.rgLru(xt, gxt, gat, lt, rt, h0t, batch, length, width, h);
            f.assertCloseScaled(expected, h.toFloatArray(), 1e-4, what);

            RgLruReference.Grads want = RgLruReference.backward(x.data, gx.data, ga.data, lambda.data, BackendFixture.data(resets), BackendFixture.data(h0),
                    g.data, batch, length, width);
            Tensor dx = f.output(batch, length, width), dgx = f.output(batch, length, width), dga = f.output(batch, length, width);
            Tensor dLambda = f.output(width), dh0 = withH0 ? f.output(batch, width) : null;
            backend.rgLruBackward(xt, gxt, gat, lt, rt, h0t, h, f.view(g), batch, length, width, dx, dgx, dga, dLambda, dh0);
            f.assertCloseScaled(want.dx(), dx.toFloatArray(), 1e-4, what + " dx");
            f.assertCloseScaled(want.dGateX(), dgx.toFloatArray(), 1e-4, what + " dGateXPre");
            f.assertCloseScaled(want.dGateA(), dga.toFloatArray(), 1e-3, what + " dGateAPre");
            f.assertCloseScaled(want.dLambda(), dLambda.toFloatArray(), 1e-3, what + " dLambda");
            if (withH0) f.assertCloseScaled(want.dh0(), dh0.toFloatArray(), 1e-4, what + " dh0");
        }
    }
}
