package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/** Inverted dropout driven by Philox, so a (seed, offset) pair drops the same elements on every backend. */
public final class Dropout {
    private Dropout() {}

    /**
     * In training, zeroes element i when Philox uniform i of (seed, offset) is below p and scales the
     * rest by 1/(1-p); outside training, or with p = 0, returns x itself (no copy, nothing recorded).
     * The mask is never stored: the backward regenerates it from the same seed and offset. A draw
     * uses {@link Init#counters} counters, so the next independent draw starts at offset + that.
     */
    public static Tensor dropout(Tensor x, float p, long seed, long offset, boolean training) {
        ShapeChecks.floats("dropout", "x", x);
        if (!(p >= 0f && p < 1f))
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p + "; p is the probability of dropping an element");
        if (!training || p == 0f) return x;
        Backend be = x.backend();
        Tensor out = be.allocate(x.shape(), DType.F32);
        be.dropout(x, p, seed, offset, out);
        return Tape.record("dropout", out, (ctx, g) -> {
            Tensor dx = g.backend().allocate(g.shape(), DType.F32);
            g.backend().dropout(g, p, seed, offset, dx);
            return new Tensor[] {dx};
        }, new Tensor[] {x});
    }
}
