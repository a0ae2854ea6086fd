package io.recur.perf;

import io.recur.backend.Backend;

/**
 * One kernel family in `recur bench all`: a name and the measurement of one representative call on
 * a backend, at a size that takes a fraction of a second on a CPU (or a tiny one when quick).
 */
public record KernelSuite(String name, Runner runner) {
    @FunctionalInterface
    public interface Runner {
        Measurement run(Backend backend, Stopwatch watch, boolean quick);
    }

    public Measurement run(Backend backend, Stopwatch watch, boolean quick) { return runner.run(backend, watch, quick); }
}
