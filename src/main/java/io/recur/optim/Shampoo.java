package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.RootMethod;
import io.recur.backend.ScalarOp;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shampoo (Gupta et al. 2018; Anil et al. 2021) as Distributed Shampoo and scalable_shampoo run
 * it. Each parameter is merged and cut into blocks ({@link BlockLayout}); each mode i of a block
 * keeps statistics F_i ← β₂F_i + (1 − β₂)·G_(i) G_(i)ᵀ (β₂ = 1: plain sums; for a matrix block,
 * L = GGᵀ and R = GᵀG), and every precondition_frequency steps from start_preconditioning_step on,
 * the inverse roots X_i = (F_i / (1 − β₂ᵗ) + ε)^{-1/(2k)} (k the block's preconditioned modes, or
 * an exponent override) are recomputed in batches through {@link Backend#inverseRoots}. The step:
 * <pre>
 *   d = graft direction of g (whole parameter; see {@link Graft})
 *   per block: s = G ×₁ X₁ ×₂ X₂ …  (L^{-1/4} G R^{-1/4} for a matrix), rescaled to ‖d_block‖
 *   b ← μb + s;  s ← s + μb (Nesterov) or b
 *   p ← p·(1 − lr·wd) − lr·s
 * </pre>
 * Before the start step, and for vectors, s is the graft direction itself. A root that fails (not
 * finite, or residual above the threshold) keeps the previous one; maxFailures failures in a row
 * are an error. Until the first refresh the roots are identities.
 */
public final class Shampoo extends BlockedOptimizer {
    /** Hyperparameters, in groups; {@link #defaults()} and the with-methods make variants. */
    public record Settings(Statistics statistics, Roots roots, Blocks blocks, Grafting grafting, Momentum momentum, Schedule schedule) {
        /** F ← β₂F + (1 − β₂)·G Gᵀ (β₂ = 1: sums), divided by 1 − β₂ᵗ before the root if biasCorrection. */
        public record Statistics(double beta2, boolean biasCorrection) {
            public Statistics {
                if (!(beta2 > 0 && beta2 <= 1)) throw new IllegalArgumentException("Shampoo: beta2 must be in (0, 1] (1: sums), got " + beta2);
            }
        }

        /**
         * The inverse roots: method, ε (absolute, or times λ_max), exponent override (0: 2k), and the
         * failure guard (a residual above residualThreshold fails; maxFailures in a row are an error).
         */
        public record Roots(RootMethod method, double epsilon, boolean relativeEpsilon, int exponentOverride,
                            double residualThreshold, int maxFailures) {
            public Roots {
                if (method == null) throw new IllegalArgumentException("Shampoo: root method must be given");
                if (!(epsilon >= 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("Shampoo: epsilon must be finite and >= 0, got " + epsilon);
                if (exponentOverride < 0) throw new IllegalArgumentException("Shampoo: exponent override must be >= 0 (0: 2k), got " + exponentOverride);
                if (!(residualThreshold > 0)) throw new IllegalArgumentException("Shampoo: residual threshold must be > 0, got " + residualThreshold);
                if (maxFailures < 1) throw new IllegalArgumentException("Shampoo: max consecutive failures must be >= 1, got " + maxFailures);
            }
        }

        /** Blocks of at most maxSize on a side ({@link BlockLayout}); oneSided preconditions the first mode only. */
        public record Blocks(int maxSize, boolean oneSided) {
            public Blocks {
                if (maxSize < 1) throw new IllegalArgumentException("Shampoo: max block size must be >= 1, got " + maxSize);
            }
        }

        /** The graft and its β₂ and ε ({@link Graft}). */
        public record Grafting(Graft graft, double beta2, double epsilon) {
            public Grafting {
                if (graft == null) throw new IllegalArgumentException("Shampoo: graft must be given");
                if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Shampoo: graft beta2 must be in [0, 1), got " + beta2);
                if (!(epsilon > 0)) throw new IllegalArgumentException("Shampoo: graft epsilon must be > 0, got " + epsilon);
            }
        }

        /** Heavy-ball or Nesterov momentum on the grafted direction. */
        public record Momentum(double momentum, boolean nesterov) {
            public Momentum {
                if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Shampoo: momentum must be in [0, 1), got " + momentum);
                if (nesterov && momentum == 0) throw new IllegalArgumentException("Shampoo: Nesterov momentum needs momentum > 0");
            }
        }

        /** Roots are recomputed at steps start, start + frequency, ... and used from step start on. */
        public record Schedule(int startPreconditioningStep, int preconditionFrequency) {
            public Schedule {
                if (startPreconditioningStep < 1) throw new IllegalArgumentException("Shampoo: start_preconditioning_step must be >= 1, got " + startPreconditioningStep);
                if (preconditionFrequency < 1) throw new IllegalArgumentException("Shampoo: precondition_frequency must be >= 1, got " + preconditionFrequency);
            }

            boolean refreshes(long step) { return step >= startPreconditioningStep && (step - startPreconditioningStep) % preconditionFrequency == 0; }
        }

        /**
         * β₂ 0.999 with bias correction; coupled Newton, ε 1e-6 relative to λ_max (scalable_shampoo),
         * residual limit 0.1, 3 failures in a row allowed; blocks of 1024; Adam graft (β₂ 0.999,
         * ε 1e-10); momentum 0.9; roots from step 1, every 10 steps.
         */
        public static Settings defaults() {
            return new Settings(new Statistics(0.999, true), new Roots(RootMethod.COUPLED_NEWTON, 1e-6, true, 0, 0.1, 3),
                    new Blocks(1024, false), new Grafting(Graft.ADAM, 0.999, 1e-10), new Momentum(0.9, false), new Schedule(1, 10));
        }

        public Settings withStatistics(double beta2, boolean correctBias) { return new Settings(new Statistics(beta2, correctBias), roots, blocks, grafting, momentum, schedule); }

        public Settings withRoots(RootMethod method, double eps, boolean relative, int exponent) {
            return new Settings(statistics, new Roots(method, eps, relative, exponent, roots.residualThreshold(), roots.maxFailures()), blocks, grafting, momentum, schedule);
        }

        public Settings withFailureGuard(double threshold, int failures) {
            return new Settings(statistics, new Roots(roots.method(), roots.epsilon(), roots.relativeEpsilon(), roots.exponentOverride(), threshold, failures),
                    blocks, grafting, momentum, schedule);
        }

        public Settings withBlocks(int maxSize, boolean oneSided) { return new Settings(statistics, roots, new Blocks(maxSize, oneSided), grafting, momentum, schedule); }

        public Settings withGraft(Graft graft) {
            return new Settings(statistics, roots, blocks, new Grafting(graft, grafting.beta2(), grafting.epsilon()), momentum, schedule);
        }

        public Settings withMomentum(double mu, boolean nesterov) { return new Settings(statistics, roots, blocks, grafting, new Momentum(mu, nesterov), schedule); }

        public Settings withSchedule(int start, int frequency) { return new Settings(statistics, roots, blocks, grafting, momentum, new Schedule(start, frequency)); }
    }

    private static final String MOMENTUM = "momentum_buffer";

    private final Settings settings;

    public Shampoo(List<ParameterGroup> groups, Settings settings) {
        super("Shampoo", "root");
        this.settings = settings;
        Graft graft = settings.grafting().graft();
        for (Map.Entry<String, ParameterGroup.Entry> e : ParameterGroup.entries("Shampoo", groups).entrySet()) {
            Tensor p = e.getValue().tensor();
            BlockLayout layout = BlockLayout.of(p.shape().dims(), settings.blocks().maxSize(), settings.blocks().oneSided());
            List<String> buffers = new ArrayList<>(graft.bufferNames());
            if (settings.momentum().momentum() > 0) buffers.add(MOMENTUM);
            int override = settings.roots().exponentOverride();
            slots.add(new BlockedParameter(e.getKey(), p, e.getValue().weightDecay(), layout, buffers,
                    block -> override > 0 ? override : 2 * block.order()));
        }
    }

    public Settings settings() { return settings; }

    @Override
    protected float[] statisticsWeights() {
        double beta2 = settings.statistics().beta2();
        return new float[] {beta2 == 1 ? 1f : (float) (1 - beta2), (float) beta2};   // 1 − β₂ in double: 1 − 0.999f is off by 5e-5
    }

    @Override
    protected void refresh(List<Factor> factors, long step) {
        if (!settings.schedule().refreshes(step)) return;
        Settings.Statistics st = settings.statistics();
        double scale = st.biasCorrection() && st.beta2() < 1 ? 1 / (1 - Math.pow(st.beta2(), step)) : 1;
        Settings.Roots r = settings.roots();
        FactorRefresh.inverseRoots("Shampoo", factors, scale,
                new FactorRefresh.RootGuard(r.method(), r.epsilon(), r.relativeEpsilon(), r.residualThreshold(), r.maxFailures()));
    }

    @Override
    protected void update(BlockedParameter s, double lr, long step) {
        Backend b = s.parameter.backend();
        Settings.Grafting grafting = settings.grafting();
        Tensor grad = s.parameter.grad(), graft = b.allocate(grad.shape(), DType.F32);
        grafting.graft().direction(grad, grafting.graft() == Graft.SGD ? null : s.buffers[0], grafting.beta2(), grafting.epsilon(), step, graft);
        Tensor direction = graft;
        if (step >= settings.schedule().startPreconditioningStep() && s.layout.preconditioned()) {
            Tensor g = grad.reshape(s.layout.merged());
            graft = graft.reshape(s.layout.merged());
            direction = b.allocate(g.shape(), DType.F32);
            for (int j = 0; j < s.layout.blocks().size(); j++) {
                BlockLayout.Block block = s.layout.blocks().get(j);
                Tensor gb = BlockOps.extract(g, s.layout, block), graftBlock = BlockOps.extract(graft, s.layout, block);
                Tensor preconditioned = BlockOps.allModes(gb, block, s.transforms(j), false);
                BlockOps.rescaleToNorm(preconditioned, graftBlock);
                BlockOps.insert(preconditioned, direction, s.layout, block);
            }
        }
        direction = direction.reshape(s.parameter.shape().dims());
        Settings.Momentum mo = settings.momentum();
        if (mo.momentum() > 0) {
            Tensor momentum = s.buffer(MOMENTUM);
            float mu = (float) mo.momentum();
            b.scalar(ScalarOp.MUL, momentum, mu, momentum);
            b.binary(BinaryOp.ADD, momentum, direction, momentum);
            if (mo.nesterov()) {
                Tensor ahead = b.allocate(s.parameter.shape(), DType.F32);
                b.scalar(ScalarOp.MUL, momentum, mu, ahead);
                b.binary(BinaryOp.ADD, direction, ahead, ahead);
                direction = ahead;
            } else {
                direction = momentum;
            }
        }
        s.applyStep(direction, lr);
    }
}
