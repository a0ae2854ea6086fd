package io.recur.testing;

/**
 * The selective scan (Mamba S6) as a direct sequential float64 loop, and its gradient by
 * backpropagation through that loop with every state kept: what the backends' chunked, recomputing
 * implementations are compared with. Definitions and shapes as in
 * {@link io.recur.backend.SelectiveScanArgs}; null stands for an absent input.
 */
public final class SelectiveScanReference {
    private SelectiveScanReference() {}

    /**
     * A test configuration. groupsB/groupsC: 0 for fixed (dim, N), else input-dependent with that
     * many groups. last: the last state is an output too (and receives a gradient).
     */
    public record Case(int batch, int dim, int length, int n, int groupsB, int groupsC, boolean d, boolean z, boolean bias,
                       boolean softplus, boolean h0, boolean last, int chunk) {
        @Override
        public String toString() {
            return "selectiveScan (" + batch + ", " + dim + ", L " + length + ", N " + n + ") chunk " + chunk
                    + (groupsB > 0 ? " B var/" + groupsB : " B fixed") + (groupsC > 0 ? " C var/" + groupsC : " C fixed")
                    + (d ? " D" : "") + (z ? " z" : "") + (bias ? " bias" : "") + (softplus ? " softplus" : "")
                    + (h0 ? " h0" : "") + (last ? " last" : "");
        }
    }

    /** Inputs distributed as in mamba_ssm's tests: A in (-0.5, 0], δ and bias in [0, 0.5), the rest normal. */
    public static Inputs random(Rand r, Case c) {
        int b = c.batch(), d = c.dim(), l = c.length(), n = c.n();
        return new Inputs(r.normal(b, d, l), r.uniform(0, 0.5, b, d, l), r.uniform(-0.5, 0, d, n),
                c.groupsB() > 0 ? r.normal(b, c.groupsB(), n, l) : r.normal(d, n),
                c.groupsC() > 0 ? r.normal(b, c.groupsC(), n, l) : r.normal(d, n),
                c.d() ? r.normal(d) : null, c.z() ? r.normal(b, d, l) : null, c.bias() ? r.uniform(0, 0.5, d) : null,
                c.h0() ? r.normal(b, d, n) : null, c.softplus());
    }

    /** The inputs; b and c are (dim, N) when fixed or (batch, groups, N, L) when input-dependent. */
    public record Inputs(D u, D delta, D a, D b, D c, D d, D z, D deltaBias, D h0, boolean softplus) {
        /** In the order u, delta, a, b, c, d, z, deltaBias, h0 (null where absent). */
        public D[] all() { return new D[] {u, delta, a, b, c, d, z, deltaBias, h0}; }

        public int batch() { return u.shape[0]; }

        public int dim() { return u.shape[1]; }

        public int length() { return u.shape[2]; }

        public int n() { return a.shape[1]; }

        /** The same inputs with input i (in the order u, delta, a, b, c, d, z, deltaBias, h0) replaced. */
        public Inputs with(int i, D x) {
            D[] all = all();
            all[i] = x;
            return new Inputs(all[0], all[1], all[2], all[3], all[4], all[5], all[6], all[7], all[8], softplus);
        }

        /** B or C of (batch b, channel ch, state s) at time t. */
        double projection(D p, int b, int ch, int s, int t) {
            if (p.rank() == 2) return p.data[ch * n() + s];
            int groups = p.shape[1], group = ch / (dim() / groups);
            return p.data[((b * groups + group) * n() + s) * length() + t];
        }

        double rawDelta(int row, int t) {
            return delta.data[row * length() + t] + (deltaBias == null ? 0 : deltaBias.data[row % dim()]);
        }

        double effectiveDelta(int row, int t) {
            double r = rawDelta(row, t);
            return softplus ? SelectiveScanReference.softplus(r) : r;
        }
    }

    /** out (batch, dim, L), the last state (batch, dim, N) and every state (batch, dim, L, N). */
    public record Outputs(double[] out, double[] last, double[] states) {}

    /** Gradients in the inputs' shapes; null for absent inputs. */
    public record Grads(double[] du, double[] dDelta, double[] dA, double[] dB, double[] dC, double[] dD, double[] dz,
                        double[] dDeltaBias, double[] dh0) {
        /** In the order of {@link Inputs#with}. */
        public double[] get(int i) {
            return new double[][] {du, dDelta, dA, dB, dC, dD, dz, dDeltaBias, dh0}[i];
        }
    }

    static double softplus(double x) { return x > 20 ? x : Math.log1p(Math.exp(x)); }

    static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    static double silu(double x) { return x * sigmoid(x); }

    public static Outputs forward(Inputs in) {
        int batch = in.batch(), dim = in.dim(), length = in.length(), n = in.n();
        double[] out = new double[batch * dim * length], last = new double[batch * dim * n];
        double[] states = new double[batch * dim * length * n];
        for (int row = 0; row < batch * dim; row++) {
            int b = row / dim, ch = row % dim;
            double[] x = new double[n];
            if (in.h0() != null) System.arraycopy(in.h0().data, row * n, x, 0, n);
            for (int t = 0; t < length; t++) {
                double delta = in.effectiveDelta(row, t), u = in.u().data[row * length + t], y = 0;
                for (int s = 0; s < n; s++) {
                    x[s] = Math.exp(delta * in.a().data[ch * n + s]) * x[s] + delta * in.projection(in.b(), b, ch, s, t) * u;
                    y += x[s] * in.projection(in.c(), b, ch, s, t);
                    states[(row * length + t) * n + s] = x[s];
                }
                if (in.d() != null) y += in.d().data[ch] * u;
                out[row * length + t] = in.z() == null ? y : y * silu(in.z().data[row * length + t]);
            }
            System.arraycopy(x, 0, last, row * n, n);
        }
        return new Outputs(out, last, states);
    }

    /** Backpropagation through {@link #forward} for the upstream gradients dOut and dLast (null: zero). */
    public static Grads backward(Inputs in, double[] dOut, double[] dLast) {
        int batch = in.batch(), dim = in.dim(), length = in.length(), n = in.n();
        double[] states = forward(in).states();
        double[] du = new double[batch * dim * length], dDelta = new double[du.length];
        double[] dz = in.z() == null ? null : new double[du.length];
        double[] dA = new double[dim * n], dB = new double[in.b().size()], dC = new double[in.c().size()];
        double[] dD = in.d() == null ? null : new double[dim], dBias = in.deltaBias() == null ? null : new double[dim];
        double[] dh0 = in.h0() == null ? null : new double[batch * dim * n];
        for (int row = 0; row < batch * dim; row++) {
            int b = row / dim, ch = row % dim;
            double[] dx = new double[n];   // d loss / d x_t through x_{t+1}, then at t
            if (dLast != null) System.arraycopy(dLast, row * n, dx, 0, n);
            for (int t = length - 1; t >= 0; t--) {
                int i = row * length + t;
                double raw = in.rawDelta(row, t), delta = in.effectiveDelta(row, t), u = in.u().data[i];
                double gate = in.z() == null ? 1 : silu(in.z().data[i]), dy = dOut[i] * gate;
                double y = in.d() == null ? 0 : in.d().data[ch] * u, dDeltaT = 0;
                for (int s = 0; s < n; s++) {
                    double a = in.a().data[ch * n + s], decay = Math.exp(delta * a);
                    double x = states[i * n + s], prev = t > 0 ? states[(i - 1) * n + s] : in.h0() == null ? 0 : in.h0().data[row * n + s];
                    double bv = in.projection(in.b(), b, ch, s, t), cv = in.projection(in.c(), b, ch, s, t);
                    y += x * cv;
                    dx[s] += dy * cv;
                    du[i] += dx[s] * delta * bv;
                    dDeltaT += dx[s] * (a * decay * prev + bv * u);
                    dA[ch * n + s] += dx[s] * delta * decay * prev;
                    dB[projectionIndex(in, in.b(), b, ch, s, t)] += dx[s] * delta * u;
                    dC[projectionIndex(in, in.c(), b, ch, s, t)] += dy * x;
                    dx[s] *= decay;   // now d loss / d x_{t-1}
                }
                if (in.d() != null) {
                    du[i] += in.d().data[ch] * dy;
                    dD[ch] += dy * u;
                }
                if (dz != null) {
                    double zv = in.z().data[i], sg = sigmoid(zv);
                    dz[i] = dOut[i] * y * sg * (1 + zv * (1 - sg));
                }
                if (in.softplus() && raw <= 20) dDeltaT *= sigmoid(raw);
                dDelta[i] = dDeltaT;
                if (dBias != null) dBias[ch] += dDeltaT;
            }
            if (dh0 != null) System.arraycopy(dx, 0, dh0, row * n, n);
        }
        return new Grads(du, dDelta, dA, dB, dC, dD, dz, dBias, dh0);
    }

    private static int projectionIndex(Inputs in, D p, int b, int ch, int s, int t) {
        if (p.rank() == 2) return ch * in.n() + s;
        int groups = p.shape[1], group = ch / (in.dim() / groups);
        return ((b * groups + group) * in.n() + s) * in.length() + t;
    }
}
