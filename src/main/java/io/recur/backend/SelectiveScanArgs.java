package io.recur.backend;

import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * The inputs and options of a selective scan (Mamba's S6, as mamba_ssm's selective_scan_ref defines
 * it), with the sizes they imply. Per batch b, channel d and time t (L steps), with state size N:
 * <pre>
 *   δ_t = delta_t + deltaBias        (then softplus(δ) = log(1 + e^δ), δ for δ > 20, if deltaSoftplus)
 *   x_t = exp(δ_t A) ⊙ x_{t-1} + δ_t B_t u_t        (x_{-1} = h0, or 0)
 *   y_t = ⟨x_t, C_t⟩ + D u_t,   out_t = y_t · silu(z_t)
 * </pre>
 * Shapes: u, delta and z (batch, dim, L); a (dim, N); b and c each either fixed (dim, N) or
 * input-dependent (batch, groups, N, L), a group shared by dim/groups consecutive channels; d and
 * deltaBias (dim); h0 (batch, dim, N). d, z, deltaBias and h0 may be null. The constructor checks
 * all of this and says which shape is wrong.
 *
 * <p>chunkLength: the forward saves the state only after every chunkLength steps (the
 * checkpoints, {@link #checkpointShape}); the backward recomputes each chunk's states from them.
 */
public record SelectiveScanArgs(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d, Tensor z,
                                Tensor deltaBias, Tensor h0, boolean deltaSoftplus, int chunkLength) {
    /** Steps between saved states unless the caller chooses: the checkpoints take 1/512 of all the states. */
    public static final int DEFAULT_CHUNK = 512;
    /** The largest state size (the kernels keep per-state carries in shared memory). */
    public static final int MAX_STATE = 256;
    /** softplus(x) = x above this, as in PyTorch's F.softplus and mamba_ssm. */
    public static final float SOFTPLUS_THRESHOLD = 20f;

    private static final String OP = "selectiveScan";

    public SelectiveScanArgs {
        require(u != null && delta != null && a != null && b != null && c != null, "u, delta, A, B and C are required");
        for (Tensor t : new Tensor[] {u, delta, a, b, c, d, z, deltaBias, h0})
            if (t != null && t.dtype() != DType.F32) throw new IllegalArgumentException(OP + ": inputs must be float32, got " + t);
        require(u.rank() == 3, "u must be (batch, dim, L), got " + u.shape());
        int batch = u.dim(0), dim = u.dim(1), length = u.dim(2);
        require(batch > 0 && dim > 0 && length > 0, "u " + u.shape() + " is empty; nothing to scan");
        require(delta.shape().equals(u.shape()), "delta must have u's shape " + u.shape() + ", got " + delta.shape());
        require(a.rank() == 2 && a.dim(0) == dim, "A must be (dim, N) = (" + dim + ", N) for u " + u.shape() + ", got " + a.shape());
        int n = a.dim(1);
        require(n >= 1 && n <= MAX_STATE, "state size N must be in [1, " + MAX_STATE + "], got " + n + " from A " + a.shape());
        checkProjection("B", b, batch, dim, n, length);
        checkProjection("C", c, batch, dim, n, length);
        if (d != null) require(d.shape().equals(Shape.of(dim)), "D must be (dim) = (" + dim + "), got " + d.shape());
        if (deltaBias != null)
            require(deltaBias.shape().equals(Shape.of(dim)), "delta_bias must be (dim) = (" + dim + "), got " + deltaBias.shape());
        if (z != null) require(z.shape().equals(u.shape()), "z must have u's shape " + u.shape() + ", got " + z.shape());
        if (h0 != null)
            require(h0.shape().equals(Shape.of(batch, dim, n)), "h0 must be (batch, dim, N) = " + Shape.of(batch, dim, n) + ", got " + h0.shape());
        require(chunkLength > 0, "chunk length must be positive, got " + chunkLength);
    }

    /** With the default chunk length. */
    public SelectiveScanArgs(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d, Tensor z, Tensor deltaBias,
                             Tensor h0, boolean deltaSoftplus) {
        this(u, delta, a, b, c, d, z, deltaBias, h0, deltaSoftplus, DEFAULT_CHUNK);
    }

    private static void checkProjection(String name, Tensor t, int batch, int dim, int n, int length) {
        if (t.rank() == 2) {
            require(t.shape().equals(Shape.of(dim, n)), name + " fixed must be (dim, N) = " + Shape.of(dim, n) + ", got " + t.shape());
            return;
        }
        int[] s = t.shape().dims();
        boolean ok = s.length == 4 && s[0] == batch && s[1] >= 1 && dim % s[1] == 0 && s[2] == n && s[3] == length;
        require(ok, name + " must be fixed (dim, N) = " + Shape.of(dim, n) + " or input-dependent (batch, groups, N, L) = ("
                + batch + ", G, " + n + ", " + length + ") with dim " + dim + " divisible by G, got " + Arrays.toString(s));
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(OP + ": " + message);
    }

    public int batch() { return u.dim(0); }

    public int dim() { return u.dim(1); }

    public int length() { return u.dim(2); }

    public int stateSize() { return a.dim(1); }

    public boolean variableB() { return b.rank() == 4; }

    public boolean variableC() { return c.rank() == 4; }

    /** Groups of an input-dependent B (1 when fixed: every channel reads its own row). */
    public int groupsB() { return variableB() ? b.dim(1) : 1; }

    public int groupsC() { return variableC() ? c.dim(1) : 1; }

    /** Number of chunks of chunkLength steps (the last may be shorter). */
    public int chunks() { return (int) ((length() + (long) chunkLength - 1) / chunkLength); }

    /** (batch, dim, chunks, N): the state after each chunk. */
    public Shape checkpointShape() { return Shape.of(batch(), dim(), chunks(), stateSize()); }

    /** (batch, dim, N): h0, the last state and their gradients. */
    public Shape stateShape() { return Shape.of(batch(), dim(), stateSize()); }

    /**
     * Fails unless the forward's outputs fit: out u's shape; checkpoints (may be null)
     * {@link #checkpointShape}; lastState (may be null) {@link #stateShape}.
     */
    public void checkForward(Tensor out, Tensor checkpoints, Tensor lastState) {
        expect("out", out, u.shape());
        if (checkpoints != null) expect("checkpoints", checkpoints, checkpointShape());
        if (lastState != null) expect("lastState", lastState, stateShape());
    }

    /**
     * Fails unless the backward's inputs fit: checkpoints as the forward wrote them (required with
     * more than one chunk; one chunk starts from h0), dOut u's shape, dLastState (may be null) the
     * state's.
     */
    public void checkBackward(Tensor checkpoints, Tensor dOut, Tensor dLastState) {
        if (checkpoints == null && chunks() > 1)
            throw new IllegalArgumentException("selectiveScanBackward: " + chunks() + " chunks of " + chunkLength
                    + " steps need the forward's checkpoints " + checkpointShape());
        if (checkpoints != null) expect("checkpoints", checkpoints, checkpointShape());
        expect("dOut", dOut, u.shape());
        if (dLastState != null) expect("dLastState", dLastState, stateShape());
    }

    private static void expect(String what, Tensor t, Shape shape) {
        if (t == null || !t.shape().equals(shape))
            throw new IllegalArgumentException(OP + ": " + what + " must be " + shape + ", got " + (t == null ? "null" : t.shape()));
    }
}
