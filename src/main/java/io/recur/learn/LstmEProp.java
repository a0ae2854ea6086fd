package io.recur.learn;

import java.util.Arrays;

/**
 * e-prop for one LSTM layer (torch's gates i, f, g, o) followed by a linear readout
 * y_t = W_out h_t + b_out (Bellec et al. 2020, Methods, e-prop for LSTM): one pass forward in time
 * that steps the cell, updates the {@link LstmEligibilityTraces} and adds L_t · e_t into the
 * gradients as soon as the readout error at t is known, with L_t = B · error_t. Nothing is stored per
 * step, so memory is O(hidden × (inputs + hidden)) and independent of the sequence length. The
 * readout's own gradients are exact. With B = W_outᵀ the result equals autodiff in which h_{t−1}
 * carries no gradient into the gates (the path c_{t−1} → c_t is kept); without recurrent weights that
 * is all of BPTT.
 *
 * <p>Computed in float64 on the host, one sequence at a time, from zero initial state.
 */
public final class LstmEProp {
    /** Readouts (batch, time, outputs) row-major and gradients in {@link LstmWeights}' layout. */
    public record Result(float[] outputs, LstmWeights gradients) {}

    private LstmEProp() {}

    /**
     * What follows the LSTM, per sequence and step: from the layer's output h (hidden) at step t of
     * sequence b, its readout, its own exact gradients, and the learning signal L (hidden) for the
     * LSTM's units, written into signal.
     */
    @FunctionalInterface
    public interface StepReadout { void step(int b, int t, double[] h, double[] signal); }

    /**
     * What computes the LSTM's inputs and learns through them: it sees every step's gates i, f, g, o
     * (hidden wide), the cell before and after, and the learning signal, after the LSTM's own traces.
     */
    public interface Upstream {
        void startSequence(int b);

        void step(int b, int t, double[] i, double[] f, double[] g, double[] o, double[] cellBefore, double[] cell, double[] signal);
    }

    /** Runs a batch: inputs (batch, time, inputs) row-major; feedback (hidden, outputs) row-major; the errors of the loss at the readout. */
    public static Result run(LstmWeights w, float[] x, int batch, int steps, double[] feedback, OutputErrors errors) {
        int H = w.hidden(), K = w.outputs();
        if (feedback.length != H * K)
            throw new IllegalArgumentException("LSTM e-prop: feedback must be (hidden " + H + ", outputs " + K + "), got " + feedback.length + " values");
        LstmWeights g = w.zerosLike();
        float[] outputs = new float[batch * steps * K];
        double[] y = new double[K];
        StepReadout linear = (b, t, h, signal) -> {
            readout(w, h, y);
            for (int k = 0; k < K; k++) outputs[(b * steps + t) * K + k] = (float) y[k];
            double[] error = errors.at(b, t, y);
            Arrays.fill(signal, 0);
            for (int k = 0; k < K; k++) {
                double d = error[k];
                if (d == 0) continue;
                g.outBias()[k] += d;
                for (int j = 0; j < H; j++) {
                    g.out()[k * H + j] += d * h[j];
                    signal[j] += feedback[j * K + k] * d;
                }
            }
        };
        run(w, LsnnWeights.widen(x), batch, steps, linear, null, g);
        return new Result(outputs, g);
    }

    /**
     * The LSTM's part of a batch: inputs (batch, time, inputs) row-major; the readout gives the learning
     * signals; the gradients of weight_ih, weight_hh and the biases are added into g; upstream (or
     * null) learns what computed the inputs.
     */
    public static void run(LstmWeights w, double[] x, int batch, int steps, StepReadout readout, Upstream upstream, LstmWeights g) {
        int F = w.inputs(), H = w.hidden(), pre = F + H + 1;
        if (x.length != (long) batch * steps * F)
            throw new IllegalArgumentException("LSTM e-prop: " + x.length + " input values for (batch " + batch + ", time " + steps + ", inputs " + F + ")");
        double[] grad = new double[4 * H * pre];
        double[] i = new double[H], f = new double[H], cand = new double[H], o = new double[H], p = new double[pre];
        double[] cellBefore = new double[H], signal = new double[H];
        for (int b = 0; b < batch; b++) {
            LstmEligibilityTraces traces = new LstmEligibilityTraces(H, pre);
            double[] h = new double[H], c = new double[H];
            if (upstream != null) upstream.startSequence(b);
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, (b * steps + t) * F, p, 0, F);
                System.arraycopy(h, 0, p, F, H);
                p[pre - 1] = 1;
                System.arraycopy(c, 0, cellBefore, 0, H);
                for (int j = 0; j < H; j++) {
                    i[j] = sigmoid(preActivation(w, j, p));
                    f[j] = sigmoid(preActivation(w, H + j, p));
                    cand[j] = Math.tanh(preActivation(w, 2 * H + j, p));
                    o[j] = sigmoid(preActivation(w, 3 * H + j, p));
                    c[j] = f[j] * c[j] + i[j] * cand[j];
                    h[j] = o[j] * Math.tanh(c[j]);
                }
                readout.step(b, t, h, signal);
                traces.step(i, f, cand, o, cellBefore, c, p, signal, grad);
                if (upstream != null) upstream.step(b, t, i, f, cand, o, cellBefore, c, signal);
            }
        }
        split(grad, g);
    }

    /** Row r of the gates' pre-activation: W_ih x + W_hh h + b_ih + b_hh, from the presynaptic values (x, h, 1). */
    private static double preActivation(LstmWeights w, int r, double[] p) {
        int F = w.inputs(), H = w.hidden();
        double s = w.biasIh()[r] + w.biasHh()[r];
        for (int q = 0; q < F; q++) s += w.ih()[r * F + q] * p[q];
        for (int q = 0; q < H; q++) s += w.hh()[r * H + q] * p[F + q];
        return s;
    }

    private static void readout(LstmWeights w, double[] h, double[] y) {
        int H = w.hidden();
        for (int k = 0; k < w.outputs(); k++) {
            double s = w.outBias()[k];
            for (int j = 0; j < H; j++) s += w.out()[k * H + j] * h[j];
            y[k] = s;
        }
    }

    /** Adds the rows (inputs, hidden, 1) into weight_ih, weight_hh and both biases, which share a gradient. */
    private static void split(double[] grad, LstmWeights g) {
        int F = g.inputs(), H = g.hidden(), pre = F + H + 1;
        for (int r = 0; r < 4 * H; r++) {
            for (int q = 0; q < F; q++) g.ih()[r * F + q] += grad[r * pre + q];
            for (int q = 0; q < H; q++) g.hh()[r * H + q] += grad[r * pre + F + q];
            g.biasIh()[r] += grad[r * pre + pre - 1];
            g.biasHh()[r] += grad[r * pre + pre - 1];
        }
    }

    private static double sigmoid(double a) { return 1 / (1 + Math.exp(-a)); }
}
