package io.recur.ops;

import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/** Argument checks of the shape, index, norm and random operations; messages name the op and the fix. */
final class ShapeChecks {
    private ShapeChecks() {}

    /** axis normalised to [0, rank) (negative counts from the end), or an error naming op and shape. */
    static int axis(String op, Tensor t, int axis) {
        int rank = t.rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for shape " + t.shape()
                    + "; use an axis in [" + -rank + ", " + rank + ")");
        return a;
    }

    /** An open float32 tensor (the dtype every differentiable op computes in). */
    static void floats(String op, String what, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        Checks.sameBackend(op, t);
        Checks.dtype(op, what, t, DType.F32);
    }

    /** A float32 vector of length n, such as a norm's weight or bias. */
    static void vector(String op, String what, Tensor t, int n, Tensor x) {
        floats(op, what, t);
        if (t.rank() != 1 || t.dim(0) != n)
            throw new IllegalArgumentException(op + ": " + what + " must have shape [" + n + "] to match the last axis of "
                    + x.shape() + ", got " + t.shape());
    }

    /** 0 <= start <= end <= length, for slices along an axis. */
    static void range(String op, Tensor t, int axis, int start, int end) {
        int length = t.dim(axis);
        if (start < 0 || end > length || start > end)
            throw new IllegalArgumentException(op + ": range [" + start + ", " + end + ") out of bounds for axis " + axis
                    + " of length " + length + " in shape " + t.shape() + "; need 0 <= start <= end <= " + length);
    }

    /**
     * Every value of an int32 index tensor in [0, bound). This copies the indices to the host (and
     * so waits for the device): the price of an error that names the bad index instead of a kernel
     * that reads out of bounds.
     */
    static void indicesInRange(String op, Tensor index, int bound, String what) {
        Checks.dtype(op, "index", index, DType.I32);
        int[] values = index.toIntArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= bound)
                throw new IllegalArgumentException(op + ": index " + values[i] + " at position " + i + " of index tensor "
                        + index.shape() + " is out of range for " + what + " (valid: 0 to " + (bound - 1) + ")");
        }
    }

}
