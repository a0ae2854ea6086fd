package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * New random tensors from Philox4x32-10 streams (no gradient): the same (seed, offset) gives the
 * same values on every backend. Element i uses counter offset + i/4, see {@link io.recur.random.Philox}.
 */
public final class Init {
    private Init() {}

    /** Uniform floats in [lo, hi). */
    public static Tensor uniform(Backend backend, Shape shape, long seed, long offset, float lo, float hi) {
        if (!(lo <= hi) || Float.isInfinite(hi - lo))
            throw new IllegalArgumentException("uniform: need finite lo <= hi, got [" + lo + ", " + hi + ")");
        Tensor t = backend.allocate(shape, DType.F32);
        if (t.size() > 0) backend.randomUniform(t, seed, offset, lo, hi);
        return t;
    }

    /** Normal floats with the given mean and standard deviation (Box-Muller). */
    public static Tensor normal(Backend backend, Shape shape, long seed, long offset, float mean, float std) {
        if (!(std >= 0) || Float.isInfinite(std) || !Float.isFinite(mean))
            throw new IllegalArgumentException("normal: need a finite mean and a finite std >= 0, got mean " + mean + ", std " + std);
        Tensor t = backend.allocate(shape, DType.F32);
        if (t.size() > 0) backend.randomNormal(t, seed, offset, mean, std);
        return t;
    }

    /**
     * Philox counters consumed by a draw of this many elements (four per counter): add it to the
     * offset so that the next draw from the same seed does not reuse numbers.
     */
    public static long counters(long elements) {
        return (elements + 3) / 4;
    }
}
