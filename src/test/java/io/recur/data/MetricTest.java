package io.recur.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricTest {
    private static final int I = Targets.IGNORE;

    /** Logits (rows × 2 positions × 3 classes) whose arg-max at each position is the given class. */
    private static float[] logitsFor(int... classes) {
        float[] x = new float[classes.length * 3];
        for (int p = 0; p < classes.length; p++) x[p * 3 + classes[p]] = 1f;
        return x;
    }

    private static Batch twoRows() {
        TaskSpec spec = TaskSpec.tokens("m", 2, 3, 3, Metric.TOKEN_ACCURACY);
        return Batch.of(spec, List.of(
                new Example(new Inputs.Tokens(new int[] {0, 0}), new Targets.Classes(new int[] {1, 2})),
                new Example(new Inputs.Tokens(new int[] {0, 0}), new Targets.Classes(new int[] {I, 0}))));
    }

    @Test
    void tokenAccuracyCountsScoredPositionsAndSequenceAccuracyWholeRows() {
        Batch b = twoRows();
        float[] logits = logitsFor(1, 0, 2, 0); // row 0: one of two right; row 1: its one scored position right
        assertEquals(new Metric.Tally(2, 3), Metric.TOKEN_ACCURACY.score(b, logits));
        assertEquals(new Metric.Tally(1, 2), Metric.SEQUENCE_ACCURACY.score(b, logits));
        assertEquals(new Metric.Tally(2, 2), Metric.SEQUENCE_ACCURACY.score(b, logitsFor(1, 2, 1, 0)));
    }

    @Test
    void meanSquaredErrorSkipsMaskedPositionsAndTalliesAdd() {
        TaskSpec spec = TaskSpec.features("r", 2, 1, 0, Metric.MSE);
        Batch b = Batch.of(spec, List.of(new Example(new Inputs.Features(new float[2], 1), new Targets.Values(new float[] {5, 1}, new float[] {0, 1}))));
        Metric.Tally t = Metric.MSE.score(b, new float[] {100, 4});
        assertEquals(new Metric.Tally(9, 1), t);
        assertEquals(5.0, t.plus(new Metric.Tally(1, 1)).value());
        assertTrue(Double.isNaN(Metric.Tally.EMPTY.value()));
    }

    @Test
    void outputsOfTheWrongSizeOrKindAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Metric.TOKEN_ACCURACY.score(twoRows(), new float[5]));
        assertThrows(IllegalArgumentException.class, () -> Metric.MSE.score(twoRows(), new float[12]));
    }
}
