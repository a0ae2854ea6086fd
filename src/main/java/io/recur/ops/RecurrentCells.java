package io.recur.ops;

import io.recur.autograd.Context;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The pointwise parts of torch's LSTM and GRU cells as single differentiable operations
 * ({@link Backend#lstmCell}, {@link Backend#gruCell}): one dispatch and one tape record per step
 * instead of a dozen elementwise ones. The GEMMs that make the gate pre-activations stay outside.
 */
public final class RecurrentCells {
    private RecurrentCells() {}

    /** An LSTM cell's new state. */
    public record LstmState(Tensor h, Tensor c) {}

    /**
     * One LSTM step from gate pre-activations (batch, 4·hidden), gates in torch's order i, f, g, o:
     * pre = gx + gh, c = σ(f) cPrev + σ(i) tanh(g), h = σ(o) tanh(c). gx and gh are typically
     * x W_ihᵀ + b_ih and h W_hhᵀ + b_hh; gh may be null when gx already holds the sum. cPrev is
     * (batch, hidden). Differentiable in gx, gh and cPrev.
     */
    public static LstmState lstmCell(Tensor gx, Tensor gh, Tensor cPrev) {
        String op = "lstmCell";
        int hidden = check(op, gx, gh, cPrev, "cPrev", 4);
        int rows = gx.dim(0);
        Backend be = gx.backend();
        Shape state = cPrev.shape();
        boolean recording = Tape.needsRecording(gx, gh, cPrev);
        // The scope closes saved once the tape holds its own view of it.
        try (Scope temporaries = Scope.open(op)) {
            Tensor h = Outputs.f32(be, state), c = Outputs.f32(be, state);
            Tensor saved = recording ? Outputs.f32(be, Shape.of(rows, 5 * hidden)) : null;
            be.lstmCell(gx, gh, cPrev, rows, hidden, h, c, saved);
            Tape.recordOutputs(op, new Tensor[] {h, c}, (ctx, g) -> {
                Backend gb = ctx.saved(0).backend();
                Tensor dGates = Outputs.f32(gb, Shape.of(rows, 4 * hidden)), dCPrev = Outputs.f32(gb, state);
                gb.lstmCellBackward(ctx.saved(0), ctx.saved(1), orZeros(g[0], gb, state), orZeros(g[1], gb, state),
                        rows, hidden, dGates, dCPrev);
                return wanted(ctx, dGates, dGates, dCPrev);   // gx and gh enter the sum alike
            }, new Tensor[] {gx, gh, cPrev}, cPrev, saved);
            return new LstmState(temporaries.keep(h), temporaries.keep(c));
        }
    }

    /**
     * One step of torch.nn.GRU from gx = x W_ihᵀ + b_ih and gh = h W_hhᵀ + b_hh (batch, 3·hidden),
     * gates in torch's order r, z, n: r = σ(gx_r + gh_r), z = σ(gx_z + gh_z),
     * n = tanh(gx_n + r gh_n), h = (1 − z) n + z hPrev. hPrev is (batch, hidden). Differentiable in
     * gx, gh and hPrev.
     */
    public static Tensor gruCell(Tensor gx, Tensor gh, Tensor hPrev) {
        String op = "gruCell";
        if (gh == null) throw new IllegalArgumentException(op + ": gh (h W_hhᵀ + b_hh) is required: the reset gate multiplies its n block");
        int hidden = check(op, gx, gh, hPrev, "hPrev", 3);
        int rows = gx.dim(0);
        Backend be = gx.backend();
        Shape state = hPrev.shape();
        boolean recording = Tape.needsRecording(gx, gh, hPrev);
        try (Scope temporaries = Scope.open(op)) {
            Tensor h = Outputs.f32(be, state);
            Tensor saved = recording ? Outputs.f32(be, gx.shape()) : null;
            be.gruCell(gx, gh, hPrev, rows, hidden, h, saved);
            Tape.record(op, h, (ctx, g) -> {
                Backend gb = g.backend();
                Tensor dGx = Outputs.f32(gb, Shape.of(rows, 3 * hidden)), dGh = Outputs.f32(gb, Shape.of(rows, 3 * hidden));
                Tensor dHPrev = Outputs.f32(gb, state);
                gb.gruCellBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), g, rows, hidden, dGx, dGh, dHPrev);
                return wanted(ctx, dGx, dGh, dHPrev);
            }, new Tensor[] {gx, gh, hPrev}, gh, hPrev, saved);
            return temporaries.keep(h);
        }
    }

    /** Checks (batch, gates·hidden) pre-activations against the (batch, hidden) state; returns hidden. */
    private static int check(String op, Tensor gx, Tensor gh, Tensor state, String stateName, int gates) {
        ShapeChecks.floats(op, "gx", gx);
        if (gh != null) ShapeChecks.floats(op, "gh", gh);
        ShapeChecks.floats(op, stateName, state);
        Checks.sameBackend(op, gx, gh, state);
        if (state.rank() != 2)
            throw new IllegalArgumentException(op + ": " + stateName + " must be (batch, hidden), got " + state.shape());
        int batch = state.dim(0), hidden = state.dim(1);
        Shape expected = Shape.of(batch, gates * hidden);
        if (!gx.shape().equals(expected))
            throw new IllegalArgumentException(op + ": gx must be (batch, " + gates + "·hidden) = " + expected + " for " + stateName
                    + " " + state.shape() + ", got " + gx.shape());
        if (gh != null && !gh.shape().equals(expected))
            throw new IllegalArgumentException(op + ": gh must have gx's shape " + expected + ", got " + gh.shape());
        return hidden;
    }

    /** An output that received no gradient contributes zeros. */
    private static Tensor orZeros(Tensor g, Backend be, Shape shape) { return g != null ? g : be.zeros(shape); }

    private static Tensor[] wanted(Context ctx, Tensor... grads) {
        for (int i = 0; i < grads.length; i++) if (!ctx.needsGrad(i)) grads[i] = null;
        return grads;
    }
}
