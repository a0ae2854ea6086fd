package io.recur.learn;

import io.recur.snn.LsnnConfig;
import io.recur.snn.SpikeFunction;

/**
 * e-prop for an LSNN (Bellec et al. 2020): one pass forward in time that steps the neurons, updates
 * the {@link EligibilityTraces}, and adds L_t · F_κ(e_t) into the gradients as soon as the readout
 * error at t is known, with L_t = B · error_t. Nothing is stored per step, so memory is
 * O(neurons × presynaptic) and independent of the sequence length. The readout's own gradients are
 * exact (error_t times the κ-filtered spikes). With B = W_outᵀ the result equals autodiff in which
 * the spikes reaching other neurons and the reset carry no gradient.
 *
 * <p>Computed in float64 on the host, one sequence at a time; the dynamics are {@link LsnnConfig}'s,
 * exactly as {@code Lsnn} runs them.
 */
public final class EProp {
    /** Readouts (batch, time, outputs) row-major, gradients in {@link LsnnWeights}' layout, and each neuron's spikes per step. */
    public record Result(float[] outputs, LsnnWeights gradients, double[] rates) {}

    private EProp() {}

    /**
     * Runs a batch: inputs (batch, time, inputs) row-major; feedback (neurons, outputs) row-major,
     * B_jk; the errors of the loss at the readout; the rate regulariser's gradient is added at the end
     * from the summed eligibility (its rate is the batch's mean over the whole sequence).
     */
    public static Result run(LsnnConfig c, LsnnWeights w, float[] x, int batch, int steps, double[] feedback,
                             OutputErrors errors, RateRegularizer regularizer) {
        int n = c.neurons(), F = c.inputs(), K = c.outputs();
        if (x.length != (long) batch * steps * F)
            throw new IllegalArgumentException("e-prop: " + x.length + " input values for (batch " + batch + ", time " + steps + ", inputs " + F + ")");
        if (feedback.length != n * K)
            throw new IllegalArgumentException("e-prop: feedback must be (neurons " + n + ", outputs " + K + "), got " + feedback.length + " values");
        int pre = F + (c.recurrent() ? n : 0);
        double[] grad = new double[n * pre], eSum = new double[n * pre];
        LsnnWeights g = LsnnWeights.zeros(c);
        float[] outputs = new float[batch * steps * K];
        ReadoutLearning readout = new ReadoutLearning(c, w, g, feedback, errors, batch, steps, outputs);
        double[] spikeCount = new double[n];
        double alpha = c.alpha(), rho = c.rho(), thr = c.threshold();
        for (int b = 0; b < batch; b++) {
            EligibilityTraces traces = new EligibilityTraces(c);
            double[] v = new double[n], adapt = new double[n], z = new double[n], zNew = new double[n], psi = new double[n], signal = new double[n];
            int[] refractory = new int[n];
            for (int t = 0; t < steps; t++) {
                int xAt = (b * steps + t) * F;
                traces.beforeStep(x, xAt, z);
                for (int j = 0; j < n; j++) {
                    double current = 0;
                    for (int i = 0; i < F; i++) current += w.in()[j * F + i] * x[xAt + i];
                    if (c.recurrent()) for (int i = 0; i < n; i++) if (i != j) current += w.rec()[j * n + i] * z[i];
                    v[j] = alpha * v[j] + (1 - alpha) * current - thr * z[j];
                    adapt[j] = rho * adapt[j] + z[j];
                    double scaled = (v[j] - thr - c.betaOf(j) * adapt[j]) / thr;
                    boolean frozen = refractory[j] > 0;
                    zNew[j] = !frozen && SpikeFunction.fires(scaled) ? 1 : 0;
                    psi[j] = frozen ? 0 : SpikeFunction.pseudoDerivative(scaled, c.gamma()) / thr;
                }
                for (int j = 0; j < n; j++) {
                    z[j] = zNew[j];
                    refractory[j] = z[j] != 0 ? c.refractorySteps() : Math.max(0, refractory[j] - 1);
                    spikeCount[j] += z[j];
                }
                traces.afterStep(psi, eSum);
                readout.step(b, t, z, signal);
                traces.accumulate(signal, grad);
            }
        }
        double[] rates = finish(c, grad, eSum, spikeCount, batch, steps, regularizer, g);
        return new Result(outputs, g, rates);
    }

    /**
     * The end of a batch: each neuron's rate, the rate regulariser's gradient (from the summed
     * eligibility eSum, since its rate is the batch's mean over the whole sequence) added to grad
     * (neurons × presynaptic), and grad split into g's w_in and w_rec. Returns the rates.
     */
    static double[] finish(LsnnConfig c, double[] grad, double[] eSum, double[] spikeCount, int batch, int steps,
                           RateRegularizer regularizer, LsnnWeights g) {
        int n = c.neurons(), pre = grad.length / n;
        double[] rates = new double[n];
        double target = regularizer.targetPerStep(c.dt()), count = (double) batch * steps;
        for (int j = 0; j < n; j++) {
            rates[j] = spikeCount[j] / count;
            double l = 2 * regularizer.coefficient() * (rates[j] - target) / count;
            if (l != 0) for (int i = 0; i < pre; i++) grad[j * pre + i] += l * eSum[j * pre + i];
        }
        split(c, grad, pre, g);
        return rates;
    }

    /** The per-neuron rows (inputs, then neurons) into w_in's and w_rec's layouts, self-connections zero. */
    private static void split(LsnnConfig c, double[] grad, int pre, LsnnWeights g) {
        int n = c.neurons(), F = c.inputs();
        for (int j = 0; j < n; j++) {
            System.arraycopy(grad, j * pre, g.in(), j * F, F);
            if (c.recurrent()) {
                System.arraycopy(grad, j * pre + F, g.rec(), j * n, n);
                g.rec()[j * n + j] = 0;
            }
        }
    }

    /** B = W_outᵀ, (neurons, outputs), from w_out (outputs, neurons). */
    public static double[] symmetricFeedback(LsnnConfig c, LsnnWeights w) { return FeedbackWeights.transpose(w.out(), c.neurons(), c.outputs()); }
}
