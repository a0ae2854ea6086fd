package io.recur.nn;

import io.recur.ops.MatMul;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * torch.nn.Linear: y = x Wᵀ + b with weight (out, in) and bias (out). Init as torch's
 * kaiming_uniform(a = sqrt(5)): weight and bias U(-1/sqrt(in), 1/sqrt(in)).
 */
public final class Linear extends Layer {
    private final Param weight, bias;

    public Linear(Initializer init, int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 1 || outFeatures < 1)
            throw new IllegalArgumentException("Linear: features must be >= 1, got in " + inFeatures + ", out " + outFeatures);
        double bound = 1 / Math.sqrt(inFeatures);
        this.weight = parameter("weight", init.uniform(Shape.of(outFeatures, inFeatures), bound));
        this.bias = bias ? parameter("bias", init.uniform(Shape.of(outFeatures), bound)) : null;
    }

    /**
     * A Linear over given initial values, for models whose reference initialises otherwise (e.g.
     * recurrentgemma's normal weights and zero biases): weight (out, in), bias (out) or null. Takes
     * ownership of both.
     */
    public Linear(Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || bias != null && !bias.shape().equals(Shape.of(weight.dim(0))))
            throw new IllegalArgumentException("Linear: weight must be (out, in) and bias (out), got " + weight.shape()
                    + " and " + (bias == null ? "no bias" : bias.shape()));
        this.weight = parameter("weight", weight);
        this.bias = bias == null ? null : parameter("bias", bias);
    }

    public Param weight() { return weight; }

    @Override
    public Tensor forward(Tensor x) { return MatMul.linear(x, weight.get(), bias == null ? null : bias.get()); }
}
