package io.recur.bench;

import io.recur.backend.cpu.CpuBackend;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The diagonal linear scan h_t = a_t h_{t-1} + b_t on (B, D, T) time-last data: CpuBackend's
 * parallel scan against the plain sequential loop on one core. Time per scan; GB/s follows from
 * the 12 bytes per element moved (a and b read, h written). Each case allocates only what its
 * implementation uses, so the largest shapes fit in the heap once. benchmarks/scan_cpu.sh runs
 * it and writes the table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx11g"})
public class ScanBenchmark {
    /**
     * "BxDxT". (8, 1536) stops at T = 65536: at T = 1e5 a, b and h alone take 14.7 GB (1e6:
     * 147 GB, and over the 2^31 elements a Java array holds).
     */
    @Param({"8x1536x1000", "8x1536x10000", "8x1536x65536", "1x64x1000", "1x64x10000", "1x64x100000", "1x64x1000000"})
    public String shape;

    /** "parallel": CpuBackend.linearScan; "sequential": one loop on one core. */
    @Param({"parallel", "sequential"})
    public String impl;

    private int rows, length;
    private CpuBackend cpu;
    private Tensor a, b, h;
    private float[] as, bs, hs;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        rows = Integer.parseInt(p[0]) * Integer.parseInt(p[1]);
        length = Integer.parseInt(p[2]);
        Shape s = Shape.of(rows, length);
        if (impl.equals("parallel")) {
            cpu = new CpuBackend();
            a = cpu.allocate(s, DType.F32);
            b = cpu.allocate(s, DType.F32);
            h = cpu.allocate(s, DType.F32);
            cpu.randomUniform(a, 1, 0, 0.5f, 1f);
            cpu.randomUniform(b, 2, 0, -1f, 1f);
        } else {
            int n = s.intSize();
            as = new float[n];
            bs = new float[n];
            hs = new float[n];
            for (int i = 0; i < n; i++) {   // the same ranges, from a cheap hash
                int x = i * 0x9E3779B9;
                as[i] = 0.5f + (x >>> 9) * 0x1p-24f;
                bs[i] = ((x * 31) >>> 8) * 0x1p-23f - 1f;
            }
        }
    }

    @Benchmark
    public Object scan() {
        if (impl.equals("parallel")) {
            cpu.linearScan(a, b, null, null, rows, length, false, h);
            return h;
        }
        for (int r = 0; r < rows; r++) {
            float state = 0f;
            for (int i = r * length, end = i + length; i < end; i++) {
                state = as[i] * state + bs[i];
                hs[i] = state;
            }
        }
        return hs;
    }

    @TearDown
    public void tearDown() {
        if (a != null) { a.close(); b.close(); h.close(); }
    }
}
