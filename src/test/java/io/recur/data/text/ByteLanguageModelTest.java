package io.recur.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.data.Split;
import io.recur.data.Targets;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLanguageModelTest {
    private static final int L = 8;

    /** Bytes 0, 1, 2, ... (mod 251, a prime, so no window repeats soon): a byte's value says where it came from. */
    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i % 251);
        return b;
    }

    private static int[] ids(Batch b) { return ((Inputs.Tokens) b.inputs()).ids(); }

    private static int[] labels(Batch b) { return ((Targets.Classes) b.targets()).labels(); }

    @Test
    void targetsAreTheInputsShiftedByOneAndAllScored() {
        byte[] text = new byte[2000];
        new SplittableRandom(1).nextBytes(text);
        ByteLanguageModel lm = new ByteLanguageModel(text, "random", L, 3);
        Batch b = lm.batch(Split.TRAIN, 0, 4);
        for (int row = 0; row < 4; row++) {
            long start = lm.windowStart(Split.TRAIN, row);
            for (int t = 0; t < L; t++) {
                assertEquals(text[(int) start + t] & 0xFF, ids(b)[row * L + t]);
                assertEquals(text[(int) start + t + 1] & 0xFF, labels(b)[row * L + t]);
            }
        }
        assertEquals(4L * L, b.scoredCount());
        assertEquals(256, lm.spec().vocabSize());
    }

    @Test
    void everyWindowStaysInsideItsSplitsPartOfTheFile() {
        int n = 4000;
        ByteLanguageModel lm = new ByteLanguageModel(counting(n), "counting", L, 4);
        assertEquals(0, lm.partStart(Split.TRAIN));
        assertEquals(3600, lm.partEnd(Split.TRAIN));
        assertEquals(3800, lm.partEnd(Split.VALIDATION));
        assertEquals(n, lm.partEnd(Split.TEST));
        for (Split s : Split.values())
            for (long id = 0; id < 500; id++) {
                long start = lm.windowStart(s, id);
                assertTrue(start >= lm.partStart(s) && start + L + 1 <= lm.partEnd(s), s + " window at " + start);
            }
    }

    @Test
    void trainingWindowsAreRandomButReproducible() {
        ByteLanguageModel lm = new ByteLanguageModel(counting(4000), "counting", L, 5);
        Batch a = lm.batch(Split.TRAIN, 2, 3);
        assertArrayEquals(ids(a), ids(new ByteLanguageModel(counting(4000), "counting", L, 5).batch(Split.TRAIN, 2, 3)));
        assertNotEquals(Arrays.toString(ids(a)), Arrays.toString(ids(lm.batch(Split.TRAIN, 3, 3))));
        assertNotEquals(Arrays.toString(ids(a)), Arrays.toString(ids(new ByteLanguageModel(counting(4000), "counting", L, 6).batch(Split.TRAIN, 2, 3))));
        assertTrue(lm.size(Split.TRAIN).isEmpty());
    }

    @Test
    void evaluationWindowsTileTheirPartInOrderAndWrap() {
        ByteLanguageModel lm = new ByteLanguageModel(counting(4000), "counting", L, 0);
        long windows = lm.size(Split.VALIDATION).getAsLong();
        assertEquals((200 - 1) / L, windows);
        for (long id = 0; id < windows; id++) assertEquals(3600 + id * L, lm.windowStart(Split.VALIDATION, id));
        assertEquals(lm.windowStart(Split.VALIDATION, 1), lm.windowStart(Split.VALIDATION, windows + 1));
        Batch first = lm.batch(Split.VALIDATION, 0, 2);
        assertEquals(3600 % 251, ids(first)[0]);
        assertEquals((3600 + L) % 251, ids(first)[L], "the second window starts where the first one's inputs end");
    }

    @Test
    void batchesAreInt32TensorsOnTheCpu() {
        ByteLanguageModel lm = new ByteLanguageModel(counting(4000), "counting", L, 0);
        try (Tensor x = lm.batch(Split.TEST, 0, 5).inputs(Backends.cpu()); Tensor y = lm.batch(Split.TEST, 0, 5).targets(Backends.cpu())) {
            assertEquals(Shape.of(5, L), x.shape());
            assertEquals(DType.I32, x.dtype());
            assertEquals(Shape.of(5, L), y.shape());
        }
    }

    @Test
    void filesAreReadAndMissingOrShortFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("corpus.txt");
        Files.write(file, counting(1000));
        ByteLanguageModel fromFile = ByteLanguageModel.fromFile(file, L, 0);
        assertEquals(fromFile.windowStart(Split.TRAIN, 0) % 251, ids(fromFile.batch(Split.TRAIN, 0, 1))[0], "the file's bytes are the tokens");
        var missing = assertThrows(IllegalArgumentException.class, () -> ByteLanguageModel.fromFile(dir.resolve("nope.txt"), L, 0));
        assertTrue(missing.getMessage().contains("not found") && missing.getMessage().contains("nope.txt"), missing.getMessage());
        long needed = ByteLanguageModel.minimumBytes(100);
        new ByteLanguageModel(counting((int) needed), "just enough", 100, 0);
        var shortFile = assertThrows(IllegalArgumentException.class, () -> new ByteLanguageModel(counting((int) needed - 1), "short.txt", 100, 0));
        assertTrue(shortFile.getMessage().contains("short.txt") && shortFile.getMessage().contains("at least " + needed), shortFile.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ByteLanguageModel(counting(1000), "x", 0, 0));
    }
}
