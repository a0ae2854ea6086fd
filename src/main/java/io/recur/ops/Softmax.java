package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.tensor.Tensor;

/**
 * Softmax and log-softmax over the last axis. Other axes are refused: the backend kernel is
 * last-axis only and no differentiable transpose exists in this package yet.
 */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor x) { return softmax(x, -1); }

    public static Tensor softmax(Tensor x, int axis) { return apply("softmax", x, axis, false); }

    public static Tensor logSoftmax(Tensor x) { return logSoftmax(x, -1); }

    public static Tensor logSoftmax(Tensor x, int axis) { return apply("logSoftmax", x, axis, true); }

    private static Tensor apply(String name, Tensor x, int axis, boolean log) {
        Elementwise.checkFloat(name, x);
        Checks.rankAtLeast(name, "x", x, 1);
        if (axis != -1 && axis != x.rank() - 1)
            throw new IllegalArgumentException(name + ": only the last axis is supported, got axis " + axis + " of shape " + x.shape()
                    + "; move that axis to the end (transpose) first");
        int cols = x.shape().last(), rows = (int) x.shape().outer(-1);
        Tensor y = Outputs.like(x);
        x.backend().softmax(x, rows, cols, log, y);
        return Tape.record(name, y, (ctx, g) -> {
            Tensor dx = Outputs.like(g);
            g.backend().softmaxBackward(ctx.saved(0), g, rows, cols, log, dx);
            return new Tensor[] {dx};
        }, new Tensor[] {x}, y);
    }
}
