package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/** Differentiable indexing: gather along an axis and embedding lookups. */
public final class Index {
    private Index() {}

    /**
     * torch.gather: out[..., j, ...] = x[..., index[..., j, ...], ...] along the given axis. index is
     * int32 with the rank of x and the same dimensions except along the axis; out has index's shape.
     * The gradient scatters back and adds where an index repeats.
     */
    public static Tensor gather(Tensor x, int axis, Tensor index) {
        ShapeChecks.floats("gather", "x", x);
        Checks.sameBackend("gather", x, index);
        Checks.dtype("gather", "index", index, DType.I32);
        int a = ShapeChecks.axis("gather", x, axis);
        if (index.rank() != x.rank() || !index.shape().with(a, 0).equals(x.shape().with(a, 0)))
            throw new IllegalArgumentException("gather: index shape " + index.shape() + " must equal x shape " + x.shape()
                    + " except along axis " + axis);
        AxisLayout in = AxisLayout.of(x.shape(), a);
        ShapeChecks.indicesInRange("gather", index, in.n(), "axis " + axis + " of x " + x.shape());
        int m = index.dim(a);
        Backend be = x.backend();
        Tensor out = be.allocate(index.shape(), DType.F32);
        if (out.size() > 0) be.gather(x, in.outer(), in.n(), in.inner(), index, m, out);
        Shape xShape = x.shape();
        return Tape.record("gather", out, (ctx, g) -> {
            Tensor dx = g.backend().zeros(xShape);
            if (g.size() > 0) g.backend().scatterAdd(g, in.outer(), in.n(), in.inner(), ctx.saved(0), m, dx);
            return new Tensor[] {dx};
        }, new Tensor[] {x}, index);
    }

    /**
     * Rows of weight (vocab, dim) picked by int32 indices of any shape: out has shape
     * indices.shape + [dim]. The gradient adds up the rows of repeated indices.
     */
    public static Tensor embedding(Tensor weight, Tensor indices) {
        ShapeChecks.floats("embedding", "weight", weight);
        Checks.sameBackend("embedding", weight, indices);
        Checks.dtype("embedding", "indices", indices, DType.I32);
        if (weight.rank() != 2)
            throw new IllegalArgumentException("embedding: weight must have shape (vocab, dim), got " + weight.shape());
        int vocab = weight.dim(0), dim = weight.dim(1);
        ShapeChecks.indicesInRange("embedding", indices, vocab, "a vocabulary of " + vocab + " rows (weight " + weight.shape() + ")");
        int count = indices.shape().intSize();
        int[] outDims = Arrays.copyOf(indices.shape().dims(), indices.rank() + 1);
        outDims[indices.rank()] = dim;
        Backend be = weight.backend();
        Tensor out = be.allocate(Shape.of(outDims), DType.F32);
        if (out.size() > 0) be.embedding(weight, indices, count, dim, out);
        Shape weightShape = weight.shape();
        return Tape.record("embedding", out, (ctx, g) -> {
            Tensor dWeight = g.backend().zeros(weightShape);
            if (g.size() > 0) g.backend().embeddingBackward(g, ctx.saved(0), count, dim, dWeight);
            return new Tensor[] {dWeight};
        }, new Tensor[] {weight}, indices);
    }
}
