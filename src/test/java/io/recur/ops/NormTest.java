package io.recur.ops;

import static io.recur.ops.ShapesTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.recur.backend.Backend;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.NormReference;
import io.recur.testing.OpCheck;
import io.recur.testing.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NormTest {
    private static final String BACKENDS = "io.recur.testing.TestBackends#all";
    private static final int[][] SHAPES = {{5, 1}, {3, 7}, {2, 3, 33}, {1, 128}, {3, 4097}};

    @ParameterizedTest @MethodSource(BACKENDS)
    void rmsNormMatchesTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        float eps = 1e-5f;
        for (int[] shape : SHAPES) {
            int dim = shape[shape.length - 1];
            OpCheck.named("rmsNorm " + java.util.Arrays.toString(shape))
                    .input(rand.uniform(-2, 2, shape)).input(rand.uniform(0.5, 1.5, dim))
                    .run(backend, rand, t -> Norm.rmsNorm(t.get(0), t.get(1), eps),
                            d -> NormReference.rmsNorm(d.get(0), d.get(1), eps));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void rmsNormWithAConstantWeight(Backend backend) {
        Rand rand = Rand.fresh();
        OpCheck.named("rmsNorm, weight not trained").input(rand.uniform(-2, 2, 4, 9)).constant(rand.uniform(-1, 1, 9))
                .run(backend, rand, t -> Norm.rmsNorm(t.get(0), t.get(1), 1e-6f),
                        d -> NormReference.rmsNorm(d.get(0), d.get(1), 1e-6f));
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void layerNormWithAffineMatchesTheReference(Backend backend) {
        Rand rand = Rand.fresh();
        float eps = 1e-5f;
        for (int[] shape : SHAPES) {
            int dim = shape[shape.length - 1];
            OpCheck.named("layerNorm " + java.util.Arrays.toString(shape))
                    .input(rand.uniform(-2, 2, shape)).input(rand.uniform(0.5, 1.5, dim)).input(rand.uniform(-1, 1, dim))
                    .run(backend, rand, t -> Norm.layerNorm(t.get(0), t.get(1), t.get(2), eps),
                            d -> NormReference.layerNorm(d.get(0), d.get(1), d.get(2), eps));
        }
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void layerNormWithoutAffine(Backend backend) {
        Rand rand = Rand.fresh();
        float eps = 1e-5f;
        for (int[] shape : SHAPES) {
            OpCheck.named("layerNorm without affine " + java.util.Arrays.toString(shape)).input(rand.uniform(-2, 2, shape))
                    .run(backend, rand, t -> Norm.layerNorm(t.get(0), null, null, eps),
                            d -> NormReference.layerNorm(d.get(0), null, null, eps));
        }
        OpCheck.named("layerNorm with weight only").input(rand.uniform(-2, 2, 3, 5)).input(rand.uniform(0.5, 1.5, 5))
                .run(backend, rand, t -> Norm.layerNorm(t.get(0), t.get(1), null, eps),
                        d -> NormReference.layerNorm(d.get(0), d.get(1), null, eps));
        OpCheck.named("layerNorm with bias only").input(rand.uniform(-2, 2, 3, 5)).input(rand.uniform(-1, 1, 5))
                .run(backend, rand, t -> Norm.layerNorm(t.get(0), null, t.get(1), eps),
                        d -> NormReference.layerNorm(d.get(0), null, d.get(1), eps));
    }

    /** Outside any scope and off the tape, only the output may stay open: mean, rstd and the stand-in affine are freed. */
    @ParameterizedTest @MethodSource(BACKENDS)
    void temporariesAreFreedWithoutAScope(Backend backend) {
        long tensors = MemoryTracker.openTensors(), storages = backend.memoryStats().liveStorages();
        Tensor x = backend.full(Shape.of(2, 5), 1.5f);
        Tensor w = backend.full(Shape.of(5), 2f);
        Tensor layer = Norm.layerNorm(x, null, null, 1e-5f);
        Tensor rms = Norm.rmsNorm(x, w, 1e-5f);
        assertEquals(tensors + 4, MemoryTracker.openTensors(), "x, w and the two outputs are open");
        for (Tensor t : new Tensor[] {x, w, layer, rms}) t.close();
        assertEquals(tensors, MemoryTracker.openTensors(), "tensors leaked");
        assertEquals(storages, backend.memoryStats().liveStorages(), "storages leaked");
    }

    @ParameterizedTest @MethodSource(BACKENDS)
    void badArgumentsAreNamed(Backend backend) {
        try (Scope s = Scope.open("test")) {
            Tensor x = backend.zeros(Shape.of(2, 3));
            Tensor w4 = backend.zeros(Shape.of(4));
            Tensor w3 = backend.zeros(Shape.of(3));
            assertMessage(() -> Norm.rmsNorm(x, w4, 1e-5f), "rmsNorm", "weight", "[3]", "[4]");
            assertMessage(() -> Norm.layerNorm(x, null, w4, 1e-5f), "layerNorm", "bias", "[3]", "[4]");
            assertMessage(() -> Norm.rmsNorm(x, w3, -1f), "rmsNorm", "eps");
            assertMessage(() -> Norm.rmsNorm(x, null, 1e-5f), "rmsNorm", "weight is null");
            assertMessage(() -> Norm.layerNorm(backend.zeros(Shape.of(2, 0)), null, null, 1e-5f), "layerNorm", "empty");
        }
    }
}
