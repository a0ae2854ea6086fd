package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.ShapeReference;
import io.recur.testing.SoftmaxReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SoftmaxTest {
    private static final int[][] SHAPES = {{1}, {7}, {1, 1}, {0, 4}, {3, 33}, {2, 5, 130}, {257, 129}};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void softmax(Backend backend) { check(backend, false); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void logSoftmax(Backend backend) { check(backend, true); }

    /**
     * Large logits must not overflow: softmax subtracts the row maximum. Float32 logits near 100 carry
     * absolute errors near 1e-5, so the comparison floor is 1 (absolute error for outputs below 1).
     */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void largeLogitsAreStable(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("logSoftmax of large logits").input(rand.uniform(80, 120, 4, 9)).floor(1)
                .run(backend, rand, t -> Softmax.logSoftmax(t.get(0)), d -> SoftmaxReference.softmax(d.get(0), true));
    }

    /** Any axis, negative too: the reference moves the axis last, applies softmax, and moves it back. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void anyAxis(Backend backend) {
        int[] shape = {3, 5, 4};
        for (int axis : new int[] {0, 1, -2}) {
            for (boolean log : new boolean[] {false, true}) {
                Rand rand = Rand.fresh();
                int a = axis < 0 ? axis + shape.length : axis, last = shape.length - 1;
                OpCheck.named((log ? "logSoftmax" : "softmax") + " over axis " + axis).input(rand.uniform(-4, 4, shape))
                        .run(backend, rand, t -> log ? Softmax.logSoftmax(t.get(0), axis) : Softmax.softmax(t.get(0), axis),
                                d -> ShapeReference.transpose(SoftmaxReference.softmax(ShapeReference.transpose(d.get(0), a, last), log), a, last));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void badAxisIsAClearError(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor x = backend.zeros(Shape.of(3, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Softmax.softmax(x, 2));
            assertTrue(e.getMessage().contains("axis 2") && e.getMessage().contains("[3, 4]"), e.getMessage());
        }
    }

    private static void check(Backend backend, boolean log) {
        for (int[] shape : SHAPES) {
            Rand rand = Rand.fresh();
            OpCheck.named(log ? "logSoftmax" : "softmax").input(rand.uniform(-4, 4, shape)).gradientSamples(100)
                    .run(backend, rand, t -> log ? Softmax.logSoftmax(t.get(0)) : Softmax.softmax(t.get(0)),
                            d -> SoftmaxReference.softmax(d.get(0), log));
        }
    }
}
