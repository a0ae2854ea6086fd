package io.recur.bench;

import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of Shampoo's batched inverse 4th roots, in blocks per second: {@value #BLOCKS} blocks
 * of side n per call, each a Shampoo-like factor G Gᵀ / m + 1e-3·I of a Gaussian n×2n G, by the
 * coupled Newton iteration and by the Jacobi eigendecomposition. backend "cpu" computes in
 * float64 from float32 storage (the only CPU precision); "cuda" runs kernels/roots.cu in float32 on
 * a GPU (or on the simulator, which is far too slow to time). Sizes 128 and 512 by default; add
 * -p n=1024 for Distributed Shampoo's default block (minutes per call on a CPU). Run by hand:
 * org.openjdk.jmh.Main InverseRootBenchmark -f 1 -wi 1 -i 3 (see benchmarks/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class InverseRootBenchmark {
    static final int BLOCKS = 4;

    @Param({"128", "512"})
    public int n;

    @Param({"COUPLED_NEWTON", "EIGEN"})
    public RootMethod method;

    @Param({"cpu"})
    public String backend;

    private Backend b;
    private Tensor factors, roots, residuals;
    private RootSettings settings;

    @Setup
    public void setUp() {
        b = Backends.byName(backend);
        float[] stacked = new float[BLOCKS * n * n];
        SplittableRandom random = new SplittableRandom(7);
        int m = 2 * n;
        for (int k = 0; k < BLOCKS; k++) {
            double[] g = new double[n * m];
            for (int i = 0; i < g.length; i++) g[i] = random.nextGaussian();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int t = 0; t < m; t++) s += g[i * m + t] * g[j * m + t];
                    stacked[(k * n + i) * n + j] = (float) (s / m + (i == j ? 1e-3 : 0));
                }
        }
        factors = b.fromArray(stacked, Shape.of(BLOCKS, n, n));
        roots = b.allocate(Shape.of(BLOCKS, n, n), DType.F32);
        residuals = b.allocate(Shape.of(BLOCKS), DType.F32);
        settings = RootSettings.of(method, 4, 1e-6, true);
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public float roots() {
        b.inverseRoots(factors, BLOCKS, n, settings, roots, residuals);
        b.synchronize();
        float[] r = residuals.toFloatArray();
        if (!(r[0] <= 0.1f)) throw new IllegalStateException(method + " n=" + n + ": residual " + r[0]);
        return r[0];
    }

    @TearDown
    public void tearDown() {
        factors.close();
        roots.close();
        residuals.close();
    }
}
