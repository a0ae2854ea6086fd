package io.recur.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.Backends;
import io.recur.backend.RootMethod;
import io.recur.ops.Arith;
import io.recur.ops.Loss;
import io.recur.ops.MatMul;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.SpdReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shampoo against steps computed by hand in float64 (2×2 blocks, whose inverse roots have a closed
 * form), against its graft where the preconditioners are multiples of the identity, its failure
 * guard, and a small regression it must fit.
 */
class ShampooTest {
    private static final double DECAY = 0.1;

    /** A float64 Shampoo for parameters cut into 2×2 blocks (and vectors), written from the formulas. */
    private static final class Reference {
        final Shampoo.Settings s;
        final List<double[]> l = new ArrayList<>(), r = new ArrayList<>(), xl = new ArrayList<>(), xr = new ArrayList<>();
        final double[] graftState, momentum;
        final boolean matrix;

        Reference(Shampoo.Settings s, int size, boolean matrix) {
            this.s = s;
            this.matrix = matrix;
            graftState = new double[size];
            momentum = new double[size];
            for (int b = 0; matrix && b < size / 4; b++) {
                l.add(new double[4]); r.add(new double[4]);
                xl.add(new double[] {1, 0, 0, 1}); xr.add(new double[] {1, 0, 0, 1});
            }
        }

        /** One step on p (blocks of two rows of a (2·blocks)×2 matrix, or a vector) with gradient g. */
        void step(double[] p, double[] g, double lr, double wd, int t) {
            double[] graft = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                double v = g[i] * g[i];
                if (s.grafting().graft() == Graft.SGD) { graft[i] = g[i]; continue; }
                graftState[i] = s.grafting().graft() == Graft.ADAGRAD ? graftState[i] + v : s.grafting().beta2() * graftState[i] + (1 - s.grafting().beta2()) * v;
                double denominator = s.grafting().graft() == Graft.ADAM ? Math.sqrt(graftState[i] / (1 - Math.pow(s.grafting().beta2(), t))) : Math.sqrt(graftState[i]);
                graft[i] = g[i] / (denominator + s.grafting().epsilon());
            }
            double[] direction = graft.clone();
            boolean on = t >= s.schedule().startPreconditioningStep();
            boolean refresh = on && (t - s.schedule().startPreconditioningStep()) % s.schedule().preconditionFrequency() == 0;
            double correction = s.statistics().biasCorrection() && s.statistics().beta2() < 1 ? 1 / (1 - Math.pow(s.statistics().beta2(), t)) : 1;
            for (int b = 0; matrix && b < l.size(); b++) {
                double[] gb = java.util.Arrays.copyOfRange(g, 4 * b, 4 * b + 4);
                accumulate(l.get(b), Matrices2.multiply(gb, Matrices2.transpose(gb)));
                accumulate(r.get(b), Matrices2.multiply(Matrices2.transpose(gb), gb));
                if (refresh) {
                    xl.set(b, root(l.get(b), correction));
                    if (!s.blocks().oneSided()) xr.set(b, root(r.get(b), correction));
                }
                if (!on) continue;
                double[] shampoo = Matrices2.multiply(Matrices2.multiply(xl.get(b), gb), xr.get(b));
                double scale = Matrices2.norm(java.util.Arrays.copyOfRange(graft, 4 * b, 4 * b + 4)) / Matrices2.norm(shampoo);
                for (int i = 0; i < 4; i++) direction[4 * b + i] = scale * shampoo[i];
            }
            for (int i = 0; i < p.length; i++) {
                double d = direction[i];
                if (s.momentum().momentum() > 0) {
                    momentum[i] = s.momentum().momentum() * momentum[i] + d;
                    d = s.momentum().nesterov() ? d + s.momentum().momentum() * momentum[i] : momentum[i];
                }
                p[i] = p[i] * (1 - lr * wd) - lr * d;
            }
        }

        private void accumulate(double[] stat, double[] outer) {
            for (int i = 0; i < 4; i++) stat[i] = s.statistics().beta2() == 1 ? stat[i] + outer[i] : s.statistics().beta2() * stat[i] + (1 - s.statistics().beta2()) * outer[i];
        }

        private double[] root(double[] stat, double correction) {
            double[] scaled = new double[4];
            for (int i = 0; i < 4; i++) scaled[i] = stat[i] * correction;
            double ridge = s.roots().relativeEpsilon() ? s.roots().epsilon() * Math.max(Matrices2.eigenvalues(scaled)[0], 1e-6) : s.roots().epsilon();
            int override = s.roots().exponentOverride();
            return Matrices2.inverseRoot(scaled, ridge, override > 0 ? override : s.blocks().oneSided() ? 2 : 4);
        }
    }

    static List<Backend> backends() { return io.recur.testing.TestBackends.all(); }

    @ParameterizedTest @MethodSource("backends")
    void sumsWithAnAbsoluteRidgeAndSgdGraftMatchTheHandComputedSteps(Backend backend) {
        check(backend, Shampoo.Settings.defaults().withStatistics(1, false).withRoots(RootMethod.COUPLED_NEWTON, 0.1, false, 0)
                .withGraft(Graft.SGD).withMomentum(0, false).withSchedule(1, 1).withBlocks(2, false));
    }

    @ParameterizedTest @MethodSource("backends")
    void movingAveragesWithARelativeRidgeAdamGraftAndNesterovMatchTheHandComputedSteps(Backend backend) {
        check(backend, Shampoo.Settings.defaults().withStatistics(0.9, true).withRoots(RootMethod.EIGEN, 1e-2, true, 0)
                .withGraft(Graft.ADAM).withMomentum(0.8, true).withSchedule(2, 2).withBlocks(2, false));
    }

    @ParameterizedTest @MethodSource("backends")
    void oneSidedWithAnExponentOverrideMatchesTheHandComputedSteps(Backend backend) {
        check(backend, Shampoo.Settings.defaults().withRoots(RootMethod.COUPLED_NEWTON, 1e-2, true, 3).withGraft(Graft.RMSPROP)
                .withMomentum(0.5, false).withSchedule(1, 3).withBlocks(2, true));
    }

    /**
     * A 4×2 matrix in two 2×2 blocks (decayed) and a vector (graft only), five steps with changing
     * rates. The ridges keep the factors' condition numbers near 100 or below: the statistics are
     * float32, and a worse-conditioned root amplifies their rounding past the tolerance.
     */
    private static void check(Backend backend, Shampoo.Settings settings) {
        double[] lr = {0.1, 0.05, 0.2, 0.1, 0.02};
        try (BackendFixture f = BackendFixture.on(backend)) {
            D w = f.rand.normal(4, 2), bias = f.rand.normal(3);
            Map<String, Tensor> named = new LinkedHashMap<>();
            named.put("w", f.view(w).requiresGrad(true));
            named.put("b", f.view(bias).requiresGrad(true));
            double[] pw = w.data.clone(), pb = bias.data.clone();
            Reference rw = new Reference(settings, 8, true), rb = new Reference(settings, 3, false);
            try (Shampoo opt = new Shampoo(ParameterGroup.decayMatricesOnly(named, DECAY), settings)) {
                assertEquals(2, opt.layout("w").blocks().size());
                for (int t = 1; t <= lr.length; t++) {
                    D gw = f.rand.normal(4, 2), gb = f.rand.normal(3);
                    named.get("w").setGrad(f.view(gw));
                    named.get("b").setGrad(f.view(gb));
                    rw.step(pw, gw.data, lr[t - 1], DECAY, t);
                    rb.step(pb, gb.data, lr[t - 1], 0, t);
                    opt.step(lr[t - 1]);
                    f.assertClose(pw, named.get("w").toFloatArray(), 1e-4, 1e-5, "matrix after step " + t);
                    f.assertClose(pb, named.get("b").toFloatArray(), 1e-4, 1e-5, "vector after step " + t);
                }
            }
        }
    }

    /** Vectors take the graft's own step: each graft against its formula. */
    @ParameterizedTest @EnumSource(Graft.class)
    void vectorsFollowTheirGraft(Graft graft) {
        try (BackendFixture f = BackendFixture.on(Backends.cpu())) {
            Shampoo.Settings s = Shampoo.Settings.defaults().withGraft(graft).withMomentum(0.5, false);
            D v = f.rand.normal(6);
            Tensor p = f.view(v).requiresGrad(true);
            double[] expected = v.data.clone();
            Reference ref = new Reference(s, 6, false);
            try (Shampoo opt = new Shampoo(ParameterGroup.of(List.of(p)), s)) {
                for (int t = 1; t <= 4; t++) {
                    D g = f.rand.normal(6);
                    p.setGrad(f.view(g));
                    ref.step(expected, g.data, 0.1, 0, t);
                    opt.step(0.1);
                    f.assertClose(expected, p.toFloatArray(), 1e-5, 1e-6, graft + " step " + t);
                }
            }
        }
    }

    /**
     * Gradients that are scaled orthogonal matrices keep every statistic a multiple of the identity,
     * so the preconditioners are too, and grafting restores SGD's step length: Shampoo with an SGD
     * graft must then step exactly as SGD with the same momentum.
     */
    @ParameterizedTest @MethodSource("backends")
    void identityPreconditionersGiveTheGraftsSteps(Backend backend) {
        int n = 5;
        try (BackendFixture f = BackendFixture.on(backend)) {
            D start = f.rand.normal(n, n);
            Tensor a = f.view(start).requiresGrad(true), b = f.view(start).requiresGrad(true);
            Shampoo.Settings s = Shampoo.Settings.defaults().withGraft(Graft.SGD).withMomentum(0.9, true).withSchedule(1, 2);
            try (Shampoo shampoo = new Shampoo(ParameterGroup.decayMatricesOnly(Map.of("w", a), DECAY), s);
                 Sgd sgd = new Sgd(ParameterGroup.decayMatricesOnly(Map.of("w", b), DECAY), new Sgd.Settings(0.9, true))) {
                for (int t = 1; t <= 5; t++) {
                    double[] q = SpdReference.orthogonal(f.rand, n);
                    double scale = f.rand.uniform(0.5, 3);
                    for (int i = 0; i < q.length; i++) q[i] *= scale;
                    a.setGrad(f.view(q, n, n));
                    b.setGrad(f.view(q, n, n));
                    shampoo.step(0.05);
                    sgd.step(0.05);
                    f.assertClose(D.of(b).data, a.toFloatArray(), 1e-4, 1e-5, "step " + t);
                }
            }
        }
    }

    @Test
    void blockLayoutMergesSmallDimensionsAndCutsLargeOnes() {
        BlockLayout vector = BlockLayout.of(new int[] {1, 7}, 1024, false);
        assertEquals(List.of(), vector.blocks());
        BlockLayout merged = BlockLayout.of(new int[] {4, 8, 64}, 1024, false);
        assertEquals(List.of(32, 64), java.util.Arrays.stream(merged.merged()).boxed().toList());
        BlockLayout cut = BlockLayout.of(new int[] {5, 7}, 3, false);
        assertEquals(6, cut.blocks().size());
        BlockLayout.Block corner = cut.blocks().getLast();
        assertEquals(List.of(3, 6, 2, 1), List.of(corner.rowStart(), corner.lastStart(), corner.dims()[0], corner.dims()[1]));
        BlockLayout wide = BlockLayout.of(new int[] {3, 50, 4}, 8, false);   // 3·50 and 50·4 exceed 8: stays 3-D
        assertEquals(3, wide.merged().length);
        assertEquals(2, wide.blocks().getFirst().order(), "the middle dimension (50 > 8) is not preconditioned");
        assertEquals(1, BlockLayout.of(new int[] {6, 6}, 8, true).blocks().getFirst().order(), "one-sided");
    }

    /** NaN gradients make every root fail: the previous roots stay, and the third failure in a row is an error. */
    @Test
    void failedRootsKeepThePreviousOnesThenStopWithAClearError() {
        Backend cpu = Backends.cpu();
        try (BackendFixture f = BackendFixture.on(cpu)) {
            Tensor p = f.view(f.rand.normal(3, 4)).requiresGrad(true);
            try (Shampoo opt = new Shampoo(ParameterGroup.of(List.of(p)), Shampoo.Settings.defaults().withSchedule(1, 1))) {
                p.setGrad(f.view(f.rand.normal(3, 4)));
                opt.step(0.01);
                float[] before = opt.state().get("0.block0.mode0.root").toFloatArray();
                double[] nan = new double[12];
                java.util.Arrays.fill(nan, Double.NaN);
                for (int i = 0; i < 2; i++) {
                    p.setGrad(f.view(nan, 3, 4));
                    opt.step(0.01);
                    f.assertBitsEqual(before, opt.state().get("0.block0.mode0.root"), "root kept after failure " + (i + 1));
                }
                p.setGrad(f.view(nan, 3, 4));
                var e = assertThrows(IllegalStateException.class, () -> opt.step(0.01));
                assertTrue(e.getMessage().contains("failed 3 times in a row") && e.getMessage().contains("0.block0.mode"), e.getMessage());
            }
        }
    }

    /** A residual above the threshold is a failure too: with an unreachable threshold the second refresh in a row stops the run. */
    @Test
    void aResidualAboveTheThresholdCountsAsAFailure() {
        try (BackendFixture f = BackendFixture.on(Backends.cpu())) {
            Tensor p = f.view(f.rand.normal(4, 3)).requiresGrad(true);
            Shampoo.Settings s = Shampoo.Settings.defaults().withSchedule(1, 1).withFailureGuard(1e-30, 2);
            try (Shampoo opt = new Shampoo(ParameterGroup.of(List.of(p)), s)) {
                p.setGrad(f.view(f.rand.normal(4, 3)));
                opt.step(0.01);
                f.assertBitsEqual(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, opt.state().get("0.block0.mode1.root"), "the identity kept");
                p.setGrad(f.view(f.rand.normal(4, 3)));
                var e = assertThrows(IllegalStateException.class, () -> opt.step(0.01));
                assertTrue(e.getMessage().contains("failed 2 times in a row") && e.getMessage().contains("limit 1.0E-30"), e.getMessage());
            }
        }
    }

    /** Least squares Y = X Wᵀ: Shampoo fits W (loss down by 100×) in 60 steps. */
    @ParameterizedTest @MethodSource("backends")
    void aSmallRegressionTrains(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D x = f.rand.normal(64, 6), wTrue = f.rand.normal(4, 6);
            Tensor xt = f.view(x), w = backend.zeros(Shape.of(4, 6)).requiresGrad(true);
            Tensor y;
            try (Tape.NoGrad off = Tape.noGrad()) { y = MatMul.matmul(xt, f.view(wTrue), false, true); }
            double first = Double.NaN, last = Double.NaN;
            try (Shampoo opt = new Shampoo(ParameterGroup.of(List.of(w)), Shampoo.Settings.defaults().withSchedule(1, 5))) {
                for (int t = 0; t < 60; t++)
                    try (Scope s = Scope.open("step")) {
                        Tensor loss = Loss.mse(MatMul.matmul(xt, w, false, true), y);
                        last = loss.item();
                        if (t == 0) first = last;
                        Tape.backward(loss);
                        opt.step(0.1);
                        w.zeroGrad();
                    }
            }
            assertTrue(last < first / 100, f.where("loss " + first + " -> " + last));
        }
    }
}
