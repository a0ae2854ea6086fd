package io.recur.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.backend.Backends;
import io.recur.data.Split;
import io.recur.nn.SequenceModel;
import io.recur.tensor.Tensor;
import io.recur.train.checkpoint.TrainingCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @Test
    void theSameSeedGivesTheSameLossesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        TinyRuns.train(TinyRuns.config(), dir.resolve("a"));
        TinyRuns.train(TinyRuns.config(), dir.resolve("b"));
        TinyRuns.train(TinyRuns.config("seed", 2), dir.resolve("c"));
        List<Double> a = TinyRuns.losses(dir.resolve("a"));
        assertEquals(20, a.size());
        assertEquals(a, TinyRuns.losses(dir.resolve("b")));
        assertTrue(!a.equals(TinyRuns.losses(dir.resolve("c"))), "seed 2 repeated seed 1's losses");
        assertTrue(a.getLast() < a.getFirst(), "loss did not fall: " + a);
    }

    /** A run stopped after its checkpoint at step 10 and resumed repeats the uninterrupted run exactly. */
    @Test
    void resumeContinuesExactly(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight"), interrupted = dir.resolve("interrupted");
        TinyRuns.train(TinyRuns.config(), straight);
        Trainer.Listener crashAt13 = (step, total, loss, lr, tps) -> { if (step == 13) throw new IllegalStateException("simulated crash"); };
        assertThrows(IllegalStateException.class, () -> TrainingRun.start(TinyRuns.config(), interrupted, crashAt13, line -> {}));
        assertEquals(12, TinyRuns.losses(interrupted).size(), "steps 1-12 were logged before the crash");
        assertEquals(10, TrainingCheckpoint.readState(interrupted.resolve(Trainer.CHECKPOINT)).step());
        TrainingRun.Outcome resumed = TrainingRun.resume(TrainingRun.savedConfig(interrupted), interrupted, TinyRuns.SILENT, line -> {});
        assertEquals(20, resumed.result().steps());
        assertEquals(TinyRuns.losses(straight), TinyRuns.losses(interrupted));   // bit for bit, steps 11-12 logged once
        try (SequenceModel a = TrainingCheckpoint.loadModel(straight.resolve(Trainer.CHECKPOINT), Backends.cpu());
             SequenceModel b = TrainingCheckpoint.loadModel(interrupted.resolve(Trainer.CHECKPOINT), Backends.cpu())) {
            for (var e : a.namedParameters().entrySet()) {
                Tensor other = b.namedParameters().get(e.getKey());
                assertTrue(java.util.Arrays.equals(e.getValue().toFloatArray(), other.toFloatArray()), e.getKey() + " differs after resume");
            }
        }
    }

    @Test
    void extendingARunWithMoreStepsResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        // A constant rate makes 10 steps + 10 more the same as 20 steps.
        RunConfig constant = TinyRuns.config("warmup", 0, "min_lr_ratio", 1.0);
        TinyRuns.train(constant, dir.resolve("straight"));
        TinyRuns.train(TinyRuns.config("warmup", 0, "min_lr_ratio", 1.0, "steps", 10), dir.resolve("halves"));
        RunConfig more = RunConfigs.merge(TrainingRun.savedConfig(dir.resolve("halves")), null, java.util.Map.of("steps", 20));
        TrainingRun.resume(more, dir.resolve("halves"), TinyRuns.SILENT, line -> {});
        assertEquals(TinyRuns.losses(dir.resolve("straight")), TinyRuns.losses(dir.resolve("halves")));
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.resume(more, dir.resolve("halves"), TinyRuns.SILENT, line -> {}));
        assertTrue(e.getMessage().contains("already did 20 of 20 steps"), e.getMessage());
    }

    @Test
    void metricsLinesHoldTheStepFigures(@TempDir Path dir) throws Exception {
        TinyRuns.train(TinyRuns.config("log_interval", 5), dir);
        List<JsonNode> log = TinyRuns.log(dir);
        assertEquals(List.of(5L, 10L, 15L, 20L), log.stream().map(l -> l.get("step").asLong()).toList());
        for (JsonNode line : log) {
            for (String key : List.of("loss", "token_accuracy", "lr", "grad_norm", "tokens_per_second", "elapsed_seconds"))
                assertTrue(line.has(key) && line.get(key).isNumber(), "missing " + key + " in " + line);
            double acc = line.get("token_accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, line.toString());
        }
        Set<Long> evaluated = Set.of(10L, 20L);
        for (JsonNode line : log) assertEquals(evaluated.contains(line.get("step").asLong()), line.has("val_token_accuracy") && line.has("val_loss"), line.toString());
        assertEquals(RunConfig.defaults().lr(), log.getFirst().get("lr").asDouble(), 1e-12);   // step 5 is the last warmup step: the peak rate
        byte[] png = Files.readAllBytes(dir.resolve(Trainer.PLOT));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "curves.png is not a PNG");
    }

    /** The checkpoint, loaded again, scores the validation batches exactly as the trainer did in process. */
    @Test
    void checkpointRoundTripGivesTheSameValidationLoss(@TempDir Path dir) throws Exception {
        RunConfig run = TinyRuns.config();
        TinyRuns.train(run, dir);
        double logged = TinyRuns.log(dir).getLast().get("val_loss").asDouble();
        var task = Tasks.create(run);
        var batches = LongStream.range(0, run.evalBatches()).mapToObj(i -> task.batch(Split.VALIDATION, i, run.batchSize())).toList();
        try (SequenceModel m = TrainingCheckpoint.loadModel(dir.resolve(Trainer.CHECKPOINT), Backends.cpu())) {
            assertEquals(logged, Evaluation.run(m, batches).loss());
        }
        for (String f : List.of("model.safetensors", "config.json", "optimizer.safetensors", "trainer.json", "run.json"))
            assertTrue(Files.isRegularFile(dir.resolve(Trainer.CHECKPOINT).resolve(f)), "checkpoint lacks " + f);
    }

    @Test
    void earlyStopAtTheTarget(@TempDir Path dir) throws Exception {
        TrainingRun.Outcome o = TinyRuns.train(TinyRuns.config("target", 0.0), dir);
        assertTrue(o.result().reachedTarget());
        assertEquals(10, o.result().steps());
        assertEquals(10, TinyRuns.log(dir).size());
    }

    /** The same run on the simulated CUDA kernels follows the CPU's losses (float32 rounding apart). */
    @Test
    void trainsOnTheCudaBackendLikeOnTheCpu(@TempDir Path dir) throws Exception {
        RunConfig cpu = TinyRuns.config("steps", 6, "eval_interval", 3, "d_model", 8, "batch_size", 4);
        TinyRuns.train(cpu, dir.resolve("cpu"));
        TinyRuns.train(RunConfigs.merge(cpu, null, java.util.Map.of("backend", "cuda-sim")), dir.resolve("cuda"));
        List<Double> expected = TinyRuns.losses(dir.resolve("cpu")), actual = TinyRuns.losses(dir.resolve("cuda"));
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), 1e-4 * expected.get(i), "loss at step " + (i + 1));
    }
}
