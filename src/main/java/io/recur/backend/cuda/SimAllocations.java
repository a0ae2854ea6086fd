package io.recur.backend.cuda;

import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's live device allocations, so that a host-side copy or memset outside every
 * allocation fails with a clear error, as cuMemcpy would, instead of silently corrupting the heap:
 * simulated device memory is ordinary host memory.
 */
final class SimAllocations {
    private final TreeMap<Long, Long> live = new TreeMap<>();  // base address -> bytes

    synchronized void add(long address, long bytes) { live.put(address, bytes); }

    /** Forgets the allocation at address; false if there was none (a double or foreign free). */
    synchronized boolean remove(long address) { return live.remove(address) != null; }

    /** Throws unless [address, address + bytes) lies inside one live allocation. */
    synchronized void checkRange(long address, long bytes, String what) {
        Map.Entry<Long, Long> a = live.floorEntry(address);
        if (a == null || address + bytes > a.getKey() + a.getValue() || bytes < 0) {
            String near = a == null ? "no allocation below it"
                    : "nearest allocation 0x" + Long.toHexString(a.getKey()) + " of " + a.getValue() + " bytes";
            throw new CudaDriverException(what + ": " + bytes + " bytes at 0x" + Long.toHexString(address)
                    + " are not inside one device allocation (" + near + ")", "CUDA_ERROR_INVALID_VALUE");
        }
    }

    /** Removes and returns every live address (for close). */
    synchronized long[] drain() {
        long[] all = live.keySet().stream().mapToLong(Long::longValue).toArray();
        live.clear();
        return all;
    }
}
