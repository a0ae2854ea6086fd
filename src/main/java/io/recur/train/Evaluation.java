package io.recur.train;

import io.recur.autograd.Tape;
import io.recur.data.Batch;
import io.recur.data.Metric;
import io.recur.nn.SequenceModel;
import io.recur.tensor.Scope;
import io.recur.tensor.Tensor;

/** Mean loss and the task's metric of a model over some batches, without gradients. */
public final class Evaluation {
    /** The loss per scored position and the metric, over {@code positions} scored positions. */
    public record Result(double loss, Metric metric, double value, long positions) {}

    private Evaluation() {}

    public static Result run(SequenceModel model, Iterable<Batch> batches) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long positions = 0;
        Metric metric = null;
        Metric.Tally tally = Metric.Tally.EMPTY;
        try (Tape.NoGrad off = Tape.noGrad()) {
            for (Batch batch : batches) {
                metric = batch.spec().metric();
                try (Scope s = Scope.open("evaluation")) {
                    Tensor outputs = model.forward(batch.inputs(model.parameters().getFirst().backend()));
                    lossSum += TaskLoss.sum(outputs, batch).item();
                    tally = tally.plus(metric.score(batch, outputs.toFloatArray()));
                }
                positions += batch.scoredCount();
            }
        } finally {
            model.train(wasTraining);
        }
        if (metric == null) throw new IllegalArgumentException("evaluation: no batches");
        return new Result(positions == 0 ? Double.NaN : lossSum / positions, metric, tally.value(), positions);
    }
}
