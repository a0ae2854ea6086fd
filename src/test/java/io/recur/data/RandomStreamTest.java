package io.recur.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RandomStreamTest {
    private static int[] words(long seed, int tag, long id, int n) {
        RandomStream r = new RandomStream(seed, tag, id);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = r.nextInt();
        return w;
    }

    @Test
    void theStreamDependsOnlyOnSeedTagAndId() {
        assertArrayEquals(words(7, 3, 1L << 40, 9), words(7, 3, 1L << 40, 9));
        assertFalse(Arrays.equals(words(7, 3, 5, 9), words(8, 3, 5, 9)), "seed");
        assertFalse(Arrays.equals(words(7, 3, 5, 9), words(7, 4, 5, 9)), "tag");
        assertFalse(Arrays.equals(words(7, 3, 5, 9), words(7, 3, 6, 9)), "id");
        assertFalse(Arrays.equals(words(7, 3, 5, 9), words(7, 3, 5L | 1L << 32, 9)), "high word of the id");
    }

    @Test
    void boundedIntsStayInRangeAndCoverItEvenly() {
        RandomStream r = new RandomStream(1, 0, 0);
        int[] counts = new int[7];
        int n = 70_000;
        for (int i = 0; i < n; i++) counts[r.nextInt(7)]++;
        for (int c : counts) assertEquals(n / 7.0, c, 5 * Math.sqrt(n / 7.0), Arrays.toString(counts));
        for (int i = 0; i < 1000; i++) {
            int v = r.nextInt(-3, 4);
            assertTrue(v >= -3 && v < 4, "nextInt(-3, 4) gave " + v);
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    }

    @Test
    void floatsAndDoublesLieInTheUnitInterval() {
        RandomStream r = new RandomStream(2, 0, 0);
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            float f = r.nextFloat();
            double d = r.nextDouble();
            assertTrue(f >= 0 && f < 1 && d >= 0 && d < 1, f + " " + d);
            sum += d;
        }
        assertEquals(0.5, sum / 10_000, 0.02);
    }

    @Test
    void permutationsHoldEveryIndexOnce() {
        int[] p = new RandomStream(3, 0, 0).permutation(100);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(sorted, p), "a shuffle of 100 left everything in place");
    }
}
