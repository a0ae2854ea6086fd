package io.recur.tensor;

import java.util.Arrays;

/** An immutable row-major shape. A scalar has rank 0 and size 1. */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long s = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            s *= d;
        }
        this.dims = dims;
        this.size = s;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public static Shape scalar() { return new Shape(new int[0]); }

    public int rank() { return dims.length; }

    public long size() { return size; }

    /** Size as an int, for storages indexed by int; fails clearly beyond 2^31-1 elements. */
    public int intSize() {
        if (size > Integer.MAX_VALUE) throw new IllegalStateException("shape " + this + " has more than 2^31-1 elements");
        return (int) size;
    }

    /** Dimension i; negative i counts from the end. */
    public int dim(int i) { return dims[axis(i)]; }

    /** Normalises a possibly negative axis, with a clear error when out of range. */
    public int axis(int i) {
        int a = i < 0 ? i + dims.length : i;
        if (a < 0 || a >= dims.length) throw new IllegalArgumentException("axis " + i + " out of range for shape " + this);
        return a;
    }

    public int[] dims() { return dims.clone(); }

    /** Product of the dimensions before axis a. */
    public long outer(int a) {
        long p = 1;
        for (int i = 0; i < axis(a); i++) p *= dims[i];
        return p;
    }

    /** Product of the dimensions after axis a. */
    public long inner(int a) {
        long p = 1;
        for (int i = axis(a) + 1; i < dims.length; i++) p *= dims[i];
        return p;
    }

    /** The last dimension (1 for a scalar). */
    public int last() { return dims.length == 0 ? 1 : dims[dims.length - 1]; }

    /** Same dimensions with axis a replaced by n. */
    public Shape with(int a, int n) {
        int[] d = dims.clone();
        d[axis(a)] = n;
        return new Shape(d);
    }

    /** Numpy broadcasting of two shapes; fails naming both shapes. */
    public static Shape broadcast(Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Resolves one -1 entry so that the size equals this shape's size. */
    public Shape reshape(int... newDims) {
        int[] d = newDims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + Arrays.toString(newDims) + ": only one -1 allowed");
                infer = i;
            } else known *= d[i];
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0)
                throw new IllegalArgumentException("cannot reshape " + this + " to " + Arrays.toString(newDims));
            d[infer] = (int) (size / known);
        }
        Shape s = new Shape(d);
        if (s.size != size) throw new IllegalArgumentException("cannot reshape " + this + " (" + size + " elements) to " + s + " (" + s.size + " elements)");
        return s;
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
