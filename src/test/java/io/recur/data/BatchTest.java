package io.recur.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.tensor.DType;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {
    private static final Backend CPU = Backends.cpu();
    private static final int I = Targets.IGNORE;
    private static final TaskSpec TOKENS = TaskSpec.tokens("t", 3, 5, 4, Metric.TOKEN_ACCURACY);
    private static final TaskSpec FEATURES = TaskSpec.features("f", 2, 2, 0, Metric.MSE);

    private static Example tokens(int[] ids, int[] labels) { return new Example(new Inputs.Tokens(ids), new Targets.Classes(labels)); }

    @Test
    void examplesStackRowByRow() {
        Batch b = Batch.of(TOKENS, List.of(tokens(new int[] {0, 1, 2}, new int[] {I, I, 3}), tokens(new int[] {4, 3, 2}, new int[] {1, I, 0})));
        assertEquals(2, b.size());
        assertArrayEquals(new int[] {0, 1, 2, 4, 3, 2}, ((Inputs.Tokens) b.inputs()).ids());
        assertArrayEquals(new int[] {I, I, 3, 1, I, 0}, ((Targets.Classes) b.targets()).labels());
        assertEquals(3, b.scoredCount());
    }

    @Test
    void tokenBatchesBecomeInt32TensorsOnTheCpu() {
        long open = MemoryTracker.openTensors();
        Batch b = Batch.of(TOKENS, List.of(tokens(new int[] {0, 1, 2}, new int[] {I, I, 3}), tokens(new int[] {4, 3, 2}, new int[] {1, I, 0})));
        try (Tensor x = b.inputs(CPU); Tensor y = b.targets(CPU); Tensor m = b.scoredMask(CPU)) {
            assertEquals(Shape.of(2, 3), x.shape());
            assertEquals(DType.I32, x.dtype());
            assertArrayEquals(new int[] {0, 1, 2, 4, 3, 2}, x.toIntArray());
            assertEquals(DType.I32, y.dtype());
            assertArrayEquals(new int[] {I, I, 3, 1, I, 0}, y.toIntArray());
            assertEquals(DType.F32, m.dtype());
            assertArrayEquals(new float[] {0, 0, 1, 1, 0, 1}, m.toFloatArray());
        }
        assertEquals(open, MemoryTracker.openTensors(), "tensors leaked");
    }

    @Test
    void featureBatchesBecomeFloat32TensorsWithAFeatureAxis() {
        Example e = new Example(new Inputs.Features(new float[] {1, 2, 3, 4}, 2), new Targets.Values(new float[] {0, 7}, new float[] {0, 1}));
        Batch b = Batch.of(FEATURES, List.of(e, e, e));
        try (Tensor x = b.inputs(CPU); Tensor y = b.targets(CPU); Tensor m = b.scoredMask(CPU)) {
            assertEquals(Shape.of(3, 2, 2), x.shape());
            assertEquals(DType.F32, x.dtype());
            assertEquals(Shape.of(3, 2), y.shape());
            assertEquals(DType.F32, y.dtype());
            assertArrayEquals(new float[] {0, 7, 0, 7, 0, 7}, y.toFloatArray());
            assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, m.toFloatArray());
        }
    }

    @Test
    void batchesThatDoNotFitTheirSpecAreRejected() {
        var outOfVocab = assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of(tokens(new int[] {0, 5, 1}, new int[] {I, I, 0}))));
        assertTrue(outOfVocab.getMessage().contains("token 5"), outOfVocab.getMessage());
        var badLabel = assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of(tokens(new int[] {0, 1, 1}, new int[] {I, I, 4}))));
        assertTrue(badLabel.getMessage().contains("label 4"), badLabel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of(tokens(new int[] {0, 1}, new int[] {I, 0}))), "short sequence");
        Example values = new Example(new Inputs.Tokens(new int[] {0, 1, 2}), new Targets.Values(new float[3], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of(values)), "real targets for a classification task");
        Example feats = new Example(new Inputs.Features(new float[6], 2), new Targets.Classes(new int[] {I, I, 0}));
        assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of(feats)), "features for a token task");
        assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of()), "empty batch");
        assertThrows(IllegalArgumentException.class, () -> Batch.of(TOKENS, List.of(tokens(new int[] {0, 1, 2}, new int[] {I, I, 0}),
                new Example(new Inputs.Features(new float[3], 1), new Targets.Classes(new int[] {I, I, 0})))), "mixed kinds");
    }

    @Test
    void specsRejectContradictions() {
        assertThrows(IllegalArgumentException.class, () -> new TaskSpec("x", 4, 3, 2, 3, Metric.TOKEN_ACCURACY), "tokens and features");
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.tokens("x", 4, 3, 0, Metric.TOKEN_ACCURACY), "accuracy without classes");
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.features("x", 4, 1, 3, Metric.MSE), "MSE on classes");
        assertThrows(IllegalArgumentException.class, () -> TaskSpec.tokens("x", 0, 3, 3, Metric.TOKEN_ACCURACY), "empty sequences");
        assertEquals(1, FEATURES.outputWidth());
        assertEquals(4, TOKENS.outputWidth());
    }
}
