package io.recur.learn;

/**
 * The eligibility traces of one sequence through one LSTM layer, for every synapse onto unit j's
 * four gates from presynaptic p, over the inputs x_t, then the previous outputs h_{t−1}, then a
 * constant 1 (the biases):
 * <ul>
 * <li>for the gates that write the cell (i, f, g) the eligibility vector ε = ∂c_t/∂W with h_{t−1}
 *     held fixed, ε ← f_t ε + (∂c_t/∂a_t) p: σ'(a_i) g_t p, σ'(a_f) c_{t−1} p, i_t tanh'(a_g) p;</li>
 * <li>the eligibility e = o_t tanh'(c_t) ε for those gates, and for the output gate its direct
 *     term tanh(c_t) σ'(a_o) p.</li>
 * </ul>
 * Memory is O(hidden × presynaptic), whatever the sequence length.
 */
final class LstmEligibilityTraces {
    private final int hidden, pre;
    private final double[] input, forget, candidate; // ε for gates i, f, g: (hidden, pre)

    LstmEligibilityTraces(int hidden, int pre) {
        this.hidden = hidden;
        this.pre = pre;
        input = new double[hidden * pre];
        forget = new double[hidden * pre];
        candidate = new double[hidden * pre];
    }

    /**
     * One step: the gates' activations i, f, g, o (each hidden wide), the cell before and after, and
     * the presynaptic values p (pre wide) update ε; then grad (4·hidden, pre), gates stacked in torch's
     * order, gets L_j · e_t for the learning signal L (hidden).
     */
    void step(double[] i, double[] f, double[] g, double[] o, double[] cellBefore, double[] cell, double[] p,
              double[] signal, double[] grad) {
        for (int j = 0; j < hidden; j++) {
            double di = i[j] * (1 - i[j]) * g[j], df = f[j] * (1 - f[j]) * cellBefore[j], dg = i[j] * (1 - g[j] * g[j]);
            double tc = Math.tanh(cell[j]), dhdc = signal[j] * o[j] * (1 - tc * tc), dho = signal[j] * tc * o[j] * (1 - o[j]);
            int row = j * pre;
            int gi = j * pre, gf = (hidden + j) * pre, gg = (2 * hidden + j) * pre, go = (3 * hidden + j) * pre;
            for (int q = 0; q < pre; q++) {
                double ei = input[row + q] = f[j] * input[row + q] + di * p[q];
                double ef = forget[row + q] = f[j] * forget[row + q] + df * p[q];
                double eg = candidate[row + q] = f[j] * candidate[row + q] + dg * p[q];
                if (signal[j] == 0) continue;
                grad[gi + q] += dhdc * ei;
                grad[gf + q] += dhdc * ef;
                grad[gg + q] += dhdc * eg;
                grad[go + q] += dho * p[q];
            }
        }
    }
}
