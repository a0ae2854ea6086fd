package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSameSize;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.Tensor;

/** Elementwise kernels: unary, scalar and broadcasting binary functions and their gradients. */
final class CpuElementwise {
    /** Relative cost of a transcendental element, so that exp/tanh loops go parallel sooner. */
    private static final long COST = 4;

    private CpuElementwise() {}

    static void unary(UnaryOp op, Tensor x, Tensor y) {
        requireSameSize(x, y, "unary " + op);
        float[] xs = f32(x), ys = f32(y);
        int xo = offset(x), yo = offset(y);
        CpuParallel.forRange(x.shape().intSize(), COST, (from, to) -> {
            for (int i = from; i < to; i++) ys[yo + i] = CpuMath.apply(op, xs[xo + i]);
        });
    }

    static void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(x, y, "unaryBackward " + op);
        requireSameSize(x, dy, "unaryBackward " + op);
        requireSameSize(x, dx, "unaryBackward " + op);
        float[] xs = f32(x), ys = f32(y), dys = f32(dy), dxs = f32(dx);
        int xo = offset(x), yo = offset(y), dyo = offset(dy), dxo = offset(dx);
        CpuParallel.forRange(x.shape().intSize(), COST, (from, to) -> {
            for (int i = from; i < to; i++)
                dxs[dxo + i] = dys[dyo + i] * CpuMath.derivative(op, xs[xo + i], ys[yo + i]);
        });
    }

    static void scalar(ScalarOp op, Tensor x, float s, Tensor y) {
        requireSameSize(x, y, "scalar " + op);
        float[] xs = f32(x), ys = f32(y);
        int xo = offset(x), yo = offset(y);
        CpuParallel.forRange(x.shape().intSize(), 1, (from, to) -> {
            for (int i = from; i < to; i++) ys[yo + i] = CpuMath.apply(op, xs[xo + i], s);
        });
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] as = f32(a), bs = f32(b), os = f32(out);
        int ao = offset(a), bo = offset(b), oo = offset(out);
        Broadcast.of(out.shape(), a.shape(), b.shape()).forEachRunParallel(1, (pos, len, offA, sa, offB, sb) -> {
            for (int t = 0, ia = ao + offA, ib = bo + offB; t < len; t++, ia += sa, ib += sb)
                os[oo + pos + t] = CpuMath.apply(op, as[ia], bs[ib]);
        });
    }

    /**
     * dInput = sumTo(dOut * d op / d operand). When the operand was not broadcast the product is written
     * in place; otherwise it goes through a scratch array of out's size and is summed in double.
     */
    static void binaryBackward(BinaryOp op, Tensor a, Tensor b, Tensor dOut, boolean wrtA, Tensor dInput) {
        Tensor operand = wrtA ? a : b;
        if (dInput.size() != operand.size())
            throw new IllegalArgumentException("binaryBackward: dInput " + dInput + " does not match operand " + operand);
        float[] as = f32(a), bs = f32(b), gs = f32(dOut);
        int ao = offset(a), bo = offset(b), go = offset(dOut);
        boolean direct = dInput.size() == dOut.size();
        float[] target = direct ? f32(dInput) : new float[dOut.shape().intSize()];
        int to0 = direct ? offset(dInput) : 0;
        Broadcast.of(dOut.shape(), a.shape(), b.shape()).forEachRunParallel(1, (pos, len, offA, sa, offB, sb) -> {
            for (int t = 0, ia = ao + offA, ib = bo + offB; t < len; t++, ia += sa, ib += sb)
                target[to0 + pos + t] = gs[go + pos + t] * CpuMath.partial(op, as[ia], bs[ib], wrtA);
        });
        if (!direct)
            CpuReductions.sumTo(target, 0, dOut.shape(), f32(dInput), offset(dInput), operand.shape());
    }

    static void broadcastTo(Tensor x, Tensor out) {
        float[] xs = f32(x), os = f32(out);
        int xo = offset(x), oo = offset(out);
        Broadcast.of(out.shape(), x.shape(), null).forEachRunParallel(1, (pos, len, offX, sx, ignored, unused) -> {
            for (int t = 0, ix = xo + offX; t < len; t++, ix += sx) os[oo + pos + t] = xs[ix];
        });
    }
}
