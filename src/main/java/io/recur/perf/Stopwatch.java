package io.recur.perf;

import io.recur.backend.Backend;
import java.util.Arrays;

/** Median wall time of an operation on a backend, after warm-up, waiting for queued device work. */
public final class Stopwatch {
    private final int warmup, repetitions;

    public Stopwatch(int warmup, int repetitions) {
        if (warmup < 0 || repetitions < 1) throw new IllegalArgumentException("need warmup >= 0 and repetitions >= 1");
        this.warmup = warmup;
        this.repetitions = repetitions;
    }

    public double medianMs(Backend backend, Runnable op) {
        for (int i = 0; i < warmup; i++) op.run();
        backend.synchronize();
        double[] ms = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long t0 = System.nanoTime();
            op.run();
            backend.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[repetitions / 2];
    }
}
