package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.tensor.Tensor;

/**
 * Softmax and log-softmax over one axis. The kernel works on the last axis; another axis is moved
 * there and back with differentiable transposes (one copy each way).
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
        int a = x.shape().axis(axis), last = x.rank() - 1;
        if (a != last) return Shapes.transpose(apply(name, Shapes.transpose(x, a, last), -1, log), a, last);
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
