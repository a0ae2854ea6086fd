package io.recur.testing;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Float64 references for the shape and indexing operations, written index by index. */
public final class ShapeReference {
    private ShapeReference() {}

    /** A new array of the given shape whose element at each multi-index is valueAt(index). */
    public static D build(int[] shape, ToDoubleFunction<int[]> valueAt) {
        D out = D.zeros(shape);
        int[] idx = new int[shape.length];
        for (int i = 0; i < out.data.length; i++) {
            D.unravel(i, shape, idx);
            out.data[i] = valueAt.applyAsDouble(idx);
        }
        return out;
    }

    /** The element of x at a multi-index. */
    static double at(D x, int[] idx) {
        int flat = 0;
        for (int a = 0; a < idx.length; a++) flat = flat * x.shape[a] + idx[a];
        return x.data[flat];
    }

    static int axis(D x, int axis) { return axis < 0 ? axis + x.rank() : axis; }

    public static D transpose(D x, int axis1, int axis2) {
        int a = axis(x, axis1), b = axis(x, axis2);
        int[] shape = x.shape.clone();
        shape[a] = x.shape[b];
        shape[b] = x.shape[a];
        return build(shape, idx -> {
            int[] src = idx.clone();
            src[a] = idx[b];
            src[b] = idx[a];
            return at(x, src);
        });
    }

    public static D concat(List<D> pieces, int axis) {
        int a = axis(pieces.getFirst(), axis);
        int[] shape = pieces.getFirst().shape.clone();
        shape[a] = pieces.stream().mapToInt(p -> p.shape[a]).sum();
        return build(shape, idx -> {
            int[] src = idx.clone();
            for (D p : pieces) {
                if (src[a] < p.shape[a]) return at(p, src);
                src[a] -= p.shape[a];
            }
            throw new AssertionError("index past the last piece");
        });
    }

    public static D slice(D x, int axis, int start, int end) {
        int a = axis(x, axis);
        int[] shape = x.shape.clone();
        shape[a] = end - start;
        return build(shape, idx -> {
            int[] src = idx.clone();
            src[a] += start;
            return at(x, src);
        });
    }

    /** torch.gather: out[idx] = x[idx with the axis entry replaced by index[idx]]. */
    public static D gather(D x, int axis, D index) {
        int a = axis(x, axis);
        return build(index.shape, idx -> {
            int[] src = idx.clone();
            src[a] = (int) at(index, idx);
            return at(x, src);
        });
    }

    /** out[..., d] = weight[indices[...], d]. */
    public static D embedding(D weight, D indices) {
        int dim = weight.shape[1];
        int[] shape = java.util.Arrays.copyOf(indices.shape, indices.rank() + 1);
        shape[indices.rank()] = dim;
        return build(shape, idx -> {
            int row = (int) indices.data[flat(indices.shape, idx)];
            return weight.data[row * dim + idx[idx.length - 1]];
        });
    }

    /** The adjoint of {@link #gather}: dx (a copy of dx0) gets dOut[idx] added at idx with the axis entry replaced by index[idx]. */
    public static D scatterAdd(D dx0, int axis, D index, D dOut) {
        int a = axis(dx0, axis);
        D dx = dx0.copy();
        int[] idx = new int[index.rank()];
        for (int i = 0; i < index.size(); i++) {
            D.unravel(i, index.shape, idx);
            int[] dst = idx.clone();
            dst[a] = (int) index.data[i];
            dx.data[flat(dx.shape, dst)] += dOut.data[i];
        }
        return dx;
    }

    /** The adjoint of {@link #embedding}: a copy of dWeight0 with dOut's rows added at their indices (repeats add up). */
    public static D embeddingBackward(D dWeight0, D indices, D dOut) {
        int dim = dWeight0.shape[1];
        D dw = dWeight0.copy();
        for (int c = 0; c < indices.size(); c++)
            for (int d = 0; d < dim; d++) dw.data[(int) indices.data[c] * dim + d] += dOut.data[c * dim + d];
        return dw;
    }

    /**
     * A copy of dst with the block [srcStart, srcStart + len) of src's axis 1 written (or added, with
     * accumulate) at [dstStart, dstStart + len) of dst's axis 1; src and dst are (outer, length, inner).
     */
    public static D copyBlock(D src, int srcStart, D dst, int dstStart, int len, boolean accumulate) {
        D out = dst.copy();
        int[] idx = new int[3];
        for (int i = 0; i < out.size(); i++) {
            D.unravel(i, out.shape, idx);
            int j = idx[1] - dstStart;
            if (j < 0 || j >= len) continue;
            double v = at(src, new int[] {idx[0], srcStart + j, idx[2]});
            out.data[i] = accumulate ? out.data[i] + v : v;
        }
        return out;
    }

    /** Row-major flat index of the leading entries of idx in shape. */
    private static int flat(int[] shape, int[] idx) {
        int f = 0;
        for (int a = 0; a < shape.length; a++) f = f * shape[a] + idx[a];
        return f;
    }
}
