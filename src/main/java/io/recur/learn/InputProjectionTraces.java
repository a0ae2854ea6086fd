package io.recur.learn;

/**
 * e-prop for the layers in front of an LSTM in the registry's one-block model: u_t = W_p x_t + b_p,
 * v_t = γ ⊙ u_t / rms(u_t) feeds the LSTM, and u_t also joins its output on the residual path. The
 * eligibility of a front parameter θ at unit j is ∂h_t,j/∂θ with h_{t−1} held fixed, like the LSTM's
 * own synapses: for the gates that write the cell, E_j ← f_t,j E_j + Σ_gates ∂c_t,j/∂a · W_ih[gate j]
 * · ∂v_t/∂θ, times o_t tanh'(c_t); for the output gate its direct term. The residual path is exact
 * per step (dLoss/du_t gets the learning signal itself). Memory O(hidden × hidden × inputs), whatever
 * the length.
 */
final class InputProjectionTraces implements LstmEProp.Upstream {
    private final int d, F, steps;
    private final double[] ih, gamma, u, x; // W_ih (4d, d); γ (d); u and x for every (sequence, step)
    private final double eps;
    final double[] gradWeight, gradBias, gradGamma; // (d, F), (d), (d)
    private final double[] projTrace, gammaTrace; // per unit j: (d, F + 1) and (d)
    private final double[] wc, wo, sc, so, scaled, xb;

    InputProjectionTraces(double[] ih, double[] gamma, double[] u, double[] x, int width, int inputs, int steps, double eps) {
        this.d = width;
        this.F = inputs;
        this.steps = steps;
        this.ih = ih;
        this.gamma = gamma;
        this.u = u;
        this.x = x;
        this.eps = eps;
        gradWeight = new double[d * F];
        gradBias = new double[d];
        gradGamma = new double[d];
        projTrace = new double[d * d * (F + 1)];
        gammaTrace = new double[d * d];
        wc = new double[d];
        wo = new double[d];
        sc = new double[d];
        so = new double[d];
        scaled = new double[d];
        xb = new double[F + 1];
    }

    @Override
    public void startSequence(int b) {
        java.util.Arrays.fill(projTrace, 0);
        java.util.Arrays.fill(gammaTrace, 0);
    }

    @Override
    public void step(int b, int t, double[] i, double[] f, double[] g, double[] o, double[] cellBefore, double[] cell, double[] signal) {
        int at = b * steps + t, uAt = at * d, pre = F + 1;
        double r = 0;
        for (int m = 0; m < d; m++) r += u[uAt + m] * u[uAt + m];
        r = Math.sqrt(r / d + eps);
        for (int m = 0; m < d; m++) scaled[m] = u[uAt + m] / r;
        System.arraycopy(x, at * F, xb, 0, F);
        xb[F] = 1;
        // the residual path: z_t = u_t + h_t, so dLoss/du_t there is the learning signal itself
        for (int m = 0; m < d; m++) {
            for (int q = 0; q < F; q++) gradWeight[m * F + q] += signal[m] * xb[q];
            gradBias[m] += signal[m];
        }
        for (int j = 0; j < d; j++) {
            double di = i[j] * (1 - i[j]) * g[j], df = f[j] * (1 - f[j]) * cellBefore[j], dg = i[j] * (1 - g[j] * g[j]);
            double tc = Math.tanh(cell[j]), dhdc = o[j] * (1 - tc * tc), dho = tc * o[j] * (1 - o[j]);
            for (int m = 0; m < d; m++) {
                wc[m] = di * ih[j * d + m] + df * ih[(d + j) * d + m] + dg * ih[(2 * d + j) * d + m];
                wo[m] = dho * ih[(3 * d + j) * d + m];
            }
            throughNorm(wc, u, uAt, r, sc);
            throughNorm(wo, u, uAt, r, so);
            double l = signal[j];
            int row = j * d * pre, gRow = j * d;
            for (int m = 0; m < d; m++) {
                for (int q = 0; q < pre; q++) {
                    double e = projTrace[row + m * pre + q] = f[j] * projTrace[row + m * pre + q] + sc[m] * xb[q];
                    if (l == 0) continue;
                    double grad = l * (dhdc * e + so[m] * xb[q]);
                    if (q < F) gradWeight[m * F + q] += grad;
                    else gradBias[m] += grad;
                }
                double e = gammaTrace[gRow + m] = f[j] * gammaTrace[gRow + m] + wc[m] * scaled[m];
                if (l != 0) gradGamma[m] += l * (dhdc * e + wo[m] * scaled[m]);
            }
        }
    }

    /** A gradient a at v = γ ⊙ u / r taken back to u: (γ ⊙ a)/r − u · Σ(γ a u) / (d r³). */
    private void throughNorm(double[] a, double[] u, int uAt, double r, double[] into) {
        double dot = 0;
        for (int m = 0; m < d; m++) dot += gamma[m] * a[m] * u[uAt + m];
        for (int m = 0; m < d; m++) into[m] = gamma[m] * a[m] / r - u[uAt + m] * dot / (d * r * r * r);
    }
}
