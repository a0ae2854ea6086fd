package io.recur.bench;

import io.recur.backend.cpu.CpuBackend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Square float32 C = A·B through CpuBackend.gemm. The primary score is products per second; the
 * secondary "gflops" counter is the GFLOP/s (2 n^3 floating-point operations per product).
 * benchmarks/sgemm_vs_numpy.sh runs it beside numpy on the same OpenBLAS-class library.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SgemmBenchmark {
    @Param({"256", "1024", "2048"})
    public int n;

    private CpuBackend cpu;
    private Tensor a, b, c;

    /** Counts floating-point operations; JMH reports the sum per second as a secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() { gflops = 0; }
    }

    @Setup
    public void setUp() {
        cpu = new CpuBackend();
        Random rng = new Random(42);
        a = cpu.fromArray(randomMatrix(rng), Shape.of(n, n));
        b = cpu.fromArray(randomMatrix(rng), Shape.of(n, n));
        c = cpu.zeros(Shape.of(n, n));
    }

    private float[] randomMatrix(Random rng) {
        float[] m = new float[n * n];
        for (int i = 0; i < m.length; i++) m[i] = (float) rng.nextGaussian();
        return m;
    }

    @Benchmark
    public void sgemm(Flops flops) {
        cpu.gemm(false, false, 1, n, n, n, 1f, a, 0, b, 0, 0f, c, 0);
        flops.gflops += 2.0 * n * n * n * 1e-9;
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
