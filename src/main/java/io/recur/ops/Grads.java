package io.recur.ops;

import io.recur.backend.ScalarOp;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Small gradient building blocks shared by the backward passes (they run with recording off). */
final class Grads {
    private Grads() {}

    /** g summed over the dimensions broadcast to reach it from shape; g itself when it already has that shape. */
    static Tensor reduceTo(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) return g;
        Tensor r = Outputs.f32(g.backend(), shape);
        g.backend().sumTo(g, r);
        return r;
    }

    /** g broadcast (numpy rules) to shape, times scale. */
    static Tensor expand(Tensor g, Shape shape, float scale) {
        Tensor r = Outputs.f32(g.backend(), shape);
        g.backend().broadcastTo(g, r);
        if (scale != 1f) g.backend().scalar(ScalarOp.MUL, r, scale, r);
        return r;
    }

    /** s * g in a new tensor (g may belong to another node and must not be overwritten). */
    static Tensor scaled(Tensor g, float s) {
        Tensor r = Outputs.like(g);
        g.backend().scalar(ScalarOp.MUL, g, s, r);
        return r;
    }
}
