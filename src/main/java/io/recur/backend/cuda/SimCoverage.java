package io.recur.backend.cuda;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which kernels ran under simulation in this process, as "module/entry" (launches that completed): the test suite checks at
 * its end that every kernel compiled to PTX was exercised at least once.
 */
public final class SimCoverage {
    private static final Set<String> LAUNCHED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong LAUNCHES = new AtomicLong();

    private SimCoverage() {}

    static void record(String module, String entry) {
        LAUNCHED.add(module + "/" + entry);
        LAUNCHES.incrementAndGet();
    }

    /** The distinct kernels launched so far, sorted. */
    public static Set<String> launched() { return new TreeSet<>(LAUNCHED); }

    /** How many launches completed without error. */
    public static long launches() { return LAUNCHES.get(); }
}
