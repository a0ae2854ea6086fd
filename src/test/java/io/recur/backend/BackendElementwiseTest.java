package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.ElementwiseReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** unary, unaryBackward and scalar on every backend against the float64 definitions. */
class BackendElementwiseTest {
    /** One element, odd, a block of 256 plus one, and several blocks (the parallel path on the CPU). */
    private static final int[] SIZES = {1, 37, 257, 40_001};

    /** Inputs inside the op's domain; SOFTPLUS crosses its threshold at 20. */
    private static D inputs(BackendFixture f, UnaryOp op, int n) {
        return switch (op) {
            case LOG, SQRT -> f.rand.uniform(0.05, 5, n);
            case SOFTPLUS -> f.rand.uniform(-30, 30, n);
            default -> f.rand.uniform(-6, 6, n);
        };
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void unaryMatchesDefinitionAlsoInPlace(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (UnaryOp op : UnaryOp.values())
                for (int n : SIZES) {
                    D x = inputs(f, op, n), expected = x.map(v -> ElementwiseReference.unary(op, v));
                    Tensor xt = f.view(x.reshape(1, n)), y = f.output(1, n);
                    backend.unary(op, xt, y);
                    f.assertClose(expected.reshape(1, n), y, 2e-6, 1e-6, op + " n=" + n);
                    backend.unary(op, xt, xt);
                    f.assertClose(expected.reshape(1, n), xt, 2e-6, 1e-6, op + " in place n=" + n);
                }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void softplusIsIdentityAboveThreshold(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D x = new D(new double[] {20.5, 25, 100}, 3);
            Tensor y = f.output(3);
            backend.unary(UnaryOp.SOFTPLUS, f.view(x), y);
            f.assertClose(x, y, 0, 0, "softplus above 20");
        }
    }

    /** dx = dy * f'(x), with f' from the reference; dx may alias dy. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void unaryBackwardMatchesNumericalDerivativeAlsoInPlace(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (UnaryOp op : UnaryOp.values())
                for (int n : SIZES) {
                    D x = inputs(f, op, n).map(v -> Math.abs(v) < 1e-3 ? 0.5 : v), dy = f.rand.normal(n);
                    D y = x.map(v -> ElementwiseReference.unary(op, v)).roundToFloat();
                    D expected = dy.zip(x, (g, v) -> g * ElementwiseReference.unaryDerivative(op, v));
                    Tensor dyt = f.view(dy), dx = f.output(n);
                    backend.unaryBackward(op, f.view(x), f.view(y), dyt, dx);
                    f.assertClose(expected, dx, 1e-4, 1e-5, op + "' n=" + n);
                    backend.unaryBackward(op, f.view(x), f.view(y), dyt, dyt);
                    f.assertClose(expected, dyt, 1e-4, 1e-5, op + "' in place n=" + n);
                }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void scalarMatchesDefinitionAlsoInPlace(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (ScalarOp op : ScalarOp.values())
                for (int n : SIZES) {
                    boolean positive = op == ScalarOp.POW || op == ScalarOp.RDIV;
                    D x = positive ? f.rand.uniform(0.1, 4, n) : f.rand.uniform(-4, 4, n);
                    float s = op == ScalarOp.POW ? 1.7f : -2.3f;
                    D expected = x.map(v -> ElementwiseReference.scalar(op, v, s));
                    Tensor xt = f.view(x), y = f.output(n);
                    backend.scalar(op, xt, s, y);
                    f.assertClose(expected, y, 2e-6, 1e-6, op + " n=" + n);
                    backend.scalar(op, xt, s, xt);
                    f.assertClose(expected, xt, 2e-6, 1e-6, op + " in place n=" + n);
                }
        }
    }
}
