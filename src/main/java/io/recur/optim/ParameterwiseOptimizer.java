package io.recur.optim;

import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared part of optimizers whose update touches each parameter alone (SGD, AdamW): the
 * groups, per-parameter buffers made as zeros at construction, the step count, and state
 * save/load/reset. A subclass names its buffers and writes {@link #update}.
 */
abstract class ParameterwiseOptimizer implements Optimizer {
    private record Slot(String name, Tensor parameter, double weightDecay, Tensor[] buffers) {}

    private final String kind;
    private final List<String> bufferNames;
    private final List<Slot> slots = new ArrayList<>();
    private long steps;
    private Tensor stepTensor;
    private boolean closed;

    protected ParameterwiseOptimizer(String kind, List<ParameterGroup> groups, List<String> bufferNames) {
        this.kind = kind;
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
    public final void step(double learningRate) {
        checkOpen();
        if (!(learningRate >= 0) || Double.isInfinite(learningRate))
            throw new IllegalArgumentException(kind + ": learning rate must be finite and >= 0, got " + learningRate);
        steps++;
        for (Slot s : slots) {
            Tensor g = s.parameter.grad();
            if (g != null) update(s.parameter, g, s.buffers, learningRate, s.weightDecay, steps);
        }
    }

    @Override public final long steps() { return steps; }

    @Override
    public final Map<String, Tensor> state() {
        checkOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Slot s : slots)
            for (int i = 0; i < bufferNames.size(); i++) out.put(s.name + "." + bufferNames.get(i), s.buffers[i]);
        if (stepTensor != null) stepTensor.close();
        stepTensor = StateTransfer.stepTensor(slots.getFirst().parameter, steps);
        out.put(StateTransfer.STEP, stepTensor);
        return out;
    }

    @Override
    public final void loadState(Map<String, Tensor> state) {
        checkOpen();
        steps = StateTransfer.load(kind, state(), state);
    }

    @Override
    public final void reset() {
        checkOpen();
        for (Slot s : slots) for (Tensor b : s.buffers) b.backend().fill(b, 0f);
        steps = 0;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException(kind + " used after close");
    }

    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        for (Slot s : slots) for (Tensor b : s.buffers) b.close();
        if (stepTensor != null) stepTensor.close();
    }
}
