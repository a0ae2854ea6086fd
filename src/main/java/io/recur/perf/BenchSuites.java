package io.recur.perf;

import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurements behind `recur bench`. Memory-bound operations are compared with a plain copy of
 * the same tensors on the same backend, the bandwidth the operation could reach at best.
 */
public final class BenchSuites {
    private BenchSuites() {}

    /** Square float32 C = A B at each size, GFLOP/s. */
    public static List<Measurement> sgemm(Backend backend, Stopwatch watch, int[] sizes, Runnable afterEach) {
        List<Measurement> rows = new ArrayList<>();
        for (int n : sizes) {
            try (Scope s = Scope.open("bench-sgemm")) {
                Tensor a = random(backend, Shape.of(n, n), 1), b = random(backend, Shape.of(n, n), 2);
                Tensor c = backend.allocate(Shape.of(n, n), DType.F32);
                double ms = watch.medianMs(backend, () -> backend.gemm(false, false, 1, n, n, n, 1f, a, 0, b, 0, 0f, c, 0));
                rows.add(new Measurement("sgemm", n + "x" + n + "x" + n, ms, 2.0 * n * n * n / (ms * 1e6), "GFLOP/s", Double.NaN, ""));
            }
            afterEach.run();
        }
        return rows;
    }

    /**
     * The diagonal linear scan h_t = a_t h_{t-1} + b_t on (batch, channels, T), GB/s of a and b read
     * plus h written, against copying a into h (one read, one write) on the same backend.
     */
    public static List<Measurement> scan(Backend backend, Stopwatch watch, int[][] shapes, Runnable afterEach) {
        List<Measurement> rows = new ArrayList<>();
        for (int[] bdt : shapes) {
            int rowsCount = bdt[0] * bdt[1], length = bdt[2];
            long elements = (long) rowsCount * length;
            try (Scope s = Scope.open("bench-scan")) {
                Shape shape = Shape.of(rowsCount, length);
                Tensor a = random(backend, shape, 1), b = random(backend, shape, 2);
                Tensor h = backend.allocate(shape, DType.F32);
                double scanMs = watch.medianMs(backend, () -> backend.linearScan(a, b, null, null, rowsCount, length, false, h));
                double copyMs = watch.medianMs(backend, () -> backend.copy(a, h));
                double scanGbs = 12.0 * elements / (scanMs * 1e6), copyGbs = 8.0 * elements / (copyMs * 1e6);
                rows.add(new Measurement("linear scan", bdt[0] + "x" + bdt[1] + "x" + length, scanMs, scanGbs, "GB/s",
                        scanGbs / copyGbs, String.format("copy %.1f GB/s", copyGbs)));
            }
            afterEach.run();
        }
        return rows;
    }

    private static Tensor random(Backend backend, Shape shape, long seed) {
        Tensor t = backend.allocate(shape, DType.F32);
        backend.randomUniform(t, seed, 0, 0.5f, 1f);   // |a| < 1 keeps long scans finite
        return t;
    }
}
