package io.recur.nn;

import io.recur.backend.Backend;
import io.recur.ops.Init;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * Initial parameter values from one seeded Philox stream: each draw takes the next block of
 * counters, so a model built with the same seed in the same order has the same values on every
 * backend. Tensors come back unowned by any scope, ready to be registered by a module.
 */
public final class Initializer {
    private final Backend backend;
    private final long seed;
    private long offset;

    public Initializer(Backend backend, long seed) {
        this.backend = backend;
        this.seed = seed;
    }

    public Backend backend() { return backend; }

    public long seed() { return seed; }

    /** U(-bound, bound): torch's init for LSTM/GRU weights (1/sqrt(hidden)) and Linear (1/sqrt(fan_in)). */
    public Tensor uniform(Shape shape, double bound) { return uniform(shape, -bound, bound); }

    public Tensor uniform(Shape shape, double lo, double hi) {
        Tensor t = Init.uniform(backend, shape, seed, advance(shape), (float) lo, (float) hi);
        return Parameters.detach(t);
    }

    public Tensor normal(Shape shape, double mean, double std) {
        Tensor t = Init.normal(backend, shape, seed, advance(shape), (float) mean, (float) std);
        return Parameters.detach(t);
    }

    /** Uniform [0, 1) values on the host, from the same stream: for inits computed in Java (LRU's ring). */
    public float[] uniformHost(Shape shape) {
        try (Tensor t = uniform(shape, 0, 1)) {
            return t.toFloatArray();
        }
    }

    public Tensor full(Shape shape, float value) { return Parameters.detach(backend.full(shape, value)); }

    public Tensor fromArray(float[] values, Shape shape) { return Parameters.detach(backend.fromArray(values, shape)); }

    private long advance(Shape shape) {
        long at = offset;
        offset += Init.counters(shape.size());
        return at;
    }
}
