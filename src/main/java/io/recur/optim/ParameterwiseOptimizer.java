package io.recur.optim;

import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared part of optimizers whose update touches each parameter alone (SGD, AdamW): the
 * groups and per-parameter buffers made as zeros at construction. A subclass names its buffers
 * and writes {@link #update}.
 */
abstract class ParameterwiseOptimizer extends StatefulOptimizer {
    private record Slot(String name, Tensor parameter, double weightDecay, Tensor[] buffers) {}

    private final List<String> bufferNames;
    private final List<Slot> slots = new ArrayList<>();

    protected ParameterwiseOptimizer(String kind, List<ParameterGroup> groups, List<String> bufferNames) {
        super(kind);
        this.bufferNames = List.copyOf(bufferNames);
        for (Map.Entry<String, ParameterGroup.Entry> e : ParameterGroup.entries(kind, groups).entrySet()) {
            Tensor p = e.getValue().tensor();
            Tensor[] buffers = new Tensor[bufferNames.size()];
            for (int i = 0; i < buffers.length; i++) buffers[i] = OwnedTensors.unscoped(p.backend().zeros(p.shape()));
            slots.add(new Slot(e.getKey(), p, e.getValue().weightDecay(), buffers));
        }
    }

    /**
     * Updates p in place from its gradient g at step number {@code step} (1 for the first), with
     * this parameter's buffers (in the order of the buffer names).
     */
    protected abstract void update(Tensor p, Tensor g, Tensor[] buffers, double learningRate, double weightDecay, long step);

    @Override
    protected final void apply(double learningRate, long step) {
        for (Slot s : slots) {
            Tensor g = s.parameter.grad();
            if (g != null) update(s.parameter, g, s.buffers, learningRate, s.weightDecay, step);
        }
    }

    @Override
    protected final void putState(Map<String, Tensor> out) {
        for (Slot s : slots)
            for (int i = 0; i < bufferNames.size(); i++) out.put(s.name + "." + bufferNames.get(i), s.buffers[i]);
    }

    @Override protected final Tensor anyParameter() { return slots.getFirst().parameter; }

    @Override
    protected final void clearState() {
        for (Slot s : slots) for (Tensor b : s.buffers) b.backend().fill(b, 0f);
    }

    @Override
    protected final void freeState() {
        for (Slot s : slots) for (Tensor b : s.buffers) b.close();
    }
}
