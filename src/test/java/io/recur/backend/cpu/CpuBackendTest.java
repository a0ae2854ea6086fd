package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.BackendStatus;
import io.recur.backend.Backends;
import io.recur.backend.MemoryStats;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Memory, transfers, copies, fills, maxAxis and the backend's self-description. */
class CpuBackendTest extends CpuTestBase {

    @Test
    void isTheCpuBackendOfBackends() {
        assertTrue(Backends.cpu() instanceof CpuBackend);
        assertEquals("cpu", CPU.name());
    }

    @Test
    void statusNamesJavaThreadsAndBlas() {
        BackendStatus s = CPU.status();
        assertTrue(s.available());
        String details = String.join("\n", s.details());
        assertTrue(details.contains("Java " + Runtime.version().feature()), details);
        assertTrue(details.contains("threads: " + Runtime.getRuntime().availableProcessors()), details);
        assertTrue(details.contains("OpenBLAS"), details);
        CpuBackend fallback = new CpuBackend(new JavaSgemm("OpenBLAS unavailable", "no natives"));
        assertTrue(fallback.status().details().toString().contains("no natives"));
        assertTrue(fallback.description().contains("pure-Java GEMM, OpenBLAS unavailable"), fallback.description());
        assertTrue(CPU.description().startsWith("CPU (" + Runtime.getRuntime().availableProcessors() + " threads"), CPU.description());
    }

    @Test
    void arraysRoundTripForEveryDType() {
        float[] f = {1.5f, -2f, Float.NaN, 0f, 7f, 8f};
        int[] i = {1, -2, Integer.MAX_VALUE, 0, 5, 6};
        long[] l = {1L << 40, -2, Long.MIN_VALUE, 0, 9, 10};
        assertArrayEquals(f, CPU.fromArray(f, Shape.of(2, 3)).toFloatArray());
        assertArrayEquals(i, CPU.fromArray(i, Shape.of(3, 2)).toIntArray());
        assertArrayEquals(l, CPU.fromArray(l, Shape.of(6)).toLongArray());
        // views at an offset read only their own elements
        assertArrayEquals(new float[] {0f, 7f, 8f}, CPU.fromArray(f, Shape.of(2, 3)).slice0(1, 2).toFloatArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0}, CPU.fromArray(l, Shape.of(3, 2)).slice0(1, 2).toLongArray());
        assertThrows(IllegalArgumentException.class, () -> CPU.fromArray(f, Shape.of(5)));
    }

    @Test
    void wrongDTypesAreRejectedWithTheDTypeNamed() {
        Tensor ints = allocate(DType.I32, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CPU.toFloatArray(ints));
        assertTrue(e.getMessage().contains("F32") && e.getMessage().contains("I32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CPU.fill(ints, 1f));
        assertThrows(IllegalArgumentException.class, () -> CPU.toLongArray(ints));
        assertThrows(IllegalArgumentException.class, () -> CPU.copy(ints, allocate(DType.F32, 3)));
    }

    @Test
    void copyAndFillRespectOffsetsAndShapes() {
        double[] src = rounded(normal(12));
        Tensor dst = output(3, 4);
        CPU.copy(view(src, 4, 3), dst);               // shapes may differ, sizes equal
        assertClose(src, dst, 0, 0, "copy");
        Tensor ints = CPU.fromArray(new int[] {1, 2, 3, 4, 5, 6}, Shape.of(6)), intDst = allocate(DType.I32, 2, 2);
        CPU.copy(ints.slice0(2, 6), intDst);
        assertArrayEquals(new int[] {3, 4, 5, 6}, intDst.toIntArray());
        Tensor base = view(src, 12), middle = base.slice0(4, 8);
        CPU.fill(middle, 2.5f);
        double[] expected = src.clone();
        java.util.Arrays.fill(expected, 4, 8, 2.5);
        assertClose(expected, base, 0, 0, "fill touches only the view");
        assertClose(new double[] {0, 0}, CPU.zeros(Shape.of(2)), 0, 0, "zeros");
        assertThrows(IllegalArgumentException.class, () -> CPU.copy(output(3), output(4)));
    }

    @Test
    void memoryStatsTrackLiveAndPeakBytes() {
        MemoryStats before = CPU.memoryStats();
        Tensor a = allocate(DType.F32, 1000), b = allocate(DType.I64, 10);
        Tensor view = a.slice0(0, 10);                   // a view shares a's storage
        MemoryStats during = CPU.memoryStats();
        assertEquals(before.liveStorages() + 2, during.liveStorages());
        assertEquals(before.liveBytes() + 4000 + 80, during.liveBytes());
        assertTrue(during.peakBytes() >= during.liveBytes());
        assertEquals(before.requests() + 2, during.requests());
        assertEquals(0, during.cachedBytes());
        a.close();
        assertEquals(during.liveStorages(), CPU.memoryStats().liveStorages(), "the view keeps the storage alive");
        view.close();
        b.close();
        MemoryStats after = CPU.memoryStats();
        assertEquals(before.liveStorages(), after.liveStorages());
        assertEquals(before.liveBytes(), after.liveBytes());
        assertTrue(after.peakBytes() >= during.liveBytes());
    }

    @Test
    void maxAxisWithArgmax() {
        int[][] cases = {{1, 1, 1}, {3, 5, 7}, {1, 9, 1}, {4, 1, 3}, {200, 50, 9}};       // outer, n, inner
        for (int[] s : cases) {
            int outer = s[0], n = s[1], inner = s[2];
            double[] x = rounded(normal(outer * n * inner));
            for (int i = 0; i < x.length; i += 3) x[i] = 0.5;                              // ties: the first index wins
            double[] max = new double[outer * inner];
            int[] arg = new int[outer * inner];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++) {
                    max[o * inner + i] = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double v = x[(o * n + j) * inner + i];
                        if (v > max[o * inner + i]) { max[o * inner + i] = v; arg[o * inner + i] = j; }
                    }
                }
            Tensor out = output(outer, inner), argmax = intView(new int[outer * inner], outer, inner);
            CPU.maxAxis(view(x, outer, n, inner), outer, n, inner, out, argmax);
            assertClose(max, out, 0, 0, "maxAxis " + java.util.Arrays.toString(s));
            assertArrayEquals(arg, argmax.toIntArray(), ctx("argmax " + java.util.Arrays.toString(s)));
            Tensor noArg = output(outer, inner);
            CPU.maxAxis(view(x, outer, n, inner), outer, n, inner, noArg, null);
            assertClose(max, noArg, 0, 0, "maxAxis without argmax");
        }
    }

    @Test
    void maxAxisPropagatesNaN() {
        Tensor out = output(1), arg = allocate(DType.I32, 1);
        CPU.maxAxis(view(new double[] {1, Double.NaN, 3}, 3), 1, 3, 1, out, arg);
        assertTrue(Float.isNaN(out.item()));
        assertEquals(1, arg.toIntArray()[0]);
    }
}
