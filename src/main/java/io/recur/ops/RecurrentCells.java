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
        Cell cell = Cell.of(op, gx, gh, cPrev, "cPrev", 4);
        // The scope closes saved once the tape holds its own view of it.
        try (Scope temporaries = Scope.open(op)) {
            Tensor h = cell.newState(), c = cell.newState(), saved = cell.savedOrNull(5);
            cell.backend.lstmCell(gx, gh, cPrev, cell.rows, cell.hidden, h, c, saved);
            Tape.recordOutputs(op, new Tensor[] {h, c}, (ctx, g) -> {
                Tensor dGates = cell.newGates(4), dCPrev = cell.newState();
                cell.backend.lstmCellBackward(ctx.saved(0), ctx.saved(1), cell.orZeros(g[0]), cell.orZeros(g[1]),
                        cell.rows, cell.hidden, dGates, dCPrev);
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
        Cell cell = Cell.of(op, gx, gh, hPrev, "hPrev", 3);
        try (Scope temporaries = Scope.open(op)) {
            Tensor h = cell.newState(), saved = cell.savedOrNull(3);
            cell.backend.gruCell(gx, gh, hPrev, cell.rows, cell.hidden, h, saved);
            Tape.record(op, h, (ctx, g) -> {
                Tensor dGx = cell.newGates(3), dGh = cell.newGates(3), dHPrev = cell.newState();
                cell.backend.gruCellBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), g, cell.rows, cell.hidden, dGx, dGh, dHPrev);
                return wanted(ctx, dGx, dGh, dHPrev);
            }, new Tensor[] {gx, gh, hPrev}, gh, hPrev, saved);
            return temporaries.keep(h);
        }
    }

    /** The sizes of one cell call, checked, and the tensors it allocates. */
    private record Cell(Backend backend, int rows, int hidden, Shape state, boolean recording) {
        /** Checks (batch, gates·hidden) pre-activations against the (batch, hidden) state. */
        static Cell of(String op, Tensor gx, Tensor gh, Tensor state, String stateName, int gates) {
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
            return new Cell(gx.backend(), batch, hidden, state.shape(), Tape.needsRecording(gx, gh, state));
        }

        Tensor newState() { return Outputs.f32(backend, state); }

        Tensor newGates(int gates) { return Outputs.f32(backend, Shape.of(rows, gates * hidden)); }

        /** What the forward keeps for the backward (blocks of hidden per row), or null when nothing is recorded. */
        Tensor savedOrNull(int blocks) { return recording ? newGates(blocks) : null; }

        /** An output that received no gradient contributes zeros. */
        Tensor orZeros(Tensor g) { return g != null ? g : backend.zeros(state); }
    }

    private static Tensor[] wanted(Context ctx, Tensor... grads) {
        for (int i = 0; i < grads.length; i++) if (!ctx.needsGrad(i)) grads[i] = null;
        return grads;
    }
}
