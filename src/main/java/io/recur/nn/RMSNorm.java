package io.recur.nn;

import io.recur.ops.Norm;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** RMSNorm over the last axis with a weight (init 1), as mamba_ssm's and torch.nn.RMSNorm. */
public final class RMSNorm extends Layer {
    private final Param weight;
    private final float eps;

    public RMSNorm(Initializer init, int dim, float eps) {
        this.weight = parameter("weight", init.full(Shape.of(dim), 1f));
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor x) { return Norm.rmsNorm(x, weight.get(), eps); }
}
