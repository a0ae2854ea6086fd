package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.ScanReference;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scans as differentiable operations: forward against float64 loops, gradients against finite differences. */
class ScansTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";

    @ParameterizedTest @MethodSource(BACKENDS)
    void linearScanWithEverything(Backend backend) {
        Rand rand = Rand.fresh();
        for (int length : new int[] {1, 5, 33})
            for (boolean reverse : new boolean[] {false, true}) {
                int batch = 2, channels = 3;
                OpCheck.named("linearScan T=" + length + (reverse ? " reverse" : ""))
                        .input(rand.uniform(-0.95, 0.95, batch, channels, length)).input(rand.normal(batch, channels, length))
                        .input(rand.normal(batch, channels)).constant(mask(rand, batch, 1, length))
                        .run(backend, rand, t -> Scans.linearScan(t.get(0), t.get(1), t.get(2), t.get(3), reverse),
                                d -> linear(d.get(0), d.get(1), d.get(2), d.get(3), reverse));
            }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void linearScanWithoutStateOrResets(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("linearScan plain").input(rand.uniform(-0.95, 0.95, 4, 40)).input(rand.normal(4, 40))
                .run(backend, rand, t -> Scans.linearScan(t.get(0), t.get(1), null, null, false),
                        d -> linear(d.get(0), d.get(1), null, null, false));
        OpCheck.named("linearScan, a not trained").constant(rand.uniform(-0.95, 0.95, 2, 7)).input(rand.normal(2, 7))
                .run(backend, rand, t -> Scans.linearScan(t.get(0), t.get(1), null, null, true),
                        d -> linear(d.get(0), d.get(1), null, null, true));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void channelsLastMatchesTheTransposedReference(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 2, length = 9, channels = 4;
        OpCheck.named("linearScanChannelsLast")
                .input(rand.uniform(-0.95, 0.95, batch, length, channels)).input(rand.normal(batch, length, channels))
                .input(rand.normal(batch, channels)).constant(mask(rand, batch, length, 1))
                .run(backend, rand, t -> Scans.linearScanChannelsLast(t.get(0), t.get(1), t.get(2), t.get(3), false),
                        d -> swapLast(linear(swapLast(d.get(0)), swapLast(d.get(1)), d.get(2),
                                swapLast(expand(d.get(3), batch, length, channels)), false)));
    }

    /** The same recurrence in both layouts gives the same h and the same gradients. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void channelsLastEqualsTimeLast(Backend backend) {
        Rand rand = Rand.fresh();
        int batch = 3, length = 50, channels = 6;
        D a = rand.uniform(-0.99, 0.99, batch, length, channels), b = rand.normal(batch, length, channels), h0 = rand.normal(batch, channels);
        try (Scope s = Scope.open("layouts")) {
            Tensor aLast = a.toTensor(backend).requiresGrad(true), bLast = b.toTensor(backend).requiresGrad(true);
            Tensor hLast = Scans.linearScanChannelsLast(aLast, bLast, h0.toTensor(backend), null, true);
            Tape.backward(Reduce.sum(Arith.mul(hLast, hLast)));
            Tensor aTime = swapLast(a).toTensor(backend).requiresGrad(true), bTime = swapLast(b).toTensor(backend).requiresGrad(true);
            Tensor hTime = Scans.linearScan(aTime, bTime, h0.toTensor(backend), null, true);
            Tape.backward(Reduce.sum(Arith.mul(hTime, hTime)));
            assertClose(swapLast(D.of(hTime)), D.of(hLast), "h");
            assertClose(swapLast(D.of(aTime.grad())), D.of(aLast.grad()), "da");
            assertClose(swapLast(D.of(bTime.grad())), D.of(bLast.grad()), "db");
        } finally {
            Tape.clear();
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void matrixScanMatchesRepeatedProducts(Backend backend) {
        Rand rand = Rand.fresh();
        for (int n : new int[] {1, 3})
            for (boolean reverse : new boolean[] {false, true}) {
                int batch = 2, length = 5;
                OpCheck.named("matrixScan n=" + n + (reverse ? " reverse" : ""))
                        .input(rand.uniform(-0.8, 0.8, batch, length, n, n)).input(rand.normal(batch, length, n))
                        .input(rand.normal(batch, n))
                        .run(backend, rand, t -> Scans.matrixScan(t.get(0), t.get(1), t.get(2), reverse),
                                d -> new D(ScanReference.matrixByProducts(d.get(0).data, d.get(1).data, d.get(2).data,
                                        batch, length, n, reverse), batch, length, n));
            }
        OpCheck.named("matrixScan without h0").input(rand.uniform(-0.8, 0.8, 1, 4, 2, 2)).input(rand.normal(1, 4, 2))
                .run(backend, rand, t -> Scans.matrixScan(t.get(0), t.get(1), null, false),
                        d -> new D(ScanReference.matrixByProducts(d.get(0).data, d.get(1).data, null, 1, 4, 2, false), 1, 4, 2));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badArgumentsAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor a = backend.zeros(Shape.of(2, 3, 5)), b = backend.zeros(Shape.of(2, 3, 5));
            assertMessage(() -> Scans.linearScan(a, backend.zeros(Shape.of(2, 3, 4)), null, null, false), "linearScan", "b", "[2, 3, 5]", "[2, 3, 4]");
            assertMessage(() -> Scans.linearScan(a, b, backend.zeros(Shape.of(2, 5)), null, false), "linearScan", "h0", "[2, 3]", "[2, 5]");
            assertMessage(() -> Scans.linearScan(a, b, null, backend.zeros(Shape.of(2, 2, 5)), false), "linearScan", "resets", "[2, 2, 5]");
            assertMessage(() -> Scans.linearScan(backend.zeros(Shape.of(2, 0)), backend.zeros(Shape.of(2, 0)), null, null, false),
                    "linearScan", "empty");
            assertMessage(() -> Scans.linearScan(a, null, null, null, false), "linearScan", "b is null");
            assertMessage(() -> Scans.linearScanChannelsLast(backend.zeros(Shape.of(5)), backend.zeros(Shape.of(5)), null, null, false),
                    "linearScanChannelsLast", "rank >= 2");
            assertMessage(() -> Scans.linearScanChannelsLast(a, b, backend.zeros(Shape.of(2, 3)), null, false),
                    "linearScanChannelsLast", "h0", "[2, 5]");
            assertMessage(() -> Scans.matrixScan(backend.zeros(Shape.of(2, 4, 3, 2)), backend.zeros(Shape.of(2, 4, 3)), null, false),
                    "matrixScan", "square");
            assertMessage(() -> Scans.matrixScan(backend.zeros(Shape.of(1, 2, 33, 33)), backend.zeros(Shape.of(1, 2, 33)), null, false),
                    "matrixScan", "[1, 32]", "33");
            assertMessage(() -> Scans.matrixScan(backend.zeros(Shape.of(1, 2, 3, 3)), backend.zeros(Shape.of(1, 3, 3)), null, false),
                    "matrixScan", "b must be [1, 2, 3]");
            assertMessage(() -> Scans.matrixScan(backend.zeros(Shape.of(1, 2, 3, 3)), backend.zeros(Shape.of(1, 2, 3)),
                    backend.zeros(Shape.of(1, 2, 3)), false), "matrixScan", "h0 must be [1, 3]");
        }
    }

    // ---- references -----------------------------------------------------------------------------

    /** The float64 loop over the last axis, with resets broadcast to a's shape. */
    private static D linear(D a, D b, D h0, D resets, boolean reverse) {
        int length = a.shape[a.rank() - 1], rows = a.size() / length;
        D mask = resets == null ? null : expand(resets, a.shape);
        return new D(ScanReference.linear(a.data, b.data, h0 == null ? null : h0.data, mask == null ? null : mask.data,
                rows, length, reverse), a.shape);
    }

    private static D expand(D d, int... shape) { return D.zeros(shape).zip(d, (x, y) -> y); }

    /** The last two axes swapped. */
    private static D swapLast(D d) {
        int r = d.rank(), m = d.shape[r - 2], n = d.shape[r - 1], outer = d.size() / (m * n);
        int[] shape = d.shape.clone();
        shape[r - 2] = n;
        shape[r - 1] = m;
        D out = D.zeros(shape);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) out.data[(o * n + j) * m + i] = d.data[(o * m + i) * n + j];
        return out;
    }

    private static D mask(Rand rand, int... shape) {
        D m = D.zeros(shape);
        for (int i = 0; i < m.size(); i++) m.data[i] = rand.nextInt(5) == 0 ? 1 : 0;
        return m;
    }

    private static void assertClose(D expected, D actual, String what) {
        Assertions.assertArrayEquals(expected.shape, actual.shape, what + " shape");
        for (int i = 0; i < expected.size(); i++)
            Assertions.assertEquals(expected.data[i], actual.data[i], 1e-4 * (1 + Math.abs(expected.data[i])), what + " element " + i);
    }
}
