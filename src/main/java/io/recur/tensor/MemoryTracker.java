package io.recur.tensor;

import java.util.concurrent.atomic.AtomicLong;

/** Counts open tensors so that tests (and users) can detect leaks. */
public final class MemoryTracker {
    private static final AtomicLong OPEN = new AtomicLong();
    private static final AtomicLong CREATED = new AtomicLong();

    private MemoryTracker() {}

    static void opened(Tensor t) { OPEN.incrementAndGet(); CREATED.incrementAndGet(); }

    static void closed(Tensor t) { OPEN.decrementAndGet(); }

    /** Tensors created and not yet closed, on all threads and backends. */
    public static long openTensors() { return OPEN.get(); }

    public static long createdTensors() { return CREATED.get(); }
}
