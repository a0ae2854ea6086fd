package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Differentiable shape operations: views, transposes and the block copies behind concat, split and slice. */
public final class Shapes {
    private Shapes() {}

    /**
     * A view of x with another shape of the same size (one entry may be -1); recorded, so gradients
     * flow. Any dtype: a view moves no data, so int32 indices reshape too.
     */
    public static Tensor reshape(Tensor x, int... dims) {
        Checks.sameBackend("reshape", x);
        Tensor out;
        try {
            out = x.reshape(dims);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reshape: " + e.getMessage() + "; the new shape must hold the same number of elements", e);
        }
        int[] inDims = x.shape().dims();
        return Tape.record("reshape", out, (ctx, g) -> new Tensor[] {g.reshape(inDims)}, new Tensor[] {x});
    }

    /** All axes flattened into one (a view). */
    public static Tensor flatten(Tensor x) {
        return reshape(x, -1);
    }

    /** Axes startAxis..endAxis (inclusive, negative counts from the end) merged into one (a view). */
    public static Tensor flatten(Tensor x, int startAxis, int endAxis) {
        Checks.sameBackend("flatten", x);
        int start = ShapeChecks.axis("flatten", x, startAxis), end = ShapeChecks.axis("flatten", x, endAxis);
        if (start > end)
            throw new IllegalArgumentException("flatten: start axis " + startAxis + " comes after end axis " + endAxis + " in shape " + x.shape());
        int[] in = x.shape().dims();
        int[] out = new int[in.length - (end - start)];
        int merged = 1;
        for (int a = start; a <= end; a++) merged *= in[a];
        System.arraycopy(in, 0, out, 0, start);
        out[start] = merged;
        System.arraycopy(in, end + 1, out, start + 1, in.length - end - 1);
        return reshape(x, out);
    }

    /**
     * x with two axes swapped, as a new contiguous tensor. Swapping an axis with itself returns x
     * unchanged (no copy, nothing recorded).
     */
    public static Tensor transpose(Tensor x, int axis1, int axis2) {
        ShapeChecks.floats("transpose", "x", x);
        int a = ShapeChecks.axis("transpose", x, axis1), b = ShapeChecks.axis("transpose", x, axis2);
        if (a == b) return x;
        int lo = Math.min(a, b), hi = Math.max(a, b);
        Shape s = x.shape();
        int p = Math.toIntExact(s.outer(lo)), m = s.dim(lo), n = s.dim(hi), r = Math.toIntExact(s.inner(hi));
        int q = 1; // the axes strictly between the two swapped ones
        for (int i = lo + 1; i < hi; i++) q *= s.dim(i);
        int between = q;
        int[] outDims = s.dims();
        outDims[lo] = n;
        outDims[hi] = m;
        Backend be = x.backend();
        Tensor out = be.allocate(Shape.of(outDims), DType.F32);
        if (out.size() > 0) be.transpose(x, p, m, between, n, r, out);
        // The gradient (p, n, q, m, r) goes back through the same swap.
        return Tape.record("transpose", out, (ctx, g) -> {
            Tensor dx = g.backend().allocate(s, DType.F32);
            if (dx.size() > 0) g.backend().transpose(g, p, n, between, m, r, dx);
            return new Tensor[] {dx};
        }, new Tensor[] {x});
    }

    /** The pieces joined along an axis; all must have the same shape except along that axis. */
    public static Tensor concat(List<Tensor> pieces, int axis) {
        if (pieces == null || pieces.isEmpty()) throw new IllegalArgumentException("concat: no tensors given; pass at least one");
        Tensor first = pieces.getFirst();
        for (int i = 0; i < pieces.size(); i++) ShapeChecks.floats("concat", "tensor " + i, pieces.get(i));
        Checks.sameBackend("concat", pieces.toArray(Tensor[]::new));
        int a = ShapeChecks.axis("concat", first, axis);
        int[] starts = new int[pieces.size()];
        int total = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Tensor t = pieces.get(i);
            if (t.rank() != first.rank() || !t.shape().with(a, 0).equals(first.shape().with(a, 0)))
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + t.shape() + " but tensor 0 has " + first.shape()
                        + "; all shapes must agree except along axis " + axis);
            starts[i] = total;
            total += t.dim(a);
        }
        Shape outShape = first.shape().with(a, total);
        Backend be = first.backend();
        Tensor out = be.allocate(outShape, DType.F32);
        AxisLayout whole = AxisLayout.of(outShape, a);
        for (int i = 0; i < pieces.size(); i++) {
            Tensor t = pieces.get(i);
            copyAlong(t, t.dim(a), 0, out, whole, starts[i], t.dim(a));
        }
        Shape[] inShapes = pieces.stream().map(Tensor::shape).toArray(Shape[]::new);
        return Tape.record("concat", out, (ctx, g) -> {
            Tensor[] grads = new Tensor[inShapes.length];
            for (int i = 0; i < grads.length; i++) {
                if (!ctx.needsGrad(i)) continue;
                int len = inShapes[i].dim(a);
                grads[i] = g.backend().allocate(inShapes[i], DType.F32);
                copyAlong(g, whole.n(), starts[i], grads[i], AxisLayout.of(inShapes[i], a), 0, len);
            }
            return grads;
        }, pieces.toArray(Tensor[]::new));
    }

    /**
     * x cut along an axis into consecutive pieces of the given sizes (which must add up to the
     * axis length). Each piece is recorded as its own slice, so each has a single-output backward;
     * the price is one x-sized gradient per piece in the backward, which the tape then adds up.
     */
    public static List<Tensor> split(Tensor x, int[] sizes, int axis) {
        ShapeChecks.floats("split", "x", x);
        int a = ShapeChecks.axis("split", x, axis);
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.dim(a))
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + " but axis " + axis + " of " + x.shape() + " has length " + x.dim(a));
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            out.add(slice(x, a, start, start + s));
            start += s;
        }
        return out;
    }

    /**
     * Entries [start, end) of x along an axis. A slice of axis 0 is a view sharing x's memory;
     * other axes are copied.
     */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        ShapeChecks.floats("slice", "x", x);
        int a = ShapeChecks.axis("slice", x, axis);
        ShapeChecks.range("slice", x, a, start, end);
        Shape inShape = x.shape();
        AxisLayout in = AxisLayout.of(inShape, a);
        int len = end - start;
        Tensor out;
        if (a == 0) {
            out = x.slice0(start, end);
        } else {
            out = x.backend().allocate(inShape.with(a, len), DType.F32);
            copyAlong(x, in.n(), start, out, AxisLayout.of(out.shape(), a), 0, len);
        }
        // The gradient of a slice is zero outside it: a fresh zero tensor with the slice written in.
        return Tape.record("slice", out, (ctx, g) -> {
            Tensor dx = g.backend().zeros(inShape);
            copyAlong(g, len, 0, dx, in, start, len);
            return new Tensor[] {dx};
        }, new Tensor[] {x});
    }

    /**
     * dst[o, dstStart + j, i] = src[o, srcStart + j, i] for j < len; dst's layout gives outer and
     * inner. Never accumulates: every backward here writes into a fresh tensor of its own, and the
     * tape sums the gradients of tensors used several times.
     */
    private static void copyAlong(Tensor src, int srcLen, int srcStart, Tensor dst, AxisLayout dstLayout, int dstStart, int len) {
        if (len == 0 || dstLayout.outer() == 0 || dstLayout.inner() == 0) return;
        dst.backend().copyBlock(src, srcLen, srcStart, dst, dstLayout.n(), dstStart, dstLayout.outer(), len, dstLayout.inner(), false);
    }
}
