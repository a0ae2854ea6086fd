package io.recur.testing;

import io.recur.backend.BinaryOp;
import io.recur.tensor.Shape;

/** Float64 numpy broadcasting: binary functions, their gradients, sums to a smaller shape and broadcasts to a larger one. */
public final class BroadcastReference {
    private BroadcastReference() {}

    public static D binary(BinaryOp op, D a, D b) { return a.zip(b, (x, y) -> ElementwiseReference.binary(op, x, y)); }

    /** The gradient of binary(op, a, b) with respect to a (or b), summed over the positions where it repeats. */
    public static D binaryBackward(BinaryOp op, D a, D b, D dOut, boolean wrtA) {
        D operand = wrtA ? a : b, grad = D.zeros(operand.shape);
        int[] idx = new int[dOut.rank()];
        for (int i = 0; i < dOut.size(); i++) {
            D.unravel(i, dOut.shape, idx);
            int ia = D.broadcastIndex(idx, a.shape), ib = D.broadcastIndex(idx, b.shape);
            grad.data[wrtA ? ia : ib] += dOut.data[i] * ElementwiseReference.partial(op, a.data[ia], b.data[ib], wrtA);
        }
        return grad;
    }

    /** Sums x over the positions where a smaller, broadcast-compatible shape repeats. */
    public static D sumTo(D x, int... shape) {
        D out = D.zeros(shape);
        int[] idx = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            D.unravel(i, x.shape, idx);
            out.data[D.broadcastIndex(idx, shape)] += x.data[i];
        }
        return out;
    }

    public static D broadcastTo(D x, int... shape) {
        D out = D.zeros(Shape.broadcast(Shape.of(x.shape), Shape.of(shape)).dims());
        int[] idx = new int[out.rank()];
        for (int i = 0; i < out.size(); i++) {
            D.unravel(i, out.shape, idx);
            out.data[i] = x.data[D.broadcastIndex(idx, x.shape)];
        }
        return out;
    }
}
