package io.recur.snn;

/**
 * A float64 LSNN written out plainly for tests: the forward of {@link LsnnConfig}'s equations with
 * every state kept, and BPTT by hand through the pseudo-derivative. Flags cut the gradient through
 * the spikes that feed other neurons (stopRecurrent) and through the reset (stopReset): with both
 * set, this is the autodiff-with-stop-gradient that e-prop must equal.
 */
public final class LsnnReference {
    /** dLoss/dy_t for one sequence and step, given y_t. */
    public interface OutputGradient { double[] at(int b, int t, double[] y); }

    public final LsnnConfig c;
    public final double[][] win, wrec, wout;
    public final double[] bout;
    public double regularization, targetRate; // loss += regularization · Σ_j (mean_{b,t} z_j − targetRate)²

    // Forward states [b][t][j], t = 0..T-1 (the state after step t).
    public double[][][] v, bAdapt, scaled, z, y;
    public boolean[][][] refractory;
    public double[][] gradIn, gradRec, gradOut;
    public double[] gradBias;

    public LsnnReference(LsnnConfig c, double[][] win, double[][] wrec, double[][] wout, double[] bout) {
        this.c = c;
        this.win = win;
        this.wrec = wrec;
        this.wout = wout;
        this.bout = bout;
    }

    /** Weights as float tensors hold them, widened. */
    public static double[][] matrix(float[] values, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int k = 0; k < cols; k++) m[i][k] = values[i * cols + k];
        return m;
    }

    public void forward(double[][][] x) {
        int B = x.length, T = x[0].length, n = c.neurons(), K = c.outputs();
        v = new double[B][T][n]; bAdapt = new double[B][T][n]; scaled = new double[B][T][n]; z = new double[B][T][n]; y = new double[B][T][K];
        refractory = new boolean[B][T][n];
        double alpha = c.alpha(), rho = c.rho(), kappa = c.kappa(), thr = c.threshold();
        for (int b = 0; b < B; b++) {
            double[] vp = new double[n], bp = new double[n], zp = new double[n], yp = new double[K];
            int[] r = new int[n];
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < n; j++) {
                    double current = 0;
                    for (int i = 0; i < c.inputs(); i++) current += win[j][i] * x[b][t][i];
                    if (c.recurrent()) for (int i = 0; i < n; i++) if (i != j) current += wrec[j][i] * zp[i];
                    v[b][t][j] = alpha * vp[j] + (1 - alpha) * current - thr * zp[j];
                    bAdapt[b][t][j] = rho * bp[j] + zp[j];
                    scaled[b][t][j] = (v[b][t][j] - thr - c.betaOf(j) * bAdapt[b][t][j]) / thr;
                    refractory[b][t][j] = r[j] > 0;
                    z[b][t][j] = !refractory[b][t][j] && scaled[b][t][j] > 0 ? 1 : 0;
                }
                for (int j = 0; j < n; j++) r[j] = z[b][t][j] != 0 ? c.refractorySteps() : Math.max(0, r[j] - 1);
                for (int k = 0; k < K; k++) {
                    double s = kappa * yp[k] + bout[k];
                    for (int j = 0; j < n; j++) s += wout[k][j] * z[b][t][j];
                    y[b][t][k] = s;
                }
                vp = v[b][t]; bp = bAdapt[b][t]; zp = z[b][t]; yp = y[b][t];
            }
        }
    }

    /** Mean spikes per step of each neuron over the batch and time. */
    public double[] rates() {
        int B = z.length, T = z[0].length, n = c.neurons();
        double[] rate = new double[n];
        for (double[][] seq : z) for (double[] step : seq) for (int j = 0; j < n; j++) rate[j] += step[j] / (B * T);
        return rate;
    }

    public void backward(double[][][] x, OutputGradient loss, boolean stopRecurrent, boolean stopReset) {
        int B = x.length, T = x[0].length, n = c.neurons(), K = c.outputs(), F = c.inputs();
        gradIn = new double[n][F]; gradRec = new double[n][n]; gradOut = new double[K][n]; gradBias = new double[K];
        double alpha = c.alpha(), rho = c.rho(), kappa = c.kappa(), thr = c.threshold();
        double[] rate = rates();
        for (int b = 0; b < B; b++) {
            double[] gyNext = new double[K], gvNext = new double[n], gbNext = new double[n];
            for (int t = T - 1; t >= 0; t--) {
                double[] delta = loss.at(b, t, y[b][t]);
                double[] gy = new double[K];
                for (int k = 0; k < K; k++) gy[k] = delta[k] + kappa * gyNext[k];
                double[] gv = new double[n], gb = new double[n];
                for (int j = 0; j < n; j++) {
                    double gz = 2 * regularization * (rate[j] - targetRate) / (B * T);
                    for (int k = 0; k < K; k++) gz += wout[k][j] * gy[k];
                    // z_t feeds step t+1: other neurons' currents, its own reset and its own adaptation.
                    if (!stopRecurrent && c.recurrent())
                        for (int i = 0; i < n; i++) if (i != j) gz += wrec[i][j] * (1 - alpha) * gvNext[i];
                    if (!stopReset) gz += -thr * gvNext[j];
                    gz += gbNext[j];
                    double gs = refractory[b][t][j] ? 0 : gz * SpikeFunction.pseudoDerivative(scaled[b][t][j], c.gamma());
                    gv[j] = gs / thr + alpha * gvNext[j];
                    gb[j] = -c.betaOf(j) / thr * gs + rho * gbNext[j];
                }
                for (int j = 0; j < n; j++) {
                    double gi = (1 - alpha) * gv[j];
                    for (int i = 0; i < F; i++) gradIn[j][i] += gi * x[b][t][i];
                    if (c.recurrent() && t > 0) for (int i = 0; i < n; i++) if (i != j) gradRec[j][i] += gi * z[b][t - 1][i];
                }
                for (int k = 0; k < K; k++) {
                    gradBias[k] += gy[k];
                    for (int j = 0; j < n; j++) gradOut[k][j] += gy[k] * z[b][t][j];
                }
                gyNext = gy; gvNext = gv; gbNext = gb;
            }
        }
    }
}
