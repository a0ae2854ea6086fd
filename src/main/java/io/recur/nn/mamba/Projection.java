package io.recur.nn.mamba;

import io.recur.nn.Layer;
import io.recur.nn.Param;
import io.recur.ops.MatMul;
import io.recur.tensor.Tensor;

/**
 * A torch.nn.Linear (weight (out, in), optional bias (out)) whose initial values the caller
 * chooses: mamba_ssm re-initialises several of its linears (dt_proj, out_proj, zero biases), so the
 * generic {@link io.recur.nn.Linear} init does not fit them.
 */
public final class Projection extends Layer {
    private final Param weight, bias;

    /** Takes ownership of the given tensors (from an {@link io.recur.nn.Initializer}); bias may be null. */
    public Projection(Tensor weight, Tensor bias) {
        if (weight.rank() != 2) throw new IllegalArgumentException("Projection: weight must be (out, in), got " + weight.shape());
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0)))
            throw new IllegalArgumentException("Projection: bias must be (" + weight.dim(0) + ") for weight " + weight.shape() + ", got " + bias.shape());
        this.weight = parameter("weight", weight);
        this.bias = bias == null ? null : parameter("bias", bias);
    }

    public Param weight() { return weight; }

    /** The bias, or null. */
    public Param bias() { return bias; }

    /** x · weightᵀ + bias. */
    @Override
    public Tensor forward(Tensor x) { return MatMul.linear(x, weight.get(), bias == null ? null : bias.get()); }

    /** x · weightᵀ without the bias (mamba_ssm adds dt_proj's bias inside the scan, as delta_bias). */
    public Tensor forwardWithoutBias(Tensor x) { return MatMul.linear(x, weight.get(), null); }
}
