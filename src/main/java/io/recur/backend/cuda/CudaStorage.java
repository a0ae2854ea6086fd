package io.recur.backend.cuda;

import io.recur.tensor.DType;
import io.recur.tensor.Storage;

/** A block of device memory from the caching allocator; freeing returns it to the cache. */
final class CudaStorage extends Storage {
    private final CachingAllocator allocator;
    private final long address;

    CudaStorage(CachingAllocator allocator, DType dtype, long length) {
        super(dtype, length);
        this.allocator = allocator;
        this.address = allocator.allocate(length * dtype.bytes());
    }

    long address() { return address; }

    @Override
    protected void free() { allocator.free(address); }
}
