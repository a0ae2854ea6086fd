package io.recur.backend.cuda;

import static io.recur.backend.cuda.IndexLayoutTest.naiveOffset;
import static io.recur.backend.cuda.IndexLayoutTest.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.BinaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaBroadcastTest extends CudaTestBase {
    /** {a, b, out} shape triples: equal, bias, outer product, scalar, rank mismatch, many chunks. */
    private static final int[][][] CASES = {
        {{7}, {7}, {7}},
        {{5, 33}, {33}, {5, 33}},
        {{7, 1}, {1, 9}, {7, 9}},
        {{}, {257}, {257}},
        {{3, 1, 5}, {4, 1}, {3, 4, 5}},
        {{2, 3, 1, 4, 1}, {3, 5, 1, 6}, {2, 3, 5, 4, 6}},
        {{300, 1}, {300, 700}, {300, 700}},
    };

    static double op(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b; case SUB -> a - b; case MUL -> a * b; case DIV -> a / b;
            case MAX -> a >= b ? a : b; case MIN -> a <= b ? a : b;
        };
    }

    static double grad(BinaryOp op, double a, double b, boolean wrtA) {
        return switch (op) {
            case ADD -> 1;
            case SUB -> wrtA ? 1 : -1;
            case MUL -> wrtA ? b : a;
            case DIV -> wrtA ? 1 / b : -a / (b * b);
            case MAX -> (a >= b) == wrtA ? 1 : 0;
            case MIN -> (a <= b) == wrtA ? 1 : 0;
        };
    }

    /** Values from a small set, so MAX/MIN meet ties; away from 0 for DIV. */
    private float[] values(long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) v[i] = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(4)) * 0.5f;
        return v;
    }

    @Test
    void binaryBroadcastsLikeNumpy() {
        for (int[][] c : CASES)
            for (BinaryOp o : BinaryOp.values()) {
                float[] a = values(size(c[0])), b = values(size(c[1]));
                int n = (int) size(c[2]);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    int[] coord = unravel(i, c[2]);
                    expected[i] = op(o, a[(int) naiveOffset(c[0], coord)], b[(int) naiveOffset(c[1], coord)]);
                }
                Tensor out = poisoned(c[2]);
                cuda.binary(o, upload(a, c[0]), upload(b, c[1]), out);
                assertClose(expected, out.toFloatArray(), 1e-6, 0, o + " " + Shape.of(c[0]) + " " + Shape.of(c[1]));
            }
    }

    @Test
    void binaryBackwardSumsOverBroadcastPositions() {
        for (int[][] c : CASES)
            for (BinaryOp o : BinaryOp.values())
                for (boolean wrtA : new boolean[] {true, false}) {
                    float[] a = values(size(c[0])), b = values(size(c[1]));
                    int n = (int) size(c[2]);
                    float[] dOut = uniform(n, -1, 1);
                    int[] target = wrtA ? c[0] : c[1];
                    double[] expected = new double[(int) size(target)];
                    for (int i = 0; i < n; i++) {
                        int[] coord = unravel(i, c[2]);
                        double av = a[(int) naiveOffset(c[0], coord)], bv = b[(int) naiveOffset(c[1], coord)];
                        expected[(int) naiveOffset(target, coord)] += dOut[i] * grad(o, av, bv, wrtA);
                    }
                    Tensor d = poisoned(target);
                    cuda.binaryBackward(o, upload(a, c[0]), upload(b, c[1]), upload(dOut, c[2]), wrtA, d);
                    assertClose(expected, d.toFloatArray(), 1e-5, 1e-5, o + (wrtA ? " dA " : " dB ") + Shape.of(c[0]) + " " + Shape.of(c[1]));
                }
    }

    @Test
    void sumToReducesBroadcastDimensions() {
        int[][][] pairs = {{{7}, {1}}, {{5, 33}, {33}}, {{5, 33}, {5, 1}}, {{3, 4, 5}, {4, 1}}, {{3000, 17}, {1, 17}},
            {{2, 3000}, {2, 1}}, {{64, 2, 40}, {1, 2, 1}}, {{4000, 300}, {300}}, {{1, 1}, {1, 1}}};
        for (int[][] p : pairs) {
            float[] x = uniform((int) size(p[0]), -1, 1);
            double[] expected = new double[(int) size(p[1])];
            for (int i = 0; i < x.length; i++) expected[(int) naiveOffset(p[1], unravel(i, p[0]))] += x[i];
            Tensor out = poisoned(p[1]);
            cuda.sumTo(upload(x, p[0]), out);
            assertClose(expected, out.toFloatArray(), 1e-5, 1e-4, "sumTo " + Shape.of(p[0]) + " -> " + Shape.of(p[1]));
        }
    }

    @Test
    void broadcastToCopiesEveryDtype() {
        int[][][] pairs = {{{1}, {9}}, {{33}, {5, 33}}, {{5, 1}, {5, 33}}, {{3, 1, 2}, {4, 3, 7, 2}}};
        for (int[][] p : pairs) {
            int n = (int) size(p[1]);
            float[] x = uniform((int) size(p[0]), -1, 1);
            long[] xl = new long[x.length];
            int[] xi = new int[x.length];
            for (int i = 0; i < x.length; i++) { xl[i] = rnd.nextLong(); xi[i] = rnd.nextInt(); }
            float[] ef = new float[n];
            long[] el = new long[n];
            int[] ei = new int[n];
            for (int i = 0; i < n; i++) {
                int src = (int) naiveOffset(p[0], unravel(i, p[1]));
                ef[i] = x[src]; el[i] = xl[src]; ei[i] = xi[src];
            }
            Tensor of = poisoned(p[1]);
            cuda.broadcastTo(upload(x, p[0]), of);
            assertArrayEquals(ef, of.toFloatArray());
            Tensor ol = cuda.allocate(Shape.of(p[1]), DType.I64);
            cuda.broadcastTo(cuda.fromArray(xl, Shape.of(p[0])), ol);
            assertArrayEquals(el, ol.toLongArray());
            Tensor oi = cuda.allocate(Shape.of(p[1]), DType.I32);
            cuda.broadcastTo(upload(xi, p[0]), oi);
            assertArrayEquals(ei, oi.toIntArray());
        }
    }

    @Test
    void maxAxisFindsTheFirstMaximum() {
        int[][] shapes = {{1, 1, 1}, {3, 7, 5}, {1, 1000, 1}, {40, 3, 33}, {2, 5000, 3}};
        for (int[] s : shapes) {
            int outer = s[0], n = s[1], inner = s[2];
            float[] x = new float[outer * n * inner];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(5);  // ties
            float[] expected = new float[outer * inner];
            int[] arg = new int[outer * inner];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++) {
                    int best = 0;
                    for (int j = 1; j < n; j++) if (x[(o * n + j) * inner + i] > x[(o * n + best) * inner + i]) best = j;
                    expected[o * inner + i] = x[(o * n + best) * inner + i];
                    arg[o * inner + i] = best;
                }
            Tensor out = poisoned(outer, inner);
            Tensor am = cuda.allocate(Shape.of(outer, inner), DType.I32);
            cuda.maxAxis(upload(x, outer, n, inner), outer, n, inner, out, am);
            assertArrayEquals(expected, out.toFloatArray());
            assertArrayEquals(arg, am.toIntArray());
            Tensor out2 = poisoned(outer, inner);
            cuda.maxAxis(upload(x, outer, n, inner), outer, n, inner, out2, null);
            assertEquals(expected.length, out2.toFloatArray().length);
            assertArrayEquals(expected, out2.toFloatArray());
        }
    }
}
