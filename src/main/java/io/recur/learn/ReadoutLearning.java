package io.recur.learn;

import io.recur.snn.LsnnConfig;

/**
 * The readout side of e-prop, per sequence and step once the neurons have spiked: the readout
 * y ← κ y + W_out z + b_out, its exact gradients (error_t times the κ-filtered spikes, and times the
 * filtered constant for the bias), and the learning signal L = B·error_t for the neurons. Holds
 * O(batch × (outputs + neurons)) numbers, whatever the length.
 */
final class ReadoutLearning {
    private final LsnnConfig c;
    private final LsnnWeights w, g;
    private final double[] feedback;
    private final OutputErrors errors;
    private final float[] outputs;
    private final int steps;
    private final double[][] y, filteredSpikes;
    private final double[] filteredOne;

    ReadoutLearning(LsnnConfig c, LsnnWeights w, LsnnWeights g, double[] feedback, OutputErrors errors, int batch, int steps, float[] outputs) {
        this.c = c;
        this.w = w;
        this.g = g;
        this.feedback = feedback;
        this.errors = errors;
        this.outputs = outputs;
        this.steps = steps;
        y = new double[batch][c.outputs()];
        filteredSpikes = new double[batch][c.neurons()];
        filteredOne = new double[batch];
    }

    /** Sequence b's spikes z (neurons) at step t: writes its readout into the outputs and its learning signal (neurons) into signal. */
    void step(int b, int t, double[] z, double[] signal) {
        int n = c.neurons(), K = c.outputs();
        double kappa = c.kappa();
        double[] yb = y[b], fz = filteredSpikes[b];
        for (int j = 0; j < n; j++) fz[j] = kappa * fz[j] + z[j];
        filteredOne[b] = kappa * filteredOne[b] + 1;
        for (int k = 0; k < K; k++) {
            double s = kappa * yb[k] + w.bias()[k];
            for (int j = 0; j < n; j++) s += w.out()[k * n + j] * z[j];
            yb[k] = s;
            outputs[(b * steps + t) * K + k] = (float) s;
        }
        double[] error = errors.at(b, t, yb);
        java.util.Arrays.fill(signal, 0);
        for (int k = 0; k < K; k++) {
            double d = error[k];
            if (d == 0) continue;
            g.bias()[k] += d * filteredOne[b];
            for (int j = 0; j < n; j++) {
                g.out()[k * n + j] += d * fz[j];
                signal[j] += feedback[j * K + k] * d;
            }
        }
    }
}
