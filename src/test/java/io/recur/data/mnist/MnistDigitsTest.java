package io.recur.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.data.Split;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDigitsTest {
    @Test
    void splitsAreStratifiedDisjointAndCoverEveryDigit() {
        int[] perDigit = {10, 20, 10, 10, 10, 10, 10, 10, 10, 31};
        MnistDigits digits = MnistSamples.digits(perDigit);
        Set<Integer> all = new HashSet<>();
        int[][] perClass = new int[3][10];
        for (Split s : Split.values())
            for (int d : digits.split(s)) {
                assertTrue(all.add(d), "digit " + d + " is in two splits");
                perClass[s.ordinal()][digits.label(d)]++;
            }
        assertEquals(digits.count(), all.size(), "every digit is in a split");
        assertArrayEquals(new int[] {8, 16, 8, 8, 8, 8, 8, 8, 8, 25}, perClass[0], "80% of each digit trains");
        assertArrayEquals(new int[] {1, 2, 1, 1, 1, 1, 1, 1, 1, 3}, perClass[1], "10% validates");
        assertArrayEquals(new int[] {1, 2, 1, 1, 1, 1, 1, 1, 1, 3}, perClass[2], "the rest tests");
    }

    @Test
    void splitsAreFixedAndTheirOrderIsMixed() {
        MnistDigits digits = MnistSamples.digits(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        int[] validation = digits.split(Split.VALIDATION);
        assertArrayEquals(validation, MnistSamples.digits(10, 10, 10, 10, 10, 10, 10, 10, 10, 10).split(Split.VALIDATION));
        int[] sorted = validation.clone();
        Arrays.sort(sorted);
        assertTrue(!Arrays.equals(sorted, validation), "validation is listed in a shuffled order, not grouped by digit");
    }

    @Test
    void aMissingFileSaysWhichCommandFetchesIt(@TempDir Path dir) {
        var e = assertThrows(IllegalStateException.class, () -> MnistDigits.load(dir));
        assertTrue(e.getMessage().contains(MnistDigits.FETCH_COMMAND) && e.getMessage().contains(MnistDigits.IMAGES), e.getMessage());
    }

    @Test
    void inconsistentDataIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MnistDigits(new byte[784], new byte[] {10}, 1), "label 10");
        assertThrows(IllegalArgumentException.class, () -> new MnistDigits(new byte[783], new byte[] {1}, 1), "short image");
    }
}
