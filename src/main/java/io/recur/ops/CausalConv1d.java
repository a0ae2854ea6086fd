package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * Causal depthwise 1-D convolution with a short kernel (width 2 … 4), as mamba's causal_conv1d and
 * recurrentgemma's Conv1D: out_t = act(bias + Σ_k w_k x_{t-(W-1)+k}) per channel, x before the
 * sequence being the carried state (zeros for a fresh sequence), act SiLU or identity. Forward and
 * backward are fused kernels ({@link Backend#causalConv1d}); differentiable in x, weight, bias and
 * the state.
 */
public final class CausalConv1d {
    private CausalConv1d() {}

    /** Where time and channels are; the weight's layout follows the model that uses it. */
    public enum Layout {
        /** x (batch, channels, T), weight (channels, W), state (batch, channels, W-1): mamba. */
        CHANNELS_FIRST,
        /** x (batch, T, channels), weight (W, channels), state (batch, W-1, channels): recurrentgemma. */
        CHANNELS_LAST;

        int timeAxis() { return this == CHANNELS_LAST ? 1 : 2; }

        int channelAxis() { return this == CHANNELS_LAST ? 2 : 1; }
    }

    /** A chunk's output and the state to carry into the next chunk: its last W-1 inputs. */
    public record Step(Tensor out, Tensor state) {}

    /** The convolution of a whole sequence (zeros before it). */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, boolean silu, Layout layout) {
        return apply(x, weight, bias, null, silu, layout);
    }

    /**
     * The convolution of a chunk of a stream: state holds the W-1 inputs before x (null: the start,
     * zeros). Feeding a sequence chunk by chunk (e.g. one step at a time during generation), passing
     * each returned state to the next call, gives the outputs of {@link #conv1d} on the whole.
     */
    public static Step step(Tensor x, Tensor weight, Tensor bias, Tensor state, boolean silu, Layout layout) {
        Tensor out = apply(x, weight, bias, state, silu, layout);
        int axis = layout.timeAxis(), keep = kernelWidth(weight, layout) - 1, length = x.dim(axis);
        if (length >= keep) return new Step(out, Shapes.slice(x, axis, length - keep, length));
        Tensor previous = state != null ? state : x.backend().zeros(stateShape(x, keep, layout));
        return new Step(out, Shapes.concat(List.of(Shapes.slice(previous, axis, length, keep), x), axis));
    }

    private static Tensor apply(Tensor x, Tensor weight, Tensor bias, Tensor state, boolean silu, Layout layout) {
        String op = "causalConv1d";
        check(op, x, weight, bias, state, layout);
        int batch = x.dim(0), channels = x.dim(layout.channelAxis()), length = x.dim(layout.timeAxis());
        int width = kernelWidth(weight, layout);
        boolean last = layout == Layout.CHANNELS_LAST;
        Backend be = x.backend();
        Tensor out = Outputs.like(x);
        be.causalConv1d(x, weight, bias, state, batch, channels, length, width, last, silu, out);
        Shape xShape = x.shape(), wShape = weight.shape();
        return Tape.record(op, out, (ctx, g) -> {
            Backend gb = g.backend();
            Tensor dx = Outputs.f32(gb, xShape), dw = Outputs.f32(gb, wShape);
            Tensor db = ctx.saved(2) != null && ctx.needsGrad(2) ? Outputs.f32(gb, Shape.of(channels)) : null;
            Tensor ds = ctx.saved(3) != null && ctx.needsGrad(3) ? Outputs.f32(gb, ctx.saved(3).shape()) : null;
            gb.causalConv1dBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), ctx.saved(3), g, batch, channels, length, width,
                    last, silu, dx, dw, db, ds);
            return new Tensor[] {ctx.needsGrad(0) ? dx : null, ctx.needsGrad(1) ? dw : null, db, ds};
        }, new Tensor[] {x, weight, bias, state}, x, weight, bias, state);
    }

    private static int kernelWidth(Tensor weight, Layout layout) {
        return layout == Layout.CHANNELS_LAST ? weight.dim(0) : weight.dim(1);
    }

    private static Shape stateShape(Tensor x, int keep, Layout layout) {
        return layout == Layout.CHANNELS_LAST ? Shape.of(x.dim(0), keep, x.dim(2)) : Shape.of(x.dim(0), x.dim(1), keep);
    }

    private static void check(String op, Tensor x, Tensor weight, Tensor bias, Tensor state, Layout layout) {
        ShapeChecks.floats(op, "x", x);
        ShapeChecks.floats(op, "weight", weight);
        if (bias != null) ShapeChecks.floats(op, "bias", bias);
        if (state != null) ShapeChecks.floats(op, "state", state);
        Checks.sameBackend(op, x, weight, bias, state);
        if (layout == null) throw new IllegalArgumentException(op + ": layout is null; say CHANNELS_FIRST or CHANNELS_LAST");
        boolean last = layout == Layout.CHANNELS_LAST;
        String xForm = last ? "(batch, T, channels)" : "(batch, channels, T)";
        if (x.rank() != 3 || x.dim(layout.timeAxis()) == 0)
            throw new IllegalArgumentException(op + ": x must be " + xForm + " with T >= 1 for " + layout + ", got " + x.shape());
        int channels = x.dim(layout.channelAxis());
        String wForm = last ? "(W, channels)" : "(channels, W)";
        if (weight.rank() != 2 || weight.dim(last ? 1 : 0) != channels)
            throw new IllegalArgumentException(op + ": weight must be " + wForm + " with channels = " + channels + " for x "
                    + x.shape() + " (" + layout + "), got " + weight.shape());
        int width = kernelWidth(weight, layout);
        if (width < 2 || width > 4)
            throw new IllegalArgumentException(op + ": kernel width must be 2 … 4, got " + width + " from weight " + weight.shape());
        if (bias != null && !bias.shape().equals(Shape.of(channels)))
            throw new IllegalArgumentException(op + ": bias must be [" + channels + "] to match x " + x.shape() + ", got " + bias.shape());
        Shape expected = stateShape(x, width - 1, layout);
        if (state != null && !state.shape().equals(expected))
            throw new IllegalArgumentException(op + ": state must be " + expected + " (the last W-1 = " + (width - 1)
                    + " inputs, " + layout + ") for x " + x.shape() + ", got " + state.shape());
    }
}
