package io.recur.backend.cpu;

/**
 * One row of a diagonal linear recurrence as an {@link AssociativeScan.Sequence}: state h,
 * step s does h = c_s h + x_s and writes h, with the pair operator
 * (c₁, x₁) ∘ (c₂, x₂) = (c₂c₁, c₂x₁ + x₂). Step s is at time first + dir·s of the row.
 *
 * <p>The forward reads c_s = a'_t (a, or 0 at a reset) and x_s = b_t. The gradient is the same
 * recurrence run in the opposite direction and lagged by one step (c_s is the forward
 * coefficient of the step before, 0 for s = 0) over x_s = gradH_t; it additionally writes
 * da_t = dh_t h_prev (0 at a reset) and dh0 = a'_first dh_first.
 */
final class DiagonalRecurrence implements AssociativeScan.Sequence<Float, float[]> {
    /** The arrays of one scan call with their offsets; rows share it. Unused arrays are null. */
    record Arrays(float[] a, int aOff, float[] resets, int resetsOff, float[] x, int xOff, float[] out, int outOff,
                  float[] h0, int h0Off, float[] h, int hOff, float[] da, int daOff, float[] dh0, int dh0Off) {}

    private final Arrays m;
    private final int base, first, dir, length, row;
    private final boolean lagged;

    private DiagonalRecurrence(Arrays m, int row, int length, boolean reverse, boolean lagged) {
        this.m = m;
        this.row = row;
        this.base = row * length;
        this.length = length;
        this.first = reverse ? length - 1 : 0;
        this.dir = reverse ? -1 : 1;
        this.lagged = lagged;
    }

    /** The forward of row r: h_t = a'_t h_prev + b_t, in time order or reversed. */
    static DiagonalRecurrence forward(Arrays m, int row, int length, boolean reverse) {
        return new DiagonalRecurrence(m, row, length, reverse, false);
    }

    /** The gradient of row r of a forward scan in direction reverse: runs the other way, lagged. */
    static DiagonalRecurrence gradient(Arrays m, int row, int length, boolean reverse) {
        return new DiagonalRecurrence(m, row, length, !reverse, true);
    }

    private int time(int s) { return first + dir * s; }

    /** a'_t: a_t, or 0 where the reset mask is set. */
    private float effectiveA(int t) {
        return m.resets != null && m.resets[m.resetsOff + base + t] != 0 ? 0f : m.a[m.aOff + base + t];
    }

    @Override
    public Float initial() {
        return lagged || m.h0 == null ? 0f : m.h0[m.h0Off + row];
    }

    /*
     * reduce and scan walk three indices in step: the step's time t (x and out), and the time
     * whose coefficient it uses, t itself or, lagged, the step before's. Flat loops keep them
     * as fast as the plain sequential loop.
     */

    @Override
    public float[] reduce(int from, int to) {
        float c = 1f, x = 0f;
        int s = from;
        if (lagged && s == 0 && s < to) {   // the gradient's first step has coefficient 0
            c = 0f;
            x = m.x[m.xOff + base + time(0)];
            s = 1;
        }
        float[] as = m.a, rs = m.resets, xs = m.x;
        int xi = m.xOff + base + time(s), ci = base + time(lagged ? s - 1 : s), ao = m.aOff, ro = m.resetsOff;
        for (; s < to; s++, xi += dir, ci += dir) {
            float cs = rs != null && rs[ro + ci] != 0 ? 0f : as[ao + ci];
            c *= cs;
            x = cs * x + xs[xi];
        }
        return new float[] {c, x};
    }

    @Override
    public Float advance(Float state, float[] aggregate) { return aggregate[0] * state + aggregate[1]; }

    @Override
    public void scan(Float state, int from, int to) {
        float h = state;
        int s = from;
        if (lagged && s == 0 && s < to) {
            h = m.x[m.xOff + base + time(0)];
            m.out[m.outOff + base + time(0)] = h;
            s = 1;
        }
        float[] as = m.a, rs = m.resets, xs = m.x, out = m.out;
        int t = base + time(s), ci = base + time(lagged ? s - 1 : s);
        int xo = m.xOff, oo = m.outOff, ao = m.aOff, ro = m.resetsOff;
        for (; s < to; s++, t += dir, ci += dir) {
            float c = rs != null && rs[ro + ci] != 0 ? 0f : as[ao + ci];
            h = c * h + xs[xo + t];
            out[oo + t] = h;
        }
        if (lagged && m.da != null) writeDa(from, to);
        if (lagged && m.dh0 != null && to == length) m.dh0[m.dh0Off + row] = effectiveA(time(length - 1)) * h;
    }

    /** Rows a sequential-rows pass interleaves: independent FMA chains that hide each other's latency. */
    static final int GROUP = 4;

    /**
     * Runs whole rows [r0, r1) sequentially (the forward, or with lagged the gradient), GROUP rows at
     * a time: the recurrence of one row is one dependent multiply-add chain, so stepping several rows
     * together in one loop keeps the floating-point pipeline full. Each row's arithmetic is exactly
     * that of {@link #scan} from its initial state.
     */
    static void scanRows(Arrays m, int r0, int r1, int length, boolean reverse, boolean lagged) {
        boolean dirReverse = lagged != reverse;   // the gradient runs the other way
        int r = r0;
        for (; r + GROUP <= r1; r += GROUP) scanGroup(m, r, length, dirReverse, lagged);
        for (; r < r1; r++) {
            DiagonalRecurrence s = new DiagonalRecurrence(m, r, length, dirReverse, lagged);
            s.scan(s.initial(), 0, length);
        }
    }

    private static void scanGroup(Arrays m, int r, int length, boolean reverse, boolean lagged) {
        if (length == 0) return;
        int dir = reverse ? -1 : 1, first = reverse ? length - 1 : 0, L = length;
        float[] as = m.a, rs = m.resets, xs = m.x, out = m.out;
        float h0, h1, h2, h3;
        int s = 0;
        int base = r * L + first;   // row r, step 0
        if (lagged) {   // step 0 has coefficient 0: h = x
            h0 = xs[m.xOff + base];
            h1 = xs[m.xOff + base + L];
            h2 = xs[m.xOff + base + 2 * L];
            h3 = xs[m.xOff + base + 3 * L];
            out[m.outOff + base] = h0;
            out[m.outOff + base + L] = h1;
            out[m.outOff + base + 2 * L] = h2;
            out[m.outOff + base + 3 * L] = h3;
            s = 1;
        } else if (m.h0 != null) {
            h0 = m.h0[m.h0Off + r];
            h1 = m.h0[m.h0Off + r + 1];
            h2 = m.h0[m.h0Off + r + 2];
            h3 = m.h0[m.h0Off + r + 3];
        } else {
            h0 = h1 = h2 = h3 = 0f;
        }
        int t = base + dir * s, ci = lagged ? t - dir : t;   // element of step s, and of its coefficient
        int xi = m.xOff + t, oi = m.outOff + t, ai = m.aOff + ci, ri = m.resetsOff + ci;
        int L2 = 2 * L, L3 = 3 * L;
        if (rs == null) {
            for (; s < length; s++, xi += dir, oi += dir, ai += dir) {
                h0 = as[ai] * h0 + xs[xi];
                h1 = as[ai + L] * h1 + xs[xi + L];
                h2 = as[ai + L2] * h2 + xs[xi + L2];
                h3 = as[ai + L3] * h3 + xs[xi + L3];
                out[oi] = h0;
                out[oi + L] = h1;
                out[oi + L2] = h2;
                out[oi + L3] = h3;
            }
        } else {
            for (; s < length; s++, xi += dir, oi += dir, ai += dir, ri += dir) {
                h0 = (rs[ri] != 0 ? 0f : as[ai]) * h0 + xs[xi];
                h1 = (rs[ri + L] != 0 ? 0f : as[ai + L]) * h1 + xs[xi + L];
                h2 = (rs[ri + L2] != 0 ? 0f : as[ai + L2]) * h2 + xs[xi + L2];
                h3 = (rs[ri + L3] != 0 ? 0f : as[ai + L3]) * h3 + xs[xi + L3];
                out[oi] = h0;
                out[oi + L] = h1;
                out[oi + L2] = h2;
                out[oi + L3] = h3;
            }
        }
        if (lagged) {
            float[] last = {h0, h1, h2, h3};
            for (int k = 0; k < GROUP; k++) {
                DiagonalRecurrence row = new DiagonalRecurrence(m, r + k, length, reverse, true);
                if (m.da != null) row.writeDa(0, length);
                if (m.dh0 != null) m.dh0[m.dh0Off + r + k] = row.effectiveA(row.time(length - 1)) * last[k];
            }
        }
    }

    /** da_t = dh_t h_prev with h_prev the forward state before t (the next step in this scan order). */
    private void writeDa(int from, int to) {
        float h0 = m.h0 == null ? 0f : m.h0[m.h0Off + row];
        for (int s = from; s < to; s++) {
            int t = time(s);
            boolean reset = m.resets != null && m.resets[m.resetsOff + base + t] != 0;
            float prev = s + 1 < length ? m.h[m.hOff + base + time(s + 1)] : h0;
            m.da[m.daOff + base + t] = reset ? 0f : m.out[m.outOff + base + t] * prev;
        }
    }
}
