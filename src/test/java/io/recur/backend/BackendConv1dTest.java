package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.Conv1dReference;
import io.recur.testing.D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The causal depthwise conv1d on every backend against a float64 sum, forward and gradients, in both
 * layouts, kernel widths 2 … 4, with and without bias, SiLU and a carried state, at lengths from 1
 * to 10,000 and channel counts that are not a multiple of the 32-channel tile.
 */
class BackendConv1dTest {
    private static final int[] SHORT = {1, 7, 64};
    private static final int[] LONG = {2053, 10_000};

    /** Every option combination at the short lengths. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void everyOptionAtShortLengths(Backend backend) {
        for (int length : SHORT)
            for (int width = 2; width <= 4; width++)
                for (int options = 0; options < 16; options++)
                    check(backend, 2, 5, length, width, options);
    }

    /** Long sequences with all options on and all off, in both layouts. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void longSequences(Backend backend) {
        for (int length : LONG)
            for (int width = 2; width <= 4; width++) {
                check(backend, 2, 37, length, width, width % 2 == 0 ? 0b0111 : 0b1000);
                check(backend, 1, 37, length, width, width % 2 == 0 ? 0b1111 : 0b0000);
            }
    }

    /** Many channels and batches: several channel tiles, blocks walking many tiles. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void manyChannels(Backend backend) {
        check(backend, 3, 130, 100, 4, 0b0111);
        check(backend, 3, 130, 100, 3, 0b1111);
    }

    /** options: bit 0 bias, bit 1 SiLU, bit 2 carried state, bit 3 channels-last. */
    private static void check(Backend backend, int batch, int channels, int length, int width, int options) {
        boolean withBias = (options & 1) != 0, silu = (options & 2) != 0, withState = (options & 4) != 0;
        boolean last = (options & 8) != 0;
        try (BackendFixture f = BackendFixture.on(backend)) {
            String what = "causalConv1d " + batch + "x" + channels + "x" + length + " W=" + width + (withBias ? " bias" : "")
                    + (silu ? " silu" : "") + (withState ? " state" : "") + (last ? " channels-last" : " channels-first");
            // channels-first values for the reference; the backend sees them in its layout
            D x = f.rand.normal(batch, channels, length), w = f.rand.uniform(-1, 1, channels, width), g = f.rand.normal(batch, channels, length);
            D bias = withBias ? f.rand.normal(channels) : null, state = withState ? f.rand.normal(batch, channels, width - 1) : null;
            double[] expected = Conv1dReference.forward(x.data, w.data, BackendFixture.data(bias), BackendFixture.data(state), batch, channels, length, width, silu);
            Tensor xt = f.view(layout(x, last)), wt = f.view(layout(w, last)), bt = bias == null ? null : f.view(bias);
            Tensor st = state == null ? null : f.view(layout(state, last));
            Tensor out = last ? f.output(batch, length, channels) : f.output(batch, channels, length);
            backend.causalConv1d(xt, wt, bt, st, batch, channels, length, width, last, silu, out);
            f.assertClose(layout(new D(expected, batch, channels, length), last).data, out.toFloatArray(), 1e-5, 1e-5, what);

            Conv1dReference.Grads want = Conv1dReference.backward(x.data, w.data, BackendFixture.data(bias), BackendFixture.data(state), g.data, batch,
                    channels, length, width, silu);
            Tensor dx = last ? f.output(batch, length, channels) : f.output(batch, channels, length);
            Tensor dw = last ? f.output(width, channels) : f.output(channels, width), db = f.output(channels);
            Tensor ds = last ? f.output(batch, width - 1, channels) : f.output(batch, channels, width - 1);
            backend.causalConv1dBackward(xt, wt, bt, st, f.view(layout(g, last)), batch, channels, length, width, last, silu,
                    dx, dw, db, ds);
            f.assertClose(layout(new D(want.dx(), batch, channels, length), last).data, dx.toFloatArray(), 1e-5, 1e-5, what + " dx");
            double sums = Math.sqrt((double) batch * length);   // weight and bias gradients are sums over batch and time
            f.assertClose(layout(new D(want.dWeight(), channels, width), last).data, dw.toFloatArray(), 1e-4, 1e-5 * sums, what + " dWeight");
            f.assertClose(want.dBias(), db.toFloatArray(), 1e-4, 1e-5 * sums, what + " dBias");
            f.assertClose(layout(new D(want.dState(), batch, channels, width - 1), last).data, ds.toFloatArray(), 1e-5, 1e-5,
                    what + " dState");
        }
    }

    /** A channels-first tensor (or (channels, W) weight) in the backend's layout. */
    private static D layout(D channelsFirst, boolean last) { return last ? channelsFirst.swapLastTwo() : channelsFirst; }
}
