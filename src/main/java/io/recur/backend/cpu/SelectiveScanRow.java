package io.recur.backend.cpu;

import io.recur.backend.cpu.SelectiveScanData.View;

/**
 * The selective scan of one (batch, channel) row at a time, chunk by chunk, with buffers of one
 * chunk reused across the rows a worker runs. Within a chunk the loops run state by state over
 * the chunk's steps, so that B and C (contiguous in time when input-dependent) stream.
 *
 * <p>The backward walks the chunks in reverse. For each chunk and state it recomputes the states
 * from the checkpoint before the chunk, then runs the reverse recurrence
 * dx_t = dy_t C_t + a_{t+1} dx_{t+1} (a_t = exp(δ_t A), dy the gated output gradient), carrying
 * a_t dx_t across chunk boundaries, and collects: du += dx B δ, dδ += dx (B u + A a_t x_{t-1}),
 * dA += dx δ a_t x_{t-1}, dB_t = dx δ u, dC_t = dy x_t; after the last chunk the carry is dh0.
 */
final class SelectiveScanRow {
    private final SelectiveScanData m;
    private final float[] delta, raw, u, y, dy, decay, states, du, dDelta, dBChunk, dCChunk, state;

    SelectiveScanRow(SelectiveScanData m, boolean backward) {
        this.m = m;
        int len = m.chunk;
        delta = new float[len];
        u = new float[len];
        y = new float[len];
        state = new float[m.n];
        decay = new float[len];
        raw = backward ? new float[len] : null;
        dy = backward ? new float[len] : null;
        states = backward ? new float[len] : null;
        du = backward ? new float[len] : null;
        dDelta = backward ? new float[len] : null;
        dBChunk = backward && m.args.variableB() ? new float[m.n * len] : null;
        dCChunk = backward && m.args.variableC() ? new float[m.n * len] : null;
    }

    /** Per-channel sums of one row (indexed by row), reduced over the batch afterwards. */
    record Sums(double[] dA, double[] dB, double[] dC, double[] dD, double[] dDeltaBias) {}

    /** The per-row gradient outputs of the backward. */
    record Grads(View du, View dDelta, View dz, View dh0) {}

    /** Where the backward's shared, input-dependent dB and dC go: rows of a group add under its lock. */
    record Shared(View dB, View dC, Object[] bLocks, Object[] cLocks) {}

    private int t0(int k) { return k * m.chunk; }

    private int chunkLength(int k) { return Math.min(m.chunk, m.length - t0(k)); }

    /** Loads δ (and the raw δ + bias, for softplus's gradient) and u of chunk k; clears y. */
    private void load(int row, int k, int len) {
        long base = (long) row * m.length + t0(k);
        for (int i = 0; i < len; i++) {
            float r = m.rawDelta(row, t0(k) + i);
            if (raw != null) raw[i] = r;
            delta[i] = m.effectiveDelta(r);
            u[i] = m.u.get(base + i);
            y[i] = 0f;
        }
    }

    void forward(int row, View out, View checkpoints, View lastState) {
        int n = m.n, channel = row % m.dim;
        for (int s = 0; s < n; s++) state[s] = m.h0 == null ? 0f : m.h0.get((long) row * n + s);
        for (int k = 0; k < m.chunks; k++) {
            int len = chunkLength(k);
            load(row, k, len);
            for (int s = 0; s < n; s++) {
                float a = m.a.get((long) channel * n + s), x = state[s];
                long bi = m.bBase(row, s) + (long) t0(k) * m.bStride(), ci = m.cBase(row, s) + (long) t0(k) * m.cStride();
                int bs = m.bStride(), cs = m.cStride();
                FastExp.expScaled(delta, a, decay, len);   // apart from the recurrence, so that it vectorises
                for (int i = 0; i < len; i++, bi += bs, ci += cs) {
                    x = decay[i] * x + delta[i] * m.b.get(bi) * u[i];
                    y[i] += x * m.c.get(ci);
                }
                state[s] = x;
                if (checkpoints != null) checkpoints.set(((long) row * m.chunks + k) * n + s, x);
            }
            long base = (long) row * m.length + t0(k);
            float dSkip = m.d == null ? 0f : m.d.get(channel);
            for (int i = 0; i < len; i++) {
                float v = y[i] + dSkip * u[i];
                out.set(base + i, m.z == null ? v : v * SelectiveScanData.silu(m.z.get(base + i)));
            }
        }
        if (lastState != null) for (int s = 0; s < n; s++) lastState.set((long) row * n + s, state[s]);
    }

    void backward(int row, View checkpoints, View dOut, View dLast, Grads g, Shared shared, Sums sums) {
        int n = m.n, channel = row % m.dim;
        float[] carry = state;   // a_t dx_t of the chunk after, per state
        for (int s = 0; s < n; s++) carry[s] = dLast == null ? 0f : dLast.get((long) row * n + s);
        float dSkip = m.d == null ? 0f : m.d.get(channel);
        double dDSum = 0, biasSum = 0;
        for (int k = m.chunks - 1; k >= 0; k--) {
            int len = chunkLength(k);
            long base = (long) row * m.length + t0(k);
            load(row, k, len);
            for (int i = 0; i < len; i++) {
                float go = dOut.get(base + i);
                dy[i] = m.z == null ? go : go * SelectiveScanData.silu(m.z.get(base + i));
                du[i] = 0f;
                dDelta[i] = 0f;
            }
            for (int s = 0; s < n; s++) {
                float a = m.a.get((long) channel * n + s);
                float enter = k > 0 ? checkpoints.get(((long) row * m.chunks + k - 1) * n + s)
                        : m.h0 == null ? 0f : m.h0.get((long) row * n + s);
                long b0 = m.bBase(row, s) + (long) t0(k) * m.bStride(), c0 = m.cBase(row, s) + (long) t0(k) * m.cStride();
                int bs = m.bStride(), cs = m.cStride();
                float x = enter;
                FastExp.expScaled(delta, a, decay, len);
                for (int i = 0; i < len; i++) {
                    x = decay[i] * x + delta[i] * m.b.get(b0 + (long) i * bs) * u[i];
                    states[i] = x;
                    y[i] += x * m.c.get(c0 + (long) i * cs);
                }
                float next = carry[s];
                double dA = 0, dB = 0, dC = 0;
                for (int i = len - 1; i >= 0; i--) {
                    float bv = m.b.get(b0 + (long) i * bs), d = delta[i];
                    float dx = next + dy[i] * m.c.get(c0 + (long) i * cs);
                    float decayed = decay[i] * (i > 0 ? states[i - 1] : enter);   // a_t x_{t-1}
                    du[i] += dx * bv * d;
                    dDelta[i] += dx * (bv * u[i] + a * decayed);
                    dA += dx * d * decayed;
                    float dBt = dx * d * u[i], dCt = dy[i] * states[i];
                    if (dBChunk != null) dBChunk[s * len + i] = dBt;
                    else dB += dBt;
                    if (dCChunk != null) dCChunk[s * len + i] = dCt;
                    else dC += dCt;
                    next = decay[i] * dx;
                }
                carry[s] = next;
                long at = (long) row * n + s;
                sums.dA[(int) at] += dA;
                if (dBChunk == null) sums.dB[(int) at] += dB;
                if (dCChunk == null) sums.dC[(int) at] += dC;
            }
            if (dBChunk != null) addShared(shared.dB, shared.bLocks, m.args.groupsB(), row, k, len, dBChunk);
            if (dCChunk != null) addShared(shared.dC, shared.cLocks, m.args.groupsC(), row, k, len, dCChunk);
            for (int i = 0; i < len; i++) {
                long t = base + i;
                float dd = m.args.deltaSoftplus() ? dDelta[i] * SelectiveScanData.softplusGrad(raw[i]) : dDelta[i];
                g.du.set(t, du[i] + dSkip * dy[i]);
                g.dDelta.set(t, dd);
                if (g.dz != null) {
                    float zv = m.z.get(t);
                    g.dz.set(t, dOut.get(t) * (y[i] + dSkip * u[i]) * SelectiveScanData.siluGrad(zv));
                }
                dDSum += dy[i] * u[i];
                biasSum += dd;
            }
        }
        if (g.dh0 != null) for (int s = 0; s < n; s++) g.dh0.set((long) row * n + s, carry[s]);
        sums.dD[row] += dDSum;
        sums.dDeltaBias[row] += biasSum;
    }

    /** Adds one chunk's dB (or dC) of this row into its (batch, group) slice, which other channels share. */
    private void addShared(View target, Object[] locks, int groups, int row, int k, int len, float[] chunkGrads) {
        int unit = m.group(row, groups);
        synchronized (locks[unit]) {
            for (int s = 0; s < m.n; s++) {
                long base = ((long) unit * m.n + s) * m.length + t0(k);
                for (int i = 0; i < len; i++) target.add(base + i, chunkGrads[s * len + i]);
            }
        }
    }
}
