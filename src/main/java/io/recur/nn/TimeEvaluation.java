package io.recur.nn;

import io.recur.tensor.Tensor;

/**
 * How a torch-style recurrent layer runs over a sequence when it is not stepped one step at a time
 * (the default): e.g. all steps at once by Newton's method (io.recur.parallel). Single steps
 * (generation) always run sequentially.
 */
public interface TimeEvaluation {
    /**
     * Layer k of the given layer over a whole sequence.
     *
     * @param seq     the layer's input, time-major (T, batch, input)
     * @param initial the state parts before step 0, each (batch, hidden)
     * @return the outputs h (T, batch, hidden), followed by the final state parts, each (batch, hidden)
     */
    Tensor[] run(TorchRecurrent layer, int k, Tensor seq, Tensor[] initial);
}
