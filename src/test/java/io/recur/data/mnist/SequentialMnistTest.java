package io.recur.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Example;
import io.recur.data.Inputs;
import io.recur.data.Metric;
import io.recur.data.Split;
import io.recur.data.Targets;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequentialMnistTest {
    private static final MnistDigits DIGITS = MnistSamples.digits(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);

    private static float[] pixels(Example e) { return ((Inputs.Features) e.inputs()).values(); }

    /** Which digit of the file each row of a batch is, recognised by its pixels. */
    private static int[] digitsOf(SequentialMnist task, Batch b) {
        float[] x = ((Inputs.Features) b.inputs()).values();
        int[] which = new int[b.size()];
        for (int row = 0; row < b.size(); row++) {
            float[] rowPixels = Arrays.copyOfRange(x, row * 784, row * 784 + 784);
            which[row] = -1;
            for (int d = 0; d < DIGITS.count(); d++) if (Arrays.equals(rowPixels, pixels(task.example(d)))) which[row] = d;
        }
        return which;
    }

    @Test
    void aDigitIsItsPixelsInRasterOrderScaledToTheUnitIntervalWithItsLabelAtTheEnd() {
        SequentialMnist task = SequentialMnist.sequential(DIGITS, 0);
        Example e = task.example(23); // digit 2, sample 3
        float[] x = pixels(e);
        for (int p = 0; p < 784; p++) assertEquals(MnistSamples.pixel(2, 3, p) / 255f, x[p]);
        int[] y = ((Targets.Classes) e.targets()).labels();
        assertEquals(2, y[783]);
        for (int t = 0; t < 783; t++) assertEquals(Targets.IGNORE, y[t]);
        assertEquals(784, task.spec().sequenceLength());
        assertEquals(10, task.spec().numClasses());
        assertEquals(Metric.SEQUENCE_ACCURACY, task.spec().metric());
    }

    @Test
    void aShorterSequenceReadsConsecutivePixelsPerStepRowByRowAt28Steps() {
        SequentialMnist rows = SequentialMnist.sequential(DIGITS, 28, 0);
        Example e = rows.example(47); // digit 4, sample 7
        Inputs.Features x = (Inputs.Features) e.inputs();
        assertEquals(28, x.width());
        for (int t = 0; t < 28; t++)
            for (int col = 0; col < 28; col++) assertEquals(MnistSamples.pixel(4, 7, t * 28 + col) / 255f, x.values()[t * 28 + col], "row " + t);
        int[] y = ((Targets.Classes) e.targets()).labels();
        assertEquals(28, y.length);
        assertEquals(4, y[27]);
        for (int t = 0; t < 27; t++) assertEquals(Targets.IGNORE, y[t]);
        assertEquals(28, rows.spec().sequenceLength());
        SequentialMnist permuted = SequentialMnist.permuted(DIGITS, 7, 196, 0), onePixel = SequentialMnist.permuted(DIGITS, 7, 0);
        assertArrayEquals(pixels(onePixel.example(5)), pixels(permuted.example(5)), "the same pixels in the same order, 4 per step");
        assertEquals(4, ((Inputs.Features) permuted.example(5).inputs()).width());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SequentialMnist.sequential(DIGITS, 100, 0));
        assertTrue(bad.getMessage().contains("must divide"), bad.getMessage());
    }

    @Test
    void thePermutedTaskReadsTheSamePixelsInAFixedOrderFromItsSeed() {
        SequentialMnist a = SequentialMnist.permuted(DIGITS, 7, 0), b = SequentialMnist.permuted(DIGITS, 7, 99), c = SequentialMnist.permuted(DIGITS, 8, 0);
        assertArrayEquals(a.pixelOrder(), b.pixelOrder(), "the permutation depends only on its own seed");
        assertFalse(Arrays.equals(a.pixelOrder(), c.pixelOrder()));
        int[] sorted = a.pixelOrder().clone();
        Arrays.sort(sorted);
        assertArrayEquals(SequentialMnist.sequential(DIGITS, 0).pixelOrder(), sorted, "a permutation of 0..783");
        float[] raster = pixels(SequentialMnist.sequential(DIGITS, 0).example(5)), permuted = pixels(a.example(5));
        for (int t = 0; t < 784; t++) assertEquals(raster[a.pixelOrder()[t]], permuted[t]);
        assertEquals("psmnist", a.spec().name());
    }

    @Test
    void trainingVisitsEveryTrainingDigitOncePerEpochInANewOrder() {
        SequentialMnist task = SequentialMnist.sequential(DIGITS, 3);
        int n = (int) task.size(Split.TRAIN).getAsLong();
        assertEquals(80, n);
        int[] epoch0 = digitsOf(task, task.batch(Split.TRAIN, 0, n)), epoch1 = digitsOf(task, task.batch(Split.TRAIN, 1, n));
        Set<Integer> train = new HashSet<>();
        for (int d : DIGITS.split(Split.TRAIN)) train.add(d);
        for (int[] epoch : new int[][] {epoch0, epoch1}) {
            Set<Integer> seen = new HashSet<>();
            for (int d : epoch) assertTrue(train.contains(d) && seen.add(d), "digit " + d + " repeated or not a training digit");
            assertEquals(train, seen);
        }
        assertFalse(Arrays.equals(epoch0, epoch1), "each epoch is shuffled anew");
        assertArrayEquals(Arrays.copyOfRange(epoch1, 10, 16), digitsOf(task, task.batch(Split.TRAIN, 15, 6)), "batch 15 of 6 is examples 90-95: epoch 1, places 10-15");
        assertArrayEquals(new int[] {epoch0[78], epoch0[79], epoch1[0]}, digitsOf(task, task.batch(Split.TRAIN, 26, 3)), "examples 78-80 cross into the next epoch");
    }

    @Test
    void evaluationGoesThroughItsFixedListAndBatchesAreFloatTensors() {
        SequentialMnist task = SequentialMnist.sequential(DIGITS, 3);
        int[] validation = DIGITS.split(Split.VALIDATION);
        assertArrayEquals(Arrays.copyOfRange(validation, 4, 8), digitsOf(task, task.batch(Split.VALIDATION, 1, 4)));
        assertArrayEquals(Arrays.copyOfRange(validation, 0, 4), digitsOf(SequentialMnist.sequential(DIGITS, 77), task.batch(Split.VALIDATION, 0, 4)), "the seed only shuffles training");
        Batch b = task.batch(Split.TEST, 0, 3);
        try (Tensor x = b.inputs(Backends.cpu()); Tensor y = b.targets(Backends.cpu())) {
            assertEquals(Shape.of(3, 784, 1), x.shape());
            assertEquals(DType.F32, x.dtype());
            assertEquals(Shape.of(3, 784), y.shape());
            assertEquals(DType.I32, y.dtype());
        }
    }
}
