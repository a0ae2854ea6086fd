package io.recur.nn;

import io.recur.tensor.Tensor;

/** What a recurrent layer returns: the outputs at every step and the state after the last one. */
public record SequenceOutput(Tensor output, RecurrentState state) {}
