package io.recur.nn;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * A module's slot for one trainable tensor. Layers keep the slot and read {@link #get()} in their
 * forward, so {@link Module#withParameters} can stand other tensors in for a call. The tensor
 * itself is an ordinary float32 tensor with requiresGrad, owned by the module (no scope closes it).
 */
public final class Param {
    private final String name;
    private final Shape shape;
    private Tensor value;

    Param(String name, Tensor value) {
        this.name = name;
        this.shape = value.shape();
        this.value = value;
    }

    /** The name within the owning module, e.g. "weight". */
    public String name() { return name; }

    public Shape shape() { return shape; }

    /** The tensor the forward should use now. */
    public Tensor get() { return value; }

    /** Swaps the tensor in (withParameters); returns the previous one. */
    Tensor swap(Tensor replacement) {
        Tensor old = value;
        value = replacement;
        return old;
    }
}
