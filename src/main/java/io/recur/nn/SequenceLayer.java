package io.recur.nn;

import io.recur.tensor.Tensor;

/**
 * A module that reads a sequence with a carried state: the whole sequence at once for training,
 * or one step at a time for generation (the state carries the past; nothing is re-run).
 */
public abstract class SequenceLayer extends Layer {
    /**
     * Runs over a whole sequence from the initial state (null: zeros) and returns every step's
     * output and the final state.
     */
    public abstract SequenceOutput forward(Tensor x, RecurrentState initial);

    /** One step: x_t without the time axis, e.g. (batch, features); the output has no time axis either. */
    public abstract SequenceOutput step(Tensor xt, RecurrentState state);

    /** Number of tensors in this layer's {@link RecurrentState}. */
    public abstract int stateParts();

    /** The outputs from a zero initial state. */
    @Override
    public Tensor forward(Tensor x) { return forward(x, null).output(); }

    /** Fails clearly when a given state does not have this layer's number of parts. */
    protected final void checkStateParts(RecurrentState state) {
        if (state != null && state.size() != stateParts())
            throw new IllegalArgumentException(getClass().getSimpleName() + ": state has " + state.size() + " parts, expected " + stateParts());
    }
}
