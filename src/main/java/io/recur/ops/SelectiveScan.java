package io.recur.ops;

import io.recur.autograd.Context;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.backend.SelectiveScanArgs;
import io.recur.backend.SelectiveScanGrads;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * Mamba's selective scan (S6) as a differentiable operation, with the semantics and shapes of
 * mamba_ssm's selective_scan_ref (see {@link SelectiveScanArgs}), plus an initial state h0.
 * Gradients reach every float input. The forward keeps only the state after every chunk of
 * {@link SelectiveScanArgs#chunkLength()} steps for the backward, which recomputes the rest.
 */
public final class SelectiveScan {
    private static final String OP = "selectiveScan";

    private SelectiveScan() {}

    /** The output and the state after the last step. */
    public record Result(Tensor out, Tensor lastState) {}

    /**
     * out (batch, dim, L) of the selective scan.
     *
     * @param u          input (batch, dim, L)
     * @param delta      time steps before bias and softplus (batch, dim, L)
     * @param a          A (dim, N), usually negative
     * @param b          B: fixed (dim, N) or input-dependent (batch, groups, N, L)
     * @param c          C: like B
     * @param d          skip weight D (dim), or null
     * @param z          gate (batch, dim, L), or null: out = y · silu(z)
     * @param deltaBias  added to delta (dim), or null
     * @param softplus   whether δ = softplus(delta + deltaBias)
     * @param h0         initial state (batch, dim, N), or null for zeros
     */
    public static Tensor selectiveScan(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d, Tensor z,
                                       Tensor deltaBias, boolean softplus, Tensor h0) {
        return selectiveScan(args(u, delta, a, b, c, d, z, deltaBias, softplus, h0));
    }

    /** As {@link #selectiveScan(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, boolean, Tensor)}, also returning the last state (batch, dim, N), differentiable too. */
    public static Result selectiveScanWithLastState(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d, Tensor z,
                                                    Tensor deltaBias, boolean softplus, Tensor h0) {
        return selectiveScanWithLastState(args(u, delta, a, b, c, d, z, deltaBias, softplus, h0));
    }

    /** With every option in args, including the chunk length between saved states. */
    public static Tensor selectiveScan(SelectiveScanArgs args) {
        return run(args, false).out();
    }

    public static Result selectiveScanWithLastState(SelectiveScanArgs args) {
        return run(args, true);
    }

    private static SelectiveScanArgs args(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d, Tensor z,
                                          Tensor deltaBias, boolean softplus, Tensor h0) {
        Checks.sameBackend(OP, u, delta, a, b, c, d, z, deltaBias, h0);
        return new SelectiveScanArgs(u, delta, a, b, c, d, z, deltaBias, h0, softplus);
    }

    private static Tensor[] inputs(SelectiveScanArgs x) {
        return new Tensor[] {x.u(), x.delta(), x.a(), x.b(), x.c(), x.d(), x.z(), x.deltaBias(), x.h0()};
    }

    /**
     * One forward into a single buffer (out, then the last state when asked for), recorded as one
     * tape node so that one backward serves gradients arriving through either part.
     */
    private static Result run(SelectiveScanArgs args, boolean withLast) {
        Tensor[] inputs = inputs(args);
        Checks.sameBackend(OP, inputs);
        Backend be = args.u().backend();
        Shape outShape = args.u().shape(), stateShape = args.stateShape();
        int outSize = Math.toIntExact(outShape.size()), total = Math.toIntExact(outSize + (withLast ? stateShape.size() : 0));
        boolean recording = Tape.needsRecording(inputs);
        Tensor packed;
        try (Scope temporaries = Scope.open(OP)) {
            packed = be.allocate(Shape.of(total), DType.F32);
            Tensor checkpoints = recording ? be.allocate(args.checkpointShape(), DType.F32) : null;
            be.selectiveScan(args, packed.slice0(0, outSize).reshape(outShape.dims()), checkpoints,
                    withLast ? packed.slice0(outSize, total).reshape(stateShape.dims()) : null);
            Tensor[] saved = Arrays.copyOf(inputs, inputs.length + 1);
            saved[inputs.length] = checkpoints;
            boolean softplus = args.deltaSoftplus();
            int chunk = args.chunkLength();
            Shape lastShape = withLast ? stateShape : null;
            Tape.record(OP, packed, (ctx, g) -> backward(ctx, g, softplus, chunk, outShape, lastShape), inputs, saved);
            temporaries.keep(packed);
        }
        if (!withLast) return new Result(Shapes.reshape(packed, outShape.dims()), null);
        return new Result(Shapes.reshape(Shapes.slice(packed, 0, 0, outSize), outShape.dims()),
                Shapes.reshape(Shapes.slice(packed, 0, outSize, total), stateShape.dims()));
    }

    /** The gradients of every input that wants one, from the gradient of the packed (out, last state). */
    private static Tensor[] backward(Context ctx, Tensor g, boolean softplus, int chunk, Shape outShape, Shape stateShape) {
        Backend gb = g.backend();
        SelectiveScanArgs args = new SelectiveScanArgs(ctx.saved(0), ctx.saved(1), ctx.saved(2), ctx.saved(3), ctx.saved(4),
                ctx.saved(5), ctx.saved(6), ctx.saved(7), ctx.saved(8), softplus, chunk);
        int outSize = Math.toIntExact(outShape.size());
        Tensor dOut = g.slice0(0, outSize).reshape(outShape.dims());
        Tensor dLast = stateShape == null ? null : g.slice0(outSize, Math.toIntExact(g.size())).reshape(stateShape.dims());
        Tensor[] in = inputs(args);
        Tensor[] grads = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) if (in[i] != null) grads[i] = gb.allocate(in[i].shape(), DType.F32);
        if (!ctx.needsGrad(8)) grads[8] = null;   // dh0 is optional
        gb.selectiveScanBackward(args, ctx.saved(9), dOut, dLast,
                new SelectiveScanGrads(grads[0], grads[1], grads[2], grads[3], grads[4], grads[5], grads[6], grads[7], grads[8]));
        for (int i = 0; i < grads.length; i++) if (!ctx.needsGrad(i)) grads[i] = null;
        return grads;
    }
}
