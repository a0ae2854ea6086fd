package io.recur.sweep;

import io.recur.data.Batch;
import io.recur.data.Split;
import io.recur.data.Task;
import io.recur.nn.SequenceModel;
import io.recur.backend.Backends;
import io.recur.train.Evaluation;
import io.recur.train.RunConfig;
import io.recur.train.Tasks;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The held-out measurement of a finished run: its checkpointed model scored on the first
 * eval_batches batches of the task's test split, which neither training nor the choice of
 * hyperparameters (made on validation) has seen.
 */
final class HeldOut {
    private HeldOut() {}

    static Evaluation.Result score(RunConfig run, Path checkpoint) throws IOException {
        Task task = Tasks.create(run);
        List<Batch> batches = LongStream.range(0, run.evalBatches()).mapToObj(i -> task.batch(Split.TEST, i, run.batchSize())).toList();
        try (SequenceModel model = TrainingCheckpoint.loadModel(checkpoint, Backends.byName(run.backend()))) {
            return Evaluation.run(model, batches);
        }
    }
}
