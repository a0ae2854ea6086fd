package io.recur.backend.cuda;

import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaElementwiseTest extends CudaTestBase {
    private static final int[] SIZES = {1, 31, 257, 70_001};

    static double f(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case SILU -> x / (1 + Math.exp(-x));
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case GELU -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(x, 0);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
        };
    }

    /** f'(x) by central differences in double: independent of the kernels' closed forms. */
    static double derivative(UnaryOp op, double x) {
        if (op == UnaryOp.RELU || op == UnaryOp.ABS) return x > 0 ? 1 : x < 0 ? (op == UnaryOp.ABS ? -1 : 0) : 0;
        double h = 1e-6 * Math.max(1, Math.abs(x));
        return (f(op, x + h) - f(op, x - h)) / (2 * h);
    }

    private float[] domain(UnaryOp op, int n) {
        return switch (op) {
            case LOG, SQRT -> uniform(n, 0.01f, 10f);
            case SOFTPLUS -> uniform(n, -30f, 30f);  // both sides of the threshold at 20
            default -> uniform(n, -6f, 6f);
        };
    }

    @Test
    void unaryMatchesTheDefinition() {
        for (UnaryOp op : UnaryOp.values())
            for (int n : SIZES) {
                float[] x = domain(op, n);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) expected[i] = f(op, x[i]);
                Tensor tx = upload(x, n), ty = poisoned(n);
                cuda.unary(op, tx, ty);
                assertClose(expected, ty.toFloatArray(), 2e-6, 1e-6, op + " n=" + n);
                cuda.unary(op, tx, tx);  // y may alias x
                assertClose(expected, tx.toFloatArray(), 2e-6, 1e-6, op + " in place, n=" + n);
            }
    }

    @Test
    void unaryBackwardMatchesNumericalDerivatives() {
        for (UnaryOp op : UnaryOp.values())
            for (int n : SIZES) {
                float[] x = domain(op, n), dy = uniform(n, -2, 2);
                float[] y = new float[n];
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = (float) f(op, x[i]);
                    expected[i] = dy[i] * derivative(op, x[i]);
                }
                Tensor tdy = upload(dy, n);
                Tensor tdx = poisoned(n);
                cuda.unaryBackward(op, upload(x, n), upload(y, n), tdy, tdx);
                assertClose(expected, tdx.toFloatArray(), 1e-4, 1e-5, op + " backward n=" + n);
                cuda.unaryBackward(op, upload(x, n), upload(y, n), tdy, tdy);  // dx may alias dy
                assertClose(expected, tdy.toFloatArray(), 1e-4, 1e-5, op + " backward in place n=" + n);
            }
    }

    @Test
    void scalarOpsMatch() {
        for (ScalarOp op : ScalarOp.values())
            for (int n : SIZES) {
                float[] x = uniform(n, 0.1f, 4f);
                float s = op == ScalarOp.POW ? 2.5f : -1.75f;
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    expected[i] = switch (op) {
                        case ADD -> v + s; case MUL -> v * s; case POW -> Math.pow(v, s); case RSUB -> s - v; case RDIV -> s / v;
                    };
                }
                Tensor tx = upload(x, n), ty = poisoned(n);
                cuda.scalar(op, tx, s, ty);
                assertClose(expected, ty.toFloatArray(), 2e-6, 1e-6, op + " n=" + n);
            }
    }
}
