package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.RootMethod;
import io.recur.backend.ScalarOp;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
public final class Shampoo implements Optimizer {
    /** Hyperparameters; {@link #defaults()} and the with-methods make variants. */
    public record Settings(
            double beta2, double epsilon, boolean relativeEpsilon, RootMethod rootMethod, int exponentOverride,
            int blockSize, boolean oneSided,
            Graft graft, double graftBeta2, double graftEpsilon,
            double momentum, boolean nesterov,
            int startPreconditioningStep, int preconditionFrequency, boolean biasCorrection,
            double residualThreshold, int maxFailures) {
        public Settings {
            if (!(beta2 > 0 && beta2 <= 1)) throw new IllegalArgumentException("Shampoo: beta2 must be in (0, 1] (1: sums), got " + beta2);
            if (!(epsilon >= 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("Shampoo: epsilon must be finite and >= 0, got " + epsilon);
            if (rootMethod == null || graft == null) throw new IllegalArgumentException("Shampoo: root method and graft must be given");
            if (exponentOverride < 0) throw new IllegalArgumentException("Shampoo: exponent override must be >= 0 (0: 2k), got " + exponentOverride);
            if (blockSize < 1) throw new IllegalArgumentException("Shampoo: max block size must be >= 1, got " + blockSize);
            if (!(graftBeta2 >= 0 && graftBeta2 < 1)) throw new IllegalArgumentException("Shampoo: graft beta2 must be in [0, 1), got " + graftBeta2);
            if (!(graftEpsilon > 0)) throw new IllegalArgumentException("Shampoo: graft epsilon must be > 0, got " + graftEpsilon);
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Shampoo: momentum must be in [0, 1), got " + momentum);
            if (nesterov && momentum == 0) throw new IllegalArgumentException("Shampoo: Nesterov momentum needs momentum > 0");
            if (startPreconditioningStep < 1) throw new IllegalArgumentException("Shampoo: start_preconditioning_step must be >= 1, got " + startPreconditioningStep);
            if (preconditionFrequency < 1) throw new IllegalArgumentException("Shampoo: precondition_frequency must be >= 1, got " + preconditionFrequency);
            if (!(residualThreshold > 0)) throw new IllegalArgumentException("Shampoo: residual threshold must be > 0, got " + residualThreshold);
            if (maxFailures < 1) throw new IllegalArgumentException("Shampoo: max consecutive failures must be >= 1, got " + maxFailures);
        }

        /**
         * β₂ 0.999 with bias correction, ε 1e-6 relative to λ_max (scalable_shampoo), coupled Newton,
         * blocks of 1024, Adam graft (β₂ 0.999, ε 1e-10), momentum 0.9, roots from step 1 every 10 steps,
         * residual limit 0.1, 3 failures in a row allowed.
         */
        public static Settings defaults() {
            return new Settings(0.999, 1e-6, true, RootMethod.COUPLED_NEWTON, 0, 1024, false,
                    Graft.ADAM, 0.999, 1e-10, 0.9, false, 1, 10, true, 0.1, 3);
        }

        public Settings withGraft(Graft g) {
            return new Settings(beta2, epsilon, relativeEpsilon, rootMethod, exponentOverride, blockSize, oneSided, g, graftBeta2, graftEpsilon,
                    momentum, nesterov, startPreconditioningStep, preconditionFrequency, biasCorrection, residualThreshold, maxFailures);
        }

        public Settings withMomentum(double mu, boolean nesterovMomentum) {
            return new Settings(beta2, epsilon, relativeEpsilon, rootMethod, exponentOverride, blockSize, oneSided, graft, graftBeta2, graftEpsilon,
                    mu, nesterovMomentum, startPreconditioningStep, preconditionFrequency, biasCorrection, residualThreshold, maxFailures);
        }

        public Settings withSchedule(int start, int frequency) {
            return new Settings(beta2, epsilon, relativeEpsilon, rootMethod, exponentOverride, blockSize, oneSided, graft, graftBeta2, graftEpsilon,
                    momentum, nesterov, start, frequency, biasCorrection, residualThreshold, maxFailures);
        }

        public Settings withStatistics(double b2, boolean correctBias) {
            return new Settings(b2, epsilon, relativeEpsilon, rootMethod, exponentOverride, blockSize, oneSided, graft, graftBeta2, graftEpsilon,
                    momentum, nesterov, startPreconditioningStep, preconditionFrequency, correctBias, residualThreshold, maxFailures);
        }

        public Settings withRoots(RootMethod method, double eps, boolean relative, int exponent) {
            return new Settings(beta2, eps, relative, method, exponent, blockSize, oneSided, graft, graftBeta2, graftEpsilon,
                    momentum, nesterov, startPreconditioningStep, preconditionFrequency, biasCorrection, residualThreshold, maxFailures);
        }

        public Settings withBlocks(int size, boolean oneSidedOnly) {
            return new Settings(beta2, epsilon, relativeEpsilon, rootMethod, exponentOverride, size, oneSidedOnly, graft, graftBeta2, graftEpsilon,
                    momentum, nesterov, startPreconditioningStep, preconditionFrequency, biasCorrection, residualThreshold, maxFailures);
        }

        public Settings withFailureGuard(double threshold, int failures) {
            return new Settings(beta2, epsilon, relativeEpsilon, rootMethod, exponentOverride, blockSize, oneSided, graft, graftBeta2, graftEpsilon,
                    momentum, nesterov, startPreconditioningStep, preconditionFrequency, biasCorrection, threshold, failures);
        }

        FactorRefresh.RootGuard guard() {
            return new FactorRefresh.RootGuard(rootMethod, epsilon, relativeEpsilon, residualThreshold, maxFailures);
        }
    }

    private final Settings settings;
    private final List<BlockedParameter> slots = new ArrayList<>();
    private long steps;
    private Tensor stepTensor;
    private boolean closed;

    public Shampoo(List<ParameterGroup> groups, Settings settings) {
        this.settings = settings;
        for (Map.Entry<String, ParameterGroup.Entry> e : ParameterGroup.entries("Shampoo", groups).entrySet()) {
            Tensor p = e.getValue().tensor();
            BlockLayout layout = BlockLayout.of(p.shape().dims(), settings.blockSize(), settings.oneSided());
            List<String> buffers = new ArrayList<>(settings.graft().bufferNames());
            if (settings.momentum() > 0) buffers.add("momentum_buffer");
            slots.add(new BlockedParameter(e.getKey(), p, e.getValue().weightDecay(), layout, buffers,
                    block -> settings.exponentOverride() > 0 ? settings.exponentOverride() : 2 * block.order()));
        }
    }

    public Settings settings() { return settings; }

    @Override
    public void step(double learningRate) {
        checkOpen();
        if (!(learningRate >= 0) || Double.isInfinite(learningRate))
            throw new IllegalArgumentException("Shampoo: learning rate must be finite and >= 0, got " + learningRate);
        steps++;
        float beta2 = (float) settings.beta2();
        List<Factor> refreshed = new ArrayList<>();
        for (BlockedParameter s : slots) {
            if (s.parameter.grad() == null) continue;
            s.accumulateStatistics(beta2 == 1 ? 1f : 1 - beta2, beta2);
            refreshed.addAll(s.factors());
        }
        long start = settings.startPreconditioningStep();
        boolean preconditioning = steps >= start;
        if (preconditioning && (steps - start) % settings.preconditionFrequency() == 0 && !refreshed.isEmpty()) {
            double scale = settings.biasCorrection() && settings.beta2() < 1 ? 1 / (1 - Math.pow(settings.beta2(), steps)) : 1;
            FactorRefresh.inverseRoots("Shampoo", refreshed, scale, settings.guard());
        }
        for (BlockedParameter s : slots) {
            if (s.parameter.grad() == null) continue;
            try (Scope scope = Scope.open("Shampoo step")) { update(s, learningRate, preconditioning); }
        }
    }

    private void update(BlockedParameter s, double lr, boolean preconditioning) {
        Backend b = s.parameter.backend();
        Tensor grad = s.parameter.grad(), graft = b.allocate(grad.shape(), DType.F32);
        settings.graft().direction(grad, settings.graft() == Graft.SGD ? null : s.buffers[0], settings.graftBeta2(), settings.graftEpsilon(), steps, graft);
        Tensor direction = graft;
        if (preconditioning && s.layout.preconditioned()) {
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
        if (settings.momentum() > 0) {
            Tensor momentum = s.buffers[s.buffers.length - 1];
            float mu = (float) settings.momentum();
            b.scalar(ScalarOp.MUL, momentum, mu, momentum);
            b.binary(BinaryOp.ADD, momentum, direction, momentum);
            if (settings.nesterov()) {
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

    @Override public long steps() { return steps; }

    @Override
    public Map<String, Tensor> state() {
        checkOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (BlockedParameter s : slots) s.putState(out, "root");
        if (stepTensor != null) stepTensor.close();
        stepTensor = StateTransfer.stepTensor(slots.getFirst().parameter, steps);
        out.put(StateTransfer.STEP, stepTensor);
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        checkOpen();
        steps = StateTransfer.load("Shampoo", state(), state);
        for (BlockedParameter s : slots) for (Factor f : s.factors()) f.failures = 0;
    }

    @Override
    public void reset() {
        checkOpen();
        for (BlockedParameter s : slots) s.reset();
        steps = 0;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("Shampoo used after close");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (BlockedParameter s : slots) s.close();
        if (stepTensor != null) stepTensor.close();
    }

    /** For tests and diagnostics: the layout Shampoo chose for a parameter. */
    BlockLayout layout(String name) {
        for (BlockedParameter s : slots) if (s.name.equals(name)) return s.layout;
        throw new IllegalArgumentException("no parameter '" + name + "'");
    }
}
