package io.recur.backend.cpu;

/**
 * The forward RG-LRU of one row, i.e. one batch element and a tile of channels, as an
 * {@link AssociativeScan.Sequence}: per channel the state is h and a step is h = a'·h + s·x with
 * a' = a (0 at a reset) and s = multiplier·σ(gateXPre), recomputed from the inputs at every step.
 * Channels-last data makes the tile's channels contiguous at each time step.
 */
final class RgLruForward implements AssociativeScan.Sequence<float[], float[]> {
    private final RgLruCall m;
    private final int b, c0, n;

    RgLruForward(RgLruCall m, int row) {
        this.m = m;
        this.b = row / m.tiles();
        this.c0 = (row % m.tiles()) * RgLruCall.TILE;
        this.n = Math.min(RgLruCall.TILE, m.width() - c0);
    }

    @Override
    public float[] initial() {
        float[] h = new float[n];
        if (m.h0() != null) System.arraycopy(m.h0(), m.h0Off() + b * m.width() + c0, h, 0, n);
        return h;
    }

    /** (c, x) per channel, c in [0, n) and x in [n, 2n): the steps composed. */
    @Override
    public float[] reduce(int from, int to) {
        float[] agg = new float[2 * n];
        java.util.Arrays.fill(agg, 0, n, 1f);
        float[] coeff = new float[n], input = new float[n];
        for (int t = from; t < to; t++) {
            step(t, coeff, input);
            for (int j = 0; j < n; j++) {
                agg[j] *= coeff[j];
                agg[n + j] = coeff[j] * agg[n + j] + input[j];
            }
        }
        return agg;
    }

    @Override
    public float[] advance(float[] state, float[] agg) { return ChannelAffine.apply(state, agg); }

    @Override
    public void scan(float[] state, int from, int to) {
        // step's arithmetic fused into one pass per time step, no temporaries
        float[] h = state.clone(), out = m.h();
        float[] x = m.x(), gx = m.gateX(), ga = m.gateA(), sp = m.softplus();
        for (int t = from; t < to; t++) {
            int i = m.index(b, t, c0), at = m.hOff() + i;
            int xo = m.xOff() + i, gxo = m.gateXOff() + i, gao = m.gateAOff() + i;
            if (m.isReset(b, t)) {
                for (int j = 0; j < n; j++) {
                    h[j] = 0f * h[j] + RgLruGates.sigmoid(gx[gxo + j]) * x[xo + j];
                    out[at + j] = h[j];
                }
                continue;
            }
            for (int j = 0; j < n; j++) {
                double a = Math.exp(RgLruGates.logA(ga[gao + j], sp[c0 + j]));
                float multiplier = (float) Math.sqrt(RgLruGates.oneMinusSquare(a));
                float hj = (float) a * h[j] + multiplier * RgLruGates.sigmoid(gx[gxo + j]) * x[xo + j];
                h[j] = hj;
                out[at + j] = hj;
            }
        }
    }

    /** a' and multiplier·σ(gateXPre)·x of the tile's channels at time t. */
    private void step(int t, float[] coeff, float[] input) {
        boolean reset = m.isReset(b, t);
        int i = m.index(b, t, c0);
        float[] x = m.x(), gx = m.gateX(), ga = m.gateA(), sp = m.softplus();
        int xo = m.xOff() + i, gxo = m.gateXOff() + i, gao = m.gateAOff() + i;
        for (int j = 0; j < n; j++) {
            float logA = RgLruGates.logA(ga[gao + j], sp[c0 + j]);
            double a = Math.exp(logA);
            float multiplier = reset ? 1f : (float) Math.sqrt(RgLruGates.oneMinusSquare(a));
            coeff[j] = reset ? 0f : (float) a;
            input[j] = multiplier * RgLruGates.sigmoid(gx[gxo + j]) * x[xo + j];
        }
    }
}
