package io.recur.optim;

import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared part of the Kronecker-factored optimizers (Shampoo, SOAP): the parameters as
 * {@link BlockedParameter}s and the step's three phases: every factor's statistics from the new
 * gradients, the transforms refreshed in batches when due, then each parameter's update in its own
 * scope.
 */
abstract class BlockedOptimizer extends StatefulOptimizer {
    private final String transformName;
    protected final List<BlockedParameter> slots = new ArrayList<>();

    /** transformName labels the factors' transforms in the state ("root", "basis"). */
    protected BlockedOptimizer(String kind, String transformName) {
        super(kind);
        this.transformName = transformName;
    }

    /** The factor update F ← beta·F + alpha·G Gᵀ: {alpha, beta}. */
    protected abstract float[] statisticsWeights();

    /** Recomputes the transforms of these factors (of the parameters with a gradient) if step number step calls for it. */
    protected abstract void refresh(List<Factor> factors, long step);

    /** Updates one parameter that has a gradient, at step number step (from 1); temporaries go to the current scope. */
    protected abstract void update(BlockedParameter p, double learningRate, long step);

    @Override
    protected final void apply(double learningRate, long step) {
        float[] weights = statisticsWeights();
        List<Factor> factors = new ArrayList<>();
        for (BlockedParameter s : slots) {
            if (s.parameter.grad() == null) continue;
            s.accumulateStatistics(weights[0], weights[1]);
            factors.addAll(s.factors());
        }
        if (!factors.isEmpty()) refresh(factors, step);
        for (BlockedParameter s : slots) {
            if (s.parameter.grad() == null) continue;
            try (Scope scope = Scope.open(kind + " step")) { update(s, learningRate, step); }
        }
    }

    @Override
    protected final void putState(Map<String, Tensor> out) {
        for (BlockedParameter s : slots) s.putState(out, transformName);
    }

    @Override protected final Tensor anyParameter() { return slots.getFirst().parameter; }

    /** The counts of consecutive root failures start again at 0. */
    @Override
    protected final void afterLoad() {
        for (BlockedParameter s : slots) for (Factor f : s.factors()) f.failures = 0;
    }

    @Override
    protected final void clearState() {
        for (BlockedParameter s : slots) s.reset();
    }

    @Override
    protected final void freeState() {
        for (BlockedParameter s : slots) s.close();
    }

    /** For tests and diagnostics: the layout chosen for a parameter. */
    final BlockLayout layout(String name) {
        for (BlockedParameter s : slots) if (s.name.equals(name)) return s.layout;
        throw new IllegalArgumentException("no parameter '" + name + "'");
    }
}
