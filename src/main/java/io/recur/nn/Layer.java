package io.recur.nn;

import io.recur.tensor.Tensor;

/** A module with one input and one output tensor: what {@link Sequential} chains. */
public abstract class Layer extends Module {
    public abstract Tensor forward(Tensor x);
}
