package io.recur.learn;

import io.recur.snn.LsnnConfig;

/**
 * The eligibility traces of one sequence, for every synapse j ← i onto the spiking neurons
 * (presynaptic i over the inputs, then the neurons in a recurrent network):
 * <ul>
 * <li>ε^v_i, the presynaptic spikes low-pass filtered as the membrane filters its current:
 *     ε^v ← α ε^v + (1 − α) pre (the same for every j, since all neurons share α);</li>
 * <li>ε^a_ji for ALIF neurons, the adaptation eligibility vector:
 *     ε^a ← (ρ − β ψ_j) ε^a + ψ_j ε^v, with the previous step's ψ and ε^v;</li>
 * <li>e_ji = ψ_j (ε^v_i − β_j ε^a_ji), and F_κ(e) ← κ F_κ(e) + e, filtered as the readout filters spikes.</li>
 * </ul>
 * Memory is O(neurons × presynaptic), whatever the sequence length.
 */
final class EligibilityTraces {
    private final LsnnConfig c;
    private final int n, inputs, pre;
    private final double[] presynaptic, adaptation, filtered, psi;

    EligibilityTraces(LsnnConfig c) {
        this.c = c;
        this.n = c.neurons();
        this.inputs = c.inputs();
        this.pre = inputs + (c.recurrent() ? n : 0);
        presynaptic = new double[pre];
        adaptation = new double[c.alif() * pre];
        filtered = new double[n * pre];
        psi = new double[n];
    }

    /** Before the neurons step: ε^a from last step's ψ and ε^v, then ε^v with the spikes that enter now (x_t, z_{t−1}). */
    void beforeStep(float[] x, int xOffset, double[] previousSpikes) {
        double rho = c.rho(), beta = c.beta();
        for (int a = 0; a < c.alif(); a++) {
            double p = psi[c.lif() + a], decay = rho - beta * p;
            int row = a * pre;
            for (int i = 0; i < pre; i++) adaptation[row + i] = decay * adaptation[row + i] + p * presynaptic[i];
        }
        double alpha = c.alpha();
        for (int i = 0; i < inputs; i++) presynaptic[i] = alpha * presynaptic[i] + (1 - alpha) * x[xOffset + i];
        for (int i = inputs; i < pre; i++) presynaptic[i] = alpha * presynaptic[i] + (1 - alpha) * previousSpikes[i - inputs];
    }

    /** After the neurons step with pseudo-derivatives ψ_t: e_t into F_κ(e), and added into eSum (neurons × presynaptic). */
    void afterStep(double[] psiNow, double[] eSum) {
        System.arraycopy(psiNow, 0, psi, 0, n);
        double kappa = c.kappa();
        for (int j = 0; j < n; j++) {
            double p = psi[j], beta = c.betaOf(j);
            int row = j * pre, adaptRow = (j - c.lif()) * pre;
            for (int i = 0; i < pre; i++) {
                double e = p == 0 ? 0 : p * (presynaptic[i] - (beta == 0 ? 0 : beta * adaptation[adaptRow + i]));
                filtered[row + i] = kappa * filtered[row + i] + e;
                eSum[row + i] += e;
            }
        }
    }

    /** grad_ji += L_j · F_κ(e)_ji for a learning signal L (neurons). */
    void accumulate(double[] learningSignal, double[] grad) {
        for (int j = 0; j < n; j++) {
            double l = learningSignal[j];
            if (l == 0) continue;
            int row = j * pre;
            for (int i = 0; i < pre; i++) grad[row + i] += l * filtered[row + i];
        }
    }
}
