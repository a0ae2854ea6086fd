package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** Sums, means and maxima over all elements or one axis; full reductions return rank-0 tensors. */
public final class Reduce {
    private Reduce() {}

    public static Tensor sum(Tensor x) { return sumScaled("sum", x, Outputs.ones(check("sum", x).rank()), Shape.scalar(), 1f); }

    public static Tensor sum(Tensor x, int axis, boolean keepDim) {
        int a = axis("sum", check("sum", x), axis);
        return sumScaled("sum", x, x.shape().with(a, 1), reducedShape(x.shape(), a, keepDim), 1f);
    }

    public static Tensor mean(Tensor x) {
        check("mean", x);
        return sumScaled("mean", x, Outputs.ones(x.rank()), Shape.scalar(), 1f / x.size());
    }

    public static Tensor mean(Tensor x, int axis, boolean keepDim) {
        int a = axis("mean", check("mean", x), axis);
        return sumScaled("mean", x, x.shape().with(a, 1), reducedShape(x.shape(), a, keepDim), 1f / x.dim(a));
    }

    /** Maximum over one axis; the gradient goes to the (first) maximal element. */
    public static Tensor max(Tensor x, int axis, boolean keepDim) {
        String name = "max";
        int a = axis(name, check(name, x), axis);
        Shape shape = x.shape();
        int outer = (int) shape.outer(a), n = shape.dim(a), inner = (int) shape.inner(a);
        if (n == 0) throw new IllegalArgumentException(name + ": axis " + axis + " of shape " + shape + " is empty; a maximum needs at least one element");
        Tensor out = Outputs.f32(x.backend(), reducedShape(shape, a, keepDim));
        if (!Tape.needsRecording(x)) {
            x.backend().maxAxis(x, outer, n, inner, out, null);
            return out;
        }
        try (Tensor argmax = x.backend().allocate(Shape.of(outer, 1, inner), DType.I32)) {
            x.backend().maxAxis(x, outer, n, inner, out, argmax);
            return Tape.record(name, out, (ctx, g) -> {
                Tensor dx = g.backend().zeros(shape);
                g.backend().scatterAdd(g, outer, n, inner, ctx.saved(0), 1, dx);
                return new Tensor[] {dx};
            }, new Tensor[] {x}, argmax);
        }
    }

    /** scale * sum of x to kept (x's rank, 1 on reduced axes), presented as out; backward broadcasts back. */
    private static Tensor sumScaled(String name, Tensor x, Shape kept, Shape out, float scale) {
        Shape shape = x.shape();
        Tensor y = Sums.sum(x, kept, out, scale);
        return Tape.record(name, y, (ctx, g) -> {
            try (Tensor gk = g.reshape(kept.dims())) {
                return new Tensor[] {Grads.expand(gk, shape, scale)};
            }
        }, new Tensor[] {x});
    }

    private static Tensor check(String op, Tensor x) {
        Elementwise.checkFloat(op, x);
        return x;
    }

    private static int axis(String op, Tensor x, int axis) {
        if (axis < -x.rank() || axis >= x.rank())
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for shape " + x.shape()
                    + " (valid: " + -x.rank() + " to " + (x.rank() - 1) + (x.rank() == 0 ? "; use the full reduction for a rank-0 tensor)" : ")"));
        return x.shape().axis(axis);
    }

    /** shape with axis a set to 1 (keepDim) or removed. */
    private static Shape reducedShape(Shape shape, int a, boolean keepDim) {
        if (keepDim) return shape.with(a, 1);
        int[] d = shape.dims(), r = new int[d.length - 1];
        for (int i = 0, j = 0; i < d.length; i++) if (i != a) r[j++] = d[i];
        return Shape.of(r);
    }
}
