package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Linear;
import io.recur.tensor.Shape;

/** recurrentgemma's initialisations that several blocks share. */
final class ReferenceInit {
    private ReferenceInit() {}

    /** nn.Linear(in, out) with weight ~ N(0, variance) and a zero bias (or none). */
    static Linear linear(Initializer init, int in, int out, double variance, boolean bias) {
        return new Linear(init.normal(Shape.of(out, in), 0, Math.sqrt(variance)), bias ? init.full(Shape.of(out), 0f) : null);
    }

    /**
     * rnn_param_init(min_rad 0.9, max_rad 0.999, softplus): |a|² uniform on [min², max²] (the ring by
     * area), stored as the inverse softplus of -log|a|, so that a = exp(-softplus(a_param)).
     */
    static float[] rgLruAParam(Initializer init, int width) {
        double lo = 0.9 * 0.9 + 1e-8, hi = 0.999 * 0.999 + 1e-8;
        float[] u = init.uniformHost(Shape.of(width)), out = new float[width];
        for (int i = 0; i < width; i++) {
            double logRadius = 0.5 * Math.log(lo + (hi - lo) * u[i]);
            out[i] = (float) Math.log(Math.exp(-logRadius) - 1);
        }
        return out;
    }
}
