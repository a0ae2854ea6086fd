package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/** Forward and backward of a y = f(x) backend function, shared by the activations and neg. */
final class Elementwise {
    private Elementwise() {}

    /** Checks that x is an open float32 tensor; op names the caller in the message. */
    static void checkFloat(String op, Tensor x) {
        Checks.sameBackend(op, x);
        Checks.dtype(op, "input", x, DType.F32);
    }

    /** y = op(x); the backward reads both x and y because the backend picks whichever is cheaper. */
    static Tensor unary(String name, UnaryOp op, Tensor x) {
        checkFloat(name, x);
        Tensor y = Outputs.like(x);
        x.backend().unary(op, x, y);
        return Tape.record(name, y, (ctx, g) -> {
            Tensor dx = Outputs.like(g);
            g.backend().unaryBackward(op, ctx.saved(0), ctx.saved(1), g, dx);
            return new Tensor[] {dx};
        }, new Tensor[] {x}, x, y);
    }
}
