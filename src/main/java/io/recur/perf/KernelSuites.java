package io.recur.perf;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.EPropStepArgs;
import io.recur.backend.RootMethod;
import io.recur.backend.RootSettings;
import io.recur.backend.SelectiveScanArgs;
import io.recur.backend.SelectiveScanGrads;
import io.recur.nn.GRU;
import io.recur.nn.Initializer;
import io.recur.nn.RecurrentConfig;
import io.recur.parallel.Method;
import io.recur.parallel.NewtonOptions;
import io.recur.parallel.ParallelEvaluation;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every kernel family `recur bench all` times, one representative call each. Memory-bound kernels
 * report GB/s of the tensors they must read and write once (the least traffic any implementation
 * needs), so numbers compare across backends; GEMM reports GFLOP/s, roots blocks/s, DEER time steps/s.
 * Shapes follow the JMH benchmarks in benchmarks/jmh, scaled down to run in a second on a CPU.
 */
public final class KernelSuites {
    private KernelSuites() {}

    public static final List<KernelSuite> ALL = List.of(
            new KernelSuite("sgemm", KernelSuites::gemm),
            new KernelSuite("linear scan", KernelSuites::linearScan),
            new KernelSuite("selective scan", (b, w, q) -> selectiveScan(b, w, q, false)),
            new KernelSuite("selective scan fwd+bwd", (b, w, q) -> selectiveScan(b, w, q, true)),
            new KernelSuite("rg-lru", (b, w, q) -> rgLru(b, w, q, false)),
            new KernelSuite("rg-lru fwd+bwd", (b, w, q) -> rgLru(b, w, q, true)),
            new KernelSuite("conv1d", (b, w, q) -> conv1d(b, w, q, false)),
            new KernelSuite("conv1d fwd+bwd", (b, w, q) -> conv1d(b, w, q, true)),
            new KernelSuite("shampoo roots", KernelSuites::shampooRoots),
            new KernelSuite("deer gru", KernelSuites::deerGru),
            new KernelSuite("eprop step", KernelSuites::epropStep));

    static Measurement gemm(Backend backend, Stopwatch watch, boolean quick) {
        int n = quick ? 24 : 512;
        return BenchSuites.sgemm(backend, watch, new int[] {n}, () -> {}).getFirst();
    }

    static Measurement linearScan(Backend backend, Stopwatch watch, boolean quick) {
        int[] shape = quick ? new int[] {1, 4, 64} : new int[] {4, 256, 4096};
        return BenchSuites.scan(backend, watch, new int[][] {shape}, () -> {}).getFirst();
    }

    /** Mamba's options (input-dependent B and C in one group, D, z, delta bias with softplus), as SelectiveScanBenchmark. */
    static Measurement selectiveScan(Backend backend, Stopwatch watch, boolean quick, boolean withBackward) {
        int batch = quick ? 1 : 2, dim = quick ? 8 : 256, n = quick ? 4 : 16, length = quick ? 32 : 1024;
        try (Scope s = Scope.open("bench-selective-scan")) {
            Shape seq = Shape.of(batch, dim, length), proj = Shape.of(batch, 1, n, length);
            Tensor u = normal(backend, seq, 1), delta = uniform(backend, seq, 2, -4f, -2f), z = normal(backend, seq, 3);
            Tensor a = uniform(backend, Shape.of(dim, n), 4, -16f, -1f), b = normal(backend, proj, 5), c = normal(backend, proj, 6);
            Tensor d = normal(backend, Shape.of(dim), 7), bias = uniform(backend, Shape.of(dim), 8, -4f, -2f);
            SelectiveScanArgs args = new SelectiveScanArgs(u, delta, a, b, c, d, z, bias, null, true);
            Tensor out = backend.allocate(seq, DType.F32), checkpoints = backend.allocate(args.checkpointShape(), DType.F32);
            // forward: u, delta, z read and out written per (b, d, t); B and C read per (b, n, t)
            long seqElements = (long) batch * dim * length, projElements = (long) batch * n * length;
            double bytes = 4.0 * (4 * seqElements + 2 * projElements);
            if (!withBackward) {
                double ms = watch.medianMs(backend, () -> backend.selectiveScan(args, out, checkpoints, null));
                return memoryBound("selective scan", batch + "x" + dim + "x" + length + " N" + n, ms, bytes);
            }
            Tensor dOut = normal(backend, seq, 9);
            SelectiveScanGrads grads = new SelectiveScanGrads(like(backend, u), like(backend, delta), like(backend, a), like(backend, b),
                    like(backend, c), like(backend, d), like(backend, z), like(backend, bias), null);
            // backward: u, delta, z, dOut read and du, dDelta, dz written; B, C read and dB, dC written
            double backwardBytes = 4.0 * (7 * seqElements + 4 * projElements);
            double ms = watch.medianMs(backend, () -> {
                backend.selectiveScan(args, out, checkpoints, null);
                backend.selectiveScanBackward(args, checkpoints, dOut, null, grads);
            });
            return memoryBound("selective scan fwd+bwd", batch + "x" + dim + "x" + length + " N" + n, ms, bytes + backwardBytes);
        }
    }

    /** Griffin's RG-LRU with h0 and no resets, (batch, T, width), as RgLruConvBenchmark. */
    static Measurement rgLru(Backend backend, Stopwatch watch, boolean quick, boolean withBackward) {
        int batch = quick ? 1 : 4, length = quick ? 16 : 1024, width = quick ? 8 : 512;
        try (Scope s = Scope.open("bench-rg-lru")) {
            Shape seq = Shape.of(batch, length, width);
            Tensor x = uniform(backend, seq, 1, -1f, 1f), gateX = uniform(backend, seq, 2, -2f, 2f), gateA = uniform(backend, seq, 3, -2f, 2f);
            Tensor lambda = uniform(backend, Shape.of(width), 5, -4f, -1f), h0 = uniform(backend, Shape.of(batch, width), 6, -1f, 1f);
            Tensor h = backend.allocate(seq, DType.F32);
            long elements = (long) batch * length * width;
            String shape = batch + "x" + length + "x" + width;
            if (!withBackward) {
                double ms = watch.medianMs(backend, () -> backend.rgLru(x, gateX, gateA, lambda, null, h0, batch, length, width, h));
                return memoryBound("rg-lru", shape, ms, 4.0 * 4 * elements);   // x, both gates read; h written
            }
            Tensor gradH = uniform(backend, seq, 4, -1f, 1f);
            Tensor dx = like(backend, x), dGateX = like(backend, x), dGateA = like(backend, x);
            Tensor dLambda = like(backend, lambda), dh0 = like(backend, h0);
            double ms = watch.medianMs(backend, () -> {
                backend.rgLru(x, gateX, gateA, lambda, null, h0, batch, length, width, h);
                backend.rgLruBackward(x, gateX, gateA, lambda, null, h0, h, gradH, batch, length, width, dx, dGateX, dGateA, dLambda, dh0);
            });
            // the backward reads x, both gates, h and gradH and writes three gradients
            return memoryBound("rg-lru fwd+bwd", shape, ms, 4.0 * (4 + 8) * elements);
        }
    }

    /** mamba's causal_conv1d: (batch, channels, T), kernel width 4, bias, SiLU. */
    static Measurement conv1d(Backend backend, Stopwatch watch, boolean quick, boolean withBackward) {
        int batch = quick ? 1 : 4, channels = quick ? 8 : 512, length = quick ? 16 : 1024, kernel = 4;
        try (Scope s = Scope.open("bench-conv1d")) {
            Shape seq = Shape.of(batch, channels, length);
            Tensor x = uniform(backend, seq, 1, -1f, 1f), out = backend.allocate(seq, DType.F32);
            Tensor weight = uniform(backend, Shape.of(channels, kernel), 2, -0.5f, 0.5f), bias = uniform(backend, Shape.of(channels), 3, -0.5f, 0.5f);
            long elements = (long) batch * channels * length;
            String shape = batch + "x" + channels + "x" + length + " W" + kernel;
            if (!withBackward) {
                double ms = watch.medianMs(backend, () -> backend.causalConv1d(x, weight, bias, null, batch, channels, length, kernel, false, true, out));
                return memoryBound("conv1d", shape, ms, 4.0 * 2 * elements);   // x read, out written
            }
            Tensor gradOut = uniform(backend, seq, 4, -1f, 1f), dx = like(backend, x), dWeight = like(backend, weight), dBias = like(backend, bias);
            double ms = watch.medianMs(backend, () -> {
                backend.causalConv1d(x, weight, bias, null, batch, channels, length, kernel, false, true, out);
                backend.causalConv1dBackward(x, weight, bias, null, gradOut, batch, channels, length, kernel, false, true, dx, dWeight, dBias, null);
            });
            return memoryBound("conv1d fwd+bwd", shape, ms, 4.0 * (2 + 3) * elements);   // backward: x, gradOut read; dx written
        }
    }

    /** Shampoo's inverse 4th roots of Shampoo-like factors G Gᵀ / m + 1e-3 I by the coupled Newton iteration, blocks/s. */
    static Measurement shampooRoots(Backend backend, Stopwatch watch, boolean quick) {
        int blocks = 4, n = quick ? 8 : 64;
        try (Scope s = Scope.open("bench-shampoo-roots")) {
            Tensor factors = backend.fromArray(shampooFactors(blocks, n, 7), Shape.of(blocks, n, n));
            Tensor roots = backend.allocate(Shape.of(blocks, n, n), DType.F32), residuals = backend.allocate(Shape.of(blocks), DType.F32);
            RootSettings settings = RootSettings.of(RootMethod.COUPLED_NEWTON, 4, 1e-6, true);
            double ms = watch.medianMs(backend, () -> backend.inverseRoots(factors, blocks, n, settings, roots, residuals));
            return new Measurement("shampoo roots", blocks + "x" + n + "x" + n + " p=4", ms, blocks / (ms * 1e-3), "blocks/s", Double.NaN, "");
        }
    }

    private static float[] shampooFactors(int blocks, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int m = 2 * n;
        float[] stacked = new float[blocks * n * n];
        for (int k = 0; k < blocks; k++) {
            double[] g = new double[n * m];
            for (int i = 0; i < g.length; i++) g[i] = random.nextGaussian();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int t = 0; t < m; t++) sum += g[i * m + t] * g[j * m + t];
                    stacked[(k * n + i) * n + j] = (float) (sum / m + (i == j ? 1e-3 : 0));
                }
        }
        return stacked;
    }

    /** A GRU's forward by DEER (Newton's method on the whole trajectory, to tolerance), time steps per second. */
    static Measurement deerGru(Backend backend, Stopwatch watch, boolean quick) {
        int batch = quick ? 2 : 8, length = quick ? 32 : 1000, hidden = 4;
        try (GRU gru = new GRU(new Initializer(backend, 1), new RecurrentConfig(1, hidden, 1, true, true));
             ParallelEvaluation deer = new ParallelEvaluation(NewtonOptions.of(Method.parse("deer")), false);
             Scope s = Scope.open("bench-deer")) {
            gru.evaluation(deer);
            Tensor x = normal(backend, Shape.of(batch, length, 1), 2);
            double ms = watch.medianMs(backend, () -> {
                try (Tape.NoGrad off = Tape.noGrad(); Scope step = Scope.open("bench-deer-step")) {
                    gru.forward(x, null).output();
                }
            });
            return new Measurement("deer gru", batch + "x" + length + " H" + hidden, ms, batch * length / (ms * 1e-3), "steps/s", Double.NaN,
                    String.format("%.1f Newton iterations", deer.statistics().meanIterations()));
        }
    }

    /** One LSNN time step fused with e-prop's trace update (half the neurons ALIF, recurrent), GB/s of the traces. */
    static Measurement epropStep(Backend backend, Stopwatch watch, boolean quick) {
        int batch = quick ? 2 : 16, neurons = quick ? 8 : 400, lif = neurons / 2, alif = neurons - lif, inputs = quick ? 4 : 40;
        int pre = inputs + neurons;
        try (Scope s = Scope.open("bench-eprop-step")) {
            Shape state = Shape.of(batch, neurons);
            Tensor current = uniform(backend, state, 1, 0f, 2f), x = uniform(backend, Shape.of(batch, inputs), 2, 0f, 1f);
            Tensor[] t = new Tensor[10];
            for (int i = 0; i < t.length; i++) t[i] = backend.zeros(state);
            Tensor ev0 = uniform(backend, Shape.of(batch, pre), 3, 0f, 1f), ev1 = backend.zeros(Shape.of(batch, pre));
            Tensor adapt = backend.zeros(Shape.of(batch, alif, pre)), filtered = backend.zeros(Shape.of(batch, neurons, pre));
            Tensor signal = uniform(backend, state, 4, -1f, 1f), grad = backend.zeros(Shape.of(neurons, pre)), eSum = backend.zeros(Shape.of(neurons, pre));
            EPropStepArgs args = new EPropStepArgs(current, x, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], ev0, ev1, adapt,
                    filtered, signal, grad, eSum, batch, neurons, lif, inputs, pre, 2, false, 0.95f, 0.995f, 0.95f, 0.6f, 1.8f, 0.3f);
            double ms = watch.medianMs(backend, () -> backend.epropStep(args));
            // filtered traces and ALIF adaptation read and written per sequence; grad and eSum per synapse
            double bytes = 4.0 * (2.0 * batch * (neurons + alif) * pre + 4.0 * neurons * pre);
            return memoryBound("eprop step", batch + "x" + neurons + "x" + pre, ms, bytes);
        }
    }

    private static Measurement memoryBound(String operation, String shape, double ms, double bytes) {
        return new Measurement(operation, shape, ms, bytes / (ms * 1e6), "GB/s", Double.NaN, "");
    }

    private static Tensor normal(Backend backend, Shape shape, long seed) {
        Tensor t = backend.allocate(shape, DType.F32);
        backend.randomNormal(t, seed, 0, 0f, 1f);
        return t;
    }

    private static Tensor uniform(Backend backend, Shape shape, long seed, float lo, float hi) {
        Tensor t = backend.allocate(shape, DType.F32);
        backend.randomUniform(t, seed, 0, lo, hi);
        return t;
    }

    private static Tensor like(Backend backend, Tensor t) { return backend.allocate(t.shape(), DType.F32); }
}
