package io.recur.ops;

import io.recur.autograd.Context;
import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Scope;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.Arrays;

/**
 * Differentiable linear recurrences (associative scans): the diagonal h_t = a_t ⊙ h_{t-1} + b_t of
 * Mamba, Griffin's RG-LRU and LRU, and the dense h_t = A_t h_{t-1} + b_t of DEER. Gradients reach
 * a, b and h0 (by a reverse scan); reset masks are not differentiable. Accumulation is float32.
 */
public final class Scans {
    private Scans() {}

    /**
     * The diagonal recurrence over the last axis, on the native time-last layout (..., T), e.g.
     * (batch, channels, T): h_t = a'_t h_{t-1} + b_t for t = 0 … T-1 with h_{-1} = h0, or with
     * reverse h_t = a'_t h_{t+1} + b_t for t = T-1 … 0 with h_T = h0.
     *
     * @param a      coefficients (..., T)
     * @param b      inputs, a's shape
     * @param h0     initial state (...) (a's shape without the time axis), or null for zeros
     * @param resets null, or a mask broadcastable to a's shape (e.g. (batch, 1, T)): where it is
     *               nonzero a new segment starts, a'_t = 0 and the state ignores the past;
     *               elsewhere a'_t = a_t. Not differentiated.
     * @return h, a's shape
     */
    public static Tensor linearScan(Tensor a, Tensor b, Tensor h0, Tensor resets, boolean reverse) {
        String op = "linearScan";
        checkDiagonal(op, a, b, h0, resets, a.shape().dims().length - 1);
        Backend be = a.backend();
        Shape shape = a.shape();
        int length = shape.last();
        int rows = Math.toIntExact(a.size() / length);
        try (Scope temporaries = Scope.open(op)) {
            Tensor mask = resets == null ? null : expanded(resets, shape);
            Tensor h = be.allocate(shape, DType.F32);
            be.linearScan(a, b, h0, mask, rows, length, reverse, h);
            Shape h0Shape = h0 == null ? null : h0.shape();
            Tape.record(op, h, (ctx, g) -> {
                Backend gb = g.backend();
                Tensor da = ctx.needsGrad(0) ? gb.allocate(shape, DType.F32) : null;
                Tensor db = gb.allocate(shape, DType.F32);
                Tensor dh0 = h0Shape != null && ctx.needsGrad(2) ? gb.allocate(h0Shape, DType.F32) : null;
                gb.linearScanBackward(ctx.saved(0), da == null ? null : ctx.saved(1), ctx.saved(2), ctx.saved(3), g,
                        rows, length, reverse, da, db, dh0);
                return wanted(ctx, da, db, dh0);
            }, new Tensor[] {a, b, h0}, a, h, h0, mask);
            return temporaries.keep(h);
        }
    }

    /**
     * {@link #linearScan} on the channels-last layout (..., T, channels): a, b (and resets, after
     * broadcasting to a's shape) are transposed to time-last in one pass each, scanned there (the
     * native layout) and h is transposed back. h0 is (..., channels), as for time-last.
     */
    public static Tensor linearScanChannelsLast(Tensor a, Tensor b, Tensor h0, Tensor resets, boolean reverse) {
        String op = "linearScanChannelsLast";
        checkDiagonal(op, a, b, h0, resets, a.shape().dims().length - 2);
        try (Scope temporaries = Scope.open(op)) {
            Tensor mask = resets == null ? null : Shapes.transpose(expanded(resets, a.shape()), -2, -1);
            Tensor h = linearScan(Shapes.transpose(a, -2, -1), Shapes.transpose(b, -2, -1), h0, mask, reverse);
            return temporaries.keep(Shapes.transpose(h, -2, -1));
        }
    }

    /**
     * The dense recurrence h_t = A_t h_{t-1} + b_t (t = 0 … T-1, h_{-1} = h0), or with reverse
     * h_t = A_t h_{t+1} + b_t (t = T-1 … 0, h_T = h0), for a small state (1 <= n <= 32).
     * Sequences run in parallel; the CPU also splits long sequences over cores when that pays.
     *
     * @param a  transition matrices (..., T, n, n), A_t[i][j] multiplying h_j into h_i
     * @param b  inputs (..., T, n)
     * @param h0 initial state (..., n), or null for zeros
     * @return h (..., T, n)
     */
    public static Tensor matrixScan(Tensor a, Tensor b, Tensor h0, boolean reverse) {
        String op = "matrixScan";
        ShapeChecks.floats(op, "A", a);
        ShapeChecks.floats(op, "b", b);
        if (h0 != null) ShapeChecks.floats(op, "h0", h0);
        Checks.sameBackend(op, a, b, h0);
        int[] ad = a.shape().dims();
        if (ad.length < 3 || ad[ad.length - 1] != ad[ad.length - 2])
            throw new IllegalArgumentException(op + ": A must be (..., T, n, n) with square matrices, got " + a.shape());
        int n = ad[ad.length - 1];
        if (n < 1 || n > 32) throw new IllegalArgumentException(op + ": state size n must be in [1, 32], got " + n + " from A " + a.shape());
        Shape vectors = Shape.of(Arrays.copyOf(ad, ad.length - 1));
        if (!b.shape().equals(vectors))
            throw new IllegalArgumentException(op + ": b must be " + vectors + " to match A " + a.shape() + ", got " + b.shape());
        int length = ad[ad.length - 3];
        if (length == 0) throw new IllegalArgumentException(op + ": the time axis of A " + a.shape() + " is empty; nothing to scan");
        int[] sd = Arrays.copyOf(ad, ad.length - 2);
        sd[sd.length - 1] = n;
        Shape stateShape = Shape.of(sd);
        if (h0 != null && !h0.shape().equals(stateShape))
            throw new IllegalArgumentException(op + ": h0 must be " + stateShape + " (A " + a.shape() + " without the time axis), got " + h0.shape());
        int rows = Math.toIntExact(b.size() / ((long) length * n));
        Backend be = a.backend();
        Shape aShape = a.shape();
        Tensor h = be.allocate(vectors, DType.F32);
        be.matrixScan(a, b, h0, rows, length, n, reverse, h);
        return Tape.record(op, h, (ctx, g) -> {
            Backend gb = g.backend();
            Tensor dA = ctx.needsGrad(0) ? gb.allocate(aShape, DType.F32) : null;
            Tensor db = gb.allocate(vectors, DType.F32);
            Tensor dh0 = h0 != null && ctx.needsGrad(2) ? gb.allocate(stateShape, DType.F32) : null;
            gb.matrixScanBackward(ctx.saved(0), dA == null ? null : ctx.saved(1), ctx.saved(2), g, rows, length, n, reverse,
                    dA, db, dh0);
            return wanted(ctx, dA, db, dh0);
        }, new Tensor[] {a, b, h0}, a, h, h0);
    }

    /** a and b of one shape with a non-empty time axis at timeAxis; h0 that shape without it; resets broadcastable. */
    private static void checkDiagonal(String op, Tensor a, Tensor b, Tensor h0, Tensor resets, int timeAxis) {
        ShapeChecks.floats(op, "a", a);
        ShapeChecks.floats(op, "b", b);
        if (h0 != null) ShapeChecks.floats(op, "h0", h0);
        if (resets != null) ShapeChecks.floats(op, "resets", resets);
        Checks.sameBackend(op, a, b, h0, resets);
        if (timeAxis < 0)
            throw new IllegalArgumentException(op + ": a must be (..., T, channels), rank >= 2, got " + a.shape());
        if (!b.shape().equals(a.shape()))
            throw new IllegalArgumentException(op + ": b must have a's shape " + a.shape() + ", got " + b.shape());
        int[] dims = a.shape().dims();
        if (dims[timeAxis] == 0)
            throw new IllegalArgumentException(op + ": the time axis (" + timeAxis + ") of " + a.shape() + " is empty; nothing to scan");
        int[] state = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != timeAxis) state[j++] = dims[i];
        if (h0 != null && !Arrays.equals(h0.shape().dims(), state))
            throw new IllegalArgumentException(op + ": h0 must be " + Arrays.toString(state) + " (a's shape " + a.shape()
                    + " without the time axis), got " + h0.shape());
        if (resets != null) {
            boolean fits;
            try {
                fits = Shape.broadcast(resets.shape(), a.shape()).equals(a.shape());
            } catch (IllegalArgumentException e) {
                fits = false;
            }
            if (!fits)
                throw new IllegalArgumentException(op + ": resets " + resets.shape() + " must broadcast to a's shape " + a.shape());
        }
    }

    /** resets broadcast to shape (a new tensor, owned by the current scope), or resets itself if it has it. */
    private static Tensor expanded(Tensor resets, Shape shape) {
        if (resets.shape().equals(shape)) return resets;
        Tensor full = resets.backend().allocate(shape, DType.F32);
        resets.backend().broadcastTo(resets, full);
        return full;
    }

    /** The gradients the tape asked for; the others stay null (and the backward scope closes them). */
    private static Tensor[] wanted(Context ctx, Tensor... grads) {
        Tensor[] out = grads.clone();
        for (int i = 0; i < out.length; i++) if (!ctx.needsGrad(i)) out[i] = null;
        return out;
    }
}
