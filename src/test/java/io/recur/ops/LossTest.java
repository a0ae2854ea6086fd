package io.recur.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.D;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import io.recur.testing.SoftmaxReference;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LossTest {
    private static final int IGNORE = -100;
    /** Logits shapes (…, C); the targets have the shape without C. */
    private static final int[][] SHAPES = {{1, 1}, {7, 5}, {2, 3, 11}, {1, 130}, {33, 7}, {3}, {0, 4}};

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void crossEntropyMean(Backend backend) {
        for (int[] shape : SHAPES) check(backend, shape, 0.0, Reduction.MEAN);
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void crossEntropySum(Backend backend) {
        for (int[] shape : SHAPES) check(backend, shape, 0.0, Reduction.SUM);
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void crossEntropyNone(Backend backend) {
        for (int[] shape : SHAPES) check(backend, shape, 0.3, Reduction.NONE);
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void crossEntropyIgnoresSomeTargets(Backend backend) {
        for (int[] shape : SHAPES) {
            check(backend, shape, 0.4, Reduction.MEAN);
            check(backend, shape, 0.4, Reduction.SUM);
        }
    }

    /** torch would give NaN; we give 0 and a zero gradient so that a fully padded batch is harmless. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void crossEntropyWithEveryTargetIgnoredIsZeroWithZeroGradient(Backend backend) {
        check(backend, new int[] {4, 6}, 1.0, Reduction.MEAN);
        try (Scope s = Scope.open("all ignored")) {
            Tensor logits = Rand.fresh().normal(4, 6).toTensor(backend).requiresGrad(true);
            Tensor targets = backend.fromArray(new int[] {IGNORE, IGNORE, IGNORE, IGNORE}, Shape.of(4));
            Tensor loss = Loss.crossEntropy(logits, targets);
            assertEquals(0f, loss.item());
            Tape.backward(loss);
            assertArrayEquals(new float[24], logits.grad().toFloatArray());
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void customIgnoreIndex(Backend backend) {
        Rand rand = Rand.fresh();
        D logits = rand.normal(5, 4);
        int[] targets = {3, 2, 3, 0, 1};
        OpCheck.named("crossEntropy ignoring class 3").input(logits).indices(targets, 5)
                .run(backend, rand, t -> Loss.crossEntropy(t.get(0), t.get(1), 3, Reduction.MEAN),
                        d -> ReferenceOps.crossEntropyMean(d.get(0), d.get(1), 3));
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void badTargetsAreRefusedClearly(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor logits = backend.zeros(Shape.of(3, 4));
            Tensor tooBig = backend.fromArray(new int[] {0, 4, 1}, Shape.of(3));
            expect(() -> Loss.crossEntropy(logits, tooBig), "crossEntropy", "target 4", "position 1", "[0, 4)");
            Tensor negative = backend.fromArray(new int[] {0, 1, -1}, Shape.of(3));
            expect(() -> Loss.crossEntropy(logits, negative), "crossEntropy", "target -1", "position 2");
            Tensor wrongShape = backend.fromArray(new int[] {0, 1, 2, 3}, Shape.of(4));
            expect(() -> Loss.crossEntropy(logits, wrongShape), "crossEntropy", "[4]", "[3, 4]", "[3]");
            Tensor floats = backend.zeros(Shape.of(3));
            expect(() -> Loss.crossEntropy(logits, floats), "crossEntropy", "targets", "I32");
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void mse(Backend backend) {
        for (int[] shape : new int[][] {{1}, {}, {7}, {3, 33}, {2, 1, 130}}) {
            Rand rand = Rand.fresh();
            OpCheck.named("mse").input(rand.uniform(-2, 2, shape)).input(rand.uniform(-2, 2, shape))
                    .run(backend, rand, t -> Loss.mse(t.get(0), t.get(1)), d -> {
                        D sq = d.get(0).zip(d.get(1), (x, y) -> (x - y) * (x - y));
                        return ReferenceOps.scalar(sq.sum() / sq.size());
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void mseRefusesDifferentShapes(Backend backend) {
        try (Scope s = Scope.open("errors")) {
            Tensor a = backend.zeros(Shape.of(3, 4)), b = backend.zeros(Shape.of(4));
            expect(() -> Loss.mse(a, b), "mse", "[3, 4]", "[4]");
        }
    }

    private static void expect(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }

    /** Random logits and targets, each target ignored with probability ignored. */
    private static void check(Backend backend, int[] shape, double ignored, Reduction reduction) {
        Rand rand = Rand.fresh();
        int classes = shape[shape.length - 1];
        int[] rowShape = ReferenceOps.leading(shape, 1);
        int[] targets = new int[Shape.of(rowShape).intSize()];
        for (int i = 0; i < targets.length; i++) targets[i] = rand.uniform(0, 1) < ignored ? IGNORE : rand.nextInt(classes);
        OpCheck.named("crossEntropy " + reduction).input(rand.uniform(-3, 3, shape)).indices(targets, rowShape)
                .run(backend, rand, t -> Loss.crossEntropy(t.get(0), t.get(1), IGNORE, reduction), d -> switch (reduction) {
                    case MEAN -> ReferenceOps.crossEntropyMean(d.get(0), d.get(1), IGNORE);
                    case SUM -> ReferenceOps.scalar(SoftmaxReference.crossEntropy(d.get(0), d.get(1), IGNORE).sum());
                    case NONE -> SoftmaxReference.crossEntropy(d.get(0), d.get(1), IGNORE);
                });
    }
}
