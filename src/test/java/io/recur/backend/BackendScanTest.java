package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.ScanReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scan primitives on every backend against sequential float64 loops: lengths around the warp
 * and chunk sizes, one row (a multi-block scan on CUDA, time chunks on a multi-core CPU) and
 * several, with and without h0 and resets, both directions; gradients too. Inputs and outputs are
 * views into NaN-padded storage.
 */
class BackendScanTest {
    private static final int[] LENGTHS = {1, 2, 31, 32, 33, 1000, 4097};
    /** The variants: {h0, resets, reverse}. */
    private static final boolean[][] VARIANTS = {{false, false, false}, {true, false, false}, {true, true, false},
            {false, true, true}, {true, true, true}};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void linearScanMatchesTheSequentialLoop(Backend backend) {
        for (int length : LENGTHS)
            for (int rows : new int[] {1, 5})
                for (boolean[] v : VARIANTS) checkLinear(backend, rows, length, v[0], v[1], v[2]);
    }

    /** Long sequences: a few rows, each cut into chunks or segments. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void longSequences(Backend backend) {
        checkLinear(backend, 1, 100_000, true, true, false);
        checkLinear(backend, 2, 100_000, true, false, true);
    }

    /** Enough rows for one block per row on any device, with short rows. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void manyShortRows(Backend backend) {
        checkLinear(backend, 700, 33, true, true, false);
        checkLinear(backend, 300, 130, false, false, true);
    }

    private static void checkLinear(Backend backend, int rows, int length, boolean withH0, boolean withResets, boolean reverse) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            String what = "linearScan " + rows + "x" + length + (withH0 ? " h0" : "") + (withResets ? " resets" : "")
                    + (reverse ? " reverse" : "");
            D a = f.rand.uniform(-0.999, 0.999, rows, length), b = f.rand.normal(rows, length), g = f.rand.normal(rows, length);
            D h0 = withH0 ? f.rand.normal(rows) : null;
            D resets = withResets ? f.resetMask(rows, length) : null;
            double[] expected = ScanReference.linear(a.data, b.data, BackendFixture.data(h0), BackendFixture.data(resets), rows, length, reverse);
            Tensor at = f.view(a), h0t = h0 == null ? null : f.view(h0), rt = resets == null ? null : f.view(resets);
            Tensor h = f.output(rows, length);
            backend.linearScan(at, f.view(b), h0t, rt, rows, length, reverse, h);
            f.assertCloseScaled(expected, h.toFloatArray(), 1e-4, what);

            ScanReference.Grads grads = ScanReference.linearBackward(a.data, b.data, BackendFixture.data(h0), BackendFixture.data(resets), g.data, rows, length, reverse);
            Tensor da = f.output(rows, length), db = f.output(rows, length), dh0 = withH0 ? f.output(rows) : null;
            backend.linearScanBackward(at, h, h0t, rt, f.view(g), rows, length, reverse, da, db, dh0);
            f.assertCloseScaled(grads.db(), db.toFloatArray(), 1e-4, what + " db");
            f.assertCloseScaled(grads.da(), da.toFloatArray(), 1e-4, what + " da");
            if (withH0) f.assertCloseScaled(grads.dh0(), dh0.toFloatArray(), 1e-4, what + " dh0");
        }
    }

    /** da and dh0 are optional: db alone needs neither h nor h0. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void backwardWithDbOnly(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            int rows = 3, length = 2000;
            D a = f.rand.uniform(-0.99, 0.99, rows, length), b = f.rand.normal(rows, length), g = f.rand.normal(rows, length);
            Tensor db = f.output(rows, length);
            backend.linearScanBackward(f.view(a), null, null, null, f.view(g), rows, length, false, null, db, null);
            double[] expected = ScanReference.linearBackward(a.data, b.data, null, null, g.data, rows, length, false).db();
            f.assertCloseScaled(expected, db.toFloatArray(), 1e-4, "linearScanBackward db only");
            assertThrows(IllegalArgumentException.class, () -> backend.linearScanBackward(f.view(a), null, null, null,
                    f.view(g), rows, length, false, f.output(rows, length), db, null), "da without h");
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void matrixScanMatchesTheSequentialLoop(Backend backend) {
        int[][] cases = {{1, 1, 1}, {2, 2, 3}, {1, 33, 4}, {3, 40, 32}, {2, 300, 5}, {1, 9000, 2}};  // {rows, length, n}
        for (int[] c : cases)
            for (boolean[] v : VARIANTS) if (!v[1]) checkMatrix(backend, c[0], c[1], c[2], v[0], v[2]);
    }

    private static void checkMatrix(Backend backend, int rows, int length, int n, boolean withH0, boolean reverse) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            String what = "matrixScan " + rows + "x" + length + " n=" + n + (withH0 ? " h0" : "") + (reverse ? " reverse" : "");
            // Spectral radius below 1 (entries up to 0.9/n), so long sequences stay bounded.
            D a = f.rand.uniform(-0.9 / n, 0.9 / n, rows, length, n, n), b = f.rand.normal(rows, length, n);
            D g = f.rand.normal(rows, length, n), h0 = withH0 ? f.rand.normal(rows, n) : null;
            double[] expected = ScanReference.matrix(a.data, b.data, BackendFixture.data(h0), rows, length, n, reverse);
            Tensor at = f.view(a), h0t = h0 == null ? null : f.view(h0), h = f.output(rows, length, n);
            backend.matrixScan(at, f.view(b), h0t, rows, length, n, reverse, h);
            f.assertCloseScaled(expected, h.toFloatArray(), 1e-4, what);

            ScanReference.Grads grads = ScanReference.matrixBackward(a.data, b.data, BackendFixture.data(h0), g.data, rows, length, n, reverse);
            Tensor dA = f.output(rows, length, n, n), db = f.output(rows, length, n), dh0 = f.output(rows, n);
            backend.matrixScanBackward(at, h, h0t, f.view(g), rows, length, n, reverse, dA, db, dh0);
            f.assertCloseScaled(grads.db(), db.toFloatArray(), 1e-4, what + " db");
            f.assertCloseScaled(grads.da(), dA.toFloatArray(), 1e-4, what + " dA");
            f.assertCloseScaled(grads.dh0(), dh0.toFloatArray(), 1e-4, what + " dh0");

            Tensor lambda = f.output(rows, length, n);   // the plain transposed reverse scan (DEER's adjoint)
            backend.matrixScanBackward(at, null, null, f.view(g), rows, length, n, reverse, null, lambda, null);
            f.assertCloseScaled(grads.db(), lambda.toFloatArray(), 1e-4, what + " adjoint only");
        }
    }
}
