package io.recur.learn;

import io.recur.data.Batch;
import io.recur.data.Targets;

/**
 * The error at the readout, dLoss/dy_t, for one sequence at one step, known as soon as y_t is: what
 * makes a learning rule online. {@link #of} gives the errors of the trainer's task loss
 * ({@code TaskLoss.mean}): softmax(y) − onehot(label) for cross-entropy, 2(y − target) for squared
 * error, each divided by the number of scored positions in the batch, and zero where nothing is scored.
 */
@FunctionalInterface
public interface OutputErrors {
    /** dLoss/dy for sequence {@code b} at step {@code t}, given its readout y (outputs wide). */
    double[] at(int b, int t, double[] y);

    static OutputErrors of(Batch batch) {
        int steps = batch.spec().sequenceLength();
        double count = Math.max(1, batch.scoredCount());
        return switch (batch.targets()) {
            case Targets.Classes c -> (b, t, y) -> {
                double[] d = new double[y.length];
                int label = c.labels()[b * steps + t];
                if (label == Targets.IGNORE) return d;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (double v : y) max = Math.max(max, v);
                for (int k = 0; k < y.length; k++) sum += d[k] = Math.exp(y[k] - max);
                for (int k = 0; k < y.length; k++) d[k] = (d[k] / sum - (k == label ? 1 : 0)) / count;
                return d;
            };
            case Targets.Values v -> (b, t, y) -> {
                int at = b * steps + t;
                return new double[] {v.mask()[at] == 0f ? 0 : 2 * (y[0] - v.values()[at]) / count};
            };
        };
    }
}
