package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.recur.tensor.DType;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared fixtures for the CPU backend tests: a fresh random seed per test (printed in every failure),
 * inputs placed as views at a nonzero storage offset, float64 comparison with a relative tolerance
 * and an absolute floor, and a leak check (every tensor a test makes is closed by its scope).
 */
abstract class CpuTestBase {
    static final CpuBackend CPU = new CpuBackend();

    protected long seed;
    protected Random rng;
    private Scope scope;
    private long openBefore, storagesBefore;

    @BeforeEach
    void openScope() {
        seed = System.nanoTime();
        rng = new Random(seed);
        openBefore = MemoryTracker.openTensors();
        storagesBefore = CPU.memoryStats().liveStorages();
        scope = Scope.open(getClass().getSimpleName());
    }

    @AfterEach
    void closeScopeAndCheckLeaks() {
        scope.close();
        assertEquals(openBefore, MemoryTracker.openTensors(), "open tensors after the test (seed " + seed + ")");
        assertEquals(storagesBefore, CPU.memoryStats().liveStorages(), "live CPU storages after the test (seed " + seed + ")");
    }

    /** "seed N: what", for assertion messages. */
    String ctx(String what) { return "seed " + seed + ": " + what; }

    // ---- inputs ---------------------------------------------------------------------------------

    double[] uniform(int n, double lo, double hi) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * rng.nextDouble();
        return d;
    }

    double[] normal(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rng.nextGaussian();
        return d;
    }

    /**
     * A float32 tensor holding values (rounded to float) as a view at a nonzero offset into a larger
     * storage whose other elements are NaN, so a kernel that ignores the offset fails loudly.
     */
    Tensor view(double[] values, int... dims) {
        int pad = 1 + rng.nextInt(5);
        float[] all = new float[values.length + 2 * pad];
        Arrays.fill(all, Float.NaN);
        for (int i = 0; i < values.length; i++) all[pad + i] = (float) values[i];
        Tensor base = CPU.fromArray(all, Shape.of(all.length));
        return base.slice0(pad, pad + values.length).reshape(dims);
    }

    /** An int32 view at a nonzero offset. */
    Tensor intView(int[] values, int... dims) {
        int pad = 1 + rng.nextInt(5);
        int[] all = new int[values.length + 2 * pad];
        Arrays.fill(all, Integer.MIN_VALUE);
        System.arraycopy(values, 0, all, pad, values.length);
        Tensor base = CPU.fromArray(all, Shape.of(all.length));
        return base.slice0(pad, pad + values.length).reshape(dims);
    }

    /** An output view filled with NaN (so unwritten elements are caught). */
    Tensor output(int... dims) {
        return view(nan((int) Shape.of(dims).size()), dims);
    }

    static double[] nan(int n) {
        double[] d = new double[n];
        Arrays.fill(d, Double.NaN);
        return d;
    }

    /** The float32 values of values, widened again: the exact inputs the backend sees. */
    static double[] rounded(double[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = (float) values[i];
        return d;
    }

    static int size(int... dims) { return (int) Shape.of(dims).size(); }

    static Tensor allocate(DType dtype, int... dims) { return CPU.allocate(Shape.of(dims), dtype); }

    // ---- comparison -----------------------------------------------------------------------------

    void assertClose(double[] expected, Tensor actual, double rtol, double atol, String what) {
        assertClose(expected, actual.toFloatArray(), rtol, atol, what);
    }

    void assertClose(double[] expected, float[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, ctx(what + ": length"));
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (Double.isInfinite(e) && e == a) continue;
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
                fail(ctx(what + ": element " + i + " is " + a + ", expected " + e
                        + " (|diff| " + Math.abs(a - e) + ", tolerance " + (atol + rtol * Math.abs(e)) + ")"));
        }
    }

    // ---- naive broadcasting (independent of the backend's Broadcast) ------------------------------

    /** Linear index into an operand of shape `in` for linear position pos of shape `out` (numpy rules). */
    static int broadcastIndex(int pos, int[] out, int[] in) {
        int index = 0, stride = 1;
        for (int i = out.length - 1; i >= 0; i--) {
            int coord = pos % out[i];
            pos /= out[i];
            int j = i - (out.length - in.length);
            if (j < 0) continue;
            if (in[j] != 1) index += coord * stride;
            stride *= in[j];
        }
        return index;
    }
}
