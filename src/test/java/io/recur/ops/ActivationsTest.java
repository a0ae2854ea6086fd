package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationsTest {
    private static final int[][] SHAPES = {{1}, {}, {0}, {7}, {3, 33}, {2, 1, 130}, {257, 129}};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void exp(Backend b) { check(b, "exp", Activations::exp, Math::exp, -3, 3, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void log(Backend b) { check(b, "log", Activations::log, Math::log, 0.2, 5, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sqrt(Backend b) { check(b, "sqrt", Activations::sqrt, Math::sqrt, 0.2, 5, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void tanh(Backend b) { check(b, "tanh", Activations::tanh, Math::tanh, -4, 4, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sigmoid(Backend b) { check(b, "sigmoid", Activations::sigmoid, ActivationsTest::sigmoid, -8, 8, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void silu(Backend b) { check(b, "silu", Activations::silu, v -> v * sigmoid(v), -6, 6, false); }

    /** Covers both sides of the threshold at 20, where softplus becomes x. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void softplus(Backend b) { check(b, "softplus", Activations::softplus, v -> v > 20 ? v : Math.log1p(Math.exp(v)), -30, 30, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void gelu(Backend b) {
        double c = Math.sqrt(2 / Math.PI);
        check(b, "gelu", Activations::gelu, v -> 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v))), -5, 5, false);
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void relu(Backend b) { check(b, "relu", Activations::relu, v -> Math.max(v, 0), 0.05, 3, true); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void abs(Backend b) { check(b, "abs", Activations::abs, Math::abs, 0.05, 3, true); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void square(Backend b) { check(b, "square", Activations::square, v -> v * v, -3, 3, false); }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    /**
     * Inputs uniform in [lo, hi]; with bothSigns each is negated with probability 1/2, which keeps
     * kinked functions (relu, abs) at least lo away from their kink at 0.
     */
    private static void check(Backend backend, String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref,
                              double lo, double hi, boolean bothSigns) {
        for (int[] shape : SHAPES) {
            Rand rand = Rand.fresh();
            D x = rand.uniform(lo, hi, shape);
            if (bothSigns) x = x.map(v -> rand.nextInt(2) == 0 ? v : -v);
            OpCheck.named(name).input(x).gradientSamples(100)
                    .run(backend, rand, t -> op.apply(t.get(0)), d -> d.get(0).map(ref));
        }
    }
}
