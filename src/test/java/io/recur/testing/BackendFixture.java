package io.recur.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.recur.backend.Backend;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * One backend test's surroundings: fresh random inputs (the seed in every failure message), inputs
 * and outputs placed as views at a nonzero offset into storage padded with NaN (so a kernel that
 * ignores the offset, or writes outside its tensor, shows), float64 comparison with a relative
 * tolerance and an absolute floor, and on close a leak check: every tensor closed and the backend's
 * live storages back to where they were.
 *
 * <pre>
 * try (BackendFixture f = BackendFixture.on(backend)) { ... }
 * </pre>
 */
public final class BackendFixture implements AutoCloseable {
    public final Backend backend;
    public final Rand rand;
    private final Scope scope;
    private final long openBefore, storagesBefore;

    private BackendFixture(Backend backend) {
        this.backend = backend;
        this.rand = Rand.fresh();
        this.openBefore = MemoryTracker.openTensors();
        this.storagesBefore = backend.memoryStats().liveStorages();
        this.scope = Scope.open("backend test on " + backend.name());
    }

    public static BackendFixture on(Backend backend) { return new BackendFixture(backend); }

    /** "what on BACKEND (seed N; rerun with ...)", for assertion messages. */
    public String where(String what) { return what + " on " + backend.name() + rand.tag(); }

    // ---- inputs and outputs -------------------------------------------------------------------

    /** A float32 view holding d's values (rounded to float) at a nonzero offset into NaN-padded storage. */
    public Tensor view(D d) { return view(d.data, d.shape); }

    public Tensor view(double[] values, int... dims) {
        int pad = 1 + rand.nextInt(5);
        float[] all = new float[values.length + 2 * pad];
        Arrays.fill(all, Float.NaN);
        for (int i = 0; i < values.length; i++) all[pad + i] = (float) values[i];
        return backend.fromArray(all, Shape.of(all.length)).slice0(pad, pad + values.length).reshape(dims);
    }

    /** An int32 view at a nonzero offset into storage padded with Integer.MIN_VALUE. */
    public Tensor intView(int[] values, int... dims) {
        int pad = 1 + rand.nextInt(5);
        int[] all = new int[values.length + 2 * pad];
        Arrays.fill(all, Integer.MIN_VALUE);
        System.arraycopy(values, 0, all, pad, values.length);
        return backend.fromArray(all, Shape.of(all.length)).slice0(pad, pad + values.length).reshape(dims);
    }

    /** An output view filled with NaN, so that elements left unwritten show. */
    public Tensor output(int... dims) {
        double[] nan = new double[Shape.of(dims).intSize()];
        Arrays.fill(nan, Double.NaN);
        return view(nan, dims);
    }

    /** Random int32 values in [0, bound) with the given shape, as doubles for the references. */
    public D indices(int bound, int... shape) {
        D d = D.zeros(shape);
        for (int i = 0; i < d.size(); i++) d.data[i] = rand.nextInt(bound);
        return d;
    }

    public Tensor intView(D indices) {
        int[] v = new int[indices.size()];
        for (int i = 0; i < v.length; i++) v[i] = (int) indices.data[i];
        return intView(v, indices.shape);
    }

    /** A 0/1 reset mask (rows, length) in which about one step in twenty starts a new segment. */
    public D resetMask(int rows, int length) {
        D m = D.zeros(rows, length);
        for (int i = 0; i < m.size(); i++) m.data[i] = rand.nextInt(20) == 0 ? 1 : 0;
        return m;
    }

    /** The values of an optional input, for references that take null for "absent". */
    public static double[] data(D d) { return d == null ? null : d.data; }

    // ---- comparisons --------------------------------------------------------------------------

    /**
     * assertClose with rtol = tolerance and atol = tolerance times the largest magnitude of expected
     * (at least 1): for long recurrences and sums, whose rounding scales with the values' size.
     */
    public void assertCloseScaled(double[] expected, float[] actual, double tolerance, String what) {
        double scale = 1;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        assertClose(expected, actual, tolerance, tolerance * scale, what);
    }

    /** |actual - expected| <= atol + rtol * |expected| everywhere (NaN matches NaN), and the shapes agree. */
    public void assertClose(D expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape, actual.shape().dims(), where(what + ": shape"));
        assertClose(expected.data, actual.toFloatArray(), rtol, atol, what);
    }

    public void assertClose(double[] expected, float[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, where(what + ": length"));
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a) || Double.isInfinite(e) && e == a) continue;
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
                fail(where(what + ": element " + i + " is " + a + ", expected " + e + " (|diff| " + Math.abs(a - e)
                        + ", tolerance " + (atol + rtol * Math.abs(e)) + ")"));
        }
    }

    /** The same float32 bits everywhere. */
    public void assertBitsEqual(float[] expected, Tensor actual, String what) {
        float[] got = actual.toFloatArray();
        assertEquals(expected.length, got.length, where(what + ": length"));
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i]))
                fail(where(what + ": element " + i + " is " + got[i] + ", expected exactly " + expected[i]));
    }

    /** Closes the scope, then fails if any tensor or storage outlived it. */
    @Override
    public void close() {
        scope.close();
        backend.synchronize();   // surfaces asynchronous device faults in the test that caused them
        assertEquals(openBefore, MemoryTracker.openTensors(), where("open tensors after the test"));
        assertEquals(storagesBefore, backend.memoryStats().liveStorages(), where("live storages after the test"));
    }
}
