package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator driver's memory, module and error handling, without the backend on top. */
class SimDriverTest {
    private final SimDriver driver = new SimDriver(0, 1);

    @AfterEach
    void close() { driver.close(); }

    @Test
    void copiesRoundTripEveryElementType() {
        long a = driver.allocate(8 * 5);
        float[] f = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f};
        driver.copyToDevice(f, a);
        float[] fb = new float[5];
        driver.copyToHost(a, fb);
        assertArrayEquals(f, fb);

        int[] i = {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE};
        driver.copyToDevice(i, a);
        int[] ib = new int[5];
        driver.copyToHost(a, ib);
        assertArrayEquals(i, ib);

        long[] l = {Long.MIN_VALUE, -1, 0, 1L << 40, Long.MAX_VALUE};
        driver.copyToDevice(l, a);
        long[] lb = new long[5];
        driver.copyToHost(a, lb);
        assertArrayEquals(l, lb);
        driver.free(a);
    }

    @Test
    void allocationsStartZeroedAndCopyOnTheDevice() {
        long a = driver.allocate(4 * 6), b = driver.allocate(4 * 6);
        int[] back = new int[6];
        driver.copyToHost(b, back);
        assertArrayEquals(new int[6], back, "simulated device memory starts zero-filled");
        driver.copyToDevice(new int[] {1, 2, 3, 4, 5, 6}, a);
        driver.copyDeviceToDevice(a + 4, b + 8, 12);  // views: offsets into both allocations
        driver.copyToHost(b, back);
        assertArrayEquals(new int[] {0, 0, 2, 3, 4, 0}, back);
        driver.free(a);
        driver.free(b);
    }

    @Test
    void memset32SetsExactlyCountWords() {
        long a = driver.allocate(4 * 8);
        driver.memset32(a + 4, 0xDEADBEEF, 6);
        int[] back = new int[8];
        driver.copyToHost(a, back);
        int d = 0xDEADBEEF;
        assertArrayEquals(new int[] {0, d, d, d, d, d, d, 0}, back);
        driver.memset32(a, 0, 8);
        driver.copyToHost(a, back);
        assertArrayEquals(new int[8], back);
        driver.free(a);
    }

    @Test
    void copiesOutsideAnAllocationFailInsteadOfCorruptingTheHeap() {
        long a = driver.allocate(16);
        CudaDriverException e = assertThrows(CudaDriverException.class, () -> driver.copyToDevice(new float[5], a));
        assertTrue(e.getMessage().contains("not inside one device allocation"), e.getMessage());
        assertThrows(CudaDriverException.class, () -> driver.copyToHost(a + 8, new long[2]));
        assertThrows(CudaDriverException.class, () -> driver.memset32(a + 4, 1, 4));
        driver.free(a);
        assertThrows(CudaDriverException.class, () -> driver.copyToHost(a, new int[1]), "freed memory is gone");
        CudaDriverException twice = assertThrows(CudaDriverException.class, () -> driver.free(a));
        assertTrue(twice.getMessage().contains("freed twice"), twice.getMessage());
    }

    @Test
    void moduleWithAKernelTheLibraryLacksNamesItAndSaysToRebuild() {
        String ptx = ".version 9.0\n.target sm_75\n.visible .entry fill_f32(\n)\n.visible .entry no_such_kernel_f32(\n)\n";
        CudaDriverException e = assertThrows(CudaDriverException.class, () -> driver.loadModule("elementwise", ptx));
        assertTrue(e.getMessage().contains("no_such_kernel_f32"), e.getMessage());
        assertTrue(e.getMessage().contains("rebuild native/"), e.getMessage());
        assertTrue(!e.getMessage().contains("fill_f32,") && !e.getMessage().contains("[fill_f32"), "only missing kernels are named: " + e.getMessage());
    }

    @Test
    void everyPtxEntryOfTheBuildIsRegistered() {
        for (Kernel k : Kernel.values()) {
            CudaDriver.Module m = driver.loadModule(k.module(), PtxInfo.load(k.module()).text());
            assertEquals(k.entry(), driver.function(m, k.entry()).name());
        }
    }

    @Test
    void describesItselfAsASimulation() {
        CudaDriver.DeviceInfo info = driver.deviceInfo();
        assertEquals("CPU simulation of CUDA (1 workers)", info.name());
        assertEquals("13.0", info.driverCudaVersion());
        assertTrue(driver.simulation().orElseThrow().contains("ascending"));
        long[] mem = driver.memoryInfo();
        assertTrue(mem[1] > 0 && mem[0] <= mem[1], "free " + mem[0] + " of " + mem[1]);
    }

    @Test
    void invalidGeometryFailsAsOnAGpu() {
        CudaDriver.Module m = driver.loadModule("elementwise", PtxInfo.load("elementwise").text());
        CudaDriver.Function fill = driver.function(m, "fill_f32");
        KernelArgs args = new KernelArgs().pointer(0).i64(0).f32(0);
        CudaDriverException e = assertThrows(CudaDriverException.class, () -> driver.launch(fill, 1, 1, 1, 32, 64, 1, 0, args));
        assertTrue(e.getMessage().contains("at most 1024 threads"), e.getMessage());
        assertThrows(CudaDriverException.class, () -> driver.launch(fill, 1, 1, 1, 2048, 1, 1, 0, args));
        assertThrows(CudaDriverException.class, () -> driver.launch(fill, 1, 70000, 1, 32, 1, 1, 0, args));
        assertThrows(CudaDriverException.class, () -> driver.launch(fill, 1, 1, 1, 32, 1, 1, 64 * 1024, args));
    }

    @Test
    void closedDriverRefusesWork() {
        SimDriver other = new SimDriver(0, 1);
        long a = other.allocate(64);
        other.close();
        assertThrows(IllegalStateException.class, () -> other.allocate(4));
        assertThrows(IllegalStateException.class, () -> other.copyToHost(a, new int[1]));
    }
}
