package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.recur.backend.BackendStatus;
import io.recur.tensor.MemoryTracker;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.TestBackends;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the CUDA backend's own tests: on the GPU when there is one, else on the CPU simulation of
 * CUDA (ascending thread order); failed instead when -Drecur.backend.require=cuda says the machine
 * must have a GPU. Each test runs in a scope
 * and fails if it leaks tensors. Expectations are plain loops in double precision.
 */
abstract class CudaTestBase {
    protected CudaBackend cuda;
    protected Random rnd;
    private Scope scope;
    private long openBefore;

    static CudaBackend cudaOrSimulator() {
        BackendStatus s = CudaProbe.status();
        if (!s.available() && "cuda".equalsIgnoreCase(System.getProperty("recur.backend.require")))
            fail("this run requires CUDA (-Drecur.backend.require=cuda), but it is unavailable: " + s.reason());
        return (CudaBackend) TestBackends.cuda();
    }

    @BeforeEach
    void openScope() {
        cuda = cudaOrSimulator();
        long seed = System.nanoTime();
        rnd = new Random(seed);
        openBefore = MemoryTracker.openTensors();
        scope = Scope.open(getClass().getSimpleName());
    }

    @AfterEach
    void closeScope() {
        if (scope == null) return;
        scope.close();
        cuda.synchronize();  // surfaces asynchronous kernel faults in the test that caused them
        assertEquals(openBefore, MemoryTracker.openTensors(), "tensors leaked");
    }

    // ---- inputs ---------------------------------------------------------------------------------

    float[] uniform(int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rnd.nextFloat();
        return a;
    }

    int[] ints(int n, int lo, int hi) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = lo + rnd.nextInt(hi - lo);
        return a;
    }

    Tensor upload(float[] data, int... dims) { return cuda.fromArray(data, Shape.of(dims)); }

    Tensor upload(int[] data, int... dims) { return cuda.fromArray(data, Shape.of(dims)); }

    Tensor empty(int... dims) { return cuda.allocate(Shape.of(dims), io.recur.tensor.DType.F32); }

    /** A float tensor pre-filled with NaN, so that unwritten elements show. */
    Tensor poisoned(int... dims) { return cuda.full(Shape.of(dims), Float.NaN); }

    static long size(int... dims) { return Shape.of(dims).size(); }

    // ---- comparisons ----------------------------------------------------------------------------

    static void assertClose(double[] expected, float[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) fail(what + ": element " + i + " expected " + e + " but was " + a + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
