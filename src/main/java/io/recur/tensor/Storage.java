package io.recur.tensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference-counted block of memory on one backend. Views share a storage; the memory goes back
 * to the backend when the last tensor referring to it is closed.
 */
public abstract class Storage {
    private final DType dtype;
    private final long length;
    private final AtomicInteger refs = new AtomicInteger(1);

    protected Storage(DType dtype, long length) {
        this.dtype = dtype;
        this.length = length;
    }

    public DType dtype() { return dtype; }

    /** Number of elements. */
    public long length() { return length; }

    public long bytes() { return length * dtype.bytes(); }

    public boolean isReleased() { return refs.get() <= 0; }

    public void retain() {
        if (refs.getAndIncrement() <= 0) throw new IllegalStateException("storage used after it was freed");
    }

    public void release() {
        int r = refs.decrementAndGet();
        if (r == 0) free();
        else if (r < 0) throw new IllegalStateException("storage released more often than retained");
    }

    /** Returns the memory to its backend; called once, when the last reference goes. */
    protected abstract void free();
}
