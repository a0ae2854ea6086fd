package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReduceTest {
    private static final int[][] SHAPES = {{1}, {}, {7}, {1, 7}, {7, 1}, {3, 33}, {2, 1, 130}, {4, 5, 6}, {257, 129}, {3, 0}};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sumAll(Backend backend) {
        for (int[] shape : SHAPES) {
            Rand rand = Rand.fresh();
            OpCheck.named("sum").floor(sumFloor(Shape.of(shape).size())).input(rand.uniform(-1, 1, shape)).gradientSamples(100)
                    .run(backend, rand, t -> Reduce.sum(t.get(0)), d -> ReferenceOps.scalar(d.get(0).sum()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void meanAll(Backend backend) {
        for (int[] shape : SHAPES) {
            Rand rand = Rand.fresh();
            OpCheck.named("mean").input(rand.uniform(-1, 1, shape)).gradientSamples(100)
                    .run(backend, rand, t -> Reduce.mean(t.get(0)), d -> ReferenceOps.scalar(d.get(0).sum() / d.get(0).size()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void sumOverAxis(Backend backend) {
        forEachAxis((shape, axis, keep) -> {
            Rand rand = Rand.fresh();
            OpCheck.named("sum(axis=" + axis + ", keepDim=" + keep + ")").floor(sumFloor(shape[Shape.of(shape).axis(axis)])).input(rand.uniform(-1, 1, shape)).gradientSamples(100)
                    .run(backend, rand, t -> Reduce.sum(t.get(0), axis, keep), d -> ReferenceOps.sum(d.get(0), axis, keep));
        });
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void meanOverAxis(Backend backend) {
        forEachAxis((shape, axis, keep) -> {
            Rand rand = Rand.fresh();
            int n = shape[Shape.of(shape).axis(axis)];
            OpCheck.named("mean(axis=" + axis + ", keepDim=" + keep + ")").input(rand.uniform(-1, 1, shape)).gradientSamples(100)
                    .run(backend, rand, t -> Reduce.mean(t.get(0), axis, keep),
                            d -> ReferenceOps.sum(d.get(0), axis, keep).map(v -> v / n));
        });
    }

    /** Distinct values 0.01 apart in random order: no ties, and finite differences never cross one. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void maxOverAxis(Backend backend) {
        forEachAxis((shape, axis, keep) -> {
            if (shape[Shape.of(shape).axis(axis)] == 0) return; // an error, tested below
            Rand rand = Rand.fresh();
            D x = D.zeros(shape);
            int[] order = permutation(rand, x.size());
            for (int i = 0; i < order.length; i++) x.data[i] = (order[i] - x.size() / 2.0) * 0.01;
            OpCheck.named("max(axis=" + axis + ", keepDim=" + keep + ")").input(x.roundToFloat()).gradientSamples(100)
                    .run(backend, rand, t -> Reduce.max(t.get(0), axis, keep), d -> ReferenceOps.max(d.get(0), axis, keep));
        });
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void badAxesAreRefusedClearly(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor x = backend.zeros(Shape.of(2, 3));
            for (int axis : new int[] {2, -3}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reduce.max(x, axis, false));
                assertTrue(e.getMessage().contains("max") && e.getMessage().contains("axis " + axis) && e.getMessage().contains("[2, 3]"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reduce.sum(x, 5, true));
            assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("axis 5"), e.getMessage());
            Tensor empty = backend.zeros(Shape.of(3, 0));
            e = assertThrows(IllegalArgumentException.class, () -> Reduce.max(empty, 1, false));
            assertTrue(e.getMessage().contains("max") && e.getMessage().contains("empty"), e.getMessage());
        }
    }

    /**
     * A sum of n unit-scale random terms is about sqrt(n) in size and a float32 accumulation rounds
     * relative to that, so sums that happen to cancel are compared absolutely at that scale.
     */
    private static double sumFloor(long n) { return 1e-2 * Math.max(1, Math.sqrt(n)); }

    private interface AxisCase { void run(int[] shape, int axis, boolean keepDim); }

    /** Every axis of every non-scalar shape, by positive and negative index, with and without keepDim. */
    private static void forEachAxis(AxisCase c) {
        for (int[] shape : SHAPES) {
            if (shape.length == 0 || Shape.of(shape).size() > 10_000) continue;
            for (int axis = 0; axis < shape.length; axis++)
                for (boolean keep : new boolean[] {true, false}) {
                    c.run(shape, axis, keep);
                    c.run(shape, axis - shape.length, keep);
                }
        }
    }

    private static int[] permutation(Rand rand, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rand.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
