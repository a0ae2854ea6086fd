package io.recur.nn.griffin;

import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;

/**
 * A residual block's time mixer on (batch, T, width): runs a chunk of a sequence after a carried
 * state (null: a fresh sequence). A step is a chunk of length one.
 */
abstract class TemporalBlock extends SequenceLayer {
    /** x (batch, T, width) after state → (batch, T, width) and the state after the chunk. */
    protected abstract SequenceOutput run(Tensor x, RecurrentState state);

    @Override
    public final SequenceOutput forward(Tensor x, RecurrentState initial) {
        checkOpen();
        checkStateParts(initial);
        if (x.rank() != 3 || x.dim(1) == 0)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": x must be (batch, T, width) with T >= 1, got " + x.shape());
        return run(x, initial);
    }

    @Override
    public final SequenceOutput step(Tensor xt, RecurrentState state) {
        if (xt.rank() != 2)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a step takes (batch, width), got " + xt.shape());
        SequenceOutput o = forward(Shapes.reshape(xt, xt.dim(0), 1, xt.dim(1)), state);
        return new SequenceOutput(Shapes.reshape(o.output(), xt.dim(0), xt.dim(1)), o.state());
    }
}
