package io.recur.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.Backends;
import io.recur.data.Batch;
import io.recur.data.Inputs;
import io.recur.data.Split;
import io.recur.data.Task;
import io.recur.data.TaskSpec;
import io.recur.nn.Initializer;
import io.recur.models.Models;
import io.recur.nn.SequenceModel;
import io.recur.optim.LrSchedule;
import io.recur.optim.Optimizer;
import io.recur.tensor.Tensor;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN loss stops the run with the step named, and the last good checkpoint stays. */
class DivergenceTest {
    /** The adding problem with NaN inputs in one training batch. */
    private record PoisonedTask(Task inner, long poisonedBatch) implements Task {
        @Override public TaskSpec spec() { return inner.spec(); }
        @Override public OptionalLong size(Split split) { return inner.size(split); }

        @Override
        public Batch batch(Split split, long index, int size) {
            Batch b = inner.batch(split, index, size);
            if (split != Split.TRAIN || index != poisonedBatch) return b;
            float[] values = ((Inputs.Features) b.inputs()).values().clone();
            Arrays.fill(values, Float.NaN);
            return new Batch(b.spec(), b.size(), new Inputs.Features(values, 2), b.targets());
        }
    }

    @Test
    void aNanLossNamesTheStepAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        RunConfig run = TinyRuns.config("task", "adding", "seq_len", 10);
        Task task = new PoisonedTask(Tasks.create(run), 14);   // batch 14 is step 15's
        try (SequenceModel model = Models.create(TrainingRun.modelConfig(run, task.spec()), new Initializer(Backends.cpu(), run.seed()));
             Optimizer opt = TrainingRun.optimizer(run, model)) {
            Trainer trainer = new Trainer(run, model, task, opt, new LrSchedule.Constant(run.lr()), dir, TinyRuns.SILENT);
            var e = assertThrows(Trainer.DivergedException.class, trainer::run);
            assertTrue(e.getMessage().startsWith("loss became NaN at step 15"), e.getMessage());
            assertTrue(e.getMessage().contains("the last good checkpoint, from step 10, is kept in"), e.getMessage());
        }
        assertEquals(10, TrainingCheckpoint.readState(dir.resolve(Trainer.CHECKPOINT)).step());
        assertEquals(14, TinyRuns.losses(dir).size());
        try (SequenceModel saved = TrainingCheckpoint.loadModel(dir.resolve(Trainer.CHECKPOINT), Backends.cpu())) {
            for (Tensor p : saved.parameters()) for (float v : p.toFloatArray()) assertTrue(Float.isFinite(v), "non-finite value in the checkpoint");
        }
    }

    @Test
    void aHugeLearningRateStopsWithAClearError(@TempDir Path dir) throws Exception {
        RunConfig run = TinyRuns.config("task", "adding", "seq_len", 10, "lr", 1e30, "clip", 0.0, "optimizer", "sgd", "warmup", 0);
        var e = assertThrows(Trainer.DivergedException.class, () -> TinyRuns.train(run, dir));
        assertTrue(e.getMessage().matches("(loss|gradient norm) became (NaN|Infinity) at step \\d+ .*"), e.getMessage());
        assertTrue(e.getMessage().contains("no checkpoint was written before it"), e.getMessage());
    }
}
