package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Elementwise arithmetic with numpy broadcasting, and the tensor-scalar forms. */
public final class Arith {
    private Arith() {}

    public static Tensor add(Tensor a, Tensor b) { return binary("add", BinaryOp.ADD, a, b); }

    public static Tensor sub(Tensor a, Tensor b) { return binary("sub", BinaryOp.SUB, a, b); }

    public static Tensor mul(Tensor a, Tensor b) { return binary("mul", BinaryOp.MUL, a, b); }

    public static Tensor div(Tensor a, Tensor b) { return binary("div", BinaryOp.DIV, a, b); }

    /** Elementwise maximum; at ties the gradient goes to a. */
    public static Tensor maximum(Tensor a, Tensor b) { return binary("maximum", BinaryOp.MAX, a, b); }

    /** Elementwise minimum; at ties the gradient goes to a. */
    public static Tensor minimum(Tensor a, Tensor b) { return binary("minimum", BinaryOp.MIN, a, b); }

    /** -x */
    public static Tensor neg(Tensor x) {
        Elementwise.checkFloat("neg", x);
        Tensor y = Outputs.like(x);
        x.backend().unary(UnaryOp.NEG, x, y);
        return Tape.record("neg", y, (ctx, g) -> new Tensor[] {Grads.scaled(g, -1f)}, new Tensor[] {x});
    }

    /** x + s */
    public static Tensor addScalar(Tensor x, float s) { return scalar("addScalar", ScalarOp.ADD, x, s); }

    /** x * s */
    public static Tensor mulScalar(Tensor x, float s) { return scalar("mulScalar", ScalarOp.MUL, x, s); }

    /** x ^ s (NaN for negative x and a non-integer s, as in torch). */
    public static Tensor pow(Tensor x, float s) { return scalar("pow", ScalarOp.POW, x, s); }

    /** s - x */
    public static Tensor rsub(float s, Tensor x) { return scalar("rsub", ScalarOp.RSUB, x, s); }

    /** s / x */
    public static Tensor rdiv(float s, Tensor x) { return scalar("rdiv", ScalarOp.RDIV, x, s); }

    private static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        Checks.sameBackend(name, a, b);
        Checks.dtype(name, "a", a, DType.F32);
        Checks.dtype(name, "b", b, DType.F32);
        Shape outShape = Broadcasting.shape(name, a.shape(), b.shape());
        Tensor out = Outputs.f32(a.backend(), outShape);
        a.backend().binary(op, a, b, out);
        Shape aShape = a.shape(), bShape = b.shape();
        if (op == BinaryOp.ADD || op == BinaryOp.SUB) {
            // Linear in both operands: the gradient is dOut itself, reduced over broadcast dimensions,
            // so nothing needs to be saved.
            boolean negateB = op == BinaryOp.SUB;
            return Tape.record(name, out, (ctx, g) -> new Tensor[] {
                    ctx.needsGrad(0) ? Grads.reduceTo(g, aShape) : null,
                    ctx.needsGrad(1) ? (negateB ? Grads.scaled(Grads.reduceTo(g, bShape), -1f) : Grads.reduceTo(g, bShape)) : null},
                    new Tensor[] {a, b});
        }
        return Tape.record(name, out, (ctx, g) -> new Tensor[] {
                ctx.needsGrad(0) ? operandGrad(op, ctx.saved(0), ctx.saved(1), g, true) : null,
                ctx.needsGrad(1) ? operandGrad(op, ctx.saved(0), ctx.saved(1), g, false) : null}, new Tensor[] {a, b}, a, b);
    }

    private static Tensor operandGrad(BinaryOp op, Tensor a, Tensor b, Tensor g, boolean wrtA) {
        Tensor d = Outputs.like(wrtA ? a : b);
        g.backend().binaryBackward(op, a, b, g, wrtA, d);
        return d;
    }

    private static Tensor scalar(String name, ScalarOp op, Tensor x, float s) {
        Elementwise.checkFloat(name, x);
        Tensor y = Outputs.like(x);
        x.backend().scalar(op, x, s, y);
        boolean readsX = op == ScalarOp.POW || op == ScalarOp.RDIV;
        return Tape.record(name, y, (ctx, g) -> new Tensor[] {scalarGrad(op, s, readsX ? ctx.saved(0) : null, g)},
                new Tensor[] {x}, readsX ? new Tensor[] {x} : new Tensor[0]);
    }

    private static Tensor scalarGrad(ScalarOp op, float s, Tensor x, Tensor g) {
        return switch (op) {
            case ADD -> g;
            case MUL -> Grads.scaled(g, s);
            case RSUB -> Grads.scaled(g, -1f);
            // d x^s = s x^(s-1); the s = 0 case is a constant (avoids 0 * inf at x = 0).
            case POW -> s == 0f ? g.backend().zeros(g.shape()) : powTimes(x, s - 1f, s, g);
            // d s/x = -s x^-2
            case RDIV -> powTimes(x, -2f, -s, g);
        };
    }

    /** g * c * x^e */
    private static Tensor powTimes(Tensor x, float e, float c, Tensor g) {
        Backend be = g.backend();
        Tensor d = Outputs.like(x);
        be.scalar(ScalarOp.POW, x, e, d);
        be.scalar(ScalarOp.MUL, d, c, d);
        be.binary(BinaryOp.MUL, d, g, d);
        return d;
    }
}
