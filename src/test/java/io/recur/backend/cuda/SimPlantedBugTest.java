package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The bugs planted in native/test-kernels/bugs.cu, launched through {@link SimDriver} as the backend
 * would launch them: each must fail with a {@link CudaDriverException} naming kernel, block and
 * thread, under ascending and shuffled thread orders alike; the race must be caught by a shuffled
 * order and hidden by the ascending one.
 */
class SimPlantedBugTest {
    private static final float[] ONES = filled(256, 1f);

    @BeforeAll
    static void needsTestKernels() {
        Assumptions.assumeTrue(SimDriver.hasTestKernels(), "libsimtestkernels.so is not built beside the simulator");
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Launches bugs/entry with fresh device buffers of 256 floats (ones) as its pointer arguments. */
    private static String failure(long seed, String entry, int grid, int block, int shared, int pointers, int... ints) {
        try (SimDriver driver = new SimDriver(seed, 1)) {
            KernelArgs args = new KernelArgs();
            for (int i = 0; i < pointers; i++) {
                long p = driver.allocate(4 * 256);
                driver.copyToDevice(ONES, p);
                args.pointer(p);
            }
            for (int v : ints) args.i32(v);
            CudaDriver.Function f = driver.function(driver.testModule("bugs"), entry);
            CudaDriverException e = assertThrows(CudaDriverException.class,
                    () -> driver.launch(f, grid, 1, 1, block, 1, 1, shared, args), entry + " ran without an error under seed " + seed);
            String m = e.getMessage();
            assertTrue(m.contains("bugs/" + entry), "names the kernel: " + m);
            assertTrue(m.contains("block (") && m.contains("thread ("), "names block and thread: " + m);
            return m;
        }
    }

    @ParameterizedTest(name = "order seed {0}")
    @ValueSource(longs = {0, 7})
    void barrierDivergence(long seed) {
        String m = failure(seed, "divergent_barriers", 1, 64, 0, 1);
        assertTrue(m.contains("barrier divergence"), m);
    }

    @ParameterizedTest(name = "order seed {0}")
    @ValueSource(longs = {0, 7})
    void earlyReturnBeforeABarrier(long seed) {
        String m = failure(seed, "exit_before_barrier", 2, 128, 0, 2, 200);  // block 1 has threads past n = 200
        assertTrue(m.contains("block (1,0,0)") && m.contains("has exited"), m);
    }

    @ParameterizedTest(name = "order seed {0}")
    @ValueSource(longs = {0, 7})
    void shuffleMaskWithoutTheCaller(long seed) {
        String m = failure(seed, "shfl_mask_excludes_caller", 1, 32, 0, 1);
        assertTrue(m.contains("mask 0x0000ffff") && m.contains("does not name the calling lane"), m);
    }

    @ParameterizedTest(name = "order seed {0}")
    @ValueSource(longs = {0, 7})
    void shuffleMaskNamingAnExitedLane(long seed) {
        String m = failure(seed, "shfl_mask_names_exited", 1, 32, 0, 1);
        assertTrue(m.contains("which has exited"), m);
    }

    @ParameterizedTest(name = "order seed {0}")
    @ValueSource(longs = {0, 7})
    void deadlock(long seed) {
        String m = failure(seed, "deadlock_syncwarp", 1, 64, 0, 1);
        assertTrue(m.contains("deadlock"), m);
    }

    @ParameterizedTest(name = "order seed {0}")
    @ValueSource(longs = {0, 7})
    void sharedIndexOutOfRange(long seed) {
        String m = failure(seed, "shared_out_of_range", 1, 32, 0, 1);
        assertTrue(m.contains("thread (31,0,0)") && m.contains("out-of-range index 32"), m);
        String d = failure(seed, "dynamic_shared_out_of_range", 1, 32, 32 * 4, 1);
        assertTrue(d.contains("thread (31,0,0)") && d.contains("dynamic shared memory"), d);
    }

    @Test
    void raceIsHiddenInAscendingOrderAndCaughtByShuffledOrders() {
        float[] all256 = filled(8, 256f);
        assertArrayEquals(all256, raceSums(0), "ascending order: every thread stored before the last one sums");
        assertFalse(Arrays.equals(all256, raceSums(1)) && Arrays.equals(all256, raceSums(2)),
                "a shuffled order lets the summing thread run before the others store");
    }

    /** race_sum over 8 blocks of 256 ones: each block's sum is 256 only if no thread ran early. */
    private static float[] raceSums(long seed) {
        try (SimDriver driver = new SimDriver(seed, 0)) {
            long x = driver.allocate(4 * 8 * 256), sums = driver.allocate(4 * 8);
            driver.copyToDevice(filled(8 * 256, 1f), x);
            driver.launch(driver.function(driver.testModule("bugs"), "race_sum"), 8, 1, 1, 256, 1, 1, 0,
                    new KernelArgs().pointer(x).pointer(sums));
            float[] out = new float[8];
            driver.copyToHost(sums, out);
            return out;
        }
    }
}
