package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * Griffin's Real-Gated Linear Recurrent Unit, as google-deepmind/recurrentgemma's RGLRU, on the
 * channels-last layout (batch, T, width) its models use:
 * <pre>
 *   gate_x = σ(W_x x + b_x), gate_a = σ(W_a x + b_a)   (block-diagonal W: one block per head)
 *   log a = -8 · gate_a · softplus(Λ), a = exp(log a), multiplier = sqrt(1 - a²)
 *   at segment starts (resets): a = 0, multiplier = 1
 *   h_t = a_t ⊙ h_{t-1} + multiplier ⊙ gate_x ⊙ x_t
 * </pre>
 * The projections are ordinary ops ({@link BlockDiagonal#linear}); gates and scan run fused
 * ({@link Backend#rgLru}), with no per-step gate stored for the backward. The multiplier's
 * derivative is bounded (at most 1000) as recurrentgemma's SqrtBoundDerivative does, so it stays
 * finite as a → 1. Differentiable in x, the gate pre-activations, Λ and h0 (and through the
 * projections in their weights and biases); resets are not.
 */
public final class RgLru {
    private RgLru() {}

    /**
     * The full RG-LRU: gate pre-activations from x by block-diagonal projections (recurrentgemma's
     * input_gate and a_gate: weights (heads, width/heads, width/heads), biases (heads, width/heads)
     * or null), then {@link #scan}.
     */
    public static Tensor rgLru(Tensor x, Tensor gateXWeight, Tensor gateXBias, Tensor gateAWeight, Tensor gateABias,
                               Tensor lambda, Tensor resets, Tensor h0) {
        return scan(x, BlockDiagonal.linear(x, gateXWeight, gateXBias), BlockDiagonal.linear(x, gateAWeight, gateABias),
                lambda, resets, h0);
    }

    /**
     * The gated recurrence from given gate pre-activations.
     *
     * @param x        inputs (batch, T, width)
     * @param gateXPre W_x x + b_x, x's shape
     * @param gateAPre W_a x + b_a, x's shape
     * @param lambda   Λ (width), recurrentgemma's a_param
     * @param resets   null, or (batch, T): nonzero where a segment starts (segment_pos == 0)
     * @param h0       the state before the first step (batch, width), or null for zeros
     * @return h (batch, T, width); {@link #lastState} gives the state to continue from
     */
    public static Tensor scan(Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0) {
        String op = "rgLru";
        check(op, x, gateXPre, gateAPre, lambda, resets, h0);
        Shape shape = x.shape();
        int batch = shape.dim(0), length = shape.dim(1), width = shape.dim(2);
        Backend be = x.backend();
        Tensor h = Outputs.f32(be, shape);
        be.rgLru(x, gateXPre, gateAPre, lambda, resets, h0, batch, length, width, h);
        return Tape.record(op, h, (ctx, g) -> {
            Backend gb = g.backend();
            Tensor dx = Outputs.f32(gb, shape), dgx = Outputs.f32(gb, shape), dga = Outputs.f32(gb, shape);
            Tensor dLambda = ctx.needsGrad(3) ? Outputs.f32(gb, Shape.of(width)) : null;
            Tensor dh0 = ctx.saved(5) != null && ctx.needsGrad(4) ? Outputs.f32(gb, Shape.of(batch, width)) : null;
            gb.rgLruBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), ctx.saved(3), ctx.saved(4), ctx.saved(5), ctx.saved(6),
                    g, batch, length, width, dx, dgx, dga, dLambda, dh0);
            Tensor[] grads = {dx, dgx, dga, dLambda, dh0};
            for (int i = 0; i < grads.length; i++) if (!ctx.needsGrad(i)) grads[i] = null;   // the backward scope closes them
            return grads;
        }, new Tensor[] {x, gateXPre, gateAPre, lambda, h0}, x, gateXPre, gateAPre, lambda, resets, h0, h);
    }

    /** The state after the last step, h[:, T-1, :] as (batch, width): the h0 that continues the sequence. Differentiable. */
    public static Tensor lastState(Tensor h) {
        ShapeChecks.floats("lastState", "h", h);
        if (h.rank() != 3 || h.dim(1) == 0)
            throw new IllegalArgumentException("lastState: h must be (batch, T, width) with T >= 1, got " + h.shape());
        return Shapes.reshape(Shapes.slice(h, 1, h.dim(1) - 1, h.dim(1)), h.dim(0), h.dim(2));
    }

    private static void check(String op, Tensor x, Tensor gateXPre, Tensor gateAPre, Tensor lambda, Tensor resets, Tensor h0) {
        ShapeChecks.floats(op, "x", x);
        ShapeChecks.floats(op, "gateXPre", gateXPre);
        ShapeChecks.floats(op, "gateAPre", gateAPre);
        ShapeChecks.floats(op, "lambda", lambda);
        if (resets != null) ShapeChecks.floats(op, "resets", resets);
        if (h0 != null) ShapeChecks.floats(op, "h0", h0);
        Checks.sameBackend(op, x, gateXPre, gateAPre, lambda, resets, h0);
        if (x.rank() != 3 || x.dim(1) == 0)
            throw new IllegalArgumentException(op + ": x must be (batch, T, width) with T >= 1 (channels-last), got " + x.shape());
        int batch = x.dim(0), length = x.dim(1), width = x.dim(2);
        if (!gateXPre.shape().equals(x.shape()))
            throw new IllegalArgumentException(op + ": gateXPre must have x's shape " + x.shape() + ", got " + gateXPre.shape());
        if (!gateAPre.shape().equals(x.shape()))
            throw new IllegalArgumentException(op + ": gateAPre must have x's shape " + x.shape() + ", got " + gateAPre.shape());
        if (!lambda.shape().equals(Shape.of(width)))
            throw new IllegalArgumentException(op + ": lambda must be [" + width + "] (one per channel of x " + x.shape() + "), got " + lambda.shape());
        if (resets != null && !resets.shape().equals(Shape.of(batch, length)))
            throw new IllegalArgumentException(op + ": resets must be [" + batch + ", " + length + "] (batch, T of x " + x.shape()
                    + "), got " + resets.shape());
        if (h0 != null && !h0.shape().equals(Shape.of(batch, width)))
            throw new IllegalArgumentException(op + ": h0 must be [" + batch + ", " + width + "] (batch, width of x " + x.shape()
                    + "), got " + h0.shape());
    }
}
