package io.recur.backend.cpu;

import io.recur.backend.MemoryStats;
import java.util.concurrent.atomic.AtomicLong;

/** Live/peak accounting for heap storages. There is no cache on the CPU: every request is a new array. */
final class CpuMemory {
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong liveStorages = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    void allocated(long bytes) {
        long live = liveBytes.addAndGet(bytes);
        liveStorages.incrementAndGet();
        requests.incrementAndGet();
        peakBytes.accumulateAndGet(live, Math::max);
    }

    void freed(long bytes) {
        liveBytes.addAndGet(-bytes);
        liveStorages.decrementAndGet();
    }

    MemoryStats stats() {
        long r = requests.get();
        return new MemoryStats(liveBytes.get(), liveStorages.get(), 0, peakBytes.get(), r, r);
    }
}
