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
 * The CPU backend's fused RG-LRU and causal conv1d at the sizes of a Griffin/Mamba layer: batch 8,
 * width 1536, T = 512 … 8192, forward alone and forward + backward, through the Backend SPI (no
 * tape). RG-LRU with h0 and no resets; conv1d with kernel width 4 and bias, channels-last as
 * recurrentgemma (no activation) and channels-first with SiLU as mamba. benchmarks/rglru_conv_cpu.sh
 * runs it and writes the table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class RgLruConvBenchmark {
    static final int BATCH = 8, WIDTH = 1536, KERNEL = 4;

    @Param({"512", "2048", "8192"})
    public int length;

    private CpuBackend cpu;
    private Tensor x, gateX, gateA, lambda, h0, h, gradH, dx, dGateX, dGateA, dLambda, dh0;
    private Tensor convWeightLast, convWeightFirst, bias, convOut, dWeight, dBias;

    @Setup
    public void setUp() {
        cpu = new CpuBackend();
        Shape s = Shape.of(BATCH, length, WIDTH);
        x = uniform(s, 1, -1f, 1f);
        gateX = uniform(s, 2, -2f, 2f);
        gateA = uniform(s, 3, -2f, 2f);
        gradH = uniform(s, 4, -1f, 1f);
        lambda = uniform(Shape.of(WIDTH), 5, -4f, -1f);
        h0 = uniform(Shape.of(BATCH, WIDTH), 6, -1f, 1f);
        h = cpu.allocate(s, DType.F32);
        dx = cpu.allocate(s, DType.F32);
        dGateX = cpu.allocate(s, DType.F32);
        dGateA = cpu.allocate(s, DType.F32);
        dLambda = cpu.allocate(Shape.of(WIDTH), DType.F32);
        dh0 = cpu.allocate(Shape.of(BATCH, WIDTH), DType.F32);
        convWeightLast = uniform(Shape.of(KERNEL, WIDTH), 7, -0.5f, 0.5f);
        convWeightFirst = uniform(Shape.of(WIDTH, KERNEL), 8, -0.5f, 0.5f);
        bias = uniform(Shape.of(WIDTH), 9, -0.5f, 0.5f);
        convOut = cpu.allocate(s, DType.F32);
        dWeight = cpu.allocate(Shape.of(WIDTH * KERNEL), DType.F32);
        dBias = cpu.allocate(Shape.of(WIDTH), DType.F32);
    }

    private Tensor uniform(Shape s, long seed, float lo, float hi) {
        Tensor t = cpu.allocate(s, DType.F32);
        cpu.randomUniform(t, seed, 0, lo, hi);
        return t;
    }

    @Benchmark
    public Object rgLruForward() {
        cpu.rgLru(x, gateX, gateA, lambda, null, h0, BATCH, length, WIDTH, h);
        return h;
    }

    @Benchmark
    public Object rgLruForwardBackward() {
        cpu.rgLru(x, gateX, gateA, lambda, null, h0, BATCH, length, WIDTH, h);
        cpu.rgLruBackward(x, gateX, gateA, lambda, null, h0, h, gradH, BATCH, length, WIDTH, dx, dGateX, dGateA, dLambda, dh0);
        return dx;
    }

    /** recurrentgemma's Conv1D: (batch, T, width), weight (4, width), no activation. */
    @Benchmark
    public Object conv1dChannelsLastForward() {
        cpu.causalConv1d(x, convWeightLast, bias, null, BATCH, WIDTH, length, KERNEL, true, false, convOut);
        return convOut;
    }

    @Benchmark
    public Object conv1dChannelsLastForwardBackward() {
        cpu.causalConv1d(x, convWeightLast, bias, null, BATCH, WIDTH, length, KERNEL, true, false, convOut);
        cpu.causalConv1dBackward(x, convWeightLast, bias, null, gradH, BATCH, WIDTH, length, KERNEL, true, false, dx, dWeight,
                dBias, null);
        return dx;
    }

    /** mamba's causal_conv1d: (batch, width, T), weight (width, 4), SiLU. */
    @Benchmark
    public Object conv1dChannelsFirstForward() {
        cpu.causalConv1d(x, convWeightFirst, bias, null, BATCH, WIDTH, length, KERNEL, false, true, convOut);
        return convOut;
    }

    @Benchmark
    public Object conv1dChannelsFirstForwardBackward() {
        cpu.causalConv1d(x, convWeightFirst, bias, null, BATCH, WIDTH, length, KERNEL, false, true, convOut);
        cpu.causalConv1dBackward(x, convWeightFirst, bias, null, gradH, BATCH, WIDTH, length, KERNEL, false, true, dx, dWeight,
                dBias, null);
        return dx;
    }

    @TearDown
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, gateX, gateA, lambda, h0, h, gradH, dx, dGateX, dGateA, dLambda, dh0, convWeightLast,
                convWeightFirst, bias, convOut, dWeight, dBias}) t.close();
    }
}
