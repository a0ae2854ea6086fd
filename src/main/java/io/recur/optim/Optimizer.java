package io.recur.optim;

import io.recur.tensor.Tensor;
import java.util.Map;

/**
 * The optimizer lifecycle (Tribuo's contract): built from parameter groups with fixed
 * hyperparameters, then {@link #step} once per batch from the gradients the tape left in
 * {@code grad()}, with {@link #state}/{@link #loadState} to carry the internal state through a
 * checkpoint and {@link #reset} to start over. The learning rate is an argument of each step, so
 * a {@link LrSchedule} stays outside the optimizer. Updates run in place with backend primitives
 * and are never recorded on the tape.
 */
public interface Optimizer extends AutoCloseable {
    /**
     * Updates every parameter that has a gradient, at this learning rate. Gradients are read, not
     * cleared: the caller zeroes them before the next backward.
     */
    void step(double learningRate);

    /** Steps taken since construction, {@link #reset} or the state loaded. */
    long steps();

    /**
     * The state as named tensors ("{parameter}.{buffer}" and "step"), owned by the optimizer and
     * valid until its next call: what a checkpoint writes.
     */
    Map<String, Tensor> state();

    /** Copies a state from {@link #state} back in; names, shapes and dtypes must match exactly. */
    void loadState(Map<String, Tensor> state);

    /** Back to the state at construction: zero buffers, zero steps. */
    void reset();

    /** Frees the state. */
    @Override void close();
}
