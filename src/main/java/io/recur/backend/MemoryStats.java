package io.recur.backend;

/**
 * Memory use of one backend. live: held by storages now; cached: freed by tensors but kept by the
 * allocator for reuse; peak: the largest live value seen; allocations: calls that reached the system
 * allocator (cuMemAlloc), as opposed to requests served from the cache.
 */
public record MemoryStats(long liveBytes, long liveStorages, long cachedBytes, long peakBytes,
                          long requests, long systemAllocations) {}
