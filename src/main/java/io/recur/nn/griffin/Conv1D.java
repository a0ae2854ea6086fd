package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.ops.CausalConv1d;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's Conv1D: a causal depthwise convolution over time, channels-last, w (temporal
 * width, width) ~ N(0, 0.01 / temporal width), b (width) = 0. The carried state is the last
 * temporal width − 1 inputs (batch, W − 1, width).
 */
public final class Conv1D extends Module {
    private final Param w, b;

    public Conv1D(Initializer init, int width, int temporalWidth) {
        this.w = parameter("w", init.normal(Shape.of(temporalWidth, width), 0, Math.sqrt(0.01 / temporalWidth)));
        this.b = parameter("b", init.full(Shape.of(width), 0f));
    }

    /** x (batch, T, width) after state (null: zeros) → the output and the state to continue from. */
    public CausalConv1d.Step forward(Tensor x, Tensor state) {
        return CausalConv1d.step(x, w.get(), b.get(), state, false, CausalConv1d.Layout.CHANNELS_LAST);
    }
}
