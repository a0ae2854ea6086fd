package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.BroadcastReference;
import io.recur.testing.D;
import io.recur.testing.MaxAxisReference;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** binary, binaryBackward, sumTo, broadcastTo and maxAxis on every backend against float64 numpy broadcasting. */
class BackendBroadcastTest {
    /** Operand shapes: equal, scalars, leading and trailing 1s, rank differences, many blocks. */
    private static final int[][][] PAIRS = {
            {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{}, {5}}, {{3, 4}, {}}, {{4, 1, 5}, {3, 1}}, {{2, 3, 4, 5}, {5}},
            {{2, 3, 4, 5}, {3, 1, 1}}, {{1, 6, 1}, {5, 1, 7}}, {{2, 1, 3, 1}, {1, 4, 1, 5}}, {{1, 1, 9}, {9}},
            {{5, 33}, {33}}, {{2, 3, 1, 4, 1}, {3, 5, 1, 6}}, {{257, 129}, {129}}, {{300, 1}, {1, 200}},
            {{300, 1}, {300, 700}}, {{40_001}, {1}}, {{5, 8000}, {5, 1}},
    };

    /** (large, small) shapes for sumTo (large to small) and broadcastTo (small to large). */
    private static final int[][][] SUM_TO = {
            {{4, 3, 5}, {4, 1, 5}}, {{4, 3, 5}, {5}}, {{4, 3, 5}, {1, 1, 1}}, {{4, 3, 5}, {}}, {{6, 7}, {6, 7}}, {{7}, {1}},
            {{300, 200}, {300, 1}}, {{300, 200}, {200}}, {{2, 3, 4, 5}, {3, 1, 1}}, {{70_001}, {1}}, {{1}, {1}},
            {{3000, 17}, {1, 17}}, {{2, 3000}, {2, 1}}, {{64, 2, 40}, {1, 2, 1}}, {{4000, 300}, {300}}, {{4, 3, 7, 2}, {3, 1, 2}},
    };

    /** Operand values with exact ties between a and b (1.25 at every 5th element), kept away from 0 for DIV. */
    private static D operand(BackendFixture f, BinaryOp op, int[] shape) {
        D v = op == BinaryOp.DIV ? f.rand.uniform(0.5, 3, shape) : f.rand.uniform(-3, 3, shape);
        for (int i = 0; i < v.size(); i += 5) v.data[i] = 1.25;
        return v;
    }

    private static int[] broadcast(int[] a, int[] b) { return Shape.broadcast(Shape.of(a), Shape.of(b)).dims(); }

    private static String shapes(int[] a, int[] b) { return Arrays.toString(a) + " with " + Arrays.toString(b); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void binaryBroadcastsLikeNumpy(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (BinaryOp op : BinaryOp.values())
                for (int[][] pair : PAIRS) {
                    D a = operand(f, op, pair[0]), b = operand(f, op, pair[1]);
                    Tensor out = f.output(broadcast(pair[0], pair[1]));
                    backend.binary(op, f.view(a), f.view(b), out);
                    f.assertClose(BroadcastReference.binary(op, a, b), out, 1e-6, 1e-7, op + " " + shapes(pair[0], pair[1]));
                }
        }
    }

    /** out may alias a or b when it has the same shape. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void binaryMayWriteIntoEitherOperand(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D a = f.rand.uniform(-2, 2, 6, 5), b = f.rand.uniform(-2, 2, 5);
            Tensor at = f.view(a);
            backend.binary(BinaryOp.MUL, at, f.view(b), at);
            f.assertClose(BroadcastReference.binary(BinaryOp.MUL, a, b), at, 1e-6, 0, "a = a * b");
            Tensor bt = f.view(a);
            backend.binary(BinaryOp.SUB, f.view(b), bt, bt);
            f.assertClose(BroadcastReference.binary(BinaryOp.SUB, b, a), bt, 1e-6, 1e-7, "b = c - b");
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void binaryBackwardSumsOverBroadcastPositions(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (BinaryOp op : BinaryOp.values())
                for (int[][] pair : PAIRS)
                    for (boolean wrtA : new boolean[] {true, false}) {
                        D a = operand(f, op, pair[0]), b = operand(f, op, pair[1]), g = f.rand.normal(broadcast(pair[0], pair[1]));
                        Tensor dIn = f.output(wrtA ? pair[0] : pair[1]);
                        backend.binaryBackward(op, f.view(a), f.view(b), f.view(g), wrtA, dIn);
                        f.assertClose(BroadcastReference.binaryBackward(op, a, b, g, wrtA), dIn, 1e-5, 1e-4,
                                op + (wrtA ? " dA " : " dB ") + shapes(pair[0], pair[1]));
                    }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sumToReducesBroadcastDimensions(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[][] pair : SUM_TO) {
                D x = f.rand.normal(pair[0]);
                Tensor out = f.output(pair[1]);
                backend.sumTo(f.view(x), out);
                f.assertClose(BroadcastReference.sumTo(x, pair[1]), out, 1e-5, 1e-4, "sumTo " + shapes(pair[0], pair[1]));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void broadcastToRepeatsSizeOneDimensions(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[][] pair : SUM_TO) {
                D x = f.rand.normal(pair[1]);
                Tensor out = f.output(pair[0]);
                backend.broadcastTo(f.view(x), out);
                f.assertClose(BroadcastReference.broadcastTo(x, pair[0]), out, 0, 0, "broadcastTo " + shapes(pair[1], pair[0]));
            }
        }
    }

    /** Values from a small set, so maxima tie: the first index of the maximum wins. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void maxAxisFindsTheFirstMaximum(Backend backend) {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {1, 9, 1}, {4, 1, 3}, {1, 1000, 1}, {40, 3, 33}, {200, 50, 9}, {2, 5000, 3}};
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : shapes) {
                int outer = s[0], n = s[1], inner = s[2];
                D x = f.rand.uniform(-2, 2, outer, n, inner).map(Math::rint);
                MaxAxisReference.Max expected = MaxAxisReference.maxAxis(x, outer, n, inner);
                Tensor out = f.output(outer, inner), argmax = f.intView(new int[outer * inner], outer, inner);
                backend.maxAxis(f.view(x), outer, n, inner, out, argmax);
                f.assertClose(expected.values(), out, 0, 0, "maxAxis " + Arrays.toString(s));
                assertArrayEquals(expected.argmax(), argmax.toIntArray(), f.where("argmax " + Arrays.toString(s)));
                Tensor valuesOnly = f.output(outer, inner);
                backend.maxAxis(f.view(x), outer, n, inner, valuesOnly, null);
                f.assertClose(expected.values(), valuesOnly, 0, 0, "maxAxis without argmax " + Arrays.toString(s));
            }
        }
    }
}
