package io.recur.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.RandomStream;
import io.recur.data.Split;
import io.recur.data.SyntheticTask;
import io.recur.data.Targets;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AddingProblemTest {
    @Test
    void theTargetIsTheSumOfTheTwoMarkedValuesOnePerHalf() {
        AddingProblem task = new AddingProblem(11);
        for (int i = 0; i < 300; i++) {
            var e = task.generate(new RandomStream(7, 0, i));
            float[] x = ((Inputs.Features) e.inputs()).values();
            Targets.Values y = (Targets.Values) e.targets();
            int marks = 0;
            float sum = 0;
            int firstHalf = 0;
            for (int t = 0; t < 11; t++) {
                assertTrue(x[2 * t] >= 0 && x[2 * t] < 1, "value " + x[2 * t]);
                if (x[2 * t + 1] == 0f) continue;
                assertEquals(1f, x[2 * t + 1]);
                marks++;
                sum += x[2 * t];
                if (t < 5) firstHalf++;
            }
            assertEquals(2, marks);
            assertEquals(1, firstHalf, "one mark in the first half, one in the second");
            assertEquals(sum, y.values()[10]);
            for (int t = 0; t < 10; t++) assertEquals(0f, y.mask()[t], "only the last step is scored");
            assertEquals(1f, y.mask()[10]);
        }
    }

    @Test
    void batchesAreFloatSequencesOfTwoFeaturesScoredByMse() {
        var task = new SyntheticTask(AddingProblem.standard(), 1);
        assertEquals(Metric.MSE, task.spec().metric());
        Batch b = task.batch(Split.TRAIN, 0, 3);
        try (Tensor x = b.inputs(Backends.cpu()); Tensor y = b.targets(Backends.cpu())) {
            assertEquals(Shape.of(3, 200, 2), x.shape());
            assertEquals(Shape.of(3, 200), y.shape());
            assertEquals(DType.F32, y.dtype());
        }
    }

    @Test
    void tooShortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1));
    }
}
