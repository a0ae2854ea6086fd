package io.recur.optim;

import io.recur.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lifecycle every optimizer here shares: the learning-rate check, the step count, the state
 * map with its "step" entry, loading (through {@link StateTransfer#load}), reset and close. A
 * subclass supplies the updates and its named state tensors.
 */
abstract class StatefulOptimizer implements Optimizer {
    protected final String kind;
    private long steps;
    private Tensor stepTensor;
    private boolean closed;

    /** kind names the optimizer in errors ("AdamW", "Shampoo"). */
    protected StatefulOptimizer(String kind) { this.kind = kind; }

    /** The updates of one step, step number step (1 for the first), at this learning rate. */
    protected abstract void apply(double learningRate, long step);

    /** Puts the state tensors, by name, into out (everything but the step count). */
    protected abstract void putState(Map<String, Tensor> out);

    /** A parameter, whose backend holds the step-count tensor. */
    protected abstract Tensor anyParameter();

    /** Back to the state at construction. */
    protected abstract void clearState();

    /** Frees the state tensors. */
    protected abstract void freeState();

    /** Called after a state was loaded. */
    protected void afterLoad() {}

    @Override
    public final void step(double learningRate) {
        checkOpen();
        if (!(learningRate >= 0) || Double.isInfinite(learningRate))
            throw new IllegalArgumentException(kind + ": learning rate must be finite and >= 0, got " + learningRate);
        steps++;
        apply(learningRate, steps);
    }

    @Override public final long steps() { return steps; }

    @Override
    public final Map<String, Tensor> state() {
        checkOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        putState(out);
        if (stepTensor != null) stepTensor.close();
        stepTensor = StateTransfer.stepTensor(anyParameter(), steps);
        out.put(StateTransfer.STEP, stepTensor);
        return out;
    }

    @Override
    public final void loadState(Map<String, Tensor> state) {
        checkOpen();
        steps = StateTransfer.load(kind, state(), state);
        afterLoad();
    }

    @Override
    public final void reset() {
        checkOpen();
        clearState();
        steps = 0;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException(kind + " used after close");
    }

    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        freeState();
        if (stepTensor != null) stepTensor.close();
    }
}
