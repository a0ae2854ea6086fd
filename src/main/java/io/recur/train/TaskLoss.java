package io.recur.train;

import io.recur.data.Batch;
import io.recur.ops.Arith;
import io.recur.ops.Loss;
import io.recur.ops.Reduce;
import io.recur.ops.Reduction;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;

/**
 * The loss a task's spec calls for, over its scored positions only: cross-entropy of class logits
 * (batch, time, classes) against the labels (unscored ones ignored), or squared error of values
 * (batch, time, 1) where the mask is 1.
 */
public final class TaskLoss {
    private TaskLoss() {}

    /** The mean over scored positions (what training minimises). */
    public static Tensor mean(Tensor outputs, Batch batch) {
        long count = Math.max(1, batch.scoredCount());
        return batch.spec().classification() ? of(outputs, batch, Reduction.MEAN) : Arith.mulScalar(of(outputs, batch, Reduction.SUM), 1f / count);
    }

    /** The sum over scored positions (evaluation adds these up over batches, then divides once). */
    public static Tensor sum(Tensor outputs, Batch batch) { return of(outputs, batch, Reduction.SUM); }

    private static Tensor of(Tensor outputs, Batch batch, Reduction reduction) {
        var backend = outputs.backend();
        if (batch.spec().classification())
            return Loss.crossEntropy(outputs, batch.targets(backend), Loss.DEFAULT_IGNORE_INDEX, reduction);
        Tensor predicted = Shapes.reshape(outputs, batch.size(), batch.spec().sequenceLength());
        Tensor error = Arith.sub(predicted, batch.targets(backend));
        return Reduce.sum(Arith.mul(Arith.mul(error, error), batch.scoredMask(backend)));
    }
}
