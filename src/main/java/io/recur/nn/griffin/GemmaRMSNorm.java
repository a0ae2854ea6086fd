package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Layer;
import io.recur.nn.Param;
import io.recur.ops.Arith;
import io.recur.ops.Norm;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's RMSNorm: x / sqrt(mean(x²) + 1e-6) · (1 + scale) with scale initialised to 0,
 * so a checkpoint's "scale" means the same here and in the reference.
 */
public final class GemmaRMSNorm extends Layer {
    static final float EPS = 1e-6f;
    private final Param scale;

    public GemmaRMSNorm(Initializer init, int width) {
        this.scale = parameter("scale", init.full(Shape.of(width), 0f));
    }

    @Override
    public Tensor forward(Tensor x) { return Norm.rmsNorm(x, Arith.addScalar(scale.get(), 1f), EPS); }
}
