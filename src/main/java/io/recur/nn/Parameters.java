package io.recur.nn;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Helpers for tensors that belong to a module rather than to the scope that was open when they were made. */
final class Parameters {
    private Parameters() {}

    /**
     * The same memory under a handle no scope owns (the model owns it), with the original handle
     * closed: a scope open at construction time then cannot free a parameter.
     */
    static Tensor detach(Tensor t) {
        Tensor owned = t.sharedView();
        t.close();
        return owned;
    }

    /** dst = src for tensors of one shape, across backends if need be (a file read on the CPU into a CUDA model). */
    static void copy(Tensor src, Tensor dst) {
        if (!src.shape().equals(dst.shape()))
            throw new IllegalArgumentException("copy: shape " + src.shape() + " into " + dst.shape());
        if (src.backend() == dst.backend()) {
            dst.backend().copy(src, dst);
            return;
        }
        try (Tensor staged = dst.backend().fromArray(src.toFloatArray(), Shape.of(src.shape().dims()))) {
            dst.backend().copy(staged, dst);
        }
    }
}
