package io.recur.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits loops over the cores with one shared fork/join pool. Small loops run on the caller's thread:
 * below about 32k elements of work the hand-off costs more than it saves.
 */
final class CpuParallel {
    /** Work (in element operations) below which a loop stays on the calling thread. */
    static final long MIN_PARALLEL_WORK = 32_768;

    static final int THREADS = Runtime.getRuntime().availableProcessors();

    // Own pool: the common pool has availableProcessors - 1 workers (1 on a 2-core machine).
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS);

    @FunctionalInterface
    interface Range { void run(int from, int to); }

    private CpuParallel() {}

    /** Runs body over [0, count) in contiguous ranges; costPerItem estimates the work of one item. */
    static void forRange(int count, long costPerItem, Range body) {
        long work = (long) count * Math.max(1, costPerItem);
        if (THREADS == 1 || count < 2 || work < MIN_PARALLEL_WORK) {
            if (count > 0) body.run(0, count);
            return;
        }
        // A few chunks per thread balance uneven work; each chunk still holds >= MIN_PARALLEL_WORK / 2.
        long maxChunks = Math.max(1, work / (MIN_PARALLEL_WORK / 2));
        int chunks = (int) Math.min(Math.min(count, maxChunks), THREADS * 4L);
        int grain = (count + chunks - 1) / chunks;
        POOL.invoke(new Task(body, 0, count, grain));
    }

    /** Number of parts forRange would use at most; for callers that keep one partial result per part. */
    static int parts(long work) { return work < MIN_PARALLEL_WORK ? 1 : THREADS; }

    private static final class Task extends RecursiveAction {
        private final Range body;
        private final int from, to, grain;

        Task(Range body, int from, int to, int grain) {
            this.body = body; this.from = from; this.to = to; this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) { body.run(from, to); return; }
            int mid = from + (to - from) / 2;
            invokeAll(new Task(body, from, mid, grain), new Task(body, mid, to, grain));
        }
    }
}
