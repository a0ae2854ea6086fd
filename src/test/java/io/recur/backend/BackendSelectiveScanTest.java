package io.recur.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recur.backend.cuda.CudaBackend;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.Rand;
import io.recur.testing.SelectiveScanReference;
import io.recur.testing.SelectiveScanReference.Case;
import io.recur.testing.SelectiveScanReference.Inputs;
import io.recur.testing.TestBackends;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The selective scan primitives on every backend against the sequential float64 loop and its
 * backpropagation: every combination of options, lengths from 1 to 10,000 over several chunks,
 * state sizes 1 to 64, and more channels than a grid's y dimension holds. Every output and every
 * gradient is compared (mamba_ssm's fp32 tolerances); inputs and outputs are views into
 * NaN-padded storage.
 */
class BackendSelectiveScanTest {
    static final double RTOL = 6e-4, ATOL = 2e-3;

    /** All 2^8 combinations of (B var, C var, D, z, delta_bias, softplus, h0, last state) over 3 chunks. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void everyOptionCombination(Backend backend) {
        for (int bits = 0; bits < 256; bits++) {
            boolean[] o = new boolean[8];
            for (int i = 0; i < 8; i++) o[i] = (bits >> i & 1) != 0;
            int groupsC = o[1] ? (bits % 3 == 0 ? 4 : 1) : 0;
            check(backend, new Case(2, 4, 7, 3, o[0] ? 2 : 0, groupsC, o[2], o[3], o[4], o[5], o[6], o[7], 3));
        }
    }

    /** The lengths and state sizes: several chunks from 2053 steps on; options vary. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void lengthsAndStateSizes(Backend backend) {
        int k = 0;
        for (int length : new int[] {1, 7, 64, 2048 + 5, 10_000})
            for (int n : new int[] {1, 16, 64}) {
                boolean longRun = length > 1000;
                int batch = longRun ? 1 : 2, dim = longRun ? 2 : 4;
                boolean even = k++ % 2 == 0;
                check(backend, new Case(batch, dim, length, n, even ? 1 : 0, even ? 0 : dim, true, even, true, true, !even, even,
                        SelectiveScanArgs.DEFAULT_CHUNK));
            }
    }

    /** δ + bias around softplus's threshold (20), where softplus becomes the identity and its gradient 1. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void softplusThreshold(Backend backend) {
        Case c = new Case(2, 3, 50, 4, 1, 0, true, true, true, true, true, false, 16);
        check(backend, c, in -> in.with(1, in.delta().map(x -> 19.5 + 2 * x).roundToFloat()));   // δ in [19.5, 20.5), plus bias: [19.5, 21)
    }

    /** A chunk per step, and a chunk longer than the sequence. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void extremeChunkLengths(Backend backend) {
        check(backend, new Case(2, 2, 40, 5, 1, 2, true, true, true, true, true, true, 1));
        check(backend, new Case(1, 3, 100, 4, 3, 0, true, false, false, true, true, true, 1024));
    }

    /**
     * More channels than gridDim.y allows (65,535): channels go on x. A launch geometry question, so
     * the CPU and CUDA in ascending order suffice (65,537 simulated blocks take seconds per order).
     */
    @ParameterizedTest
    @MethodSource("cpuAndCuda")
    void moreChannelsThanAGridColumn(Backend backend) {
        check(backend, new Case(1, 65_537, 2, 1, 0, 0, true, false, true, true, false, false, SelectiveScanArgs.DEFAULT_CHUNK));
    }

    static List<Backend> cpuAndCuda() { return List.of(Backends.cpu(), TestBackends.cuda()); }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void argumentsNameTheWrongShape(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            Tensor u = f.output(2, 4, 8), a = f.output(4, 3);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new SelectiveScanArgs(u, u, a, f.output(2, 3, 3, 8), a, null, null, null, null, false));
            assertMessage(e, "B must be fixed (dim, N) = [4, 3] or input-dependent (batch, groups, N, L) = (2, G, 3, 8)", "[2, 3, 3, 8]");
            e = assertThrows(IllegalArgumentException.class,
                    () -> new SelectiveScanArgs(u, u, f.output(4, 257), a, a, null, null, null, null, false));
            assertMessage(e, "state size N must be in [1, 256], got 257");
            e = assertThrows(IllegalArgumentException.class,
                    () -> new SelectiveScanArgs(u, u, a, a, a, null, null, null, f.output(2, 4), false));
            assertMessage(e, "h0 must be (batch, dim, N) = [2, 4, 3], got [2, 4]");
        }
    }

    /** CUDA keeps a chunk in shared memory (at most 1024 steps) and says so; the CPU takes any chunk. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void longChunksOnlyWhereTheyFit(Backend backend) {
        Case c = new Case(1, 1, 1500, 2, 0, 0, false, false, false, false, false, false, 1100);
        if (!(backend instanceof CudaBackend)) {
            check(backend, c);
            return;
        }
        try (BackendFixture f = BackendFixture.on(backend)) {
            Tensor u = f.output(1, 1, 1500), a = f.output(1, 2);
            var args = new SelectiveScanArgs(u, u, a, a, a, null, null, null, null, false, 1100);
            var e = assertThrows(IllegalArgumentException.class, () -> backend.selectiveScan(args, f.output(1, 1, 1500), null, null));
            assertMessage(e, "chunk length 1100 exceeds the kernels' 1024");
        }
    }

    static void assertMessage(Exception e, String... parts) {
        for (String p : parts)
            if (!e.getMessage().contains(p)) throw new AssertionError("message \"" + e.getMessage() + "\" lacks \"" + p + "\"");
    }

    static void check(Backend backend, Case c) { check(backend, c, in -> in); }

    /** Runs case c on inputs drawn at random, then adjusted. */
    static void check(Backend backend, Case c, UnaryOperator<Inputs> adjust) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            String what = c.toString();
            Inputs in = adjust.apply(SelectiveScanReference.random(f.rand, c));
            D[] inputs = {in.u(), in.delta(), in.a(), in.b(), in.c(), in.d(), in.z(), in.deltaBias(), in.h0()};
            Tensor[] t = new Tensor[inputs.length];
            for (int i = 0; i < t.length; i++) t[i] = inputs[i] == null ? null : f.view(inputs[i]);
            var args = new SelectiveScanArgs(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], c.softplus(), c.chunk());
            Tensor out = f.output(c.batch(), c.dim(), c.length()), checkpoints = f.output(args.checkpointShape().dims());
            Tensor last = c.last() ? f.output(c.batch(), c.dim(), c.n()) : null;
            backend.selectiveScan(args, out, checkpoints, last);
            SelectiveScanReference.Outputs ref = SelectiveScanReference.forward(in);
            f.assertClose(ref.out(), out.toFloatArray(), RTOL, ATOL, what + " out");
            if (c.last()) f.assertClose(ref.last(), last.toFloatArray(), RTOL, ATOL, what + " last state");

            D dOut = f.rand.normal(c.batch(), c.dim(), c.length()), dLast = c.last() ? f.rand.normal(c.batch(), c.dim(), c.n()) : null;
            Tensor[] g = new Tensor[inputs.length];
            for (int i = 0; i < g.length; i++) g[i] = inputs[i] == null ? null : f.output(inputs[i].shape);
            backend.selectiveScanBackward(args, checkpoints, f.view(dOut), dLast == null ? null : f.view(dLast),
                    new SelectiveScanGrads(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8]));
            SelectiveScanReference.Grads expected = SelectiveScanReference.backward(in, dOut.data, dLast == null ? null : dLast.data);
            for (int i = 0; i < g.length; i++) {
                if (g[i] == null) continue;
                // a parameter without a time axis (A, D, the bias, fixed B or C, h0) gets a float32
                // sum over every step: its rounding grows like sqrt(L) (seed 24771593905504 at
                // L = 10000 exceeded the plain tolerance by 30%, on cpu and cuda-sim alike)
                int[] shape = inputs[i].shape;
                double grow = shape[shape.length - 1] == c.length() ? 1 : Math.max(1, Math.sqrt(c.length() / 1000.0));
                f.assertClose(expected.get(i), g[i].toFloatArray(), RTOL * grow, ATOL * grow, what + " " + GRAD_NAMES[i]);
            }
        }
    }

    static final String[] GRAD_NAMES = {"du", "dDelta", "dA", "dB", "dC", "dD", "dz", "dDeltaBias", "dh0"};

}
