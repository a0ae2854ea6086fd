package io.recur.backend.cpu;

/**
 * The gradient of the RG-LRU for one row (a batch element and a tile of channels) as an
 * {@link AssociativeScan.Sequence} that runs backwards in time. Its state is the gradient reaching
 * h_t from the future, carry = a'_{t+1} dh_{t+1}; step t does dh_t = gradH_t + carry, writes the
 * element's gradients and passes on a'_t dh_t, an affine map of the carry: (a'_t, a'_t gradH_t).
 * After the last step (t = 0) the carry is dh0. Sums of d loss / d softplus(Λ) over the row's steps
 * are added to the call's per-channel accumulator under its lock.
 */
final class RgLruBackward implements AssociativeScan.Sequence<float[], float[]> {
    /** The gradient buffers of one call; dh0 may be null. dSoftplus is shared by all rows. */
    record Grads(float[] gradH, int gradHOff, float[] dx, int dxOff, float[] dGateX, int dGateXOff,
                 float[] dGateA, int dGateAOff, float[] dh0, int dh0Off, double[] dSoftplus) {}

    private final RgLruCall m;
    private final Grads g;
    private final int b, c0, n;

    RgLruBackward(RgLruCall m, Grads g, int row) {
        this.m = m;
        this.g = g;
        this.b = row / m.tiles();
        this.c0 = (row % m.tiles()) * RgLruCall.TILE;
        this.n = Math.min(RgLruCall.TILE, m.width() - c0);
    }

    private int time(int step) { return m.length() - 1 - step; }

    @Override
    public float[] initial() { return new float[n]; }

    @Override
    public float[] reduce(int from, int to) {
        float[] agg = new float[2 * n];
        java.util.Arrays.fill(agg, 0, n, 1f);
        float[] gh = g.gradH(), ga = m.gateA(), sp = m.softplus();
        for (int s = from; s < to; s++) {
            int t = time(s);
            boolean reset = m.isReset(b, t);
            int i = m.index(b, t, c0), gho = g.gradHOff() + i, gao = m.gateAOff() + i;
            for (int j = 0; j < n; j++) {
                float a = reset ? 0f : (float) Math.exp(RgLruGates.logA(ga[gao + j], sp[c0 + j]));
                agg[j] *= a;
                agg[n + j] = a * (agg[n + j] + gh[gho + j]);
            }
        }
        return agg;
    }

    @Override
    public float[] advance(float[] state, float[] agg) { return ChannelAffine.apply(state, agg); }

    @Override
    public void scan(float[] state, int from, int to) {
        float[] carry = state.clone();
        double[] dSoftplus = new double[n];
        float[] x = m.x(), gx = m.gateX(), ga = m.gateA(), sp = m.softplus(), h = m.h(), h0 = m.h0();
        float[] gh = g.gradH(), dx = g.dx(), dgx = g.dGateX(), dga = g.dGateA();
        for (int s = from; s < to; s++) {
            int t = time(s);
            boolean reset = m.isReset(b, t);
            int i = m.index(b, t, c0);
            for (int j = 0; j < n; j++) {
                float dh = gh[g.gradHOff() + i + j] + carry[j];
                float xv = x[m.xOff() + i + j], gateA = RgLruGates.sigmoid(ga[m.gateAOff() + i + j]);
                float gateX = RgLruGates.sigmoid(gx[m.gateXOff() + i + j]);
                float logA = -RgLruGates.C * gateA * sp[c0 + j];
                if (reset) {   // a' = 0, multiplier = 1: nothing reaches a
                    dx[g.dxOff() + i + j] = dh * gateX;
                    dgx[g.dGateXOff() + i + j] = dh * xv * gateX * (1f - gateX);
                    dga[g.dGateAOff() + i + j] = 0f;
                    carry[j] = 0f;
                    continue;
                }
                double ad = Math.exp(logA);
                float a = (float) ad, u = RgLruGates.oneMinusSquare(ad);
                float multiplier = (float) Math.sqrt(u);
                float prev = t > 0 ? h[m.hOff() + i + j - m.width()] : (h0 == null ? 0f : h0[m.h0Off() + b * m.width() + c0 + j]);
                dx[g.dxOff() + i + j] = dh * multiplier * gateX;
                dgx[g.dGateXOff() + i + j] = dh * xv * multiplier * gateX * (1f - gateX);
                // log a reaches h through a (da = dh·h_prev) and through the multiplier (u = 1 - exp(2 log a)).
                float dMultiplier = dh * xv * gateX;
                float dLogA = dh * prev * a - 2f * a * a * dMultiplier * RgLruGates.sqrtDerivative(u);
                dga[g.dGateAOff() + i + j] = dLogA * (-RgLruGates.C * sp[c0 + j]) * gateA * (1f - gateA);
                dSoftplus[j] += dLogA * (-RgLruGates.C * gateA);
                carry[j] = a * dh;
            }
        }
        if (to == m.length() && g.dh0() != null) System.arraycopy(carry, 0, g.dh0(), g.dh0Off() + b * m.width() + c0, n);
        synchronized (g.dSoftplus()) {
            for (int j = 0; j < n; j++) g.dSoftplus()[c0 + j] += dSoftplus[j];
        }
    }
}
