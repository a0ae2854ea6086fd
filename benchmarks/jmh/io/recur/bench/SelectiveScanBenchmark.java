package io.recur.bench;

import io.recur.backend.SelectiveScanArgs;
import io.recur.backend.SelectiveScanGrads;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The selective scan on the CPU backend at Mamba's shapes (batch 8, dim 1536, N 16): forward, and
 * forward + backward, with the options a Mamba block uses (input-dependent B and C in one group,
 * D, z, delta_bias with softplus) and the default chunk length between saved states. One call per
 * measurement (a call takes seconds). benchmarks/selective_scan_cpu.sh runs it and writes the table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx10g"})
public class SelectiveScanBenchmark {
    static final int BATCH = 8, DIM = 1536, N = 16;

    @Param({"512", "2048", "8192"})
    public int length;

    /** "forward", or "forwardBackward" (the forward saving checkpoints, then the backward). */
    @Param({"forward", "forwardBackward"})
    public String pass;

    private CpuBackend cpu;
    private SelectiveScanArgs args;
    private Tensor out, checkpoints, dOut;
    private SelectiveScanGrads grads;

    @Setup
    public void setUp() {
        cpu = new CpuBackend();
        Shape seq = Shape.of(BATCH, DIM, length), proj = Shape.of(BATCH, 1, N, length);
        Tensor u = normal(seq, 1), delta = uniform(seq, 2, -4f, -2f), z = normal(seq, 3);
        Tensor a = uniform(Shape.of(DIM, N), 4, -16f, -1f), b = normal(proj, 5), c = normal(proj, 6);
        Tensor d = normal(Shape.of(DIM), 7), bias = uniform(Shape.of(DIM), 8, -4f, -2f);
        args = new SelectiveScanArgs(u, delta, a, b, c, d, z, bias, null, true);
        out = cpu.allocate(seq, DType.F32);
        checkpoints = cpu.allocate(args.checkpointShape(), DType.F32);
        if (pass.equals("forwardBackward")) {
            dOut = normal(seq, 9);
            grads = new SelectiveScanGrads(like(u), like(delta), like(a), like(b), like(c), like(d), like(z), like(bias), null);
        }
    }

    private Tensor normal(Shape s, long seed) {
        Tensor t = cpu.allocate(s, DType.F32);
        cpu.randomNormal(t, seed, 0, 0f, 1f);
        return t;
    }

    private Tensor uniform(Shape s, long seed, float lo, float hi) {
        Tensor t = cpu.allocate(s, DType.F32);
        cpu.randomUniform(t, seed, 0, lo, hi);
        return t;
    }

    private Tensor like(Tensor t) { return cpu.allocate(t.shape(), DType.F32); }

    @Benchmark
    public Object run() {
        cpu.selectiveScan(args, out, checkpoints, null);
        if (grads != null) cpu.selectiveScanBackward(args, checkpoints, dOut, null, grads);
        return out;
    }
}
