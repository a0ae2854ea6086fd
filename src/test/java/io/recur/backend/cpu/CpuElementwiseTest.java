package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CpuElementwiseTest extends CpuTestBase {
    /** Sizes: one element, odd, and large enough for the parallel path. */
    private static final int[] SIZES = {1, 37, 40_001};

    static double reference(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case SILU -> x / (1 + Math.exp(-x));
            case SOFTPLUS -> x > 20 ? x : Math.log(1 + Math.exp(x));
            case GELU -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(x, 0);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
        };
    }

    /** Inputs inside the op's domain, away from kinks where a derivative is not defined. */
    double[] inputs(UnaryOp op, int n) {
        return switch (op) {
            case LOG, SQRT -> uniform(n, 0.05, 5);
            case SOFTPLUS -> uniform(n, -30, 30);   // crosses the threshold at 20
            default -> uniform(n, -6, 6);
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesReference(UnaryOp op) {
        for (int n : SIZES) {
            double[] x = rounded(inputs(op, n));
            Tensor xt = view(x, n), y = output(n);
            CPU.unary(op, xt, y);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = reference(op, x[i]);
            assertClose(expected, y, 2e-6, 1e-6, op + " n=" + n);
        }
    }

    @Test
    void unaryMayWriteInPlace() {
        double[] x = rounded(uniform(1001, -3, 3));
        Tensor t = view(x, 7, 11, 13);
        CPU.unary(UnaryOp.TANH, t, t);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) expected[i] = Math.tanh(x[i]);
        assertClose(expected, t, 2e-6, 1e-7, "tanh in place");
    }

    @Test
    void softplusIsIdentityAboveThreshold() {
        Tensor x = view(new double[] {20.5, 25, 100}, 3), y = output(3);
        CPU.unary(UnaryOp.SOFTPLUS, x, y);
        assertClose(new double[] {20.5, 25, 100}, y, 0, 0, "softplus above 20");
    }

    /** dx = dy * f'(x), with f' from a central difference of the float64 reference. */
    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryBackwardMatchesNumericalDerivative(UnaryOp op) {
        for (int n : SIZES) {
            double[] x = rounded(inputs(op, n)), dy = rounded(normal(n));
            if (op == UnaryOp.RELU || op == UnaryOp.ABS) for (int i = 0; i < n; i++) if (Math.abs(x[i]) < 1e-3) x[i] = 0.5;
            double[] y = new double[n], expected = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = reference(op, x[i]);
                double h = 1e-5 * Math.max(1, Math.abs(x[i]));
                expected[i] = dy[i] * (reference(op, x[i] + h) - reference(op, x[i] - h)) / (2 * h);
            }
            Tensor dyt = view(dy, n), dx = output(n);
            CPU.unaryBackward(op, view(x, n), view(y, n), dyt, dx);
            assertClose(expected, dx, 1e-4, 1e-5, op + "' n=" + n);
            CPU.unaryBackward(op, view(x, n), view(y, n), dyt, dyt);      // dx may alias dy
            assertClose(expected, dyt, 1e-4, 1e-5, op + "' in place n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(ScalarOp.class)
    void scalarMatchesReference(ScalarOp op) {
        for (int n : SIZES) {
            double[] x = rounded(op == ScalarOp.POW || op == ScalarOp.RDIV ? uniform(n, 0.1, 4) : uniform(n, -4, 4));
            double s = (float) (op == ScalarOp.POW ? 1.7 : -2.3);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++)
                expected[i] = switch (op) {
                    case ADD -> x[i] + s;
                    case MUL -> x[i] * s;
                    case POW -> Math.pow(x[i], s);
                    case RSUB -> s - x[i];
                    case RDIV -> s / x[i];
                };
            Tensor xt = view(x, n), y = output(n);
            CPU.scalar(op, xt, (float) s, y);
            assertClose(expected, y, 2e-6, 1e-6, op + " n=" + n);
            CPU.scalar(op, xt, (float) s, xt);
            assertClose(expected, xt, 2e-6, 1e-6, op + " in place n=" + n);
        }
    }

    // ---- broadcasting -----------------------------------------------------------------------------

    /** Pairs of operand shapes: equal, scalars, leading/trailing 1s, rank differences, parallel sizes. */
    static final int[][][] PAIRS = {
            {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{}, {5}}, {{3, 4}, {}}, {{4, 1, 5}, {3, 1}}, {{2, 3, 4, 5}, {5}},
            {{2, 3, 4, 5}, {3, 1, 1}}, {{1, 6, 1}, {5, 1, 7}}, {{2, 1, 3, 1}, {1, 4, 1, 5}}, {{1, 1, 9}, {9}},
            {{257, 129}, {129}}, {{300, 1}, {1, 200}}, {{40_001}, {1}}, {{5, 8000}, {5, 1}},
    };

    static double reference(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    static double partial(BinaryOp op, double a, double b, boolean wrtA) {
        return switch (op) {
            case ADD -> 1;
            case SUB -> wrtA ? 1 : -1;
            case MUL -> wrtA ? b : a;
            case DIV -> wrtA ? 1 / b : -a / (b * b);
            case MAX -> wrtA ? (a >= b ? 1 : 0) : (a >= b ? 0 : 1);
            case MIN -> wrtA ? (a <= b ? 1 : 0) : (a <= b ? 0 : 1);
        };
    }

    /** Operand values, with a few exact ties between a and b so the MAX/MIN tie rule is exercised. */
    double[] operand(BinaryOp op, int n) {
        double[] v = rounded(op == BinaryOp.DIV ? uniform(n, 0.5, 3) : uniform(n, -3, 3));
        for (int i = 0; i < n; i += 5) v[i] = 1.25;
        return v;
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsLikeNumpy(BinaryOp op) {
        for (int[][] pair : PAIRS) {
            int[] as = pair[0], bs = pair[1], os = Shape.broadcast(Shape.of(as), Shape.of(bs)).dims();
            double[] a = operand(op, size(as)), b = operand(op, size(bs));
            double[] expected = new double[size(os)];
            for (int i = 0; i < expected.length; i++)
                expected[i] = reference(op, a[broadcastIndex(i, os, as)], b[broadcastIndex(i, os, bs)]);
            Tensor out = output(os);
            CPU.binary(op, view(a, as), view(b, bs), out);
            assertClose(expected, out, 1e-6, 1e-7, op + " " + Shape.of(as) + " with " + Shape.of(bs));
        }
    }

    @Test
    void binaryMayWriteIntoEitherOperand() {
        int[] as = {6, 5}, bs = {5};
        double[] a = rounded(uniform(30, -2, 2)), b = rounded(uniform(5, -2, 2)), expected = new double[30];
        for (int i = 0; i < 30; i++) expected[i] = a[i] * b[i % 5];
        Tensor at = view(a, as);
        CPU.binary(BinaryOp.MUL, at, view(b, bs), at);
        assertClose(expected, at, 1e-6, 0, "a *= b");
        Tensor bt = view(a, as);
        CPU.binary(BinaryOp.SUB, view(b, bs), bt, bt);
        for (int i = 0; i < 30; i++) expected[i] = b[i % 5] - a[i];
        assertClose(expected, bt, 1e-6, 1e-7, "b = c - b");
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBackwardSumsOverBroadcastPositions(BinaryOp op) {
        for (int[][] pair : PAIRS) {
            int[] as = pair[0], bs = pair[1], os = Shape.broadcast(Shape.of(as), Shape.of(bs)).dims();
            double[] a = operand(op, size(as)), b = operand(op, size(bs)), g = rounded(normal(size(os)));
            for (boolean wrtA : new boolean[] {true, false}) {
                int[] is = wrtA ? as : bs;
                double[] expected = new double[size(is)];
                for (int i = 0; i < g.length; i++) {
                    int ia = broadcastIndex(i, os, as), ib = broadcastIndex(i, os, bs);
                    expected[wrtA ? ia : ib] += g[i] * partial(op, a[ia], b[ib], wrtA);
                }
                Tensor dIn = output(is);
                CPU.binaryBackward(op, view(a, as), view(b, bs), view(g, os), wrtA, dIn);
                assertClose(expected, dIn, 1e-5, 1e-4, op + (wrtA ? " dA " : " dB ") + Shape.of(as) + " with " + Shape.of(bs));
            }
        }
    }

    static final int[][][] SUM_TO = {
            {{4, 3, 5}, {4, 1, 5}}, {{4, 3, 5}, {5}}, {{4, 3, 5}, {1, 1, 1}}, {{4, 3, 5}, {}}, {{6, 7}, {6, 7}},
            {{300, 200}, {300, 1}}, {{300, 200}, {200}}, {{2, 3, 4, 5}, {3, 1, 1}}, {{70_001}, {1}}, {{1}, {1}},
    };

    @Test
    void sumToReducesBroadcastDimensions() {
        for (int[][] pair : SUM_TO) {
            int[] xs = pair[0], os = pair[1];
            double[] x = rounded(normal(size(xs))), expected = new double[size(os)];
            for (int i = 0; i < x.length; i++) expected[broadcastIndex(i, xs, os)] += x[i];
            Tensor out = output(os);
            CPU.sumTo(view(x, xs), out);
            assertClose(expected, out, 1e-5, 1e-4, "sumTo " + Shape.of(xs) + " -> " + Shape.of(os));
        }
    }

    @Test
    void broadcastToRepeatsSizeOneDimensions() {
        for (int[][] pair : SUM_TO) {
            int[] os = pair[0], xs = pair[1];
            double[] x = rounded(normal(size(xs))), expected = new double[size(os)];
            for (int i = 0; i < expected.length; i++) expected[i] = x[broadcastIndex(i, os, xs)];
            Tensor out = output(os);
            CPU.broadcastTo(view(x, xs), out);
            assertClose(expected, out, 0, 0, "broadcastTo " + Shape.of(xs) + " -> " + Shape.of(os));
        }
    }

    @Test
    void incompatibleShapesAndIntTensorsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> CPU.binary(BinaryOp.ADD, output(3, 4), output(5), output(3, 4)));
        Tensor ints = allocate(DType.I32, 4);
        assertThrows(IllegalArgumentException.class, () -> CPU.unary(UnaryOp.EXP, ints, ints));
        assertThrows(IllegalArgumentException.class, () -> CPU.unary(UnaryOp.EXP, output(4), output(5)));
    }

}
