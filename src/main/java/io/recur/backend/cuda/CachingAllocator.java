package io.recur.backend.cuda;

import io.recur.backend.MemoryStats;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory in size classes, reused after tensors free it: cuMemAlloc and cuMemFree synchronize
 * the device and cost microseconds, far too much per operation. Sizes round up to 512 bytes, and
 * above 1 MiB to a quarter of their power of two (so at most 25% is wasted). A freed block waits in
 * its class for the next request of that class; {@link #emptyCache()} returns the waiting blocks.
 *
 * <p>Reuse is safe without events because all work runs in order on one stream: a kernel that
 * still reads a freed block is queued before any kernel that writes its next owner's data.
 */
public final class CachingAllocator {
    static final long ALIGNMENT = 512;
    static final long LARGE = 1L << 20;

    private final CudaDriver driver;
    private final Map<Long, ArrayDeque<Long>> cached = new HashMap<>();  // size class -> free blocks
    private final Map<Long, Long> live = new HashMap<>();                // address -> size class
    private long liveBytes, cachedBytes, peakBytes, requests, systemAllocations;

    public CachingAllocator(CudaDriver driver) { this.driver = driver; }

    /** The block size serving a request of the given number of bytes. */
    static long sizeClass(long bytes) {
        if (bytes <= 0) return ALIGNMENT;
        if (bytes <= LARGE) return roundUp(bytes, ALIGNMENT);
        long step = Long.highestOneBit(bytes - 1) / 4;  // four classes per doubling
        return roundUp(bytes, step);
    }

    private static long roundUp(long value, long multiple) { return (value + multiple - 1) / multiple * multiple; }

    /** A device address of at least the given size. */
    public synchronized long allocate(long bytes) {
        requests++;
        long size = sizeClass(bytes);
        ArrayDeque<Long> free = cached.get(size);
        Long address = free == null ? null : free.pollLast();  // most recently freed: likely still in L2
        if (address != null) cachedBytes -= size;
        else address = allocateFromDriver(size);
        live.put(address, size);
        liveBytes += size;
        peakBytes = Math.max(peakBytes, liveBytes);
        return address;
    }

    private long allocateFromDriver(long size) {
        try {
            systemAllocations++;
            return driver.allocate(size);
        } catch (CudaDriverException e) {
            if (!e.isOutOfMemory() || cachedBytes == 0) throw outOfMemory(size, e);
            emptyCache();  // the cache may hold enough in other classes
            try {
                return driver.allocate(size);
            } catch (CudaDriverException again) {
                throw outOfMemory(size, again);
            }
        }
    }

    private CudaDriverException outOfMemory(long size, CudaDriverException cause) {
        if (!cause.isOutOfMemory()) return cause;
        return new CudaDriverException(String.format("out of device memory allocating %,d bytes (%,d bytes held by %d live tensors' storages)",
                size, liveBytes, live.size()), cause.errorName(), cause);
    }

    /** Returns a block from {@link #allocate}; it waits in the cache for reuse. */
    public synchronized void free(long address) {
        Long size = live.remove(address);
        if (size == null) throw new IllegalStateException("device address 0x" + Long.toHexString(address) + " freed twice or never allocated here");
        liveBytes -= size;
        cached.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(address);
        cachedBytes += size;
    }

    /** Gives every cached block back to the driver. */
    public synchronized void emptyCache() {
        for (ArrayDeque<Long> blocks : cached.values()) for (long a : blocks) driver.free(a);
        cached.clear();
        cachedBytes = 0;
    }

    public synchronized MemoryStats stats() {
        return new MemoryStats(liveBytes, live.size(), cachedBytes, peakBytes, requests, systemAllocations);
    }
}
