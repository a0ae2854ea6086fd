package io.recur.nn;

import io.recur.ops.Norm;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** torch.nn.LayerNorm over the last axis with weight (init 1) and bias (init 0). */
public final class LayerNorm extends Layer {
    private final Param weight, bias;
    private final float eps;

    public LayerNorm(Initializer init, int dim, float eps) {
        this.weight = parameter("weight", init.full(Shape.of(dim), 1f));
        this.bias = parameter("bias", init.full(Shape.of(dim), 0f));
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor x) { return Norm.layerNorm(x, weight.get(), bias.get(), eps); }
}
