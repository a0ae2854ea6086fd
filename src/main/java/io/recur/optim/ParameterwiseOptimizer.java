package io.recur.optim;

import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The shared part of optimizers whose update touches each parameter alone (SGD, AdamW): the
 * groups, per-parameter buffers made as zeros at construction, the step count, and state
 * save/load/reset. A subclass names its buffers and writes {@link #update}.
 */
abstract class ParameterwiseOptimizer implements Optimizer {
    static final String STEP = "step";

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
        Map<Tensor, String> seen = new IdentityHashMap<>();
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (ParameterGroup g : groups) {
            for (Map.Entry<String, Tensor> e : g.parameters().entrySet()) {
                Tensor p = e.getValue();
                if (p.dtype() != DType.F32) throw new IllegalArgumentException(kind + ": parameter '" + e.getKey() + "' is " + p.dtype() + ", not F32");
                String before = seen.put(p, e.getKey());
                if (before != null) throw new IllegalArgumentException(kind + ": one tensor is in the groups twice, as '" + before + "' and '" + e.getKey() + "'");
                if (names.put(e.getKey(), true) != null) throw new IllegalArgumentException(kind + ": two parameters are named '" + e.getKey() + "'");
                Tensor[] buffers = new Tensor[bufferNames.size()];
                for (int i = 0; i < buffers.length; i++) buffers[i] = OwnedTensors.unscoped(p.backend().zeros(p.shape()));
                slots.add(new Slot(e.getKey(), p, g.weightDecay(), buffers));
            }
        }
        if (slots.isEmpty()) throw new IllegalArgumentException(kind + ": no parameters to optimize");
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
        stepTensor = OwnedTensors.unscoped(slots.getFirst().parameter.backend().fromArray(new long[] {steps}, Shape.of(1)));
        out.put(STEP, stepTensor);
        return out;
    }

    @Override
    public final void loadState(Map<String, Tensor> state) {
        checkOpen();
        Map<String, Tensor> own = state();
        TreeSet<String> missing = new TreeSet<>(own.keySet()), unexpected = new TreeSet<>(state.keySet());
        missing.removeAll(state.keySet());
        unexpected.removeAll(own.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new IllegalArgumentException(kind + " state does not fit these parameters"
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (unexpected.isEmpty() ? "" : "; unexpected " + unexpected));
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey()), dst = e.getValue();
            if (!src.shape().equals(dst.shape()) || src.dtype() != dst.dtype())
                throw new IllegalArgumentException(kind + " state '" + e.getKey() + "' is " + src.dtype() + src.shape() + ", expected " + dst.dtype() + dst.shape());
        }
        long[] step = state.get(STEP).toLongArray();
        if (step[0] < 0) throw new IllegalArgumentException(kind + " state: negative step count " + step[0]);
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            if (e.getKey().equals(STEP)) continue;
            Tensor src = state.get(e.getKey()), dst = e.getValue();
            if (src.backend() == dst.backend()) dst.backend().copy(src, dst);
            else try (Tensor staged = dst.backend().fromArray(src.toFloatArray(), dst.shape())) { dst.backend().copy(staged, dst); }
        }
        steps = step[0];
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
