package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.MemoryStats;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaMemoryTest extends CudaTestBase {
    @Test
    void transfersRoundTripEveryDtype() {
        for (int n : new int[] {0, 1, 7, 1000, 70_001}) {
            float[] f = uniform(n, -5, 5);
            int[] i = ints(n, -1000, 1000);
            long[] l = new long[n];
            for (int k = 0; k < n; k++) l[k] = rnd.nextLong();
            assertArrayEquals(f, upload(f, n).toFloatArray());
            assertArrayEquals(i, upload(i, n).toIntArray());
            assertArrayEquals(l, cuda.fromArray(l, Shape.of(n)).toLongArray());
        }
    }

    @Test
    void viewsReadAndWriteAtTheirOffset() {
        float[] data = uniform(5 * 7, -1, 1);
        Tensor t = upload(data, 5, 7);
        Tensor rows = t.slice0(2, 4);
        float[] expected = java.util.Arrays.copyOfRange(data, 14, 28);
        assertArrayEquals(expected, rows.toFloatArray());
        cuda.fill(rows, 3f);
        float[] after = t.toFloatArray();
        for (int k = 0; k < 35; k++) assertEquals(k >= 14 && k < 28 ? 3f : data[k], after[k], "element " + k);
    }

    @Test
    void copyAndFillCoverAwkwardSizes() {
        for (int n : new int[] {1, 255, 257, 17_000_001}) {  // the last one exceeds the grid cap: grid-stride
            Tensor t = empty(n);
            cuda.fill(t, -2.5f);
            float[] got = t.toFloatArray();
            for (int k = 0; k < n; k += Math.max(1, n / 1000)) assertEquals(-2.5f, got[k]);
            assertEquals(-2.5f, got[n - 1]);
            Tensor c = cuda.allocate(Shape.of(1, n), DType.F32);
            cuda.copy(t, c);
            assertArrayEquals(got, c.toFloatArray());
        }
        int[] idx = ints(99, 0, 50);
        Tensor a = upload(idx, 99), b = cuda.allocate(Shape.of(99), DType.I32);
        cuda.copy(a, b);
        assertArrayEquals(idx, b.toIntArray());
    }

    @Test
    void freedMemoryIsReusedWithoutNewDeviceAllocations() {
        try (Tensor warm = empty(1000)) { warm.size(); }
        MemoryStats before = cuda.memoryStats();
        for (int k = 0; k < 100; k++) try (Tensor t = empty(1000)) { cuda.fill(t, k); }
        MemoryStats after = cuda.memoryStats();
        assertEquals(before.systemAllocations(), after.systemAllocations(), "served from the cache");
        assertEquals(before.requests() + 100, after.requests());
        assertEquals(before.liveBytes(), after.liveBytes());
        assertTrue(after.peakBytes() >= after.liveBytes());
    }

    @Test
    void describesTheDevice() {
        assertTrue(cuda.description().contains("PTX ISA 9.0"), cuda.description());
        assertTrue(cuda.status().available());
        assertTrue(cuda.status().details().stream().anyMatch(d -> d.startsWith("GEMM: ")), cuda.status().details().toString());
    }
}
