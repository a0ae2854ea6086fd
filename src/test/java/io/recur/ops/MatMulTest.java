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
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MatMulTest {
    /** (a shape, b shape) as multiplied, i.e. before any transpose. */
    private static final int[][][] CASES = {
            {{1, 1}, {1, 1}},
            {{7, 33}, {33, 1}},
            {{1, 130}, {130, 7}},
            {{3, 7, 5}, {5, 4}},          // batch folds into the rows: one GEMM
            {{2, 3, 7, 5}, {5, 1}},
            {{4, 7, 5}, {4, 5, 3}},       // strided batched GEMM
            {{3, 5}, {2, 5, 4}},          // a broadcast over b's batch (stride 0)
            {{1, 3, 5}, {2, 5, 4}},       // a's batch of 1 broadcast
            {{2, 1, 3, 5}, {4, 5, 2}},    // partly broadcast batch on both sides
            {{2, 1, 3, 5}, {1, 3, 5, 2}},
            {{1, 1, 7, 33}, {33, 1}},
            {{3, 0}, {0, 4}},             // empty contraction: zeros
            {{0, 5}, {5, 3}},
            {{2, 0, 5}, {5, 3}},
    };

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void matmul(Backend backend) {
        for (int[][] c : CASES) check(backend, c[0], false, c[1], false, 200);
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void matmulWithTransposedOperands(Backend backend) {
        for (int[][] c : CASES)
            for (int flags = 1; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0, tb = (flags & 2) != 0;
                check(backend, stored(c[0], ta), ta, stored(c[1], tb), tb, 200);
            }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void largeMatmulWithSampledGradients(Backend backend) {
        check(backend, new int[] {257, 129}, false, new int[] {129, 65}, false, 30);
        check(backend, new int[] {3, 33, 129}, false, new int[] {65, 129}, true, 30);
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void linear(Backend backend) {
        int[][][] cases = {{{5, 7, 33}, {4, 33}}, {{33}, {7, 33}}, {{1, 1}, {1, 1}}, {{130, 7}, {1, 7}}};
        for (int[][] c : cases)
            for (boolean withBias : new boolean[] {true, false}) {
                Rand rand = Rand.fresh();
                OpCheck check = OpCheck.named("linear").floor(dotProductFloor(c[0])).input(rand.uniform(-1, 1, c[0])).input(rand.uniform(-1, 1, c[1]));
                if (withBias) check.input(rand.uniform(-1, 1, c[1][0]));
                check.run(backend, rand,
                        t -> MatMul.linear(t.get(0), t.get(1), withBias ? t.get(2) : null),
                        d -> ReferenceOps.linear(d.get(0), d.get(1), withBias ? d.get(2) : null));
            }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void wrongShapesAreRefusedClearly(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor a = backend.zeros(Shape.of(3, 4)), b = backend.zeros(Shape.of(5, 6)), v = backend.zeros(Shape.of(4));
            expect(() -> MatMul.matmul(a, b), "matmul", "inner dimensions", "[3, 4]", "[5, 6]");
            expect(() -> MatMul.matmul(a, v), "matmul", "rank >= 2", "[4]");
            Tensor a3 = backend.zeros(Shape.of(2, 3, 4)), b3 = backend.zeros(Shape.of(3, 4, 5));
            expect(() -> MatMul.matmul(a3, b3), "matmul batch dimensions", "[2]", "[3]");
            expect(() -> MatMul.linear(a, b, null), "linear", "[3, 4]", "[5, 6]", "in_features");
            Tensor w = backend.zeros(Shape.of(6, 4)), bias = backend.zeros(Shape.of(5));
            expect(() -> MatMul.linear(a, w, bias), "linear", "bias", "[6]", "[5]");
        }
    }

    private static void expect(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }

    /** The stored shape of an operand that is used transposed. */
    private static int[] stored(int[] shape, boolean transposed) {
        if (!transposed) return shape;
        int[] s = shape.clone();
        s[s.length - 2] = shape[shape.length - 1];
        s[s.length - 1] = shape[shape.length - 2];
        return s;
    }

    /**
     * A float32 dot product of n unit-scale terms is about sqrt(n) in size and carries rounding
     * relative to that, so entries much smaller than it are compared absolutely at that scale.
     */
    static double dotProductFloor(int... shape) {
        return 1e-2 * Math.sqrt(java.util.Arrays.stream(shape).max().orElse(1));
    }

    private static void check(Backend backend, int[] aShape, boolean ta, int[] bShape, boolean tb, int samples) {
        Rand rand = Rand.fresh();
        OpCheck.named("matmul(transA=" + ta + ", transB=" + tb + ")").floor(Math.max(dotProductFloor(aShape), dotProductFloor(bShape)))
                .input(rand.uniform(-1, 1, aShape)).input(rand.uniform(-1, 1, bShape)).gradientSamples(samples)
                .run(backend, rand, t -> MatMul.matmul(t.get(0), t.get(1), ta, tb),
                        d -> ReferenceOps.matmul(d.get(0), ta, d.get(1), tb));
    }
}
