package io.recur.nn.mamba;

import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.ops.CausalConv1d;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;

/**
 * mamba_ssm's conv1d: torch.nn.Conv1d(d_inner, d_inner, d_conv, groups=d_inner,
 * padding=d_conv-1) used causally, with SiLU. The weight keeps torch's depthwise shape
 * (channels, 1, width) so that checkpoints move unchanged; {@link CausalConv1d} takes it as
 * (channels, width).
 */
public final class DepthwiseConv1d extends Module {
    private final Param weight, bias;
    private final int channels, width;

    /** Takes ownership of weight (channels, 1, width) and bias (channels) or null. */
    public DepthwiseConv1d(Tensor weight, Tensor bias) {
        if (weight.rank() != 3 || weight.dim(1) != 1)
            throw new IllegalArgumentException("conv1d: weight must be (channels, 1, width) as torch's depthwise Conv1d, got " + weight.shape());
        channels = weight.dim(0);
        width = weight.dim(2);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != channels))
            throw new IllegalArgumentException("conv1d: bias must be (" + channels + "), got " + bias.shape());
        this.weight = parameter("weight", weight);
        this.bias = bias == null ? null : parameter("bias", bias);
    }

    public int width() { return width; }

    /**
     * SiLU(causal conv) of x (batch, channels, T), continuing from state (batch, channels, width-1)
     * (null: zeros); returns the output and the state after x.
     */
    public CausalConv1d.Step forward(Tensor x, Tensor state) {
        Tensor w = Shapes.reshape(weight.get(), channels, width);
        return CausalConv1d.step(x, w, bias == null ? null : bias.get(), state, true, CausalConv1d.Layout.CHANNELS_FIRST);
    }
}
