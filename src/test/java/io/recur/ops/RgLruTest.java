package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.RgLruReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The RG-LRU as a differentiable op: forward and every gradient against the float64 definition. */
class RgLruTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    @ParameterizedTest @MethodSource(BACKENDS)
    void scanWithEverything(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, width = 3;
        for (int length : new int[] {1, 5, 33})
            OpCheck.named("rgLru T=" + length)
                    .input(rand.normal(batch, length, width)).input(rand.normal(batch, length, width))
                    .input(rand.normal(batch, length, width)).input(rand.uniform(-2, 2, width)).input(rand.normal(batch, width))
                    .constant(resets(rand, batch, length))
                    .run(backend, rand, t -> RgLru.scan(t.get(0), t.get(1), t.get(2), t.get(3), t.get(5), t.get(4)),
                            d -> scan(d.get(0), d.get(1), d.get(2), d.get(3), d.get(5), d.get(4)));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void scanWithoutStateOrResets(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("rgLru plain").input(rand.normal(1, 9, 4)).input(rand.normal(1, 9, 4)).input(rand.normal(1, 9, 4))
                .input(RgLruReference.lambdaInit(rand, 4))
                .run(backend, rand, t -> RgLru.scan(t.get(0), t.get(1), t.get(2), t.get(3), null, null),
                        d -> scan(d.get(0), d.get(1), d.get(2), d.get(3), null, null));
        OpCheck.named("rgLru, only x trained").input(rand.normal(2, 6, 3)).constant(rand.normal(2, 6, 3))
                .constant(rand.normal(2, 6, 3)).constant(rand.uniform(-1, 1, 3))
                .run(backend, rand, t -> RgLru.scan(t.get(0), t.get(1), t.get(2), t.get(3), null, null),
                        d -> scan(d.get(0), d.get(1), d.get(2), d.get(3), null, null));
    }

    /** The whole layer: block-diagonal gate projections (2 heads of 3) and the fused recurrence. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void layerWithProjections(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, length = 6, heads = 2, block = 3, width = heads * block;
        OpCheck.named("rgLru layer")
                .input(rand.normal(batch, length, width))
                .input(rand.uniform(-0.6, 0.6, heads, block, block)).input(rand.normal(heads, block))
                .input(rand.uniform(-0.6, 0.6, heads, block, block)).input(rand.normal(heads, block))
                .input(RgLruReference.lambdaInit(rand, width)).input(rand.normal(batch, width))
                .constant(resets(rand, batch, length))
                .run(backend, rand, t -> RgLru.rgLru(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5), t.get(7), t.get(6)),
                        d -> scan(d.get(0), blockDiagonal(d.get(0), d.get(1), d.get(2)), blockDiagonal(d.get(0), d.get(3), d.get(4)),
                                d.get(5), d.get(7), d.get(6)));
    }

    /** lastState is the final step's h, and its gradient reaches every input. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void lastStateIsDifferentiable(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, length = 8, width = 3;
        OpCheck.named("rgLru lastState").input(rand.normal(batch, length, width)).input(rand.normal(batch, length, width))
                .input(rand.normal(batch, length, width)).input(rand.uniform(-2, 2, width)).input(rand.normal(batch, width))
                .run(backend, rand, t -> RgLru.lastState(RgLru.scan(t.get(0), t.get(1), t.get(2), t.get(3), null, t.get(4))),
                        d -> lastStep(scan(d.get(0), d.get(1), d.get(2), d.get(3), null, d.get(4))));
    }

    /** A sequence in chunks, each starting from the previous chunk's last state, equals the whole. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void chunksContinueFromTheLastState(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, width = 5;
        int[] chunks = {1, 6, 13};
        int length = 20;
        D x = rand.normal(batch, length, width), gx = rand.normal(batch, length, width), ga = rand.normal(batch, length, width);
        D lambda = RgLruReference.lambdaInit(rand, width);
        try (Scope s = Scope.open("chunks")) {
            Tensor xt = x.toTensor(backend), gxt = gx.toTensor(backend), gat = ga.toTensor(backend), lt = lambda.toTensor(backend);
            Tensor whole = RgLru.scan(xt, gxt, gat, lt, null, null);
            Tensor state = null;
            int start = 0;
            for (int n : chunks) {
                Tensor h = RgLru.scan(Shapes.slice(xt, 1, start, start + n), Shapes.slice(gxt, 1, start, start + n),
                        Shapes.slice(gat, 1, start, start + n), lt, null, state);
                float[] want = Shapes.slice(whole, 1, start, start + n).toFloatArray(), got = h.toFloatArray();
                for (int i = 0; i < want.length; i++)
                    assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), "chunk at " + start + ", element " + i + rand.tag());
                state = RgLru.lastState(h);
                start += n;
            }
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badArgumentsAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(Shape.of(2, 4, 6)), lambda = backend.zeros(Shape.of(6));
            assertMessage(() -> RgLru.scan(backend.zeros(Shape.of(4, 6)), x, x, lambda, null, null), "rgLru", "(batch, T, width)", "[4, 6]");
            assertMessage(() -> RgLru.scan(x, backend.zeros(Shape.of(2, 4, 5)), x, lambda, null, null), "rgLru", "gateXPre", "[2, 4, 5]");
            assertMessage(() -> RgLru.scan(x, x, x, backend.zeros(Shape.of(5)), null, null), "rgLru", "lambda must be [6]");
            assertMessage(() -> RgLru.scan(x, x, x, lambda, backend.zeros(Shape.of(2, 5)), null), "rgLru", "resets must be [2, 4]");
            assertMessage(() -> RgLru.scan(x, x, x, lambda, null, backend.zeros(Shape.of(2, 4))), "rgLru", "h0 must be [2, 6]");
            assertMessage(() -> BlockDiagonal.linear(x, backend.zeros(Shape.of(2, 2, 2)), null), "blockDiagonal", "covers 4", "[2, 4, 6]");
            assertMessage(() -> BlockDiagonal.linear(x, backend.zeros(Shape.of(2, 3, 3)), backend.zeros(Shape.of(6))),
                    "blockDiagonal", "bias must be [2, 3]");
        }
    }

    // ---- references -----------------------------------------------------------------------------

    private static D scan(D x, D gx, D ga, D lambda, D resets, D h0) {
        int batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        return new D(RgLruReference.forward(x.data, gx.data, ga.data, lambda.data, resets == null ? null : resets.data,
                h0 == null ? null : h0.data, batch, length, width), x.shape);
    }

    /** y[..., h, j] = Σ_i x[..., h, i] w[h, i, j] + b[h, j]. */
    private static D blockDiagonal(D x, D w, D b) {
        int heads = w.shape[0], block = w.shape[1], rows = x.size() / (heads * block);
        D y = D.zeros(x.shape);
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < block; j++) {
                    double s = b.data[h * block + j];
                    for (int i = 0; i < block; i++) s += x.data[(r * heads + h) * block + i] * w.data[(h * block + i) * block + j];
                    y.data[(r * heads + h) * block + j] = s;
                }
        return y;
    }

    private static D lastStep(D h) {
        int batch = h.shape[0], length = h.shape[1], width = h.shape[2];
        D out = D.zeros(batch, width);
        for (int b = 0; b < batch; b++) System.arraycopy(h.data, (b * length + length - 1) * width, out.data, b * width, width);
        return out;
    }

    private static D resets(Rand rand, int batch, int length) {
        D m = D.zeros(batch, length);
        for (int i = 0; i < m.size(); i++) m.data[i] = rand.nextInt(5) == 0 ? 1 : 0;
        return m;
    }

}
