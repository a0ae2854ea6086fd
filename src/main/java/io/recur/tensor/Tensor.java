package io.recur.tensor;

import io.recur.backend.Backend;

/**
 * A dense row-major array on one backend. Tensors own device memory explicitly: close them, or let
 * the {@link Scope} that was open when they were created close them. Views (reshape, leading-axis
 * slices) share storage with their base and keep it alive until both are closed.
 * <p>Operations live in {@code io.recur.ops}; this class only holds data, shape and autograd marks.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Storage storage;
    private final long offset;
    private final Shape shape;
    private boolean closed;
    private boolean requiresGrad;
    private Tensor grad;

    private Tensor(Backend backend, Storage storage, long offset, Shape shape) {
        if (offset < 0 || offset + shape.size() > storage.length())
            throw new IllegalArgumentException("view " + shape + " at offset " + offset + " exceeds storage of " + storage.length() + " elements");
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        MemoryTracker.opened(this);
        Scope.adopt(this);
    }

    /** For backends: a tensor over a freshly allocated storage (takes the storage's initial reference). */
    public static Tensor wrap(Backend backend, Storage storage, Shape shape) {
        return new Tensor(backend, storage, 0, shape);
    }

    public Backend backend() { checkOpen(); return backend; }

    public Storage storage() { checkOpen(); return storage; }

    /** Offset of element 0 within the storage, in elements. */
    public long offset() { return offset; }

    public Shape shape() { return shape; }

    public DType dtype() { return storage.dtype(); }

    public long size() { return shape.size(); }

    public int rank() { return shape.rank(); }

    public int dim(int i) { return shape.dim(i); }

    public boolean isClosed() { return closed; }

    /** A view with another shape of the same size (one entry may be -1). */
    public Tensor reshape(int... dims) {
        checkOpen();
        storage.retain();
        return new Tensor(backend, storage, offset, shape.reshape(dims));
    }

    /** A view of rows [start, end) of the leading axis. */
    public Tensor slice0(int start, int end) {
        checkOpen();
        if (shape.rank() == 0) throw new IllegalArgumentException("slice0 of a scalar");
        if (start < 0 || end > shape.dim(0) || start > end)
            throw new IllegalArgumentException("slice0(" + start + ", " + end + ") out of range for shape " + shape);
        storage.retain();
        long row = shape.inner(0);
        return new Tensor(backend, storage, offset + start * row, shape.with(0, end - start));
    }

    /**
     * A second tensor object over the same memory and shape, owned by no scope: the caller closes
     * it. The memory lives until both are closed. The autograd tape saves tensors this way.
     */
    public Tensor sharedView() {
        checkOpen();
        storage.retain();
        Tensor t = new Tensor(backend, storage, offset, shape);
        Scope.disown(t);
        return t;
    }

    public float[] toFloatArray() { checkOpen(); return backend.toFloatArray(this); }

    public int[] toIntArray() { checkOpen(); return backend.toIntArray(this); }

    public long[] toLongArray() { checkOpen(); return backend.toLongArray(this); }

    /** The single value of a one-element float tensor. */
    public float item() {
        if (shape.size() != 1) throw new IllegalStateException("item() needs one element, shape is " + shape);
        return toFloatArray()[0];
    }

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf whose gradient the tape accumulates into {@link #grad()}. */
    public Tensor requiresGrad(boolean value) {
        if (value && dtype() != DType.F32) throw new IllegalArgumentException("only float32 tensors can require gradients, this is " + dtype());
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, owned by this tensor (closed with it or by {@link #zeroGrad()}); null if none. */
    public Tensor grad() { return grad; }

    /** For the autograd tape: installs the accumulated gradient. The tensor takes ownership. */
    public void setGrad(Tensor g) {
        if (g != null && !g.shape.equals(shape))
            throw new IllegalArgumentException("gradient shape " + g.shape + " differs from tensor shape " + shape);
        if (grad != null && grad != g) grad.close();
        if (g != null) Scope.disown(g);
        grad = g;
    }

    public void zeroGrad() { setGrad(null); }

    /** Throws a clear error if this tensor was closed. */
    public void checkOpen() {
        if (closed) throw new IllegalStateException("tensor " + shape + " " + dtype() + " on " + backend.name() + " used after close");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (grad != null) { grad.close(); grad = null; }
        MemoryTracker.closed(this);
        storage.release();
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype() + " on " + backend.name() + (closed ? " (closed)" : "");
    }
}
