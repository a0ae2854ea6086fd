package io.recur.learn;

import io.recur.backend.Backends;
import io.recur.nn.Initializer;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The feedback weights B (units, outputs) that e-prop sends readout errors back through, for any
 * network with a readout W_out (outputs, units). Random feedback is N(0, 1/units), the scale of
 * W_outᵀ, drawn from the run's seed, so a resumed run has the same. Adaptive feedback starts there
 * and after every update becomes W_outᵀ + (1 − {@link #ADAPTIVE_DECAY})(B − W_outᵀ before the update):
 * it follows each change of W_out, and its difference from W_outᵀ decays (Kolen–Pollack).
 */
final class FeedbackWeights {
    /** Per-update decay of the difference between adaptive feedback and W_outᵀ. */
    static final double ADAPTIVE_DECAY = 0.01;
    private static final long FEEDBACK_STREAM = 0x4550524F50L; // keeps the draw apart from the weights' stream

    private final Feedback kind;
    private final int units, outputs;
    private double[] weights; // B for random and adaptive feedback

    FeedbackWeights(Feedback kind, int units, int outputs, long seed) {
        this.kind = kind;
        this.units = units;
        this.outputs = outputs;
        if (kind != Feedback.SYMMETRIC) {
            Initializer init = new Initializer(Backends.cpu(), seed ^ FEEDBACK_STREAM);
            try (Tensor b = init.normal(Shape.of(units, outputs), 0, 1 / Math.sqrt(units))) {
                weights = LsnnWeights.widen(b.toFloatArray());
            }
        }
    }

    Feedback kind() { return kind; }

    /** B for the next batch, (units, outputs), given the readout W_out (outputs, units). */
    double[] current(double[] readout) { return kind == Feedback.SYMMETRIC ? transpose(readout, units, outputs) : weights.clone(); }

    /** Adaptive feedback weights to keep in a checkpoint; null for the other kinds, which are rebuilt from the seed. */
    double[] saved() { return kind == Feedback.ADAPTIVE ? weights.clone() : null; }

    /** Continues with adaptive feedback weights saved by {@link #saved}. */
    void restore(double[] saved) {
        if (kind != Feedback.ADAPTIVE)
            throw new IllegalArgumentException("the checkpoint has adaptive feedback weights, but this run learns with " + kind.cliName() + " feedback");
        if (saved.length != weights.length)
            throw new IllegalArgumentException("saved feedback weights: " + saved.length + " values, but (units " + units + ", outputs "
                    + outputs + ") needs " + weights.length + "; the checkpoint belongs to another model");
        weights = saved.clone();
    }

    /** After an update of the readout from before to after (both (outputs, units)): adaptive feedback follows the change. */
    void afterUpdate(double[] before, double[] after) {
        if (kind != Feedback.ADAPTIVE) return;
        for (int j = 0; j < units; j++)
            for (int k = 0; k < outputs; k++) {
                int at = j * outputs + k, out = k * units + j;
                weights[at] = after[out] + (1 - ADAPTIVE_DECAY) * (weights[at] - before[out]);
            }
    }

    /** W_outᵀ, (units, outputs), from (outputs, units). */
    static double[] transpose(double[] readout, int units, int outputs) {
        double[] b = new double[units * outputs];
        for (int k = 0; k < outputs; k++) for (int j = 0; j < units; j++) b[j * outputs + k] = readout[k * units + j];
        return b;
    }
}
