package io.recur.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EPropMemoryTest {
    @Test
    void epropMemoryIsConstantInTheLengthAndBpttsGrowsLinearly() {
        SplittableRandom r = new SplittableRandom();
        int t = 20 + r.nextInt(10);
        List<EPropMemory.Row> rows = EPropMemory.measure(12, 1 + r.nextInt(3), new int[] {t, 2 * t, 4 * t}, r.nextLong(), () -> {});
        long e = rows.getFirst().epropBytes();
        assertTrue(e > 0, "e-prop allocates its traces: " + rows);
        for (EPropMemory.Row row : rows) assertEquals(e, row.epropBytes(), "e-prop's peak must not depend on T: " + rows);
        long b1 = rows.get(0).bpttBytes(), b2 = rows.get(1).bpttBytes(), b4 = rows.get(2).bpttBytes();
        assertTrue(b1 < b2 && b2 < b4, "BPTT's peak grows with T: " + rows);
        // the tape keeps the same tensors for every step: doubling T twice adds twice as much the second time (up to the spikes' sparsity nothing changes sizes)
        assertEquals(2.0, (double) (b4 - b2) / (b2 - b1), 0.05, "BPTT's peak is linear in T: " + rows);
    }
}
